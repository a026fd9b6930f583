//! `storyline eval cluster`: event clustering scored against gold labels.
//!
//! Each labelled file (`{id, event, ...}` per line) is ingested by the real pipeline
//! into a fresh temporary store, exactly as a user's ingest would run; the scorer
//! then compares the story each article landed in with its gold `event`. The engine
//! never reads `event` (the reader ignores unknown fields). All labelled files are
//! also ingested together, as one stream, and scored together. A `*.pairs.tsv`
//! beside a file (`id1 id2 same_story`) is scored as same-story decisions.

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
    /// All labelled files in one stream.
    pub stream: Option<ClusterScore>,
    pub pairs: Vec<PairScore>,
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
    };
    for s in store.stories()? {
        for r in &s.related {
            out.related.insert((s.id.clone(), r.id.clone()));
            out.related.insert((r.id.clone(), s.id.clone()));
        }
        for a in s.articles {
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

/// Scores every `clustering/*.jsonl` under `bench` (or `bench` itself if it holds them).
pub fn eval(bench: &Path) -> anyhow::Result<ClusterReport> {
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
    let mut report = ClusterReport {
        files: Vec::new(),
        stream: None,
        pairs: Vec::new(),
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
    if labelled.len() > 1 {
        let pred = run_engine(&labelled)?.story;
        report.stream = Some(score("all labelled files, one stream", &all_gold, &pred));
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
