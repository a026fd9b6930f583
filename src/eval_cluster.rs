//! `storyline eval cluster`: event clustering scored against gold labels.
//!
//! Each labelled file (`{id, event, ...}` per line) is ingested by the real pipeline
//! into a fresh temporary store, exactly as a user's ingest would run; the scorer
//! then compares the story each article landed in with its gold `event`. The engine
//! never reads `event` (the reader ignores unknown fields). All labelled files are
//! also ingested together, as one stream, and scored together. A `*.pairs.tsv`
//! beside a file (`id1 id2 same_story`) is scored as same-story decisions.
//!
//! The founding seeds (a folder of crawler text with an `EXPECTED.md`, by default
//! `seeds` beside the bench folder) join the one stream: their stories, as
//! EXPECTED.md's `## Stories` section names them, are gold labels like any other,
//! and the report says whether the stream left them exactly as EXPECTED.md says
//! (each story's seeds together, apart from the other stories and from every bench
//! article, and the stories it links linked).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::eval::Prf;
use crate::ingest;

#[derive(Debug, Serialize)]
pub struct ClusterScore {
    pub name: String,
    pub articles: usize,
    pub gold_events: usize,
    pub stories: usize,
    pub bcubed: Prf,
    pub pairwise: Prf,
    pub ari: f64,
}

#[derive(Debug, Serialize)]
pub struct PairScore {
    pub name: String,
    pub pairs: usize,
    pub positives: usize,
    /// "Same story" decided as: the two articles are in one story (event).
    pub scores: Prf,
    /// Decided as: one story, or two stories the engine links as related (a
    /// storyline: shared core entities at any gap in time). A story chain's later
    /// chapter weeks on is a related story, not the same event.
    pub storyline: Prf,
}

#[derive(Debug, Serialize)]
pub struct ClusterReport {
    pub files: Vec<ClusterScore>,
    /// All labelled files in one stream, with the seeds when they were found.
    pub stream: Option<ClusterScore>,
    pub pairs: Vec<PairScore>,
    /// What the one stream made of the seeds, against their EXPECTED.md.
    pub seeds: Option<SeedsCheck>,
}

/// The seeds in the one stream, checked against EXPECTED.md's stories.
#[derive(Debug, Serialize)]
pub struct SeedsCheck {
    /// The seeds folder read.
    pub folder: String,
    /// EXPECTED.md's stories: label, the seed files it names, the engine's story.
    pub stories: Vec<SeedStory>,
    /// Each way the stream differs from EXPECTED.md; empty when it is exactly so.
    pub problems: Vec<String>,
    pub as_expected: bool,
}

#[derive(Debug, Serialize)]
pub struct SeedStory {
    pub label: String,
    pub files: Vec<String>,
    /// The engine's story of each file, in `files` order.
    pub engine_stories: Vec<String>,
}

/// EXPECTED.md's stories: `- Story A, …: 000, 001 and 003.` gives story `A` the seed
/// files whose names start `000_`, `001_`, `003_`; a bullet saying `A and B are
/// linked as related` gives the pair that must be linked.
#[derive(Debug, PartialEq)]
pub struct ExpectedStories {
    pub stories: Vec<(String, Vec<String>)>,
    pub related: Vec<(String, String)>,
}

/// Reads the `## Stories` section of a seeds folder's EXPECTED.md (`text`).
pub fn expected_stories(text: &str) -> anyhow::Result<ExpectedStories> {
    let mut section = false;
    let mut stories: Vec<(String, Vec<String>)> = Vec::new();
    let mut linked = Vec::new();
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim() == "Stories";
            continue;
        }
        let Some(bullet) = line.trim_start().strip_prefix("- ").filter(|_| section) else {
            continue;
        };
        if let Some(rest) = bullet.strip_prefix("Story ") {
            let label: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
            // The files follow the first colon, up to the sentence's end.
            let files: Vec<String> = rest
                .split_once(':')
                .map(|(_, after)| after.split(". ").next().unwrap_or(after))
                .unwrap_or("")
                .split(|c: char| !c.is_ascii_digit())
                .filter(|t| t.len() == 3)
                .map(str::to_string)
                .collect();
            anyhow::ensure!(
                !label.is_empty() && !files.is_empty(),
                "EXPECTED.md: cannot read the story and its files from `{}`",
                line.trim()
            );
            stories.push((label, files));
        } else if let Some((before, _)) = bullet.split_once(" are linked as related") {
            linked.push(before.to_string());
        }
    }
    anyhow::ensure!(
        !stories.is_empty(),
        "EXPECTED.md: no `- Story A, …: 000, 001 and 003.` lines under `## Stories`"
    );
    let mut related = Vec::new();
    for names in linked {
        let labels: Vec<&String> = names
            .split(|c: char| !c.is_alphanumeric())
            .filter_map(|w| stories.iter().map(|(l, _)| l).find(|l| *l == w))
            .collect();
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                related.push(((*a).clone(), (*b).clone()));
            }
        }
    }
    Ok(ExpectedStories { stories, related })
}

