//! `storyline eval ...`: score a stage against labelled data.
//!
//! The engine side reads the set exactly as `ingest` would (read → extract) and never
//! sees the labels; the scorer reads the labels from the same file separately.

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use storyline_dedup::{Deduper, Entry};
use storyline_read::Item;

/// Precision, recall and F1: the one definition every eval uses.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(precision: f64, recall: f64) -> Self {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }

    /// From counts: `right` of `predicted` were right, of `gold` to find. Nothing
    /// predicted (or nothing to find) counts as 1: nothing was wrong (or missed).
    pub fn from_counts(right: usize, predicted: usize, gold: usize) -> Self {
        let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        Prf::new(ratio(right, predicted), ratio(right, gold))
    }
}

/// The dedup settings an eval runs with.
pub struct DedupParams {
    pub window_days: i64,
    pub bands: usize,
    pub min_containment: f32,
}

/// Copy-pair scores on a labelled syndication set.
#[derive(Debug, Serialize)]
pub struct DedupScore {
    pub articles: usize,
    pub gold_pairs: usize,
    pub predicted_pairs: usize,
    pub true_pairs: usize,
    #[serde(flatten)]
    pub scores: Prf,
    /// Pairs of different-outlet articles on the same BASIL event that were grouped
    /// as copies (must be zero: same event is not same text).
    pub basil_cross_outlet_grouped: usize,
    /// Grouped pairs whose relation the set does not know (two originals of a source
    /// that is not known to be free of copies, and their copies); not scored.
    pub unlabelled_pairs: usize,
    /// Some of the scored false pairs, for inspection.
    pub false_pair_examples: Vec<(String, String)>,
    /// Some of the unlabelled pairs, for inspection.
    pub unlabelled_examples: Vec<(String, String)>,
    /// Copies found, by relation.
    pub relations: HashMap<String, usize>,
    /// Articles in the in-memory index at the end (bounded by the window).
    pub indexed_at_end: usize,
    pub seconds: f64,
}

/// Article id → canonical id, copies found by relation, articles indexed at the end.
type EngineGroups = (HashMap<String, String>, HashMap<String, usize>, usize);

/// Every article in a set, extracted as `ingest` would; rejections are printed.
fn read_articles(path: &str) -> anyhow::Result<Vec<storyline_model::Article>> {
    let mut articles = Vec::new();
    for input in storyline_read::expand_inputs(&[path.to_string()]) {
        let input = input.map_err(|i| anyhow::anyhow!("{path}: {i:?}"))?;
        let _ = storyline_read::read_input(&input, &Default::default(), &mut |item| {
            match item {
                Item::Doc(d) => articles.push(storyline_extract::extract(&d)),
                Item::Rejected { source, reason } => eprintln!("rejected: {source}: {reason}"),
                Item::Skipped { .. } => {}
            }
            ControlFlow::Continue(())
        });
    }
    Ok(articles)
}

/// The engine's grouping: article id → canonical id, plus relation counts.
fn engine_groups(path: &str, p: &DedupParams) -> anyhow::Result<EngineGroups> {
    let mut articles = read_articles(path)?;
    articles.sort_by(|a, b| a.publication_order(b));
    let mut d = Deduper::with_params(p.window_days, p.bands, p.min_containment);
    let mut groups = HashMap::new();
    let mut relations: HashMap<String, usize> = HashMap::new();
    for a in &articles {
        let (key, sig) = storyline_dedup::fingerprint(&a.text, d.hasher());
        let e = Entry {
            id: &a.id,
            ts: a.published.map(|p| p.at.epoch_seconds()),
            url: a.url.as_deref(),
            body_key: key.as_deref(),
            sig: &sig,
        };
        let found = d.check(&e);
        let canonical = found.as_ref().map(|f| f.original.clone());
        if let Some(f) = &found {
            *relations
                .entry(f.verdict.relation.as_str().to_string())
                .or_default() += 1;
        }
        d.insert(&e, canonical.as_deref());
        groups.insert(a.id.clone(), canonical.unwrap_or_else(|| a.id.clone()));
    }
    Ok((groups, relations, d.len()))
}

