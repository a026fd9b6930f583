//! `storyline bench cluster`: the clustering stage alone on a large generated stream.
//!
//! The stream is made from the bench's labelled clustering sets (real news): every
//! labelled article is extracted and analysed once, as ingest does. Each gold event
//! is then re-issued many times over the year as *instances*: an instance starts on a
//! random day and carries all of its event's articles, in their own order and spread
//! over its first days, each article lightly perturbed (a tenth of its terms dropped,
//! weights jittered by ±20%). Instances of one event share many of their words, as
//! one earthquake shares them with the next; what sets an instance apart is a handful
//! of its own terms and two names (a person, a place), as with real events, and its
//! own choice of words: 60% of its event's vocabulary and 40% of a partner event's
//! (chosen per instance, the same in all its articles), which widens the repertoire
//! beyond the labelled events. Many instances run at once, so the candidate index holds
//! many look-alike events.
//!
//! Articles are fed in publication order, 2,000 at a time as ingest does: assign
//! each, run the merge pass, then let the events that fell out of the window go. Only that is timed (CPU
//! time of this thread); generating the features is not. The instance label is the
//! gold event, so the run is also scored (BCubed F1).

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use storyline_analyze::{Entity, Features};
use storyline_cluster::{Clusterer, Corpus, Params, Placed};

use crate::eval_cluster;

const DAY: i64 = 86_400;
/// Articles per batch, as ingest's default.
const BATCH: usize = 2_000;

/// splitmix64: a small, well-mixed deterministic generator (no dependency needed).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One labelled article, analysed.
struct Template {
    features: Features,
    /// Hours after its gold event's first article (0–72).
    hours: i64,
}

/// One gold event: its articles in publication order.
struct GoldEvent {
    templates: Vec<Template>,
}

#[derive(Debug, Serialize)]
pub struct Segment {
    /// Articles assigned so far.
    pub articles: usize,
    /// Articles per CPU-second over this segment.
    pub per_cpu_second: f64,
    /// Events in memory at the end of the segment.
    pub resident_events: usize,
    /// Terms and entity keys the clusterer holds at the end of the segment.
    pub vocabulary: usize,
}

#[derive(Debug, Serialize)]
pub struct ClusterBench {
    pub articles: usize,
    pub days: i64,
    pub source_articles: usize,
    pub source_events: usize,
    pub instances: usize,
    pub cpu_seconds: f64,
    pub per_cpu_second: f64,
    pub wall_seconds: f64,
    pub max_resident_events: usize,
    /// Terms and entity keys the clusterer held at most (at the end of a batch).
    pub max_vocabulary: usize,
    /// Terms looked up in the (simulated) store per article: those the clusterer did
    /// not hold when the article's batch came.
    pub lookups_per_article: f64,
    pub peak_rss_mb: f64,
    pub bcubed_f1: f64,
    pub stories: usize,
    pub segments: Vec<Segment>,
}

impl ClusterBench {
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let mut out = format!(
            "{} articles over {} days ({} instances of {} gold events, from {} labelled articles)\n\
             clustering: {:.1} CPU-s, {:.0} articles per CPU-second (wall {:.1} s)\n\
             events in memory at most {}, terms and names held at most {} ({:.1} looked up in the store per article), peak RSS {:.0} MB\n\
             BCubed F1 {:.3} against the instances ({} stories)\n\
             per segment (articles so far: articles/CPU-s, events in memory, terms and names held):\n",
            self.articles,
            self.days,
            self.instances,
            self.source_events,
            self.source_articles,
            self.cpu_seconds,
            self.per_cpu_second,
            self.wall_seconds,
            self.max_resident_events,
            self.max_vocabulary,
            self.lookups_per_article,
            self.peak_rss_mb,
            self.bcubed_f1,
            self.stories,
        );
        for s in &self.segments {
            let _ = writeln!(
                out,
                "  {:>9}: {:>8.0}  {:>7}  {:>9}",
                s.articles, s.per_cpu_second, s.resident_events, s.vocabulary
            );
        }
        out
    }
}