/// The clustering issue's BCubed F1 targets: by labelled file name, and for all files
/// in one stream. Files of other names have no target.
pub const TARGETS: &[(&str, f64)] = &[("basil.jsonl", 0.96), ("ecbplus-dev.jsonl", 0.95)];
pub const TARGET_STREAM: f64 = 0.95;

impl ClusterReport {
    /// Each BCubed F1 below its target, said as `set value < target`.
    pub fn below_targets(&self) -> Vec<String> {
        let files = self.files.iter().filter_map(|s| {
            TARGETS
                .iter()
                .find(|(name, _)| *name == s.name)
                .map(|(_, t)| (s, *t))
        });
        let stream = self.stream.iter().map(|s| (s, TARGET_STREAM));
        files
            .chain(stream)
            .filter(|(s, target)| s.bcubed.f1 < *target)
            .map(|(s, target)| format!("{} BCubed F1 {:.3} < {target}", s.name, s.bcubed.f1))
            .chain(
                self.seeds
                    .iter()
                    .filter(|c| !c.as_expected)
                    .map(|c| format!("seeds not as EXPECTED.md says: {}", c.problems.join("; "))),
            )
            .collect()
    }

    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = format!(
            "{:<34} {:>8} {:>6} {:>7}  {:>21}  {:>21}  {:>6}\n",
            "set",
            "articles",
            "events",
            "stories",
            "BCubed P / R / F1",
            "pairwise P / R / F1",
            "ARI"
        );
        for s in self.files.iter().chain(self.stream.iter()) {
            let _ =
                writeln!(
                out,
                "{:<34} {:>8} {:>6} {:>7}  {:.3} / {:.3} / {:.3}  {:.3} / {:.3} / {:.3}  {:>6.3}",
                s.name, s.articles, s.gold_events, s.stories,
                s.bcubed.precision, s.bcubed.recall, s.bcubed.f1,
                s.pairwise.precision, s.pairwise.recall, s.pairwise.f1, s.ari
            );
        }
        if let Some(c) = &self.seeds {
            let stories: Vec<String> = c
                .stories
                .iter()
                .map(|s| {
                    let numbers: Vec<&str> =
                        s.files.iter().map(|f| f.get(..3).unwrap_or(f)).collect();
                    format!("story {} = {}", s.label, numbers.join(" "))
                })
                .collect();
            if c.as_expected {
                let _ = writeln!(
                    out,
                    "seeds in the stream: as EXPECTED.md says ({}; nothing else in them; linked as it says)",
                    stories.join(", ")
                );
            } else {
                let _ = writeln!(
                    out,
                    "seeds in the stream: NOT as EXPECTED.md says ({}): {}",
                    stories.join(", "),
                    c.problems.join("; ")
                );
            }
        }
        for p in &self.pairs {
            let _ = writeln!(
                out,
                "{}: {} labelled pairs ({} same story): P {:.3} R {:.3} F1 {:.3}; counting related stories as one storyline: P {:.3} R {:.3} F1 {:.3}",
                p.name,
                p.pairs,
                p.positives,
                p.scores.precision,
                p.scores.recall,
                p.scores.f1,
                p.storyline.precision,
                p.storyline.recall,
                p.storyline.f1
            );
        }
        out
    }
}

