//! `storyline eval synthesize` and `storyline bench synthesize`: story synthesis on
//! BASIL's labelled events (three outlets per event).
//!
//! Articles are read and extracted exactly as `ingest` would; the gold event of each
//! record groups them into stories, so the figures measure synthesis alone, not
//! clustering. Claim grouping is scored against labels we wrote ourselves
//! (`bench/claim_labels.tsv`: a hash of the two sentences and a same/different
//! verdict), so the bench's text never enters the repository.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use storyline_read::Item;
use storyline_synthesize::{synthesize, Lexicon, StoryArticle, Synthesis};

/// Reads a labelled clustering file (JSON lines with `id` and `event`) as the engine
/// would, and returns the stories by gold event, articles in file order.
pub fn gold_stories(file: &Path) -> anyhow::Result<Vec<(String, Vec<StoryArticle>)>> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut event_of: HashMap<String, String> = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .with_context(|| format!("{}: line {}: not JSON", file.display(), n + 1))?;
        if let (Some(id), Some(ev)) = (v["id"].as_str(), v["event"].as_str()) {
            event_of.insert(id.to_string(), ev.to_string());
        }
    }
    let mut stories: BTreeMap<String, Vec<StoryArticle>> = BTreeMap::new();
    let input = storyline_read::expand_inputs(&[file.display().to_string()])
        .into_iter()
        .next()
        .context("no input")?
        .map_err(|_| anyhow::anyhow!("cannot open {}", file.display()))?;
    let _ = storyline_read::read_input(&input, &Default::default(), &mut |item| {
        if let Item::Doc(doc) = item {
            let a = storyline_extract::extract(&doc);
            let features = storyline_analyze::analyze(&a);
            if let Some(ev) = event_of.get(&a.id) {
                stories.entry(ev.clone()).or_default().push(StoryArticle {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    published: a.published.as_ref().map(|p| p.at.to_iso()),
                    published_ts: a.published.as_ref().map(|p| p.at.epoch_seconds()),
                    outlet: a.outlet.clone(),
                    wire: a.wire.clone(),
                    lang: a.lang.clone(),
                    copy_of: None,
                    entities: features.entities,
                    text: a.text,
                });
            }
        }
        std::ops::ControlFlow::Continue(())
    });
    Ok(stories.into_iter().collect())
}

/// A pair of sentences synthesis put in one claim, from two outlets.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimPair {
    /// Stable key of the pair: a hash of both sentences.
    pub key: String,
    pub a: String,
    pub b: String,
    pub a_article: String,
    pub b_article: String,
}

#[derive(Debug, Serialize)]
pub struct SynthReport {
    pub stories: usize,
    pub articles: usize,
    /// Share of stories whose summary quotes more than one outlet.
    pub summary_multi_outlet: f64,
    pub summary_outlets_mean: f64,
    pub claims: usize,
    pub claims_cross_outlet: usize,
    pub claims_single_outlet: usize,
    pub claims_conflict: usize,
    /// Cross-outlet claim pairs (one per claim group) and how many carry a label.
    pub claim_pairs: usize,
    pub labelled: usize,
    /// Of the labelled pairs, the share that do say the same thing.
    pub claim_precision: Option<f64>,
    pub ms_per_story_mean: f64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unlabelled_sample: Vec<ClaimPair>,
}

fn pair_key(a: &str, b: &str) -> String {
    let h = blake3::hash(format!("{a}\n{b}").as_bytes());
    h.to_hex()[..16].to_string()
}

/// One pair per cross-outlet claim group: its first two variants from different
/// outlets.
fn claim_pairs(stories: &[(String, Vec<StoryArticle>)], synth: &[Synthesis]) -> Vec<ClaimPair> {
    let mut out = Vec::new();
    for ((_, arts), s) in stories.iter().zip(synth) {
        let outlet: HashMap<&str, Option<&str>> = arts
            .iter()
            .map(|a| (a.id.as_str(), a.outlet.as_deref()))
            .collect();
        for c in s.claims.iter().filter(|c| c.sources > 1) {
            let first = &c.variants[0];
            if let Some(second) = c.variants.iter().find(|v| {
                outlet.get(v.article.as_str()) != outlet.get(first.article.as_str())
                    || outlet.get(v.article.as_str()).is_some_and(|o| o.is_none())
                        && v.article != first.article
            }) {
                out.push(ClaimPair {
                    key: pair_key(&first.text, &second.text),
                    a: first.text.clone(),
                    b: second.text.clone(),
                    a_article: first.article.clone(),
                    b_article: second.article.clone(),
                });
            }
        }
    }
    out
}

/// Labels: `key<TAB>1|0[<TAB>note]`, `#` comments.
fn read_labels(file: &Path) -> anyhow::Result<HashMap<String, bool>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
    };
    let mut out = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut f = line.split('\t');
        let (Some(key), Some(label)) = (f.next(), f.next()) else {
            anyhow::bail!("{}: line {}: want key<TAB>1|0", file.display(), n + 1);
        };
        let same = match label {
            "1" => true,
            "0" => false,
            other => anyhow::bail!(
                "{}: line {}: label {other:?} is not 1 or 0",
                file.display(),
                n + 1
            ),
        };
        out.insert(key.to_string(), same);
    }
    Ok(out)
}