fn pairs<'a>(groups: impl Iterator<Item = (&'a str, &'a str)>) -> HashSet<(String, String)> {
    let mut by: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, g) in groups {
        by.entry(g).or_default().push(id);
    }
    let mut out = HashSet::new();
    for mut ids in by.into_values() {
        ids.sort_unstable();
        for i in 0..ids.len() {
            for j in i + 1..ids.len() {
                out.insert((ids[i].to_string(), ids[j].to_string()));
            }
        }
    }
    out
}

pub fn dedup(set: &str, p: &DedupParams) -> anyhow::Result<DedupScore> {
    let started = Instant::now();
    let (groups, relations, indexed_at_end) = engine_groups(set, p)?;
    let seconds = started.elapsed().as_secs_f64();
    // The scorer's side: the labels.
    let text = std::fs::read_to_string(set).with_context(|| format!("cannot read {set}"))?;
    let mut gold: HashMap<String, String> = HashMap::new();
    let mut event: HashMap<String, String> = HashMap::new();
    let mut source: HashMap<String, String> = HashMap::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("{set}#line={}", i + 1))?;
        let id = v["id"]
            .as_str()
            .with_context(|| format!("{set}#line={}: no id", i + 1))?
            .to_string();
        let group = v["group"]
            .as_str()
            .with_context(|| format!("{set}#line={}: no group label", i + 1))?;
        gold.insert(id.clone(), group.to_string());
        if let Some(src) = v["source"].as_str() {
            source.insert(id.clone(), src.to_string());
        }
        if let Some(e) = v["event"].as_str() {
            event.insert(id, e.to_string());
        }
    }
    let gold_pairs = pairs(gold.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    let all_pred = pairs(
        groups
            .iter()
            .filter(|(id, _)| gold.contains_key(*id))
            .map(|(a, b)| (a.as_str(), b.as_str())),
    );
    // Known negatives: BASIL rows (independent by construction) or rows of different
    // sources. Two rows of another single source may be real copies the set cannot
    // label: those pairs are left out of the score and reported.
    let known = |a: &String, b: &String| match (source.get(a), source.get(b)) {
        (Some(x), Some(y)) => x != y || x == "basil",
        _ => true,
    };
    let (pred_pairs, unlabelled): (HashSet<_>, HashSet<_>) = all_pred
        .into_iter()
        .partition(|(a, b)| gold[a] == gold[b] || known(a, b));
    let true_pairs = pred_pairs.intersection(&gold_pairs).count();
    let mut false_pair_examples: Vec<(String, String)> =
        pred_pairs.difference(&gold_pairs).cloned().collect();
    false_pair_examples.sort();
    false_pair_examples.truncate(20);
    let mut unlabelled_examples: Vec<(String, String)> = unlabelled.iter().cloned().collect();
    unlabelled_examples.sort();
    unlabelled_examples.truncate(20);
    let basil_cross_outlet_grouped = pred_pairs
        .iter()
        .filter(|(a, b)| {
            gold[a] != gold[b] && event.contains_key(a) && event.get(a) == event.get(b)
        })
        .count();
    Ok(DedupScore {
        articles: groups.len(),
        gold_pairs: gold_pairs.len(),
        predicted_pairs: pred_pairs.len(),
        true_pairs,
        scores: Prf::from_counts(true_pairs, pred_pairs.len(), gold_pairs.len()),
        basil_cross_outlet_grouped,
        unlabelled_pairs: unlabelled.len(),
        false_pair_examples,
        unlabelled_examples,
        relations,
        indexed_at_end,
        seconds,
    })
}

/// CPU time of the calling thread so far, in seconds (`CLOCK_THREAD_CPUTIME_ID`,
/// exact to the nanosecond where `/proc/self/schedstat` moved in scheduler ticks, a
/// few milliseconds: as long as one page's extraction); wall-clock off Unix.
pub fn cpu_seconds(start: Instant) -> f64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the call.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9;
        }
    }
    start.elapsed().as_secs_f64()
}