/// Scores BCubed, pairwise and ARI of `pred` against `gold` over the ids in `gold`.
pub fn score(
    name: &str,
    gold: &HashMap<String, String>,
    pred: &HashMap<String, String>,
) -> ClusterScore {
    let ids: Vec<&String> = gold.keys().filter(|id| pred.contains_key(*id)).collect();
    let n = ids.len();
    let mut by_gold: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut by_pred: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut cell: HashMap<(&str, &str), usize> = HashMap::new();
    for id in &ids {
        let (g, p) = (gold[*id].as_str(), pred[*id].as_str());
        by_gold.entry(g).or_default().push(id);
        by_pred.entry(p).or_default().push(id);
        *cell.entry((g, p)).or_default() += 1;
    }
    // BCubed: per article, the share of its predicted cluster in its gold event
    // (precision) and of its gold event in its predicted cluster (recall).
    let (mut bp, mut br) = (0.0, 0.0);
    for id in &ids {
        let (g, p) = (gold[*id].as_str(), pred[*id].as_str());
        let both = cell[&(g, p)] as f64;
        bp += both / by_pred[p].len() as f64;
        br += both / by_gold[g].len() as f64;
    }
    let nf = n.max(1) as f64;
    let c2 = |k: usize| (k * k.saturating_sub(1) / 2) as f64;
    let same_both: f64 = cell.values().map(|&k| c2(k)).sum();
    let same_pred: f64 = by_pred.values().map(|v| c2(v.len())).sum();
    let same_gold: f64 = by_gold.values().map(|v| c2(v.len())).sum();
    let total = c2(n);
    let pairwise = Prf::new(
        if same_pred > 0.0 {
            same_both / same_pred
        } else {
            1.0
        },
        if same_gold > 0.0 {
            same_both / same_gold
        } else {
            1.0
        },
    );
    let expected = if total > 0.0 {
        same_pred * same_gold / total
    } else {
        0.0
    };
    let max = (same_pred + same_gold) / 2.0;
    let ari = if (max - expected).abs() < f64::EPSILON {
        1.0
    } else {
        (same_both - expected) / (max - expected)
    };
    ClusterScore {
        name: name.to_string(),
        articles: n,
        gold_events: by_gold.len(),
        stories: by_pred.len(),
        bcubed: Prf::new(bp / nf, br / nf),
        pairwise,
        ari,
    }
}

/// Ingests files into a fresh temporary store; returns article id → story id.
/// What the engine made of some files: each article's story, and the pairs of
/// stories it links as related (both orders).
struct Engine {
    story: HashMap<String, String>,
    related: std::collections::HashSet<(String, String)>,
    /// Article id → the source it was read from.
    source: HashMap<String, String>,
}

fn run_engine(files: &[PathBuf]) -> anyhow::Result<Engine> {
    let dir = tempfile::tempdir().context("cannot create a temporary store")?;
    let mut store = storyline_store::Store::open(dir.path())?;
    let inputs: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let opts = ingest::Options {
        batch: ingest::DEFAULT_BATCH,
        progress: false,
        read: Default::default(),
    };
    let summary = ingest::ingest(&mut store, &inputs, &opts)?;
    for r in &summary.rejected {
        eprintln!("rejected: {}: {}", r.source, r.reason);
    }
    let mut out = Engine {
        story: HashMap::new(),
        related: Default::default(),
        source: HashMap::new(),
    };
    for s in store.stories()? {
        for r in &s.related {
            out.related.insert((s.id.clone(), r.id.clone()));
            out.related.insert((r.id.clone(), s.id.clone()));
        }
        for a in s.articles {
            out.source.insert(a.id.clone(), a.source);
            out.story.insert(a.id, s.id.clone());
        }
    }
    Ok(out)
}

pub fn gold_labels(file: &Path) -> anyhow::Result<HashMap<String, String>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut gold = HashMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}#line={}", file.display(), i + 1))?;
        if let (Some(id), Some(ev)) = (v["id"].as_str(), v["event"].as_str()) {
            gold.insert(id.to_string(), ev.to_string());
        }
    }
    Ok(gold)
}

fn pair_labels(file: &Path) -> anyhow::Result<Vec<(String, String, bool)>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((
                f.next()?.to_string(),
                f.next()?.to_string(),
                f.next()?.trim() == "1",
            ))
        })
        .collect())
}

/// The seeds folder beside a bench folder (`../shared/bench` → `../shared/seeds`;
/// given the folder of JSONL files itself, beside the folder that holds it), when it
/// holds an EXPECTED.md.
pub fn default_seeds(bench: &Path) -> Option<PathBuf> {
    let root = if bench.join("clustering").is_dir() {
        bench.to_path_buf()
    } else {
        bench.join("..")
    };
    let seeds = root.join("..").join("seeds");
    seeds.join("EXPECTED.md").is_file().then_some(seeds)
}

/// The seed files of a folder, by the three-digit number their names start with.
fn seed_files(seeds: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut files = HashMap::new();
    for entry in
        std::fs::read_dir(seeds).with_context(|| format!("cannot read {}", seeds.display()))?
    {
        let name = entry?.file_name().to_string_lossy().to_string();
        if let Some((number, _)) = name.split_once('_') {
            if number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()) {
                files.insert(number.to_string(), name);
            }
        }
    }
    Ok(files)
}

