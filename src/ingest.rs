//! The ingest pipeline: read → extract → analyze → dedup → cluster → link → store.
//!
//! Documents are read as a stream and processed in batches. Within a batch, articles
//! are handled in publication order (undated ones last, matched on content alone),
//! and the whole batch is written in one transaction together with the event state
//! it changed: an interrupted ingest leaves the store as of the last batch, and
//! running the same command again stores only what is missing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::ControlFlow;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;
use storyline_analyze::Features;
use storyline_cluster::{Clusterer, Corpus, EventState, Params, Placed, Placement};
use storyline_dedup::minhash::{MinHasher, Signature};
use storyline_dedup::{Deduper, Diff, Doc, Entry, Found, Relation, Verdict};
use storyline_model::Article;
use storyline_model::RawDoc;
use storyline_read::{Item, ReadOptions};
use storyline_store::{DedupRow, HeadlineCandidate, NewArticle, Store, Tx};

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
    /// copies of a stored article (stored, and folded under the original).
    pub duplicates: u64,
    pub already_stored: u64,
    pub exact_copies: u64,
    /// Near, truncated and updated copies.
    pub near_copies: u64,
    pub rejected: Vec<Rejection>,
    /// Files and records passed over on purpose (documentation files in a folder,
    /// WARC request records, images).
    pub skipped: u64,
    /// Stories created or extended.
    pub stories_touched: u64,
    pub stories_created: u64,
    /// Articles without a publication date, clustered on content alone.
    pub undated: u64,
    /// Articles the second look at the end of a batch moved to an event that formed
    /// or grew after they were placed.
    pub moved_late: u64,
    /// True when Ctrl-C stopped the ingest; what was committed before stays.
    pub interrupted: bool,
}

/// What an interrupted ingest says, even under `-q`.
pub const INTERRUPTED: &str = "interrupted: what was read before the interruption is stored; run the same command again to finish";