impl DedupScore {
    /// Whether the targets of the syndication issue are met.
    pub fn meets_targets(&self) -> bool {
        self.scores.precision >= 0.99
            && self.scores.recall >= 0.97
            && self.basil_cross_outlet_grouped == 0
    }

    pub fn render(&self) -> String {
        let s = self;
        format!(
            "copy pairs: precision {:.4} recall {:.4} F1 {:.4} ({} true of {} predicted, {} gold)\nBASIL cross-outlet pairs grouped: {}; unlabelled pairs (not scored): {}\nrelations: {:?}\narticles {}, in the index at the end {}, {:.2} s\n",
            s.scores.precision, s.scores.recall, s.scores.f1, s.true_pairs, s.predicted_pairs, s.gold_pairs,
            s.basil_cross_outlet_grouped, s.unlabelled_pairs, s.relations, s.articles, s.indexed_at_end, s.seconds
        )
    }
}

/// Resident set size of this process in bytes (Linux).
fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|kb| kb.parse::<usize>().ok())
            })
        })
        .map_or(0, |kb| kb * 1024)
}

/// Throughput of signatures plus LSH query and insert.
#[derive(Debug, Serialize)]
pub struct DedupSpeed {
    pub docs: usize,
    pub rounds: usize,
    pub mean_shingles: f64,
    pub cpu_seconds: f64,
    pub docs_per_cpu_second: f64,
    /// Resident memory added per indexed article, measured: the growth of the
    /// process's resident set while one index holds every round's articles, divided
    /// by their number (Linux; 0 where /proc is missing).
    pub bytes_per_indexed_article: usize,
    pub indexed_for_memory: usize,
}

/// Times signature + query + insert over the set's articles (shingling excluded, as
/// the peer gets the same shingles), and writes the shingles for the peer.
pub fn dedup_speed(
    set: &str,
    shingles_out: Option<&str>,
    rounds: usize,
) -> anyhow::Result<DedupSpeed> {
    let texts: Vec<String> = read_articles(set)?.into_iter().map(|a| a.text).collect();
    let shingles: Vec<Vec<u64>> = texts
        .iter()
        .map(|t| storyline_dedup::minhash::shingles(t))
        .collect();
    if let Some(out) = shingles_out {
        let mut s = String::new();
        for sh in &shingles {
            s.push_str(&serde_json::to_string(sh)?);
            s.push('\n');
        }
        std::fs::write(out, s).with_context(|| format!("cannot write {out}"))?;
    }
    let hasher = storyline_dedup::minhash::MinHasher::default();
    let start = Instant::now();
    let before = cpu_seconds(start);
    let mut found = 0usize;
    for round in 0..rounds {
        let mut index = storyline_dedup::minhash::LshIndex::new();
        for (i, sh) in shingles.iter().enumerate() {
            let sig = hasher.signature(sh);
            found += index.candidates(&sig).len();
            index.insert(&format!("{round}-{i}"), i as i64, sig);
        }
    }
    std::hint::black_box(found);
    let cpu = cpu_seconds(start) - before;
    // Memory: one index holding every round's articles, signatures made beforehand.
    let sigs: Vec<_> = shingles.iter().map(|sh| hasher.signature(sh)).collect();
    let rss_before = rss_bytes();
    let mut index = storyline_dedup::minhash::LshIndex::new();
    for round in 0..rounds {
        for (i, sig) in sigs.iter().enumerate() {
            index.insert(&format!("article-{round}-{i:08}"), i as i64, sig.clone());
        }
    }
    let grown = rss_bytes().saturating_sub(rss_before);
    let indexed_for_memory = index.len();
    drop(index);
    let n = shingles.len() * rounds;
    Ok(DedupSpeed {
        docs: shingles.len(),
        rounds,
        mean_shingles: shingles.iter().map(Vec::len).sum::<usize>() as f64
            / shingles.len().max(1) as f64,
        cpu_seconds: cpu,
        docs_per_cpu_second: n as f64 / cpu.max(1e-9),
        bytes_per_indexed_article: grown / indexed_for_memory.max(1),
        indexed_for_memory,
    })
}
