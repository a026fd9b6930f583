//! The ingest pipeline: read → extract → analyze → dedup → cluster → link → store.
//!
//! Documents are read as a stream and processed in chunks. Within a chunk, articles
//! are clustered in publication order (undated ones last, matched on content alone),
//! and the whole chunk is written in one transaction together with the event state
//! it changed: an interrupted ingest leaves the store as of the last chunk, and
//! running the same command again stores only what is missing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Serialize;
use storyline_analyze::Features;
use storyline_cluster::{Clusterer, Params};
use storyline_model::Article;
use storyline_read::{Item, ReadOptions};
use storyline_store::{NewArticle, Store};

/// Articles per transaction, unless `--batch-size` says otherwise.
pub const DEFAULT_BATCH: usize = 2_000;

pub struct Options {
    pub batch: usize,
    pub progress: bool,
    pub read: ReadOptions,
}

#[derive(Debug, Default, Serialize)]
pub struct Rejection {
    pub source: String,
    pub reason: String,
}

/// What an ingest did. Printed at the end, or as JSON with `--json`.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Documents read successfully.
    pub read: u64,
    /// Articles stored as originals.
    pub new: u64,
    /// Documents not stored again (same id or same bytes already in the store) plus
    /// exact copies of a stored article (stored, and folded under the original).
    pub duplicates: u64,
    pub already_stored: u64,
    pub exact_copies: u64,
    pub rejected: Vec<Rejection>,
    /// Files and records passed over on purpose (documentation files in a folder,
    /// WARC request records, images).
    pub skipped: u64,
    /// Stories created or extended.
    pub stories_touched: u64,
    pub stories_created: u64,
    /// Articles without a publication date, clustered on content alone.
    pub undated: u64,
    /// True when Ctrl-C stopped the ingest; what was committed before stays.
    pub interrupted: bool,
}

impl Summary {
    pub fn render(&self) -> String {
        let mut s = format!(
            "read {}, new {}, duplicates {} ({} already stored, {} exact copies), rejected {}, skipped {}\nstories touched {} ({} new){}\n",
            self.read,
            self.new,
            self.duplicates,
            self.already_stored,
            self.exact_copies,
            self.rejected.len(),
            self.skipped,
            self.stories_touched,
            self.stories_created,
            if self.undated > 0 { format!("; {} undated articles clustered on content alone", self.undated) } else { String::new() },
        );
        if self.interrupted {
            s.push_str("interrupted: what was read before the interruption is stored; run the same command again to finish\n");
        }
        s
    }