impl Summary {
    pub fn render(&self) -> String {
        let mut s = format!(
            "read {}, new {}, duplicates {} ({} already stored, {} exact copies, {} near copies), rejected {}, skipped {}\nstories touched {} ({} new){}\n",
            self.read,
            self.new,
            self.duplicates,
            self.already_stored,
            self.exact_copies,
            self.near_copies,
            self.rejected.len(),
            self.skipped,
            self.stories_touched,
            self.stories_created,
            if self.undated > 0 { format!("; {} undated articles clustered on content alone", self.undated) } else { String::new() },
        );
        if self.moved_late > 0 {
            s.push_str(&format!(
                "{} articles moved, at the end of their batch, to a story that formed or grew after them\n",
                self.moved_late
            ));
        }
        if self.interrupted {
            s.push_str(INTERRUPTED);
            s.push('\n');
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
    sig: Signature,
}

/// State that lives across batches of one ingest.
struct Engine {
    clusterer: Clusterer,
    deduper: Deduper,
    hasher: Arc<MinHasher>,
    touched: BTreeSet<String>,
    created: HashSet<String>,
    /// Whether the recent undated events have been admitted (once per ingest).
    undated_loaded: bool,
}

/// Undated events kept in memory: undated articles are compared with them (and with
/// the events around the batch's dates), never with every event of every time.
pub const MAX_UNDATED_EVENTS: usize = 5_000;

/// Holds in memory the stored events an article dated within `range` could join, and
/// lets go of those it could not (saved already: only untouched events are evicted).
pub fn admit_window(
    tx: &Tx,
    clusterer: &mut Clusterer,
    range: Option<(i64, i64)>,
    undated: bool,
) -> anyhow::Result<()> {
    let w = clusterer.params().window_days * 86_400;
    let mut ids: Vec<String> = Vec::new();
    if let Some((lo, hi)) = range {
        clusterer.evict(lo, hi, MAX_UNDATED_EVENTS);
        ids.extend(tx.event_ids_between(lo.saturating_sub(w), hi.saturating_add(w))?);
    }
    if undated {
        ids.extend(tx.undated_event_ids(MAX_UNDATED_EVENTS)?);
    }
    admit_stored(tx, clusterer, ids)
}

/// Brings the stored events `ids` into memory, those not there yet.
fn admit_stored(tx: &Tx, clusterer: &mut Clusterer, mut ids: Vec<String>) -> anyhow::Result<()> {
    ids.retain(|id| !clusterer.is_resident(id));
    ids.sort();
    ids.dedup();
    admit_states(tx, clusterer, tx.event_states(&ids)?)
}

/// A clusterer over the store's corpus whose vocabulary stays in the store: it starts
/// from the article count and looks terms up as it meets them ([`restore_terms`]),
/// instead of reading every term's count first.
pub fn stored_clusterer(store: &Store) -> anyhow::Result<Clusterer> {
    let corpus = Corpus {
        docs: store.corpus_docs()?,
        df: HashMap::new(),
    };
    Ok(Clusterer::new(Params::default(), corpus, Vec::new()).with_stored_vocabulary())
}

/// Holds stored events in memory, with the stored document frequencies of the terms
/// the clusterer does not hold (a clusterer with a stored vocabulary).
pub fn admit_states(
    tx: &Tx,
    clusterer: &mut Clusterer,
    states: Vec<EventState>,
) -> anyhow::Result<()> {
    restore_terms(tx, clusterer, &states, [])?;
    clusterer.admit(states);
    Ok(())
}

/// Hands the clusterer the stored document frequencies of the terms of `events` and
/// `features` it does not hold (none, unless its vocabulary is stored): done before
/// it admits those events or counts, scores or weighs those articles.
pub fn restore_terms<'a>(
    tx: &Tx,
    clusterer: &mut Clusterer,
    events: &'a [EventState],
    features: impl IntoIterator<Item = &'a Features>,
) -> anyhow::Result<()> {
    let unknown = clusterer.unknown_terms(events, features);
    if !unknown.is_empty() {
        let dfs = tx.term_dfs(&unknown)?;
        clusterer.restore_df(dfs);
    }
    Ok(())
}

/// Brings into memory the stored events within the window of each month (`from`,
/// `to`: epoch seconds), for the undated articles known to a month.
pub fn admit_months(
    tx: &Tx,
    clusterer: &mut Clusterer,
    months: &BTreeSet<(i64, i64)>,
) -> anyhow::Result<()> {
    let w = clusterer.params().window_days * 86_400;
    let mut ids: Vec<String> = Vec::new();
    for &(from, to) in months {
        ids.extend(tx.event_ids_between(from.saturating_sub(w), to.saturating_add(w))?);
    }
    admit_stored(tx, clusterer, ids)
}

/// A dedup index primed with the signatures of the stored articles inside the window.
fn load_deduper(store: &Store) -> anyhow::Result<Deduper> {
    let mut d = Deduper::new(storyline_dedup::DEFAULT_WINDOW_DAYS);
    let since = store.newest_ts()?.map_or(i64::MIN, |t| {
        t - storyline_dedup::DEFAULT_WINDOW_DAYS * 86_400
    });
    for (id, ts, url, body_key, copy_of, sig) in store.recent_signatures(since)? {
        if let Some(sig) = Signature::from_bytes(&sig) {
            let e = Entry {
                id: &id,
                ts,
                url: url.as_deref(),
                body_key: body_key.as_deref(),
                sig: &sig,
            };
            d.insert(&e, copy_of.as_deref());
        }
    }
    Ok(d)
}

/// Ingests files, folders, globs or `-` (standard input). Ctrl-C stops after the
/// current document; what was committed stays.
pub fn ingest(store: &mut Store, inputs: &[String], opts: &Options) -> anyhow::Result<Summary> {
    let interrupted = Arc::new(AtomicBool::new(false));
    {
        let flag = interrupted.clone();
        // Only the first handler registration in a process succeeds; that is fine.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    }
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
    let mut expanded = Some(expanded);
    let result = run(store, opts, &interrupted, &bar, &mut |each| {
        for input in expanded.take().into_iter().flatten() {
            let flow = match input {
                Ok(i) => storyline_read::read_input(&i, &opts.read, each),
                Err(item) => each(item),
            };
            bar.inc(1);
            if flow.is_break() {
                return;
            }
        }
    });
    bar.finish_and_clear();
    result
}

/// Ingests one in-memory document or JSON-lines batch (`name` is its source in the
/// store and in rejections), under the same rules as files.
pub fn ingest_bytes(
    store: &mut Store,
    name: &str,
    bytes: &[u8],
    opts: &Options,
) -> anyhow::Result<Summary> {
    let never = AtomicBool::new(false);
    run(
        store,
        opts,
        &never,
        &indicatif::ProgressBar::hidden(),
        &mut |each| {
            let _ = storyline_read::read_stream(
                name,
                Box::new(std::io::Cursor::new(bytes)),
                &opts.read,
                each,
            );
        },
    )
}

/// Where a reader hands its items.
type Sink<'a> = dyn FnMut(Item) -> storyline_read::Flow + 'a;

/// The pipeline over whatever `feed` reads: it calls its argument once per item.
fn run(
    store: &mut Store,
    opts: &Options,
    interrupted: &AtomicBool,
    bar: &indicatif::ProgressBar,
    feed: &mut dyn FnMut(&mut Sink),
) -> anyhow::Result<Summary> {
    let mut engine = Engine {
        clusterer: stored_clusterer(store)?,
        undated_loaded: false,
        deduper: load_deduper(store)?,
        hasher: Arc::new(MinHasher::default()),
        touched: BTreeSet::new(),
        created: HashSet::new(),
    };
    let mut summary = Summary::default();
    let mut chunk: Vec<RawDoc> = Vec::new();
    // The batch being prepared on the other cores while the one before it is stored.
    let mut pending: Option<Preparing> = None;
    let mut store_error: Option<anyhow::Error> = None;
    feed(&mut |item| {
        if store_error.is_some() || interrupted.load(Ordering::SeqCst) {
            return ControlFlow::Break(());
        }
        note(item, &mut summary, &mut chunk, bar);
        if summary.read % 100 == 0 {
            bar.set_message(format!("{} articles read", summary.read));
        }
        if chunk.len() >= opts.batch {
            let next = Preparing::start(std::mem::take(&mut chunk), &engine.hasher);
            if let Some(ready) = pending.replace(next) {
                let stored = flush(
                    store,
                    &mut engine,
                    ready.finish(),
                    &mut summary,
                    interrupted,
                );
                if let Err(e) = stored {
                    store_error = Some(e);
                    return ControlFlow::Break(());
                }
            }
        }
        ControlFlow::Continue(())
    });
    if let Some(e) = store_error {
        return Err(e);
    }
    let last = Preparing::start(chunk, &engine.hasher);
    if let Some(ready) = pending.take() {
        flush(
            store,
            &mut engine,
            ready.finish(),
            &mut summary,
            interrupted,
        )?;
    }
    flush(store, &mut engine, last.finish(), &mut summary, interrupted)?;
    summary.stories_touched = engine.touched.len() as u64;
    summary.stories_created = engine.created.len() as u64;
    summary.interrupted = interrupted.load(Ordering::SeqCst);
    Ok(summary)
}

/// Takes one item from the reader: a document joins the batch (it is extracted and
/// analysed when the batch is stored); a rejection is printed (one line: source and
/// reason) and counted.
fn note(item: Item, summary: &mut Summary, chunk: &mut Vec<RawDoc>, bar: &indicatif::ProgressBar) {
    match item {
        Item::Doc(doc) => {
            summary.read += 1;
            chunk.push(doc);
        }
        Item::Rejected { source, reason } => {
            bar.suspend(|| eprintln!("rejected: {source}: {reason}"));
            summary.rejected.push(Rejection { source, reason });
        }
        Item::Skipped { .. } => summary.skipped += 1,
    }
}

/// Extraction, analysis and fingerprints of one document: pure, so a batch's
/// documents are prepared in parallel.
fn prepare(doc: RawDoc, hasher: &MinHasher) -> Prepared {
    let article = storyline_extract::extract(&doc);
    let mut features = storyline_analyze::analyze(&article);
    features.month = undated_month(&article);
    let (body_key, sig) = storyline_dedup::fingerprint(&article.text, hasher);
    Prepared {
        article,
        record_hash: doc.record_hash,
        features,
        body_key,
        sig,
    }
}

/// For an article with no publication date whose URL names a month but no day
/// (`/2009/02/slug`): that month, as epoch seconds from its first day to the next
/// month's first day, which clustering weighs the article by.
pub fn undated_month(article: &storyline_model::Article) -> Option<(i64, i64)> {
    if article.published.is_some() {
        return None;
    }
    url_month(article.url.as_deref()?)
}

/// The month a URL names without a day, as epoch seconds from its first day to the
/// next month's first day.
pub fn url_month(url: &str) -> Option<(i64, i64)> {
    let first = storyline_extract::dates::month_from_url(url)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    let secs = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp());
    Some((secs(first)?, secs(next)?))
}

/// A batch's documents being prepared ([`prepare`]) while the batch before it is
/// deduplicated, clustered and stored.
///
/// Storing is one thread's work and preparing is spread over the cores; without the
/// overlap, each waited for the other. Helper threads (one fewer than the cores, so
/// that storing keeps a core of its own) start on the batch as soon as it is read;
/// when the storing thread has finished the batch before, it takes documents of this
/// one too, until none is left. Batches are stored one after the other, in the order
/// they were read, and each document is prepared by the same pure function, so what
/// is stored does not change. (rayon, used before, cannot let a thread join a job
/// only once its own work is done; an atomic index over the batch is the whole
/// scheduler here.)
struct Preparing {
    work: Arc<Work>,
    helpers: Vec<std::thread::JoinHandle<()>>,
}

struct Work {
    docs: Vec<Mutex<Option<RawDoc>>>,
    done: Vec<OnceLock<Prepared>>,
    next: AtomicUsize,
    hasher: Arc<MinHasher>,
}

impl Work {
    /// Prepares documents until none is left to take.
    fn run(&self) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = self.docs.get(i) else {
                return;
            };
            let doc = slot
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .take()
                .expect("each index is taken once");
            let _ = self.done[i].set(prepare(doc, &self.hasher));
        }
    }
}