/// Gold labels for the seeds' articles in `engine` (by article id), and the check of
/// what the engine made of them against EXPECTED.md.
fn check_seeds(
    seeds: &Path,
    expected: &ExpectedStories,
    engine: &Engine,
) -> anyhow::Result<(HashMap<String, String>, SeedsCheck)> {
    let files = seed_files(seeds)?;
    // Article id of each seed file the stream read from this folder.
    let folder = seeds.display().to_string();
    let mut article_of: HashMap<&str, &str> = HashMap::new();
    for (id, source) in &engine.source {
        let path = Path::new(source);
        if !source.starts_with(&folder) {
            continue;
        }
        if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
            article_of.insert(name, id.as_str());
        }
    }
    let mut gold = HashMap::new();
    let mut problems = Vec::new();
    let mut stories = Vec::new();
    let mut story_of_label: Vec<(&str, Option<&str>)> = Vec::new();
    for (label, numbers) in &expected.stories {
        let mut names = Vec::new();
        let mut engine_stories: Vec<&str> = Vec::new();
        for number in numbers {
            let name = files.get(number).with_context(|| {
                format!(
                    "{}: EXPECTED.md names seed {number}, and no file starts `{number}_`",
                    seeds.display()
                )
            })?;
            names.push(name.clone());
            match article_of.get(name.as_str()) {
                Some(id) => {
                    gold.insert(id.to_string(), format!("seeds: story {label}"));
                    engine_stories.push(engine.story[*id].as_str());
                }
                None => {
                    problems.push(format!("{name} was not read into the stream"));
                    engine_stories.push("");
                }
            }
        }
        let mut distinct: Vec<&str> = engine_stories
            .iter()
            .copied()
            .filter(|s| !s.is_empty())
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > 1 {
            problems.push(format!(
                "story {label} is split over {} stories ({})",
                distinct.len(),
                names
                    .iter()
                    .zip(&engine_stories)
                    .map(|(n, s)| format!("{n} in {s}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        story_of_label.push((label, (distinct.len() == 1).then(|| distinct[0])));
        stories.push(SeedStory {
            label: label.clone(),
            files: names,
            engine_stories: engine_stories.iter().map(|s| s.to_string()).collect(),
        });
    }
    // Apart from each other, and from every article EXPECTED.md does not put there.
    for (i, (label, story)) in story_of_label.iter().enumerate() {
        let Some(story) = story else { continue };
        for (other, other_story) in &story_of_label[i + 1..] {
            if *other_story == Some(*story) {
                problems.push(format!(
                    "stories {label} and {other} are one story, {story}"
                ));
            }
        }
        let mut strangers: Vec<&str> = engine
            .story
            .iter()
            .filter(|(id, s)| s.as_str() == *story && !gold.contains_key(*id))
            .map(|(id, _)| id.as_str())
            .collect();
        strangers.sort_unstable();
        if !strangers.is_empty() {
            problems.push(format!(
                "story {label} ({story}) also holds {} other article(s): {}",
                strangers.len(),
                strangers[..strangers.len().min(5)].join(", ")
            ));
        }
    }
    for (a, b) in &expected.related {
        let find = |l: &str| {
            story_of_label
                .iter()
                .find(|(x, _)| *x == l)
                .and_then(|x| x.1)
        };
        if let (Some(sa), Some(sb)) = (find(a), find(b)) {
            if sa != sb && !engine.related.contains(&(sa.to_string(), sb.to_string())) {
                problems.push(format!(
                    "stories {a} ({sa}) and {b} ({sb}) are not linked as related"
                ));
            }
        }
    }
    let check = SeedsCheck {
        folder,
        stories,
        as_expected: problems.is_empty(),
        problems,
    };
    Ok((gold, check))
}

/// Scores every `clustering/*.jsonl` under `bench` (or `bench` itself if it holds
/// them); `seeds`, a folder with an EXPECTED.md, joins the one stream.
pub fn eval(bench: &Path, seeds: Option<&Path>) -> anyhow::Result<ClusterReport> {
    let dir = if bench.join("clustering").is_dir() {
        bench.join("clustering")
    } else {
        bench.to_path_buf()
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    anyhow::ensure!(!files.is_empty(), "no *.jsonl files in {}", dir.display());
    let expected = match seeds {
        Some(dir) => {
            let path = dir.join("EXPECTED.md");
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            Some(expected_stories(&text).with_context(|| path.display().to_string())?)
        }
        None => None,
    };
    let mut report = ClusterReport {
        files: Vec::new(),
        stream: None,
        pairs: Vec::new(),
        seeds: None,
    };
    let mut labelled = Vec::new();
    let mut all_gold = HashMap::new();
    for f in &files {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let gold = gold_labels(f)?;
        let pairs_file = f.with_extension("pairs.tsv");
        if gold.is_empty() && !pairs_file.exists() {
            continue;
        }
        let engine = run_engine(std::slice::from_ref(f))?;
        let pred = &engine.story;
        if !gold.is_empty() {
            report.files.push(score(&name, &gold, pred));
            labelled.push(f.clone());
            all_gold.extend(gold);
        }
        if pairs_file.exists() {
            let pairs = pair_labels(&pairs_file)?;
            let decide = |related: bool| {
                let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
                for (a, b, same) in &pairs {
                    let predicted = match (pred.get(a), pred.get(b)) {
                        (Some(x), Some(y)) => {
                            x == y || related && engine.related.contains(&(x.clone(), y.clone()))
                        }
                        _ => false,
                    };
                    match (predicted, *same) {
                        (true, true) => tp += 1,
                        (true, false) => fp += 1,
                        (false, true) => fneg += 1,
                        (false, false) => {}
                    }
                }
                Prf::from_counts(tp, tp + fp, tp + fneg)
            };
            report.pairs.push(PairScore {
                name: pairs_file
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default(),
                pairs: pairs.len(),
                positives: pairs.iter().filter(|p| p.2).count(),
                scores: decide(false),
                storyline: decide(true),
            });
        }
    }
    let with_seeds = seeds.zip(expected.as_ref());
    if labelled.len() > 1 || with_seeds.is_some() && !labelled.is_empty() {
        let mut inputs = labelled.clone();
        inputs.extend(seeds.map(Path::to_path_buf));
        let engine = run_engine(&inputs)?;
        let name = if let Some((dir, expected)) = with_seeds {
            let (gold, check) = check_seeds(dir, expected, &engine)?;
            all_gold.extend(gold);
            report.seeds = Some(check);
            "all labelled files + seeds, stream"
        } else {
            "all labelled files, one stream"
        };
        report.stream = Some(score(name, &all_gold, &engine.story));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(v: &[(&str, &str)]) -> HashMap<String, String> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn expected_stories_reads_the_stories_section() {
        let text = "# Seeds\n\n## Per article\n\n- Story Z, not this section: 007.\n\n\
            ## Stories\n\n\
            - Story A, the 2024 flood in Leeds: 000, 001 and 003.\n\
            - Story B, the 2019 flood: 002, alone. It came 5 years and 100 days earlier.\n\
            - A and B are linked as related stories (same river), B before A.\n\n\
            ## Story A, as a reader should see it\n\n- Story C, ignored: 004.\n";
        let e = expected_stories(text).unwrap();
        let files = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            e.stories,
            vec![
                ("A".to_string(), files(&["000", "001", "003"])),
                ("B".to_string(), files(&["002"])),
            ]
        );
        assert_eq!(e.related, vec![("A".to_string(), "B".to_string())]);
        // Without a readable stories section, a clear error rather than no check.
        let err = expected_stories("## Stories\n\n- Story A, no files named.\n").unwrap_err();
        assert!(err.to_string().contains("Story A"), "{err}");
        assert!(expected_stories("# nothing here\n").is_err());
    }

    #[test]
    fn perfect_and_lumped_clusterings() {
        let gold = map(&[("a", "1"), ("b", "1"), ("c", "2"), ("d", "2")]);
        let s = score("t", &gold, &gold);
        assert_eq!((s.bcubed.f1, s.pairwise.f1, s.ari), (1.0, 1.0, 1.0));
        // Everything in one cluster: BCubed precision 0.5, recall 1; pairwise P 2/6.
        let s = score(
            "t",
            &gold,
            &map(&[("a", "x"), ("b", "x"), ("c", "x"), ("d", "x")]),
        );
        assert_eq!(s.bcubed.precision, 0.5);
        assert_eq!(s.bcubed.recall, 1.0);
        assert!((s.pairwise.precision - 2.0 / 6.0).abs() < 1e-9);
        assert!(
            s.ari.abs() < 1e-9,
            "lumping everything is chance level: {}",
            s.ari
        );
        // Singletons: BCubed precision 1, recall 0.5; no predicted pairs.
        let s = score(
            "t",
            &gold,
            &map(&[("a", "1"), ("b", "2"), ("c", "3"), ("d", "4")]),
        );
        assert_eq!((s.bcubed.precision, s.bcubed.recall), (1.0, 0.5));
        assert_eq!(s.pairwise.recall, 0.0);
    }
}