    /// Non-zero only when nothing could be ingested, or on interruption.
    pub fn exit_code(&self) -> ExitCode {
        if self.interrupted {
            ExitCode::from(130)
        } else if self.read == 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

struct Prepared {
    article: Article,
    record_hash: String,
    features: Features,
    body_key: Option<String>,
}

pub fn ingest(store: &mut Store, inputs: &[String], opts: &Options) -> anyhow::Result<Summary> {
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        // Only the first handler registration in a process succeeds; that is fine.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }
    let (corpus, events) = store.load_clustering()?;
    let mut clusterer = Clusterer::new(Params::default(), corpus, events);
    let mut summary = Summary::default();
    let mut touched: BTreeSet<String> = BTreeSet::new();
    let mut created: HashSet<String> = HashSet::new();

    let expanded = storyline_read::expand_inputs(inputs);
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(expanded.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };

    let mut chunk: Vec<Prepared> = Vec::new();
    let mut store_error: Option<anyhow::Error> = None;
    'inputs: for input in expanded {
        let input = match input {
            Ok(i) => i,
            Err(item) => {
                note(item, &mut summary, &mut chunk, &bar);
                bar.inc(1);
                continue;
            }
        };
        let flow = storyline_read::read_input(&input, &opts.read, &mut |item| {
            if interrupted.load(Ordering::SeqCst) {
                return ControlFlow::Break(());
            }
            note(item, &mut summary, &mut chunk, &bar);
            if chunk.len() >= opts.batch {
                if let Err(e) = flush(
                    store,
                    &mut clusterer,
                    &mut chunk,
                    &mut summary,
                    &mut touched,
                    &mut created,
                    &interrupted,
                ) {
                    store_error = Some(e);
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        });
        bar.inc(1);
        bar.set_message(format!("{} articles read", summary.read));
        if store_error.is_some() || flow.is_break() || interrupted.load(Ordering::SeqCst) {
            break 'inputs;
        }
    }
    if let Some(e) = store_error {
        return Err(e);
    }
    flush(
        store,
        &mut clusterer,
        &mut chunk,
        &mut summary,
        &mut touched,
        &mut created,
        &interrupted,
    )?;
    bar.finish_and_clear();
    summary.stories_touched = touched.len() as u64;
    summary.stories_created = created.len() as u64;
    summary.interrupted = interrupted.load(Ordering::SeqCst);
    Ok(summary)
}

/// Takes one item from the reader: a document is extracted and analysed into the
/// chunk; a rejection is printed (one line: source and reason) and counted.
fn note(
    item: Item,
    summary: &mut Summary,
    chunk: &mut Vec<Prepared>,
    bar: &indicatif::ProgressBar,
) {
    match item {
        Item::Doc(doc) => {
            summary.read += 1;
            let article = storyline_extract::extract(&doc);
            let features = storyline_analyze::analyze(&article);
            let body_key = storyline_dedup::body_key(&article.text);
            chunk.push(Prepared {
                article,
                record_hash: doc.record_hash,
                features,
                body_key,
            });
        }
        Item::Rejected { source, reason } => {
            bar.suspend(|| eprintln!("rejected: {source}: {reason}"));
            summary.rejected.push(Rejection { source, reason });
        }
        Item::Skipped { .. } => summary.skipped += 1,
    }
}

/// Clusters and stores a chunk in one transaction.
fn flush(
    store: &mut Store,
    clusterer: &mut Clusterer,
    chunk: &mut Vec<Prepared>,
    summary: &mut Summary,
    touched: &mut BTreeSet<String>,
    created: &mut HashSet<String>,
    interrupted: &AtomicBool,
) -> anyhow::Result<()> {
    if chunk.is_empty() {
        return Ok(());
    }
    // Publication order; undated last; ties by source for a stable order.
    chunk.sort_by(|a, b| {
        let ka = a.article.published.map(|p| p.at.epoch_seconds());
        let kb = b.article.published.map(|p| p.at.epoch_seconds());
        (ka.is_none(), ka, &a.article.source).cmp(&(kb.is_none(), kb, &b.article.source))
    });
    let tx = store.transaction()?;
    let mut seen_ids: HashSet<String> = HashSet::new();
    let mut seen_bodies: HashMap<String, (String, String)> = HashMap::new();
    for p in chunk.drain(..) {
        if interrupted.load(Ordering::SeqCst) {
            break;
        }
        let a = &p.article;
        if !seen_ids.insert(a.id.clone()) || tx.has_article(&a.id, &p.record_hash)? {
            summary.duplicates += 1;
            summary.already_stored += 1;
            continue;
        }
        let ts = a.published.map(|d| d.at.epoch_seconds());
        let original = match &p.body_key {
            Some(k) => match seen_bodies.get(k) {
                Some(o) => Some(o.clone()),
                None => tx.original_with_body(k)?,
            },
            None => None,
        };
        let (event, copy_of) = match original {
            Some((orig_id, event)) => {
                clusterer.join(&event, ts, &p.features);
                summary.duplicates += 1;
                summary.exact_copies += 1;
                (event, Some(orig_id))
            }
            None => {
                let d = clusterer.assign(&a.id, ts, &p.features);
                if d.created {
                    created.insert(d.event.clone());
                }
                if d.undated {
                    summary.undated += 1;
                }
                summary.new += 1;
                if let Some(k) = &p.body_key {
                    seen_bodies.insert(k.clone(), (a.id.clone(), d.event.clone()));
                }
                (d.event, None)
            }
        };
        tx.insert_article(&NewArticle {
            article: a,
            record_hash: &p.record_hash,
            body_key: p.body_key.as_deref(),
            copy_of: copy_of.as_deref(),
            event_id: &event,
            features: &p.features,
        })?;
        tx.add_df(&p.features)?;
        touched.insert(event);
    }
    chunk.clear();

    // Save the events this chunk changed, with their headline, and their links.
    let changed = clusterer.take_touched();
    for id in &changed {
        let arts = tx.event_articles(id)?;
        let feats: Vec<&Features> = arts.iter().map(|(_, f)| f).collect();
        let titled: Vec<usize> = (0..arts.len()).filter(|&i| arts[i].0.is_some()).collect();
        let pick = clusterer
            .representative(id, &titled.iter().map(|&i| feats[i]).collect::<Vec<_>>())
            .map(|j| titled[j]);
        let headline = pick.and_then(|i| arts[i].0.clone());
        if let Some(e) = clusterer.event(id) {
            tx.save_event(e, headline.as_deref())?;
        }
    }
    let all: Vec<&storyline_cluster::EventState> = clusterer.events().collect();
    let changed_states: Vec<&storyline_cluster::EventState> = changed
        .iter()
        .filter_map(|id| clusterer.event(id))
        .collect();
    for link in storyline_cluster::links(&changed_states, &all, Params::default().core_entities) {
        tx.save_link(&link)?;
    }
    tx.commit()?;
    Ok(())
}