impl Preparing {
    fn start(docs: Vec<RawDoc>, hasher: &Arc<MinHasher>) -> Self {
        let n = docs.len();
        let work = Arc::new(Work {
            docs: docs.into_iter().map(|d| Mutex::new(Some(d))).collect(),
            done: (0..n).map(|_| OnceLock::new()).collect(),
            next: AtomicUsize::new(0),
            hasher: Arc::clone(hasher),
        });
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let helpers = (0..(cores - 1).max(1).min(n))
            .map(|_| {
                let work = Arc::clone(&work);
                std::thread::spawn(move || work.run())
            })
            .collect();
        Preparing { work, helpers }
    }

    /// The prepared batch, in the order it was read: the calling thread prepares what
    /// is left, then waits for the helpers. A panic while preparing goes on here.
    fn finish(self) -> Vec<Prepared> {
        self.work.run();
        for h in self.helpers {
            if let Err(panic) = h.join() {
                std::panic::resume_unwind(panic);
            }
        }
        let work = Arc::into_inner(self.work).expect("the helpers have finished");
        work.done
            .into_iter()
            .map(|d| d.into_inner().expect("every document was prepared"))
            .collect()
    }
}

/// Dedups, clusters and stores a prepared batch in one transaction.
fn flush(
    store: &mut Store,
    engine: &mut Engine,
    mut chunk: Vec<Prepared>,
    summary: &mut Summary,
    interrupted: &AtomicBool,
) -> anyhow::Result<()> {
    if chunk.is_empty() {
        return Ok(());
    }
    chunk.sort_by(|a, b| batch_order(&a.article, &b.article));
    let tx = store.transaction()?;
    let dated = chunk
        .iter()
        .filter_map(|p| p.article.published.map(|d| d.at.epoch_seconds()));
    let range = time_span(dated);
    admit_window(&tx, &mut engine.clusterer, range, !engine.undated_loaded)?;
    engine.undated_loaded = true;
    // An undated article known to a month reaches the events of that month (see
    // `Features::month`), which may lie outside the batch's dates.
    let months: BTreeSet<(i64, i64)> = chunk.iter().filter_map(|p| p.features.month).collect();
    admit_months(&tx, &mut engine.clusterer, &months)?;
    restore_terms(
        &tx,
        &mut engine.clusterer,
        &[],
        chunk.iter().map(|p| &p.features),
    )?;
    let mut df: HashMap<String, u64> = HashMap::new();
    let mut docs = 0u64;
    // Per lone noun of the batch's German articles, how many write it so.
    let mut nouns: HashMap<String, u64> = HashMap::new();
    let mut seen_ids: HashSet<String> = HashSet::new();
    // Articles this batch placed, and those that copies followed, for the second look.
    let mut placed: Vec<PlacedRow> = Vec::new();
    let mut followed: HashSet<String> = HashSet::new();
    for mut p in chunk.drain(..) {
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
        let entry = Entry {
            id: &a.id,
            ts,
            url: a.url.as_deref(),
            body_key: p.body_key.as_deref(),
            sig: &p.sig,
        };
        // Copies: in the recent window first, then an exact match anywhere in the store.
        let found = match engine.deduper.check(&entry) {
            Some(f) => Some(f),
            None => match &p.body_key {
                Some(k) => tx.original_with_body(k)?.map(|(id, _)| Found {
                    original: id,
                    verdict: Verdict {
                        relation: Relation::Exact,
                        jaccard: 1.0,
                        containment: 1.0,
                    },
                }),
                None => None,
            },
        };
        // The original's current canonical (it may have been re-elected since).
        let original = match &found {
            Some(f) => tx
                .article_for_dedup(&f.original)?
                .and_then(|row| match &row.copy_of {
                    Some(c) => tx.article_for_dedup(c).ok().flatten(),
                    None => Some(row),
                }),
            None => None,
        };
        let mut placement = None;
        let (event, copy_of, relation, diff) = match (&found, &original) {
            (Some(f), Some(orig)) => {
                // The original's event may have left memory (an old story copied today).
                if !engine.clusterer.is_resident(&orig.event_id) {
                    let states = tx.event_states(std::slice::from_ref(&orig.event_id))?;
                    admit_states(&tx, &mut engine.clusterer, states)?;
                }
                engine.clusterer.join(&orig.event_id, ts, &p.features);
                followed.insert(orig.id.clone());
                summary.duplicates += 1;
                if f.verdict.relation == Relation::Exact {
                    summary.exact_copies += 1;
                } else {
                    summary.near_copies += 1;
                }
                let diff = Diff::between(
                    orig.title.as_deref(),
                    &orig.body,
                    a.title.as_deref(),
                    &a.text,
                );
                (
                    orig.event_id.clone(),
                    Some(orig.id.clone()),
                    Some(f.verdict.relation),
                    serde_json::to_string(&diff).ok(),
                )
            }
            _ => {
                let d = engine.clusterer.assign(&a.id, ts, &p.features);
                if d.created {
                    engine.created.insert(d.event.clone());
                }
                placement = Some(d.placement);
                if d.undated {
                    summary.undated += 1;
                }
                summary.new += 1;
                (d.event, None, None, None)
            }
        };
        tx.insert_article(&NewArticle {
            article: a,
            record_hash: &p.record_hash,
            body_key: p.body_key.as_deref(),
            copy_of: copy_of.as_deref(),
            relation: relation.map(Relation::as_str),
            diff,
            event_id: &event,
            features: &p.features,
            signature: &p.sig.to_bytes(),
        })?;
        docs += 1;
        for (t, _) in &p.features.terms {
            *df.entry(t.clone()).or_default() += 1;
        }
        // Stored with the article; the second look does not read them.
        for n in std::mem::take(&mut p.features.nouns) {
            *nouns.entry(n).or_default() += 1;
        }
        // The group's original changes only if the newcomer could win the election:
        // undated, or no later than the current original.
        let could_win = |orig: &DedupRow| match (ts, orig.published_ts) {
            (Some(t), Some(o)) => t <= o,
            _ => true,
        };
        if let (Some(c), Some(orig)) = (&copy_of, &original) {
            if could_win(orig) {
                elect(&tx, c)?;
            }
        }
        engine.deduper.insert(&entry, copy_of.as_deref());
        if let Some(placement) = placement {
            // The features go to the second look; the article is stored.
            placed.push(PlacedRow {
                article: a.id.clone(),
                event: event.clone(),
                ts,
                features: p.features,
                placement,
            });
        }
        engine.touched.insert(event);
    }
    chunk.clear();
    placed.retain(|p| !followed.contains(&p.article));
    for m in second_look(&tx, &mut engine.clusterer, &placed)? {
        summary.moved_late += 1;
        if m.emptied {
            engine.created.remove(&m.from);
            engine.touched.remove(&m.from);
        }
        engine.touched.insert(m.to);
    }
    tx.add_df(&df, docs)?;
    tx.add_noun_counts(&nouns)?;
    for m in merge_pass(&tx, &mut engine.clusterer)? {
        engine.touched.remove(&m.gone);
        engine.created.remove(&m.gone);
        engine.touched.insert(m.keep);
    }
    save_changed(&tx, &mut engine.clusterer, range)?;
    tx.commit()?;
    Ok(())
}