/// Scores synthesis on BASIL. `sample` lists that many unlabelled claim pairs (spread
/// over the set) for labelling.
pub fn eval(bench: &Path, labels: &Path, sample: usize) -> anyhow::Result<SynthReport> {
    let stories = gold_stories(&bench.join("clustering/basil.jsonl"))?;
    let started = Instant::now();
    // BASIL is English: there are no German nouns to ask a store about.
    let synth: Vec<Synthesis> = stories
        .iter()
        .map(|(_, a)| synthesize(a, &Lexicon::default()))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    let mut multi = 0;
    let mut outlets_sum = 0;
    for ((_, arts), s) in stories.iter().zip(&synth) {
        let outlet: HashMap<&str, Option<&str>> = arts
            .iter()
            .map(|a| (a.id.as_str(), a.outlet.as_deref()))
            .collect();
        let used: HashSet<Option<&str>> = s
            .summary
            .iter()
            .map(|c| outlet.get(c.article.as_str()).copied().flatten())
            .collect();
        outlets_sum += used.len();
        if used.len() > 1 {
            multi += 1;
        }
    }
    let claims: Vec<&storyline_synthesize::Claim> = synth.iter().flat_map(|s| &s.claims).collect();
    let pairs = claim_pairs(&stories, &synth);
    let labels = read_labels(labels)?;
    let judged: Vec<bool> = pairs
        .iter()
        .filter_map(|p| labels.get(&p.key).copied())
        .collect();
    let unlabelled: Vec<&ClaimPair> = pairs
        .iter()
        .filter(|p| !labels.contains_key(&p.key))
        .collect();
    let step = (unlabelled.len() / sample.max(1)).max(1);
    let n = stories.len().max(1) as f64;
    Ok(SynthReport {
        stories: stories.len(),
        articles: stories.iter().map(|s| s.1.len()).sum(),
        summary_multi_outlet: multi as f64 / n,
        summary_outlets_mean: outlets_sum as f64 / n,
        claims: claims.len(),
        claims_cross_outlet: claims.iter().filter(|c| c.sources > 1).count(),
        claims_single_outlet: claims.iter().filter(|c| c.single_outlet).count(),
        claims_conflict: claims.iter().filter(|c| c.conflict).count(),
        claim_pairs: pairs.len(),
        labelled: judged.len(),
        claim_precision: (!judged.is_empty())
            .then(|| judged.iter().filter(|&&x| x).count() as f64 / judged.len() as f64),
        ms_per_story_mean: elapsed * 1000.0 / n,
        unlabelled_sample: if sample == 0 {
            Vec::new()
        } else {
            unlabelled
                .into_iter()
                .step_by(step)
                .take(sample)
                .cloned()
                .collect()
        },
    })
}

impl SynthReport {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "BASIL gold events: {} stories, {} articles",
            self.stories, self.articles
        );
        let _ = writeln!(
            out,
            "summary quotes more than one outlet: {:.3} of stories (mean {:.2} outlets per summary)",
            self.summary_multi_outlet, self.summary_outlets_mean
        );
        let _ = writeln!(
            out,
            "claims: {} ({} cross-outlet, {} single-outlet, {} with a conflict)",
            self.claims, self.claims_cross_outlet, self.claims_single_outlet, self.claims_conflict
        );
        match self.claim_precision {
            Some(p) => {
                let _ = writeln!(
                    out,
                    "claim grouping precision: {p:.3} on {} labelled pairs of {} ({} unlabelled)",
                    self.labelled,
                    self.claim_pairs,
                    self.claim_pairs - self.labelled
                );
            }
            None => {
                let _ = writeln!(out, "claim grouping precision: no labelled pairs");
            }
        }
        let _ = writeln!(
            out,
            "synthesis: {:.2} ms per story (mean)",
            self.ms_per_story_mean
        );
        for p in &self.unlabelled_sample {
            let _ = writeln!(
                out,
                "\n{}\n  A [{}] {}\n  B [{}] {}",
                p.key, p.a_article, p.a, p.b_article, p.b
            );
        }
        out
    }
}

#[derive(Debug, Serialize)]
pub struct SynthBench {
    pub set: String,
    pub articles: usize,
    pub runs: usize,
    pub ms_median: f64,
    pub ms_min: f64,
}

/// Times synthesis of one story made of the first `size` articles of a labelled
/// file (several events' articles, as one big story: the cost depends on sentences
/// and claims, not on whether they are one event).
pub fn bench(file: &Path, size: usize, runs: usize) -> anyhow::Result<SynthBench> {
    let stories = gold_stories(file)?;
    let articles: Vec<StoryArticle> = stories.into_iter().flat_map(|s| s.1).take(size).collect();
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            let s = synthesize(&articles, &Lexicon::default());
            std::hint::black_box(s);
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    Ok(SynthBench {
        set: file.display().to_string(),
        articles: articles.len(),
        runs: times.len(),
        ms_median: times[times.len() / 2],
        ms_min: times[0],
    })
}