/// Reads and analyses every labelled article under `folder`, grouped by gold event.
fn load_gold(folder: &Path) -> anyhow::Result<Vec<GoldEvent>> {
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read {}", folder.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut by_event: HashMap<String, Vec<(Option<i64>, Features)>> = HashMap::new();
    for file in &files {
        let gold = eval_cluster::gold_labels(file)?;
        let input = storyline_read::Input::File(file.clone());
        storyline_read::read_input(&input, &Default::default(), &mut |item| {
            if let storyline_read::Item::Doc(doc) = item {
                let a = storyline_extract::extract(&doc);
                if let Some(ev) = gold.get(&a.id) {
                    let ts = a.published.map(|d| d.at.epoch_seconds());
                    let f = storyline_analyze::analyze(&a);
                    by_event
                        .entry(format!("{}/{ev}", file.display()))
                        .or_default()
                        .push((ts, f));
                }
            }
            std::ops::ControlFlow::Continue(())
        })
        .is_continue()
        .then_some(())
        .context("reading stopped")?;
    }
    let mut names: Vec<String> = by_event.keys().cloned().collect();
    names.sort();
    Ok(names
        .into_iter()
        .map(|n| {
            let mut arts = by_event.remove(&n).unwrap_or_default();
            arts.sort_by_key(|(ts, _)| ts.unwrap_or(i64::MAX));
            let first = arts.iter().find_map(|(ts, _)| *ts);
            let templates = arts
                .into_iter()
                .enumerate()
                .map(|(i, (ts, features))| Template {
                    features,
                    hours: match (ts, first) {
                        (Some(t), Some(f)) => ((t - f) / 3_600).clamp(0, 72),
                        // Undated sets: spread over the first two days, in file order.
                        _ => (i as i64 * 7) % 48,
                    },
                })
                .collect();
            GoldEvent { templates }
        })
        .collect())
}

/// An article of the stream, before its features are made.
#[derive(Clone, Copy)]
struct Planned {
    ts: i64,
    instance: u32,
    event: u32,
    /// Another gold event whose words the instance mixes in.
    partner: u32,
    template: u32,
    seed: u64,
}

/// One perturbed copy of a template, with its instance's own terms and names.
fn materialise(gold: &[GoldEvent], s: &Planned) -> Features {
    let t = &gold[s.event as usize].templates[s.template as usize].features;
    let partner = &gold[s.partner as usize];
    let p = &partner.templates[s.template as usize % partner.templates.len()].features;
    let mut rng = Rng(s.seed);
    // Which words an instance uses is its own choice, the same in all its articles:
    // 60% of its event's vocabulary and 40% of its partner's. Each article then drops
    // a tenth of them and jitters the weights.
    let chosen = |term: &str, share: u64| {
        let h = blake3::hash(format!("{}\u{1f}{term}", s.instance).as_bytes());
        u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes")) % 100 < share
    };
    let mut terms: Vec<(String, f32)> = Vec::with_capacity(t.terms.len() + p.terms.len());
    for (k, w) in &t.terms {
        if chosen(k, 60) && rng.unit() >= 0.1 {
            terms.push((k.clone(), w * (0.8 + 0.4 * rng.unit())));
        }
    }
    for (k, w) in &p.terms {
        if chosen(k, 40) && rng.unit() >= 0.1 {
            terms.push((k.clone(), w * (0.8 + 0.4 * rng.unit())));
        }
    }
    for k in 0..8 {
        terms.push((format!("inst{}t{k}", s.instance), 2.0));
    }
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    let mut merged: Vec<(String, f32)> = Vec::with_capacity(terms.len());
    for (k, w) in terms {
        match merged.last_mut() {
            Some(last) if last.0 == k => last.1 += w,
            _ => merged.push((k, w)),
        }
    }
    let terms = merged;
    let mut entities = vec![
        Entity {
            key: format!("person {}", s.instance),
            name: format!("Person {}", s.instance),
            mentions: 3,
            in_title: true,
        },
        Entity {
            key: format!("place {}", s.instance),
            name: format!("Place {}", s.instance),
            mentions: 2,
            in_title: false,
        },
    ];
    entities.extend(t.entities.iter().cloned());
    entities.sort_by(|a, b| b.salience().total_cmp(&a.salience()));
    Features {
        terms,
        entities,
        // Instances are dated by the generator; the source page's month is not theirs.
        month: None,
        // Clustering does not read them.
        nouns: Vec::new(),
    }
}