/// One article a batch placed by scoring (not a copy, and followed by no copy), for
/// the second look.
pub struct PlacedRow {
    pub article: String,
    pub event: String,
    pub ts: Option<i64>,
    pub features: Features,
    pub placement: Placement,
}

/// The clusterer's second look at a batch's placed articles
/// (`Clusterer::second_look`), recorded in the store: each move, the emptied events
/// deleted, and the time span of each event an article left set again from the
/// articles it keeps. Shared by ingest and `recluster`.
pub fn second_look(
    tx: &Tx,
    clusterer: &mut Clusterer,
    placed: &[PlacedRow],
) -> anyhow::Result<Vec<storyline_cluster::LateJoin>> {
    let moved = clusterer.second_look(placed.iter().map(|p| Placed {
        article: &p.article,
        event: &p.event,
        ts: p.ts,
        features: &p.features,
        placement: &p.placement,
    }));
    for m in &moved {
        tx.set_event(&m.article, &m.to)?;
    }
    let mut left: Vec<&str> = Vec::new();
    for m in &moved {
        if m.emptied {
            tx.delete_event(&m.from)?;
        } else if !left.contains(&m.from.as_str()) {
            left.push(&m.from);
        }
    }
    for event in left {
        clusterer.respan(event, &tx.event_times(event)?);
    }
    Ok(moved)
}

/// The order a batch is clustered in: publication order, undated last; the undated
/// ones longest first. Having no time to order them, the fullest article seeds its
/// event, shorter ones then find it, and the stories a batch makes do not depend on
/// the order its undated articles arrived in. Ties go by source.
fn batch_order(a: &Article, b: &Article) -> std::cmp::Ordering {
    match (a.published.is_none(), b.published.is_none()) {
        (true, true) => b
            .text
            .len()
            .cmp(&a.text.len())
            .then_with(|| a.source.cmp(&b.source)),
        _ => a.publication_order(b),
    }
}

/// The earliest and latest of some times (epoch seconds), if there are any.
pub fn time_span(times: impl IntoIterator<Item = i64>) -> Option<(i64, i64)> {
    times.into_iter().fold(None, |r, t| {
        Some(r.map_or((t, t), |(lo, hi): (i64, i64)| (lo.min(t), hi.max(t))))
    })
}

/// Runs the clusterer's merge pass over the events changed since the last save and
/// stores its merges: the articles move, the merged-away event goes, and its id
/// resolves to the event that absorbed it. Events a person corrected are left alone.
pub fn merge_pass(
    tx: &Tx,
    clusterer: &mut Clusterer,
) -> anyhow::Result<Vec<storyline_cluster::MergeDone>> {
    let frozen = tx.corrected_events()?;
    let merges = clusterer.merge_pass(&frozen);
    for m in &merges {
        tx.move_event_articles(&m.gone, &m.keep)?;
        tx.delete_event(&m.gone)?;
        tx.add_alias(&m.gone, &m.keep)?;
    }
    Ok(merges)
}