/// Peak resident memory of this process (Linux), in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU time of the calling thread, in seconds.
fn thread_cpu() -> f64 {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes into the timespec we own.
    unsafe {
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t);
    }
    t.tv_sec as f64 + t.tv_nsec as f64 / 1e9
}

pub fn bench(bench: &Path, articles: usize, days: i64) -> anyhow::Result<ClusterBench> {
    let folder = bench.join("clustering");
    let gold = load_gold(&folder)?;
    anyhow::ensure!(
        !gold.is_empty(),
        "no labelled articles under {}",
        folder.display()
    );
    let source_articles: usize = gold.iter().map(|g| g.templates.len()).sum();
    // Plan the stream: instances round-robin over the gold events, each on a random day.
    let mut rng = Rng(2026);
    let start = 1_700_000_000 / DAY * DAY;
    let mut plan: Vec<Planned> = Vec::with_capacity(articles + 512);
    let mut instances = 0u32;
    while plan.len() < articles {
        let event = instances as usize % gold.len();
        let day = rng.below(days.max(1) as u64) as i64;
        let hour = rng.below(24) as i64;
        let partner = rng.below(gold.len() as u64) as u32;
        for (ti, t) in gold[event].templates.iter().enumerate() {
            if plan.len() == articles {
                break;
            }
            plan.push(Planned {
                ts: start + day * DAY + (hour + t.hours) * 3_600 + rng.below(3_600) as i64,
                instance: instances,
                event: event as u32,
                partner,
                template: ti as u32,
                seed: rng.next(),
            });
        }
        instances += 1;
    }
    plan.sort_by_key(|s| (s.ts, s.instance, s.template));

    // As ingest runs it: the vocabulary lives in the store (here a map of each term's
    // document frequency, updated after every batch as ingest's save does; its
    // lookups are not timed, as the store's are not part of the clustering stage).
    let mut c =
        Clusterer::new(Params::default(), Corpus::default(), Vec::new()).with_stored_vocabulary();
    let mut stored_df: HashMap<u64, u64> = HashMap::new();
    let term_key = |t: &str| {
        u64::from_le_bytes(
            blake3::hash(t.as_bytes()).as_bytes()[..8]
                .try_into()
                .expect("8 bytes"),
        )
    };
    let (mut lookups, mut max_vocabulary) = (0usize, 0usize);
    let mut pred: HashMap<String, String> = HashMap::with_capacity(articles);
    let mut truth: HashMap<String, String> = HashMap::with_capacity(articles);
    let no_corrections = std::collections::HashSet::new();
    let mut merged_into: HashMap<String, String> = HashMap::new();
    let wall = Instant::now();
    let (mut cpu, mut seg_cpu, mut seg_start) = (0.0, 0.0, 0usize);
    let mut max_resident = 0;
    let mut segments = Vec::new();
    let segment = (articles / 10).max(BATCH);
    for (b, batch) in plan.chunks(BATCH).enumerate() {
        let feats: Vec<Features> = batch.iter().map(|s| materialise(&gold, s)).collect();
        let ids: Vec<String> = (0..batch.len())
            .map(|i| format!("a{}", b * BATCH + i))
            .collect();
        let t0 = thread_cpu();
        let (lo, hi) = (batch[0].ts, batch[batch.len() - 1].ts);
        c.evict(lo, hi, 0);
        let unknown = c.unknown_terms(&[], &feats);
        lookups += unknown.len();
        // The store's lookups, not the clusterer's work, are left out of the time.
        let t_store = thread_cpu();
        let dfs: Vec<(&str, u64)> = unknown
            .iter()
            .filter_map(|t| stored_df.get(&term_key(t)).map(|n| (*t, *n)))
            .collect();
        let store_cpu = thread_cpu() - t_store;
        c.restore_df(dfs);
        let decisions: Vec<_> = batch
            .iter()
            .zip(&feats)
            .zip(&ids)
            .map(|((s, f), id)| c.assign(id, Some(s.ts), f))
            .collect();
        // Ingest's second look at the batch's articles. The bench keeps no article
        // times per event, so a left event keeps its span (ingest sets it again).
        let placed = decisions
            .iter()
            .zip(batch.iter().zip(&feats).zip(&ids))
            .map(|(d, ((s, f), id))| Placed {
                article: id,
                event: &d.event,
                ts: Some(s.ts),
                features: f,
                placement: &d.placement,
            });
        let late = c.second_look(placed);
        let mut events: Vec<String> = decisions.into_iter().map(|d| d.event).collect();
        if !late.is_empty() {
            let to: HashMap<&str, &str> = late
                .iter()
                .map(|m| (m.article.as_str(), m.to.as_str()))
                .collect();
            for (e, id) in events.iter_mut().zip(&ids) {
                if let Some(t) = to.get(id.as_str()) {
                    *e = t.to_string();
                }
            }
        }
        // The merge pass, then what ingest's save does: the changed events are
        // written, then may leave.
        for m in c.merge_pass(&no_corrections) {
            merged_into.insert(m.gone, m.keep);
        }
        c.take_touched();
        c.take_core_changed();
        let dt = thread_cpu() - t0 - store_cpu;
        max_vocabulary = max_vocabulary.max(c.vocabulary());
        // Ingest's save: the batch's document frequencies go to the store.
        for f in &feats {
            for (t, _) in &f.terms {
                *stored_df.entry(term_key(t)).or_default() += 1;
            }
        }
        cpu += dt;
        seg_cpu += dt;
        max_resident = max_resident.max(c.resident());
        for ((s, id), ev) in batch.iter().zip(ids).zip(events) {
            truth.insert(id.clone(), s.instance.to_string());
            pred.insert(id, ev);
        }
        let done = ((b + 1) * BATCH).min(articles);
        if done - seg_start >= segment || done == articles {
            segments.push(Segment {
                articles: done,
                per_cpu_second: (done - seg_start) as f64 / seg_cpu.max(1e-9),
                resident_events: c.resident(),
                vocabulary: c.vocabulary(),
            });
            seg_start = done;
            seg_cpu = 0.0;
        }
    }
    let wall_seconds = wall.elapsed().as_secs_f64();
    // Articles of merged-away events are in the event that absorbed them.
    for ev in pred.values_mut() {
        while let Some(k) = merged_into.get(ev.as_str()) {
            *ev = k.clone();
        }
    }
    let score = eval_cluster::score("stream", &truth, &pred);
    Ok(ClusterBench {
        articles,
        days,
        source_articles,
        source_events: gold.len(),
        instances: instances as usize,
        cpu_seconds: cpu,
        per_cpu_second: articles as f64 / cpu.max(1e-9),
        wall_seconds,
        max_resident_events: max_resident,
        max_vocabulary,
        lookups_per_article: lookups as f64 / articles.max(1) as f64,
        peak_rss_mb: peak_rss_mb(),
        bcubed_f1: score.bcubed.f1,
        stories: score.stories,
        segments,
    })
}