/// Makes the earliest-published member of a duplicate group its canonical,
/// re-pointing the other members at it with their relation and diff, and returns
/// its id. Ties (same time, or both undated) go first to the member with the fewest
/// paragraphs of its own before its first shared paragraph (syndicators add local
/// intros in front of the story), then to the one with most paragraphs found in
/// other members, then to the first stored (crawl order roughly follows publication
/// order). Measured on the syndication set: see BENCHMARKS.md.
pub fn elect(tx: &Tx, canonical: &str) -> anyhow::Result<Option<String>> {
    let members = tx.group_members(canonical)?;
    let paras: Vec<Vec<String>> = members
        .iter()
        .map(|m| {
            m.body
                .split("\n\n")
                .map(storyline_dedup::normalize)
                .filter(|p| !p.is_empty())
                .collect()
        })
        .collect();
    let shared = |i: usize, p: &String| {
        paras
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.contains(p))
    };
    let intro = |i: usize| paras[i].iter().take_while(|p| !shared(i, p)).count();
    let Some(w) = (0..members.len()).min_by_key(|&i| {
        let m = &members[i];
        let found_elsewhere = paras[i].iter().filter(|p| shared(i, p)).count();
        (
            m.published_ts.is_none(),
            m.published_ts,
            intro(i),
            std::cmp::Reverse(found_elsewhere),
            i,
        )
    }) else {
        return Ok(None);
    };
    let winner = members[w].clone();
    if winner.id == canonical && winner.copy_of.is_none() {
        return Ok(Some(winner.id));
    }
    tx.set_copy(&winner.id, None, None, None)?;
    for m in members.iter().filter(|m| m.id != winner.id) {
        let relation = relation_between(m, &winner);
        let diff = Diff::between(
            winner.title.as_deref(),
            &winner.body,
            m.title.as_deref(),
            &m.body,
        );
        let diff = serde_json::to_string(&diff).ok();
        tx.set_copy(
            &m.id,
            Some(&winner.id),
            Some(relation.as_str()),
            diff.as_deref(),
        )?;
    }
    Ok(Some(winner.id))
}

/// How a stored copy relates to a stored original (near when the signatures alone
/// no longer say: they were grouped for a reason).
fn relation_between(copy: &DedupRow, original: &DedupRow) -> Relation {
    if storyline_dedup::normalize(&copy.body) == storyline_dedup::normalize(&original.body) {
        return Relation::Exact;
    }
    let (Some(a), Some(b)) = (
        copy.signature.as_deref().and_then(Signature::from_bytes),
        original
            .signature
            .as_deref()
            .and_then(Signature::from_bytes),
    ) else {
        return Relation::Near;
    };
    storyline_dedup::judge(
        &Doc {
            sig: &a,
            url: copy.url.as_deref(),
        },
        &Doc {
            sig: &b,
            url: original.url.as_deref(),
        },
    )
    .map_or(Relation::Near, |v| v.relation)
}

/// Articles of an event a headline is chosen from: its latest originals. Bounds the
/// work per changed event, which would otherwise grow with the event's size.
const HEADLINE_POOL: usize = 48;

/// Links an event keeps, strongest first (most shared entities, then nearest in
/// time): a storyline is read from its closest relatives, not from every event that
/// shares two famous names.
pub const MAX_LINKS: usize = 20;

/// Events looked up in the store per core entity and direction for links to events no
/// longer in memory.
const HISTORY_PER_ENTITY: usize = 50;

/// A story's headline from its most central article: the article's title without
/// a part that only names the article's site (the story speaks for every outlet).
fn story_headline(a: &HeadlineCandidate) -> String {
    let host = a.url.as_deref().and_then(storyline_extract::outlet::host);
    let sites: Vec<&str> = a.outlet.iter().chain(&host).map(String::as_str).collect();
    storyline_extract::without_site_name(&a.title, &sites).to_string()
}

/// Saves the events changed since the last save, with their headline (the title of
/// the article closest to the centroid, among its latest [`HEADLINE_POOL`]), and recomputes the links of those whose core
/// entities changed: with the other events in memory, and with stored events around
/// `range` (the dates just assigned) found through their core entities.
pub fn save_changed(
    tx: &Tx,
    clusterer: &mut Clusterer,
    range: Option<(i64, i64)>,
) -> anyhow::Result<()> {
    let changed = clusterer.take_touched();
    for id in &changed {
        let Some(e) = clusterer.event(id) else {
            continue;
        };
        // A big event's headline is chosen again when it has grown by a quarter since
        // the last choice (one more article rarely changes which is most central), and
        // whenever it lost an article (a takedown may have taken the headline's).
        let last = tx.headline_articles(id)?;
        let n = e.articles as i64;
        let choose =
            e.articles as usize <= HEADLINE_POOL || last.is_none_or(|m| n * 4 >= m * 5 || n < m);
        let headline = if choose {
            let titled = tx.event_articles(id, HEADLINE_POOL)?;
            // A single titled article is its own choice: no terms to compare.
            let chosen = if titled.len() <= 1 {
                titled.first()
            } else {
                let feats: Vec<&Features> = titled.iter().map(|a| &a.features).collect();
                restore_terms(tx, clusterer, &[], feats.iter().copied())?;
                clusterer.representative(id, &feats).map(|i| &titled[i])
            };
            Some(chosen.map(story_headline))
        } else {
            None
        };
        tx.save_event(&e, headline.as_ref().map(|h| h.as_deref()))?;
    }
    let core = clusterer.params().core_entities;
    let w = clusterer.params().window_days * 86_400;
    let (lo, hi) = range.map_or((i64::MIN, i64::MAX), |(lo, hi)| {
        (lo.saturating_sub(w), hi.saturating_add(w))
    });
    for id in clusterer.take_core_changed() {
        tx.clear_links(&id)?;
        let Some(profile) = clusterer.profile(&id) else {
            continue;
        };
        let mut found = clusterer.resident_links(&id);
        let keys: Vec<String> = profile.top.iter().take(core).map(|x| x.0.clone()).collect();
        let mut far = tx.core_neighbours(&keys, lo, hi, HISTORY_PER_ENTITY)?;
        far.retain(|x| !clusterer.is_resident(x));
        let others = tx.event_profiles(&far, core)?;
        found.extend(storyline_cluster::link_profiles(&profile, &others, core));
        found.sort_by(|a, b| {
            b.shared
                .len()
                .cmp(&a.shared.len())
                .then_with(|| {
                    a.gap_days
                        .unwrap_or(i64::MAX)
                        .cmp(&b.gap_days.unwrap_or(i64::MAX))
                })
                .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
        });
        found.truncate(MAX_LINKS);
        for link in found {
            tx.save_link(&link)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_model::{DateSource, DatedBy, Timestamp};

    fn article(source: &str, day: Option<u32>, text: &str) -> Article {
        Article {
            source: source.into(),
            published: day.map(|d| DatedBy {
                at: Timestamp::day(chrono::NaiveDate::from_ymd_opt(2023, 9, d).unwrap()),
                source: DateSource::Dateline,
                confidence: 0.8,
            }),
            text: text.into(),
            id: source.into(),
            url: None,
            title: None,
            modified: None,
            crawled: None,
            authors: Vec::new(),
            outlet: None,
            wire: None,
            lang: None,
            lang_confidence: None,
        }
    }

    #[test]
    fn a_batch_prepared_beside_storing_is_the_batch_prepared_in_order() {
        let docs: Vec<RawDoc> = (0..9)
            .map(|i| RawDoc {
                source: format!("doc-{i}"),
                format: storyline_model::Format::Text,
                text: format!(
                    "Harbour strike enters day {i}\n\nSEOUL, Sept. {d} (Reuters) - Dock workers \
                     in Busan walked out for the {i}th day on Monday, union leader Kim Min-jun \
                     said, as talks with the port authority stalled over pay.",
                    d = i + 1
                ),
                hints: Default::default(),
                record_hash: format!("h{i}"),
            })
            .collect();
        let hasher = Arc::new(MinHasher::default());
        let one_by_one: Vec<Prepared> = docs.iter().map(|d| prepare(d.clone(), &hasher)).collect();
        let pending = Preparing::start(docs, &hasher);
        let prepared = pending.finish();
        assert_eq!(prepared.len(), 9);
        for (a, b) in prepared.iter().zip(&one_by_one) {
            assert_eq!(a.article, b.article);
            assert_eq!(a.features, b.features);
            assert_eq!(a.record_hash, b.record_hash);
            assert_eq!(a.body_key, b.body_key);
            assert_eq!(a.sig.to_bytes(), b.sig.to_bytes());
        }
        let sources: Vec<&str> = prepared.iter().map(|p| p.article.source.as_str()).collect();
        let expected: Vec<String> = (0..9).map(|i| format!("doc-{i}")).collect();
        assert_eq!(sources, expected);
        assert!(Preparing::start(Vec::new(), &hasher).finish().is_empty());
    }

    #[test]
    fn a_batch_goes_in_time_order_then_its_undated_articles_longest_first() {
        let mut batch = vec![
            article("a", None, "short"),
            article("b", Some(5), "x"),
            article("c", None, "the longest undated text"),
            article("d", Some(4), "y"),
            article("e", None, "a middling text"),
            article("f", None, "short"),
        ];
        batch.sort_by(batch_order);
        let order = |b: &[Article]| b.iter().map(|a| a.source.clone()).collect::<Vec<_>>();
        assert_eq!(order(&batch), ["d", "b", "c", "e", "a", "f"]);
        // Whatever order they arrive in.
        let first = order(&batch);
        batch.reverse();
        batch.sort_by(batch_order);
        assert_eq!(order(&batch), first);
    }
}
