//! `cluster` and `link`: articles into events, online; events into storylines.
//!
//! [`Clusterer::assign`] takes one article at a time (callers feed them in
//! publication order) and either joins the best existing event or opens a new one.
//! Candidates come from an inverted index over events' top terms and entities, never
//! from all pairs; a dated article only considers events whose time span lies within
//! [`Params::window_days`] of its date. The score combines TF-IDF cosine between the
//! article and the event's centroid with the overlap of their salient entities, and
//! fades with the time gap.
//!
//! An undated article is matched on content alone (no time filter), and the decision
//! says so: the caller can report it.
//!
//! [`link_profiles`] relates events that share their core entities, at any distance in
//! time: the 2019 and 2023 Kim–Putin summits are two events and one storyline.
//!
//! All state is explicit ([`EventState`], [`Corpus`]) so the store can persist it and
//! hand it back after a restart; nothing here does I/O. Only the events the caller
//! admits (around the dates it assigns) are held in memory: see [`Clusterer`].

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet};

use serde::{Deserialize, Serialize};
use storyline_analyze::{short_name, Features};

const DAY: i64 = 86_400;

/// Tuning knobs. The defaults are what `storyline` uses; see ARCHITECTURE.md for why.
#[derive(Debug, Clone)]
pub struct Params {
    /// How far (days) a dated article may be from an event's span to join it.
    pub window_days: i64,
    /// The combined score an article needs to join an event.
    pub threshold: f32,
    /// Weight of entity overlap in the combined score (the rest is term cosine).
    pub entity_weight: f32,
    /// Terms kept in an event's centroid.
    pub centroid_terms: usize,
    /// Terms of an article used to look up candidate events.
    pub query_terms: usize,
    /// Entities per event that count as its core, for linking.
    pub core_entities: usize,
    /// Terms under which an event is posted in the candidate index (its strongest by
    /// summed weight × IDF).
    pub index_terms: usize,
    /// Candidates scored in full per article (the strongest by the index's partial
    /// score).
    pub max_candidates: usize,
    /// The event-to-event score at which the merge pass merges two events.
    pub merge_threshold: f32,
    /// Events smaller than this take no part in the merge pass.
    pub merge_min_articles: u32,
    /// Names (terms and entity keys) a clusterer with a stored vocabulary holds before
    /// it first forgets idle ones ([`Clusterer::with_stored_vocabulary`]).
    pub forget_from: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            window_days: 10,
            threshold: 0.25,
            entity_weight: 0.3,
            centroid_terms: 400,
            query_terms: 30,
            core_entities: 8,
            index_terms: 100,
            max_candidates: 8,
            merge_threshold: 0.5,
            merge_min_articles: 2,
            forget_from: 1 << 16,
        }
    }
}

/// Corpus statistics for IDF: how many articles, and in how many each term occurs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Corpus {
    pub docs: u64,
    pub df: HashMap<String, u64>,
}

/// One event as clustering sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventState {
    pub id: String,
    /// Earliest and latest publication time of its dated articles (epoch seconds).
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    pub articles: u32,
    /// Summed term weights of its articles, pruned to the strongest terms.
    pub centroid: BTreeMap<String, f32>,
    /// Entity key → (display name, summed salience).
    pub entities: BTreeMap<String, (String, f32)>,
}

impl EventState {
    /// Entity keys by salience, strongest first.
    pub fn top_entities(&self, n: usize) -> Vec<(&str, &str, f32)> {
        strongest(
            self.entities
                .iter()
                .map(|(k, (name, w))| ((k.as_str(), name.as_str(), *w), k.as_str(), *w))
                .collect(),
            n,
        )
    }

    /// Days between `ts` and this event's time span (0 inside it), if both are dated.
    pub fn gap_days(&self, ts: Option<i64>) -> Option<f32> {
        gap_days(ts, self.first_ts, self.last_ts)
    }
}

/// How well an article fits one candidate event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub event: String,
    pub cosine: f32,
    pub entity_overlap: f32,
    /// Days from the article to the event's span, when both are dated.
    pub gap_days: Option<f32>,
    /// The factor time puts on the score (see [`time_fade`]): 1 inside the event's
    /// span, down to 0.7 at the window's edge or when only one side is dated.
    pub time_fade: f32,
    pub score: f32,
}

/// How much of the content score a time gap leaves: 1 inside the event's span, falling
/// linearly to `1 - MAX_FADE` at the window's edge.
///
/// When only one side is dated (an undated article and a dated event, or the
/// reverse), the gap is unknown: joining would give the article a time nobody can
/// check, so the pair is scored as if at the window's edge, the least time fit a
/// join allows, and content must make up for it. When neither side is dated there is
/// no time to weigh at all, and content alone decides, at full weight.
pub fn time_fade(gap_days: Option<f32>, one_side_dated: bool, window_days: i64) -> f32 {
    match gap_days {
        Some(g) => 1.0 - MAX_FADE * (g / window_days as f32).min(1.0),
        None if one_side_dated => 1.0 - MAX_FADE,
        None => 1.0,
    }
}

/// What the time gap takes from a score at most (at the window's edge).
const MAX_FADE: f32 = 0.3;

/// What [`Clusterer::assign`] decided, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub event: String,
    pub created: bool,
    /// The candidates scored in full, best first.
    pub candidates: Vec<Candidate>,
    /// The article had no date: it was matched on content alone.
    pub undated: bool,
    /// What [`Clusterer::second_look`] needs to look at the article again.
    #[serde(skip)]
    pub placement: Placement,
}

/// How an article was placed, kept for [`Clusterer::second_look`] (by the same
/// clusterer): when, on the clusterer's clock, so that it can tell the events that
/// changed since; the score it joined with; its term ids, so that its terms are not
/// looked up again in a vocabulary that outgrows the cache. (Its weights are not
/// kept: the IDF they hold moves within a batch, most on a new store, and the second
/// look weighs the article as the batch left the corpus.)
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Placement {
    at: u64,
    score: f32,
    ids: Vec<u32>,
}

impl Placement {
    /// The score the article joined its event with; 0 when it opened the event.
    pub fn score(&self) -> f32 {
        self.score
    }
}

/// One article a batch placed, as [`Clusterer::second_look`] takes it: its id, the
/// event it is in, its time and features, and how it was placed.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    pub article: &'a str,
    pub event: &'a str,
    pub ts: Option<i64>,
    pub features: &'a Features,
    pub placement: &'a Placement,
}

/// The `n` items of greatest salience, strongest first; ties go to the smaller key,
/// so that every ranking of entities (core, links, display) agrees.
///
/// The `n` are selected first and only they are sorted: an event gathers hundreds of
/// entities, many tied at one mention, and a full sort compared their names (strings
/// scattered over a heap that grows with the corpus) at every join.
fn strongest<T, K: Ord>(mut v: Vec<(T, K, f32)>, n: usize) -> Vec<T> {
    let order = |a: &(T, K, f32), b: &(T, K, f32)| b.2.total_cmp(&a.2).then_with(|| a.1.cmp(&b.1));
    if n == 0 {
        return Vec::new();
    }
    if v.len() > n {
        v.select_nth_unstable_by(n - 1, order);
        v.truncate(n);
    }
    v.sort_unstable_by(order);
    v.into_iter().map(|x| x.0).collect()
}

/// Strings to dense ids, so that the hot loops compare integers, not strings.
#[derive(Debug, Default)]
struct Interner {
    /// Keyed by the name's 64-bit FNV-1a hash, not the name: a lookup never reads the
    /// stored strings, which are scattered over a heap that grows with the vocabulary
    /// (each string compare was a cache miss). Two names with one hash would share an
    /// id; among a few million names the chance is about one in ten million.
    ids: FxHashMap<u64, u32>,
    names: Vec<Box<str>>,
    /// Each name's hash, which does not depend on the order names were interned in:
    /// ties are broken by it, so results are the same whether a process saw the names
    /// in one run or in several, without touching the strings.
    stable: Vec<u64>,
    /// Ids of forgotten names, given to the next new names.
    free: Vec<u32>,
}

impl Interner {
    fn get(&self, s: &str) -> Option<u32> {
        self.ids.get(&fnv1a(s)).copied()
    }

    /// The name's id, and whether the name was new (its id may be one a forgotten
    /// name had: whatever was kept per id must be set again).
    fn intern_new(&mut self, s: &str) -> (u32, bool) {
        let h = fnv1a(s);
        if let Some(&id) = self.ids.get(&h) {
            return (id, false);
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.names[id as usize] = s.into();
                self.stable[id as usize] = h;
                id
            }
            None => {
                self.names.push(s.into());
                self.stable.push(h);
                (self.names.len() - 1) as u32
            }
        };
        self.ids.insert(h, id);
        (id, true)
    }

    /// Names held (ids in use).
    fn len(&self) -> usize {
        self.ids.len()
    }

    /// Ids ever handed out: the size of the tables kept per id.
    fn capacity(&self) -> usize {
        self.names.len()
    }

    /// Forgets the names whose ids `keep` says no to; their ids are reused.
    fn forget(&mut self, keep: impl Fn(u32) -> bool) {
        let gone: Vec<u32> = self.ids.values().copied().filter(|&id| !keep(id)).collect();
        for &id in &gone {
            self.ids.remove(&self.stable[id as usize]);
            self.names[id as usize] = Box::from("");
        }
        self.free.extend(&gone);
        // Reused smallest first, so the tables per id stay dense.
        self.free.sort_unstable_by(|a, b| b.cmp(a));
    }

    fn stable(&self, id: u32) -> u64 {
        self.stable[id as usize]
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// One resident event, in interned form.
#[derive(Debug)]
struct Slot {
    id: String,
    /// The id's stable hash: ties between events are broken by it (then by the id),
    /// which orders them the same in every process without reading the strings.
    key: u64,
    first_ts: Option<i64>,
    last_ts: Option<i64>,
    articles: u32,
    /// Term id → summed weight, pruned to [`Params::centroid_terms`].
    centroid: FxHashMap<u32, f32>,
    /// Entity id → (display name, summed salience).
    entities: FxHashMap<u32, (String, f32)>,
    /// The terms under which the event is posted in the term index, sorted.
    posted: Vec<u32>,
    /// The [`CORE`] most salient entities, strongest first; posted in the entity index.
    core: Vec<u32>,
    /// The short forms of the core's names of three words or more (`Kimani Kiki Gray`
    /// → `kimani gray`, see [`short_name`]), interned, for [`Clusterer::entity_overlap`].
    core_short: Vec<u32>,
    /// (corpus size when computed, TF-IDF norm of the mean vector). IDF drifts slowly,
    /// so a norm is reused until the event changes or the corpus has grown by a tenth.
    norm: Cell<Option<(u64, f32)>>,
    /// The centroid as the cosine reads it: (term id, sublinear mean weight), sorted
    /// by id, built on first use after a change. Scoring walks it beside the article's
    /// sorted terms (a merge over two short arrays in cache) instead of probing the
    /// centroid's hash table once per article term.
    scoring: OnceCell<Vec<(u32, f32)>>,
    /// When it last changed, in assignments: undated events are evicted oldest first.
    changed_at: u64,
}

impl Slot {
    /// Forgets what was computed from the centroid: its norm and its scoring array.
    fn changed(&mut self) {
        self.norm.set(None);
        self.scoring.take();
    }

    fn scoring(&self) -> &[(u32, f32)] {
        self.scoring.get_or_init(|| {
            let n = self.articles.max(1) as f32;
            let mut v: Vec<(u32, f32)> = self
                .centroid
                .iter()
                .map(|(t, w)| (*t, sublinear(w / n)))
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            v
        })
    }

    fn gap_days(&self, ts: Option<i64>) -> Option<f32> {
        gap_days(ts, self.first_ts, self.last_ts)
    }

    fn in_window(&self, ts: Option<i64>, window_days: i64) -> bool {
        self.gap_days(ts).is_none_or(|g| g <= window_days as f32)
    }

    /// Whether an article could be in this event by its time: dated within the window
    /// of the event's span, or known to a month (`month`, see [`Features::month`])
    /// some day of which is within the window. Undated events are in reach of all.
    fn in_reach(&self, ts: Option<i64>, month: Option<(i64, i64)>, window_days: i64) -> bool {
        match (ts, month, self.first_ts, self.last_ts) {
            (None, Some((from, to)), Some(first), Some(last)) => {
                (from - last).max(first - to).max(0) <= window_days * DAY
            }
            _ => self.in_window(ts, window_days),
        }
    }
}

fn gap_days(ts: Option<i64>, first: Option<i64>, last: Option<i64>) -> Option<f32> {
    let (ts, first, last) = (ts?, first?, last?);
    let secs = if ts < first {
        first - ts
    } else {
        ts.saturating_sub(last).max(0)
    };
    Some(secs as f32 / DAY as f32)
}

/// Events scored in full per event in the merge pass.
const MERGE_CANDIDATES: usize = 8;

/// Candidates scored in full per article at the second look: only the best changed
/// event matters there, and the index's partial score ranks it among the first few.
const SECOND_LOOK_CANDIDATES: usize = 4;

/// Terms of an article that look up events at the second look: an event that beats
/// the one the article is in shares its strongest words (the first look, which must
/// find any event above the threshold, uses [`Params::query_terms`]).
const SECOND_LOOK_QUERY_TERMS: usize = 10;

/// Events up to this many articles re-choose their posted terms at every join.
const REPOST_EVERY_UNTIL: u32 = 16;

/// Entities per event that count as its core for scoring (the article's entities are
/// looked for among these) and under which it is posted in the entity index.
const CORE: usize = 15;

/// Reused buffers for scoring, sized by slot.
#[derive(Debug, Default)]
struct Scratch {
    /// Partial score of each slot from the postings (query terms and entities).
    acc: Vec<f32>,
    /// 0 unseen, 1 a candidate, 2 outside the time window.
    mark: Vec<u8>,
    hits: Vec<u32>,
}

/// An article's terms weighted by TF-IDF, with interned ids (None for a term the
/// corpus has never seen, which no event can share).
struct Weighted {
    terms: Vec<(Option<u32>, f32)>,
    /// The known terms as (id, weight × IDF), sorted by id: the cosine's side of the
    /// merge with an event's [`Slot::scoring`].
    by_id: Vec<(u32, f32)>,
    norm: f32,
}

/// Sublinear term frequency: `1 + ln(x)` for `x > 1`, else 1 (no logarithm needed).
fn sublinear(x: f32) -> f32 {
    if x > 1.0 {
        1.0 + x.ln()
    } else {
        1.0
    }
}

/// The online clusterer.
///
/// Only *resident* events are held: those the caller admitted (around the dates it is
/// about to assign) and those created since. The caller saves changed events
/// ([`Clusterer::take_touched`]) and evicts the ones that fell out of the time window
/// ([`Clusterer::evict`]), so memory follows the active window, not the corpus.
pub struct Clusterer {
    params: Params,
    docs: u64,
    terms: Interner,
    /// Document frequency by term id.
    df: Vec<u32>,
    /// The day (epoch days) each term id was last counted or admitted.
    last_seen: Vec<u32>,
    /// The newest publication day counted: what an undated article's terms are seen on.
    newest_day: u32,
    /// The vocabulary lives in the caller's store (see
    /// [`Clusterer::with_stored_vocabulary`]).
    stored_vocabulary: bool,
    /// Names held (terms and entity keys) after the last [`Clusterer::forget_idle`].
    held_after_forget: usize,
    entity_keys: Interner,
    /// Per entity id, the id of its [`short_name`] ([`NO_SHORT`] if none).
    entity_short: Vec<u32>,
    slots: Vec<Option<Slot>>,
    free: Vec<u32>,
    by_id: FxHashMap<String, u32>,
    /// Term id → slots posted under it.
    term_postings: Postings,
    /// Entity id → slots that have it in their core.
    entity_postings: Postings,
    resident: usize,
    touched: FxHashSet<u32>,
    /// Events whose link-relevant core changed since the last [`Clusterer::take_core_changed`].
    core_changed: FxHashSet<String>,
    clock: u64,
    scratch: RefCell<Scratch>,
}

impl Clusterer {
    pub fn new(params: Params, corpus: Corpus, events: Vec<EventState>) -> Self {
        let mut c = Clusterer {
            params,
            docs: corpus.docs,
            terms: Interner::default(),
            df: Vec::new(),
            last_seen: Vec::new(),
            newest_day: 0,
            stored_vocabulary: false,
            held_after_forget: 0,
            entity_keys: Interner::default(),
            entity_short: Vec::new(),
            slots: Vec::new(),
            free: Vec::new(),
            by_id: FxHashMap::default(),
            term_postings: Postings::default(),
            entity_postings: Postings::default(),
            resident: 0,
            touched: FxHashSet::default(),
            core_changed: FxHashSet::default(),
            clock: 0,
            scratch: RefCell::default(),
        };
        let mut df: Vec<(String, u64)> = corpus.df.into_iter().collect();
        df.sort_unstable();
        for (t, n) in df {
            let id = c.term(&t);
            c.df[id as usize] = n.min(u32::MAX as u64) as u32;
        }
        c.admit(events);
        c
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Articles counted in the corpus statistics.
    pub fn docs(&self) -> u64 {
        self.docs
    }

    /// How many events are held in memory.
    pub fn resident(&self) -> usize {
        self.resident
    }

    pub fn is_resident(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// Holds stored events in memory so that articles can join them; events already
    /// resident are left as they are (memory is newer than the store while unsaved).
    pub fn admit(&mut self, events: Vec<EventState>) {
        for e in events {
            if self.by_id.contains_key(&e.id) {
                continue;
            }
            let centroid: Vec<(u32, f32)> =
                e.centroid.iter().map(|(t, w)| (self.term(t), *w)).collect();
            let slot = self.new_slot(&e.id);
            let s = self.slots[slot as usize].as_mut().expect("new slot");
            s.first_ts = e.first_ts;
            s.last_ts = e.last_ts;
            s.articles = e.articles;
            s.centroid.extend(centroid);
            for (k, v) in e.entities {
                let id = intern_entity(&mut self.entity_keys, &mut self.entity_short, &k);
                s.entities.insert(id, v);
            }
            // Its links were saved with it: admitting it changes nothing they depend on.
            let pending = self.core_changed.contains(&e.id);
            self.repost(slot);
            if !pending {
                self.core_changed.remove(&e.id);
            }
        }
    }

    /// Drops from memory the events that cannot take an article dated between `lo` and
    /// `hi` (their span is further than the window from it), and the undated events
    /// beyond the newest `max_undated`. Events changed since the last
    /// [`Clusterer::take_touched`] stay: they are not saved yet. Returns how many left.
    pub fn evict(&mut self, lo: i64, hi: i64, max_undated: usize) -> usize {
        let w = self.params.window_days * DAY;
        let mut out = Vec::new();
        let mut undated = Vec::new();
        for (i, s) in self.slots.iter().enumerate() {
            let Some(s) = s else { continue };
            if self.touched.contains(&(i as u32)) {
                continue;
            }
            match (s.first_ts, s.last_ts) {
                (Some(first), Some(last)) => {
                    if last < lo.saturating_sub(w) || first > hi.saturating_add(w) {
                        out.push(i as u32);
                    }
                }
                _ => undated.push((s.changed_at, i as u32)),
            }
        }
        if undated.len() > max_undated {
            undated.sort_unstable_by(|a, b| b.cmp(a));
            out.extend(undated[max_undated..].iter().map(|x| x.1));
        }
        for &slot in &out {
            self.drop_slot(slot);
        }
        self.forget_idle(lo.saturating_sub(w));
        out.len()
    }

    /// Ids of the events changed since the last call, sorted; clears the set.
    pub fn take_touched(&mut self) -> Vec<String> {
        let mut v: Vec<String> = self
            .touched
            .drain()
            .filter_map(|i| self.slots[i as usize].as_ref().map(|s| s.id.clone()))
            .collect();
        v.sort();
        v
    }

    /// Ids of the events whose core entities (what links depend on) changed since the
    /// last call, sorted; clears the set. Dropped events are included.
    pub fn take_core_changed(&mut self) -> Vec<String> {
        let mut v: Vec<String> = self.core_changed.drain().collect();
        v.sort();
        v
    }

    /// One resident event, in its stored form.
    pub fn event(&self, id: &str) -> Option<EventState> {
        let s = self.slots[*self.by_id.get(id)? as usize].as_ref()?;
        Some(EventState {
            id: s.id.clone(),
            first_ts: s.first_ts,
            last_ts: s.last_ts,
            articles: s.articles,
            centroid: s
                .centroid
                .iter()
                .map(|(t, w)| (self.terms.name(*t).to_string(), *w))
                .collect(),
            entities: s
                .entities
                .iter()
                .map(|(k, v)| (self.entity_keys.name(*k).to_string(), v.clone()))
                .collect(),
        })
    }

    /// What linking needs of a resident event.
    pub fn profile(&self, id: &str) -> Option<Profile> {
        let s = self.slots[*self.by_id.get(id)? as usize].as_ref()?;
        Some(self.slot_profile(s))
    }

    /// [`Clusterer::profile`] of a slot: the same profile as [`EventState::profile`]
    /// of its state.
    fn slot_profile(&self, s: &Slot) -> Profile {
        let entities = s
            .entities
            .iter()
            .map(|(k, (name, w))| (self.entity_keys.name(*k), name.as_str(), *w));
        profile_of(
            s.id.clone(),
            s.first_ts,
            s.last_ts,
            entities,
            self.params.core_entities,
        )
    }

    /// Links between the event `id` and the other resident events: the candidates are
    /// the events that have at least two of its core entities among their own core.
    pub fn resident_links(&self, id: &str) -> Vec<Link> {
        let Some(a) = self.profile(id) else {
            return Vec::new();
        };
        let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
        for (key, _) in a.top.iter().take(self.params.core_entities) {
            if let Some(e) = self.entity_keys.get(key) {
                for &slot in self.entity_postings.get(e) {
                    *counts.entry(slot).or_default() += 1;
                }
            }
        }
        // The link test on the cached cores' ids (same order as the profiles' tops)
        // first, counting keys: a key test passes whenever the name test of
        // `link_profiles` does (names are never more than keys), so it only spares
        // the full profiles of events that cannot link.
        let core = self.params.core_entities;
        let own = &self.slots[self.by_id[id] as usize]
            .as_ref()
            .expect("resident")
            .core;
        let own = &own[..own.len().min(core)];
        let others: Vec<Profile> = counts
            .into_iter()
            .filter(|&(_, n)| n >= 2)
            .filter_map(|(slot, _)| self.slots[slot as usize].as_ref())
            .filter(|s| s.id != a.id)
            .filter(|s| {
                let theirs = &s.core[..s.core.len().min(core)];
                let shared = own.iter().filter(|k| theirs.contains(k)).count();
                let smaller = own.len().min(theirs.len()).max(1);
                shared >= 2 && shared * 3 >= smaller
            })
            .map(|s| self.slot_profile(s))
            .collect();
        link_profiles(&a, &others, self.params.core_entities)
    }

    /// Which of an event's articles is most representative of it: the one whose
    /// terms are closest to the event's centroid (not simply the first).
    pub fn representative(&self, event: &str, articles: &[&Features]) -> Option<usize> {
        let s = self.slots[*self.by_id.get(event)? as usize].as_ref()?;
        articles
            .iter()
            .enumerate()
            .map(|(i, f)| (i, self.cosine(&self.weighted(f), s)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    }

    fn term(&mut self, t: &str) -> u32 {
        self.term_new(t).0
    }

    /// [`Clusterer::term`], and whether the term was new (its count starts at 0).
    fn term_new(&mut self, t: &str) -> (u32, bool) {
        let (id, new) = self.terms.intern_new(t);
        if self.df.len() <= id as usize {
            self.df.resize(id as usize + 1, 0);
            self.last_seen.resize(id as usize + 1, 0);
        }
        if new {
            // The id may be a forgotten term's.
            self.df[id as usize] = 0;
            self.last_seen[id as usize] = self.newest_day;
        }
        (id, new)
    }

    /// The vocabulary lives in the caller's store, which keeps every term's document
    /// frequency: the clusterer holds only the terms in use, those of resident events
    /// and those counted within the window, and forgets the others as the window
    /// moves ([`Clusterer::evict`]), so that its memory follows the window and not
    /// the corpus. Before admitting events or assigning articles, the caller looks up
    /// the terms [`Clusterer::unknown_terms`] names in its store and hands their
    /// frequencies to [`Clusterer::restore_df`]; the frequencies are then the same as
    /// if every term had been held all along.
    pub fn with_stored_vocabulary(mut self) -> Self {
        self.stored_vocabulary = true;
        self
    }

    /// The terms of `events` and `features` the clusterer does not hold, each once,
    /// for the caller to look up in its store (see
    /// [`Clusterer::with_stored_vocabulary`]; without it, none: every term counted is
    /// held).
    pub fn unknown_terms<'a>(
        &self,
        events: &'a [EventState],
        features: impl IntoIterator<Item = &'a Features>,
    ) -> Vec<&'a str> {
        if !self.stored_vocabulary {
            return Vec::new();
        }
        let mut seen: FxHashSet<&str> = FxHashSet::default();
        events
            .iter()
            .flat_map(|e| e.centroid.keys().map(String::as_str))
            .chain(
                features
                    .into_iter()
                    .flat_map(|f| f.terms.iter().map(|(t, _)| t.as_str())),
            )
            // Each distinct term once (a small set, in cache) before the vocabulary
            // (a large map, mostly not): a batch repeats its common words thousands
            // of times.
            .filter(|t| seen.insert(t) && self.terms.get(t).is_none())
            .collect()
    }

    /// Takes the stored document frequencies of terms the clusterer does not hold
    /// (what [`Clusterer::unknown_terms`] named, before anything else is done with
    /// them); a term already held keeps its own count, which is the store's plus what
    /// has been counted since.
    pub fn restore_df<'a>(&mut self, dfs: impl IntoIterator<Item = (&'a str, u64)>) {
        for (t, n) in dfs {
            if let (id, true) = self.term_new(t) {
                self.df[id as usize] = n.min(u32::MAX as u64) as u32;
            }
        }
    }

    /// Terms and entity keys held in memory.
    pub fn vocabulary(&self) -> usize {
        self.terms.len() + self.entity_keys.len()
    }

    /// With a stored vocabulary, forgets the terms no resident event holds that were
    /// last counted before `before` (epoch seconds), and the entity keys no resident
    /// event holds (an entity key carries no statistics). Runs when the vocabulary
    /// has grown by a quarter since it last ran, so that its scan (every resident
    /// centroid, every name held) costs little per article.
    fn forget_idle(&mut self, before: i64) {
        if !self.stored_vocabulary
            || self.vocabulary() < self.params.forget_from.max(self.held_after_forget * 5 / 4)
        {
            return;
        }
        let before = day_of(before);
        let mut terms = vec![false; self.terms.capacity()];
        let mut entities = vec![false; self.entity_keys.capacity()];
        for s in self.slots.iter().flatten() {
            for &t in s.centroid.keys().chain(&s.posted) {
                terms[t as usize] = true;
            }
            for &e in s.entities.keys().chain(&s.core).chain(&s.core_short) {
                entities[e as usize] = true;
            }
        }
        for e in 0..entities.len() {
            let short = self.entity_short.get(e).copied().unwrap_or(NO_SHORT);
            if entities[e] && short != NO_SHORT {
                entities[short as usize] = true;
            }
        }
        let last_seen = &self.last_seen;
        self.terms
            .forget(|id| terms[id as usize] || last_seen[id as usize] >= before);
        self.entity_keys.forget(|id| entities[id as usize]);
        self.held_after_forget = self.vocabulary();
    }

    fn idf_of(&self, id: Option<u32>) -> f32 {
        let df = id.map_or(0, |i| self.df.get(i as usize).copied().unwrap_or(0)) as f32;
        ((self.docs as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    fn weighted(&self, f: &Features) -> Weighted {
        self.weighted_ids(f, f.terms.iter().map(|(t, _)| self.terms.get(t)))
    }

    /// [`Clusterer::weighted`] with the term ids already looked up, one per term in
    /// order (`None`: not in the vocabulary).
    fn weighted_ids(&self, f: &Features, ids: impl IntoIterator<Item = Option<u32>>) -> Weighted {
        let mut by_id: Vec<(u32, f32)> = Vec::with_capacity(f.terms.len());
        let terms: Vec<(Option<u32>, f32)> = f
            .terms
            .iter()
            .zip(ids)
            .map(|((_, w), id)| {
                let idf = self.idf_of(id);
                let a = sublinear(*w) * idf;
                if let Some(t) = id {
                    by_id.push((t, a * idf));
                }
                (id, a)
            })
            .collect();
        let norm = terms.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
        by_id.sort_unstable_by_key(|x| x.0);
        // Two terms with one id (a 64-bit hash collision) count once, summed.
        by_id.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        Weighted { terms, by_id, norm }
    }

    fn new_slot(&mut self, id: &str) -> u32 {
        let slot = Slot {
            id: id.to_string(),
            key: fnv1a(id),
            first_ts: None,
            last_ts: None,
            articles: 0,
            centroid: FxHashMap::default(),
            entities: FxHashMap::default(),
            posted: Vec::new(),
            core: Vec::new(),
            core_short: Vec::new(),
            norm: Cell::new(None),
            scoring: OnceCell::new(),
            changed_at: self.clock,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(slot);
                i
            }
            None => {
                self.slots.push(Some(slot));
                (self.slots.len() - 1) as u32
            }
        };
        self.by_id.insert(id.to_string(), i);
        self.resident += 1;
        i
    }

    fn drop_slot(&mut self, i: u32) {
        let Some(s) = self.slots[i as usize].take() else {
            return;
        };
        for t in &s.posted {
            self.term_postings.unpost(*t, i);
        }
        for e in &s.core {
            self.entity_postings.unpost(*e, i);
        }
        self.by_id.remove(&s.id);
        self.touched.remove(&i);
        self.free.push(i);
        self.resident -= 1;
    }

    /// Re-derives an event's postings after it changed: its strongest terms by summed
    /// weight × IDF, and its core entities. Only the differences touch the index.
    fn repost(&mut self, i: u32) {
        self.repost_with(i, true, None);
    }

    /// [`Clusterer::repost`]; with `terms` false only the core entities are
    /// re-derived and the posted terms stay as they are. `grown`: when only these
    /// entities gained salience since the core was chosen (one article joined), the
    /// new core is among the old core and them: every other entity still ranks below
    /// the old core, whose members only gained.
    fn repost_with(&mut self, i: u32, terms: bool, grown: Option<&[u32]>) {
        let s = self.slots[i as usize].as_ref().expect("resident slot");
        let posted = if terms {
            let mut terms: Vec<(u32, f32)> = s
                .centroid
                .iter()
                .map(|(t, w)| (*t, w * self.idf_of(Some(*t))))
                .collect();
            let n = self.params.index_terms;
            if terms.len() > n {
                let stable = |t: u32| self.terms.stable(t);
                terms.select_nth_unstable_by(n - 1, |a, b| {
                    b.1.total_cmp(&a.1).then(stable(a.0).cmp(&stable(b.0)))
                });
                terms.truncate(n);
            }
            let mut posted: Vec<u32> = terms.into_iter().map(|x| x.0).collect();
            posted.sort_unstable();
            posted
        } else {
            s.posted.clone()
        };
        let rank = |k: u32| {
            s.entities
                .get(&k)
                .map(|v| (k, self.entity_keys.name(k), v.1))
        };
        let candidates: Vec<(u32, &str, f32)> = match grown {
            Some(grown) => {
                let mut ids: Vec<u32> = s.core.iter().chain(grown).copied().collect();
                ids.sort_unstable();
                ids.dedup();
                ids.into_iter().filter_map(rank).collect()
            }
            None => s.entities.keys().filter_map(|k| rank(*k)).collect(),
        };
        let core: Vec<u32> = strongest(candidates, CORE);
        let core_short: Vec<u32> = core
            .iter()
            .map(|&e| self.entity_short[e as usize])
            .filter(|&x| x != NO_SHORT)
            .collect();
        let s = self.slots[i as usize].as_mut().expect("resident slot");
        s.core_short = core_short;
        let old_posted = std::mem::replace(&mut s.posted, posted.clone());
        let old_core = std::mem::replace(&mut s.core, core.clone());
        let links_core = self.params.core_entities;
        let mut old_link_core = old_core
            .iter()
            .take(links_core)
            .copied()
            .collect::<Vec<_>>();
        let mut new_link_core = core.iter().take(links_core).copied().collect::<Vec<_>>();
        old_link_core.sort_unstable();
        new_link_core.sort_unstable();
        if old_link_core != new_link_core {
            self.core_changed.insert(s.id.clone());
        }
        for t in sorted_minus(&old_posted, &posted) {
            self.term_postings.unpost(t, i);
        }
        for t in sorted_minus(&posted, &old_posted) {
            self.term_postings.post(t, i);
        }
        let mut old_core = old_core;
        let mut new_core = core;
        old_core.sort_unstable();
        new_core.sort_unstable();
        for e in sorted_minus(&old_core, &new_core) {
            self.entity_postings.unpost(e, i);
        }
        for e in sorted_minus(&new_core, &old_core) {
            self.entity_postings.post(e, i);
        }
    }

    /// Scores an article against its candidate events, best first, without changing
    /// anything (what `explain` shows). Candidates share one of the article's
    /// strongest terms or entities with the event's postings and lie within the time
    /// window; of those, the [`Params::max_candidates`] with the highest partial score
    /// from the postings are scored in full.
    pub fn candidates(&self, ts: Option<i64>, f: &Features) -> Vec<Candidate> {
        self.score_candidates(ts, f, &self.weighted(f), None)
    }

    /// Scores an article against one resident event, whether or not the index would
    /// have made it a candidate (what `explain` shows for a story the article was not
    /// compared with). `None` when the event is not in memory.
    pub fn score_event(&self, ts: Option<i64>, f: &Features, event: &str) -> Option<Candidate> {
        let s = self.slots[*self.by_id.get(event)? as usize].as_ref()?;
        let top = self.article_entities(f);
        Some(self.score_one(ts, f.month, &self.weighted(f), &top, s))
    }

    /// The candidates of an article, scored in full, best first. `since`: only the
    /// events that changed after this clock, other than this slot (the second look:
    /// the others scored the same when the article was placed).
    fn score_candidates(
        &self,
        ts: Option<i64>,
        f: &Features,
        art: &Weighted,
        since: Option<(u64, u32)>,
    ) -> Vec<Candidate> {
        let mut scratch = self.scratch.borrow_mut();
        let Scratch { acc, mark, hits } = &mut *scratch;
        if acc.len() < self.slots.len() {
            acc.resize(self.slots.len(), 0.0);
            mark.resize(self.slots.len(), 0);
        }
        let mut visit = |slot: u32, w: f32, acc: &mut Vec<f32>, mark: &mut Vec<u8>| {
            let i = slot as usize;
            match mark[i] {
                0 => {
                    hits.push(slot);
                    let ok = self.slots[i].as_ref().is_some_and(|s| {
                        s.in_reach(ts, f.month, self.params.window_days)
                            && since.is_none_or(|(at, own)| s.changed_at > at && slot != own)
                    });
                    mark[i] = if ok { 1 } else { 2 };
                    if ok {
                        acc[i] += w;
                    }
                }
                1 => acc[i] += w,
                _ => {}
            }
        };
        let mut query: Vec<(u32, f32, u64)> = art
            .terms
            .iter()
            .filter_map(|(id, w)| id.map(|id| (id, *w, self.terms.stable(id))))
            .collect();
        // The strongest terms, in order: select them, then sort only those.
        let by_weight = |a: &(u32, f32, u64), b: &(u32, f32, u64)| {
            b.1.total_cmp(&a.1).then_with(|| a.2.cmp(&b.2))
        };
        let k = match since {
            Some(_) => SECOND_LOOK_QUERY_TERMS,
            None => self.params.query_terms,
        };
        if query.len() > k {
            query.select_nth_unstable_by(k - 1, by_weight);
            query.truncate(k);
        }
        query.sort_by(by_weight);
        for (t, w, _) in &query {
            for &slot in self.term_postings.get(*t) {
                visit(slot, *w, acc, mark);
            }
        }
        // An entity match counts like the article's strongest term.
        let bonus = query.first().map_or(1.0, |q| q.1);
        for e in f.entities.iter().take(10) {
            if let Some(id) = self.entity_keys.get(&e.key) {
                for &slot in self.entity_postings.get(id) {
                    visit(slot, bonus, acc, mark);
                }
            }
        }
        let mut pool: Vec<(u32, f32)> = hits
            .iter()
            .filter(|&&s| mark[s as usize] == 1)
            .map(|&s| (s, acc[s as usize]))
            .collect();
        for &s in hits.iter() {
            acc[s as usize] = 0.0;
            mark[s as usize] = 0;
        }
        hits.clear();
        drop(scratch);
        let k = match since {
            Some(_) => SECOND_LOOK_CANDIDATES,
            None => self.params.max_candidates,
        };
        if pool.len() > k {
            pool.select_nth_unstable_by(k - 1, |a, b| {
                b.1.total_cmp(&a.1).then_with(|| self.slot_order(a.0, b.0))
            });
            pool.truncate(k);
        }
        let top = self.article_entities(f);
        let mut out: Vec<Candidate> = pool
            .into_iter()
            .filter_map(|(slot, _)| self.slots[slot as usize].as_ref())
            .map(|s| self.score_one(ts, f.month, art, &top, s))
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.event.cmp(&b.event))
        });
        out
    }

    /// One article's score against one event: the weighted content score, faded by
    /// the time gap.
    ///
    /// An article known only to a month (`month`) is weighed as at the window's edge
    /// against every event: against a dated one, where in the month it falls is
    /// unknown; against an undated one, as any dated article is.
    fn score_one(
        &self,
        ts: Option<i64>,
        month: Option<(i64, i64)>,
        art: &Weighted,
        top: &[ArticleEntity],
        s: &Slot,
    ) -> Candidate {
        let gap = s.gap_days(ts);
        let cosine = self.cosine(art, s);
        let entity_overlap = self.entity_overlap(top, s);
        let w = self.params.entity_weight;
        let fade = match (ts, month) {
            (None, Some(_)) => 1.0 - MAX_FADE,
            _ => {
                let one_side_dated = ts.is_some() != s.first_ts.is_some();
                time_fade(gap, one_side_dated, self.params.window_days)
            }
        };
        let score = ((1.0 - w) * cosine + w * entity_overlap) * fade;
        Candidate {
            event: s.id.clone(),
            cosine,
            entity_overlap,
            gap_days: gap,
            time_fade: fade,
            score,
        }
    }

    /// The TF-IDF norm of an event's mean vector (cached, see [`Slot::norm`]).
    fn event_norm(&self, s: &Slot) -> f32 {
        let n = s.articles.max(1) as f32;
        let docs = self.docs;
        match s.norm.get().filter(|(at, _)| docs * 10 <= at * 11) {
            Some((_, norm)) => norm,
            None => {
                let norm = s
                    .centroid
                    .iter()
                    .map(|(t, w)| (sublinear(w / n) * self.idf_of(Some(*t))).powi(2))
                    .sum::<f32>()
                    .sqrt();
                s.norm.set(Some((docs, norm)));
                norm
            }
        }
    }

    /// Cosine between an article's TF-IDF vector and an event's mean vector.
    fn cosine(&self, art: &Weighted, s: &Slot) -> f32 {
        let norm = self.event_norm(s);
        if norm == 0.0 || art.norm == 0.0 {
            return 0.0;
        }
        let dot = merge_dot(&art.by_id, s.scoring());
        dot / (art.norm * norm)
    }

    /// The article's top entities, weighted by salience and specificity: IDF over the
    /// resident events' cores (an entity at the core of every event, like a country in
    /// a national news stream, says little about which event this is).
    fn article_entities(&self, f: &Features) -> Vec<ArticleEntity> {
        let events = self.resident as f32;
        f.entities
            .iter()
            .take(10)
            .map(|x| {
                let id = self.entity_keys.get(&x.key);
                let df = id.map_or(0, |i| self.entity_postings.get(i).len()) as f32;
                let idf = ((events + 1.0) / (df + 1.0)).ln() + 1.0;
                let short = match id {
                    Some(i) => Some(self.entity_short[i as usize]).filter(|&x| x != NO_SHORT),
                    None => short_name(&x.key).and_then(|k| self.entity_keys.get(&k)),
                };
                ArticleEntity {
                    id,
                    short,
                    weight: x.salience() * idf,
                }
            })
            .collect()
    }

    /// The share of the article's weighted top entities that are in the event's core.
    fn entity_overlap(&self, top: &[ArticleEntity], s: &Slot) -> f32 {
        let total: f32 = top.iter().map(|x| x.weight).sum();
        if total == 0.0 {
            return 0.0;
        }
        // A name is in the core as written, or as the short form of a longer core name
        // (`Kimani Gray` in the article, `Kimani Kiki Gray` in the core), or the other
        // way round. Two long names that only share their short form do not match
        // (`Los Angeles Police Department`, `Los Angeles Fire Department`).
        let known = |x: &ArticleEntity| {
            x.id.is_some_and(|id| s.core.contains(&id) || s.core_short.contains(&id))
                || x.short.is_some_and(|id| s.core.contains(&id))
        };
        // A fold from +0.0: an empty float sum is -0.0, which prints as "-0.000".
        top.iter()
            .filter(|x| known(x))
            .fold(0.0, |a, x| a + x.weight)
            / total
    }

    /// Counts an article in the corpus statistics; returns its term ids (looked up
    /// once per article: the vocabulary is the largest map here).
    fn count(&mut self, f: &Features, ts: Option<i64>) -> Vec<u32> {
        self.docs += 1;
        if let Some(ts) = ts {
            self.newest_day = self.newest_day.max(day_of(ts));
        }
        let day = ts.map_or(self.newest_day, day_of);
        let ids: Vec<u32> = f.terms.iter().map(|(t, _)| self.term(t)).collect();
        for &id in &ids {
            self.df[id as usize] += 1;
            let seen = &mut self.last_seen[id as usize];
            *seen = (*seen).max(day);
        }
        ids
    }

    /// Puts one article into an event: the best candidate above the threshold, or a
    /// new event whose id derives from the article's id (stable across runs).
    pub fn assign(&mut self, article_id: &str, ts: Option<i64>, f: &Features) -> Decision {
        let ids = self.count(f, ts);
        let art = self.weighted_ids(f, ids.iter().map(|&i| Some(i)));
        let candidates = self.score_candidates(ts, f, &art, None);
        let best = candidates
            .first()
            .filter(|c| c.score >= self.params.threshold)
            .map(|c| (c.event.clone(), c.score));
        let (event, created, score) = match best {
            Some((id, score)) => (id, false, score),
            None => (event_id(article_id), true, 0.0),
        };
        self.join_event(&event, ts, f, &ids);
        Decision {
            event,
            created,
            candidates,
            undated: ts.is_none(),
            placement: Placement {
                at: self.clock,
                score,
                ids,
            },
        }
    }

    /// Adds an article to a given event without scoring it: copies follow their
    /// original. The event must be resident (admit it from the store first), or it is
    /// created. Counts the article in the corpus statistics, as `assign` does.
    pub fn join(&mut self, event: &str, ts: Option<i64>, f: &Features) {
        let ids = self.count(f, ts);
        self.join_event(event, ts, f, &ids);
    }

    fn join_event(&mut self, event: &str, ts: Option<i64>, f: &Features, term_ids: &[u32]) {
        self.clock += 1;
        let slot = match self.by_id.get(event) {
            Some(&i) => i,
            None => self.new_slot(event),
        };
        let entity_ids: Vec<u32> = f
            .entities
            .iter()
            .take(20)
            .map(|e| intern_entity(&mut self.entity_keys, &mut self.entity_short, &e.key))
            .collect();
        let limit = self.params.centroid_terms;
        let clock = self.clock;
        let s = self.slots[slot as usize].as_mut().expect("resident slot");
        s.articles += 1;
        s.changed_at = clock;
        s.changed();
        if let Some(ts) = ts {
            s.first_ts = Some(s.first_ts.map_or(ts, |x| x.min(ts)));
            s.last_ts = Some(s.last_ts.map_or(ts, |x| x.max(ts)));
        }
        for (id, (_, w)) in term_ids.iter().zip(&f.terms) {
            *s.centroid.entry(*id).or_default() += w;
        }
        prune(&mut s.centroid, limit, &self.terms);
        for (id, ent) in entity_ids.iter().zip(&f.entities) {
            let e = s
                .entities
                .entry(*id)
                .or_insert_with(|| (ent.name.clone(), 0.0));
            e.1 += ent.salience();
        }
        prune_entities(s, &self.entity_keys);
        // A big event's strongest terms barely move with one more article: its posted
        // terms are re-chosen every fourth join (each choice reads the IDF of every
        // centroid term). Small events, whose terms still move, re-choose every time.
        let n = s.articles;
        self.repost_with(
            slot,
            n <= REPOST_EVERY_UNTIL || n.is_multiple_of(4),
            Some(&entity_ids),
        );
        self.touched.insert(slot);
    }

    /// Takes an article out of its event (a takedown). `times` are the publication
    /// times of the articles that remain. The event must be resident (admit it
    /// first): one that is not is left alone. Returns false when the event is now
    /// empty and has been dropped.
    pub fn leave(&mut self, event: &str, f: &Features, times: &[Option<i64>]) -> bool {
        self.docs = self.docs.saturating_sub(1);
        for (t, _) in &f.terms {
            if let Some(id) = self.terms.get(t) {
                let n = &mut self.df[id as usize];
                *n = n.saturating_sub(1);
            }
        }
        self.leave_event(event, f, Some(times))
    }

    /// Moves an article from one event to another (a person's correction): its
    /// weights leave `from` (whose remaining articles have the publication `times`)
    /// and join `to`, which is created when it is not resident. The corpus statistics
    /// do not change. Returns false when `from` is now empty and has been dropped.
    pub fn transfer(
        &mut self,
        from: &str,
        to: &str,
        ts: Option<i64>,
        f: &Features,
        times: &[Option<i64>],
    ) -> bool {
        let kept = self.leave_event(from, f, Some(times));
        let ids: Vec<u32> = f.terms.iter().map(|(t, _)| self.term(t)).collect();
        self.join_event(to, ts, f, &ids);
        kept
    }

    /// Merges event `gone` into event `keep` (both resident): summed weights and
    /// entities, the union of their time spans. `gone` is dropped and reported among
    /// the events whose core changed. Returns false (and changes nothing) when either
    /// is not resident or they are the same event.
    pub fn absorb(&mut self, keep: &str, gone: &str) -> bool {
        let (Some(&k), Some(&g)) = (self.by_id.get(keep), self.by_id.get(gone)) else {
            return false;
        };
        if k == g {
            return false;
        }
        let Some(other) = self.slots[g as usize].as_ref() else {
            return false;
        };
        let (articles, first, last) = (other.articles, other.first_ts, other.last_ts);
        let centroid = other.centroid.clone();
        let entities = other.entities.clone();
        self.drop_slot(g);
        self.core_changed.insert(gone.to_string());
        self.clock += 1;
        let clock = self.clock;
        let limit = self.params.centroid_terms;
        let s = self.slots[k as usize].as_mut().expect("resident slot");
        s.articles += articles;
        s.changed_at = clock;
        s.changed();
        s.first_ts = [s.first_ts, first].into_iter().flatten().min();
        s.last_ts = [s.last_ts, last].into_iter().flatten().max();
        for (t, w) in centroid {
            *s.centroid.entry(t).or_default() += w;
        }
        prune(&mut s.centroid, limit, &self.terms);
        for (e, (name, w)) in entities {
            s.entities.entry(e).or_insert_with(|| (name, 0.0)).1 += w;
        }
        prune_entities(s, &self.entity_keys);
        self.repost(k);
        self.touched.insert(k);
        true
    }

    /// A second look, at the end of a batch, at the articles it placed (in the order
    /// they were placed). Each is scored again against the events that changed after
    /// it was placed: events opened later in the batch, and events that grew. The
    /// others score now what they scored then. When one of those clears the join
    /// threshold and beats the article's own event, scored without the article, the
    /// article moves there. An article that arrived before the articles that share
    /// its words opened an event nobody else found, or joined the nearest event then
    /// on offer; at the end of the batch it finds them. The bar is the one every
    /// article meets; what changed is what the events hold.
    ///
    /// An article placed with a score at the merge bar ([`Params::merge_threshold`])
    /// or above is settled and not looked at again: it fits its event as well as two
    /// events must fit each other to be one. Copies are for the caller to leave out:
    /// they follow their original, which then should not move without them.
    ///
    /// An event an article leaves keeps its time span here: the caller, who knows the
    /// times of the articles left in it, sets it again with [`Clusterer::respan`].
    /// Returns the moves made, in order; the caller records them in the store.
    pub fn second_look<'a>(
        &mut self,
        placed: impl IntoIterator<Item = Placed<'a>>,
    ) -> Vec<LateJoin> {
        let mut moved = Vec::new();
        for p in placed {
            let Some(&own) = self.by_id.get(p.event) else {
                continue;
            };
            let Placement { at, score, ids } = p.placement;
            if *score >= self.params.merge_threshold {
                continue;
            }
            let art = &self.weighted_ids(p.features, ids.iter().map(|&i| Some(i)));
            let best = self
                .score_candidates(p.ts, p.features, art, Some((*at, own)))
                .into_iter()
                .next()
                .filter(|c| c.score >= self.params.threshold);
            let Some(best) = best else {
                continue;
            };
            // Its own event without it (an event it was alone in is dropped).
            if self.leave_event(p.event, p.features, None) {
                let top = self.article_entities(p.features);
                let s = self.slots[own as usize].as_ref().expect("resident slot");
                if self.score_one(p.ts, p.features.month, art, &top, s).score >= best.score {
                    self.join_event(p.event, p.ts, p.features, ids);
                    continue;
                }
            }
            self.join_event(&best.event, p.ts, p.features, ids);
            moved.push(LateJoin {
                article: p.article.to_string(),
                from: p.event.to_string(),
                emptied: !self.by_id.contains_key(p.event),
                to: best.event,
                score: best.score,
            });
        }
        moved
    }

    /// Sets an event's time span from the publication times of its articles (after
    /// [`Clusterer::second_look`] took some out). An event not resident is left alone.
    pub fn respan(&mut self, event: &str, times: &[Option<i64>]) {
        if let Some(s) = self
            .by_id
            .get(event)
            .and_then(|&i| self.slots[i as usize].as_mut())
        {
            s.first_ts = times.iter().flatten().min().copied();
            s.last_ts = times.iter().flatten().max().copied();
        }
    }

    /// How alike two resident events are, as one score on the scale of
    /// [`Params::merge_threshold`]: the cosine of their TF-IDF mean vectors and the
    /// share of their linking cores they have in common, combined with the weights
    /// articles are scored with and faded by the gap between their spans.
    fn event_similarity(&self, a: &Slot, b: &Slot) -> f32 {
        let (na, nb) = (self.event_norm(a), self.event_norm(b));
        if na == 0.0 || nb == 0.0 {
            return 0.0;
        }
        let (ma, mb) = (a.articles.max(1) as f32, b.articles.max(1) as f32);
        let (small, large, ms, ml) = if a.centroid.len() <= b.centroid.len() {
            (a, b, ma, mb)
        } else {
            (b, a, mb, ma)
        };
        let dot: f32 = small
            .centroid
            .iter()
            .filter_map(|(t, w)| {
                let v = large.centroid.get(t)?;
                let idf = self.idf_of(Some(*t));
                Some(sublinear(w / ms) * idf * sublinear(v / ml) * idf)
            })
            .sum();
        let cosine = dot / (na * nb);
        let k = self.params.core_entities;
        let (ca, cb) = (
            &a.core[..a.core.len().min(k)],
            &b.core[..b.core.len().min(k)],
        );
        let shared = ca.iter().filter(|e| cb.contains(e)).count();
        let entities = shared as f32 / ca.len().min(cb.len()).max(1) as f32;
        let gap = match (a.first_ts, a.last_ts, b.first_ts, b.last_ts) {
            (Some(af), Some(al), Some(bf), Some(bl)) => {
                Some((bf - al).max(af - bl).max(0) as f32 / DAY as f32)
            }
            _ => None,
        };
        let w = self.params.entity_weight;
        // An undated event and a dated one are weighed as an undated article and a
        // dated event are (see `time_fade`): as if at the window's edge. A group of
        // undated reports that looks like a dated event is no better evidence of the
        // same event than one such report: look-alike instances (two players of one
        // team arrested for drunk driving a month apart; a rule made and its reversal)
        // share their words and most of their names, and the dated side's time cannot
        // be checked against the undated side. Two undated events are compared on
        // content alone.
        let one_side = a.first_ts.is_some() != b.first_ts.is_some();
        let fade = time_fade(gap, one_side, self.params.window_days);
        ((1.0 - w) * cosine + w * entities) * fade
    }

    /// The merge pass, over the events changed since the last save: an event that has
    /// grown to look like another resident event within the time window is merged
    /// with it (into the larger; on a tie, the earlier). Only events of at least
    /// [`Params::merge_min_articles`] articles take part, so one article never bridges
    /// two stories, and events named in `frozen` (a person corrected them) are left
    /// alone. Candidates come from the postings, as for articles. Returns the merges
    /// made, in order.
    pub fn merge_pass(&mut self, frozen: &HashSet<String>) -> Vec<MergeDone> {
        let min = self.params.merge_min_articles;
        let mut order: Vec<u32> = self.touched.iter().copied().collect();
        order.sort_unstable_by(|a, b| self.slot_order(*a, *b));
        let is_frozen = |id: &String| !frozen.is_empty() && frozen.contains(id);
        let mut done = Vec::new();
        for slot in order {
            let Some(s) = self.slots[slot as usize].as_ref() else {
                continue;
            };
            if s.articles < min || is_frozen(&s.id) {
                continue;
            }
            let mut counts: FxHashMap<u32, u32> = FxHashMap::default();
            for t in &s.posted {
                for &o in self.term_postings.get(*t) {
                    *counts.entry(o).or_default() += 1;
                }
            }
            for e in s.core.iter().take(self.params.core_entities) {
                for &o in self.entity_postings.get(*e) {
                    *counts.entry(o).or_default() += 2;
                }
            }
            let mut pool: Vec<(u32, u32)> = counts
                .into_iter()
                .filter(|(o, _)| *o != slot)
                .filter(|(o, _)| {
                    self.slots[*o as usize].as_ref().is_some_and(|x| {
                        x.articles >= min && !is_frozen(&x.id) && spans_near(s, x, MERGE_GAP_DAYS)
                    })
                })
                .collect();
            let by_count = |a: &(u32, u32), b: &(u32, u32)| {
                b.1.cmp(&a.1).then_with(|| self.slot_order(a.0, b.0))
            };
            if pool.len() > MERGE_CANDIDATES {
                pool.select_nth_unstable_by(MERGE_CANDIDATES - 1, by_count);
                pool.truncate(MERGE_CANDIDATES);
            }
            let best = pool
                .iter()
                .filter_map(|(o, _)| {
                    let x = self.slots[*o as usize].as_ref()?;
                    Some((*o, self.event_similarity(s, x)))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| self.slot_order(b.0, a.0)));
            let Some((other, score)) = best.filter(|b| {
                let both_undated = s.first_ts.is_none()
                    && self.slots[b.0 as usize]
                        .as_ref()
                        .is_some_and(|x| x.first_ts.is_none());
                b.1 >= self.merge_bar(both_undated)
            }) else {
                continue;
            };
            let x = self.slots[other as usize].as_ref().expect("in the pool");
            let key = |s: &Slot| {
                (
                    std::cmp::Reverse(s.articles),
                    s.first_ts.is_none(),
                    s.first_ts,
                    s.id.clone(),
                )
            };
            let (keep, gone) = if key(s) <= key(x) {
                (s.id.clone(), x.id.clone())
            } else {
                (x.id.clone(), s.id.clone())
            };
            if self.absorb(&keep, &gone) {
                done.push(MergeDone { keep, gone, score });
            }
        }
        done
    }

    /// The event-to-event score two events need to merge. Dated events need
    /// [`Params::merge_threshold`]: look-alike instances of one kind of event run days
    /// apart, and each of their articles already had its chance to join. Two undated
    /// events have no time to tell them apart, and one article of either would join
    /// the other on content alone at the join threshold; the pass holds the two
    /// events to that same bar.
    fn merge_bar(&self, both_undated: bool) -> f32 {
        if both_undated {
            self.params.threshold
        } else {
            self.params.merge_threshold
        }
    }

    /// The order of two resident slots' events for breaking ties: by the stable hash
    /// of their ids, then by the ids.
    fn slot_order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let key = |i: u32| {
            self.slots[i as usize]
                .as_ref()
                .map(|s| (s.key, s.id.as_str()))
        };
        key(a).cmp(&key(b))
    }

    /// Takes an article's weights out of an event, leaving the corpus statistics.
    /// `times`: the publication times of the articles that remain, for the event's
    /// new span; None keeps the span.
    fn leave_event(&mut self, event: &str, f: &Features, times: Option<&[Option<i64>]>) -> bool {
        let Some(&slot) = self.by_id.get(event) else {
            return true;
        };
        self.clock += 1;
        let clock = self.clock;
        let s = self.slots[slot as usize].as_mut().expect("resident slot");
        s.articles = s.articles.saturating_sub(1);
        if s.articles == 0 {
            self.core_changed.insert(event.to_string());
            self.drop_slot(slot);
            return false;
        }
        s.changed();
        s.changed_at = clock;
        for (t, w) in &f.terms {
            if let Some(id) = self.terms.get(t) {
                if let Some(x) = s.centroid.get_mut(&id) {
                    *x -= w;
                    if *x <= 1e-6 {
                        s.centroid.remove(&id);
                    }
                }
            }
        }
        for ent in f.entities.iter().take(20) {
            if let Some(id) = self.entity_keys.get(&ent.key) {
                if let Some(e) = s.entities.get_mut(&id) {
                    e.1 -= ent.salience();
                    if e.1 <= 1e-6 {
                        s.entities.remove(&id);
                    }
                }
            }
        }
        if let Some(times) = times {
            s.first_ts = times.iter().flatten().min().copied();
            s.last_ts = times.iter().flatten().max().copied();
        }
        self.repost(slot);
        self.touched.insert(slot);
        true
    }
}

/// One of an article's strongest entities as [`Clusterer::entity_overlap`] reads it.
struct ArticleEntity {
    id: Option<u32>,
    /// The interned [`short_name`] of a name of three words or more, if known.
    short: Option<u32>,
    /// Salience times the entity's rarity among resident events' cores.
    weight: f32,
}

/// Interns an entity key, and with a new key of three words or more its
/// [`short_name`] too, recorded in `short` (indexed by the key's id; [`NO_SHORT`] for
/// shorter names).
fn intern_entity(keys: &mut Interner, short: &mut Vec<u32>, key: &str) -> u32 {
    let (id, new) = keys.intern_new(key);
    if new {
        let s = short_name(key).map(|k| keys.intern_new(&k));
        // Interning the short form may have added it after `id`.
        short.resize(keys.capacity(), NO_SHORT);
        short[id as usize] = s.map_or(NO_SHORT, |(sid, _)| sid);
        // A short form interned here has no short form of its own (its id may be a
        // forgotten name's).
        if let Some((sid, true)) = s {
            short[sid as usize] = NO_SHORT;
        }
    }
    id
}

const NO_SHORT: u32 = u32::MAX;

/// Epoch days of a time (0 before 1970).
fn day_of(ts: i64) -> u32 {
    (ts.max(0) / DAY).min(u32::MAX as i64) as u32
}

/// How far apart (days) two dated events' spans may be for the merge pass: events
/// that converged as they grew run at the same time. Look-alike events days apart
/// (the next match of the same team, the next quake in the same region) had their
/// chance when their articles were assigned one by one.
const MERGE_GAP_DAYS: i64 = 1;

/// Whether two events' spans lie within `days` of each other (undated events are
/// near everything: content alone decides for them, as for undated articles).
fn spans_near(a: &Slot, b: &Slot, days: i64) -> bool {
    match (a.first_ts, a.last_ts, b.first_ts, b.last_ts) {
        (Some(af), Some(al), Some(bf), Some(bl)) => (bf - al).max(af - bl) <= days * DAY,
        _ => true,
    }
}

/// One article [`Clusterer::second_look`] moved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LateJoin {
    pub article: String,
    pub from: String,
    /// The article was alone in `from`, which is gone.
    pub emptied: bool,
    pub to: String,
    pub score: f32,
}

/// One merge the merge pass made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MergeDone {
    pub keep: String,
    pub gone: String,
    pub score: f32,
}

/// Keeps an event's `limit` strongest terms (ties to the smaller term, so that
/// pruning does not depend on hash order).
fn prune(centroid: &mut FxHashMap<u32, f32>, limit: usize, names: &Interner) {
    if centroid.len() <= limit || limit == 0 {
        return;
    }
    let mut v: Vec<(u32, f32)> = centroid.drain().collect();
    // Selecting the strongest is linear; a full sort with string tie-breaks was the
    // largest cost of joining a big event.
    v.select_nth_unstable_by(limit - 1, |a, b| {
        b.1.total_cmp(&a.1)
            .then_with(|| names.stable(a.0).cmp(&names.stable(b.0)))
    });
    v.truncate(limit);
    *centroid = v.into_iter().collect();
}

/// Entities an event keeps: its strongest by summed salience (and its core, always).
/// The centroid is pruned to its strongest terms; without this, an event that takes
/// articles for months would keep every name any of them mentioned once. An entity
/// outside the strongest thousand has a mention or two among hundreds of articles,
/// far from the core (15) and the links (16) that read them.
const ENTITY_LIMIT: usize = 1_000;

/// Cuts an event's entities back to [`ENTITY_LIMIT`] once they exceed it by a
/// quarter (so the selection runs once per many joins), keeping its core.
fn prune_entities(s: &mut Slot, names: &Interner) {
    if s.entities.len() <= ENTITY_LIMIT + ENTITY_LIMIT / 4 {
        return;
    }
    let mut v: Vec<(u32, (String, f32))> = s.entities.drain().collect();
    v.select_nth_unstable_by(ENTITY_LIMIT - 1, |a, b| {
        b.1 .1
            .total_cmp(&a.1 .1)
            .then_with(|| names.stable(a.0).cmp(&names.stable(b.0)))
    });
    let tail = v.split_off(ENTITY_LIMIT);
    v.extend(tail.into_iter().filter(|(id, _)| s.core.contains(id)));
    s.entities = v.into_iter().collect();
}

/// 64-bit FNV-1a: a hash that is the same in every process and on every platform.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Removes `slot` from a posting list (order does not matter).
/// The dot product of two sparse vectors sorted by id with no id twice in either,
/// as a merge without branches on the comparison (which of the two is behind is a
/// coin toss the branch predictor would lose).
fn merge_dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        dot += if x.0 == y.0 { x.1 * y.1 } else { 0.0 };
        i += usize::from(x.0 <= y.0);
        j += usize::from(y.0 <= x.0);
    }
    dot
}

/// An inverted index from term or entity id to the resident events posted under it.
///
/// Only ids with at least one resident event have an entry, so the index is sized by
/// the events in memory (a few thousand events, a few dozen ids each), not by the
/// vocabulary, which grows with the corpus: a lookup stays in cache however many
/// articles have gone by. An id nobody is posted under is one probe that misses.
#[derive(Debug, Default)]
struct Postings(FxHashMap<u32, Vec<u32>>);

impl Postings {
    fn get(&self, id: u32) -> &[u32] {
        self.0.get(&id).map_or(&[], Vec::as_slice)
    }

    fn post(&mut self, id: u32, slot: u32) {
        self.0.entry(id).or_default().push(slot);
    }

    fn unpost(&mut self, id: u32, slot: u32) {
        if let Some(list) = self.0.get_mut(&id) {
            if let Some(p) = list.iter().position(|&x| x == slot) {
                list.swap_remove(p);
            }
            if list.is_empty() {
                self.0.remove(&id);
            }
        }
    }
}

/// The items of sorted `a` that are not in sorted `b`.
fn sorted_minus(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::new();
    let mut j = 0;
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j >= b.len() || b[j] != x {
            out.push(x);
        }
    }
    out
}

/// A stable event id from the id of the article that opened it.
pub fn event_id(article_id: &str) -> String {
    format!("e{}", &blake3::hash(article_id.as_bytes()).to_hex()[..11])
}

/// Why two events are related.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The earlier event.
    pub from: String,
    /// The later event.
    pub to: String,
    /// Display names of the core entities they share, most salient first.
    pub shared: Vec<String>,
    /// Days between the end of the earlier and the start of the later (0 if they overlap).
    pub gap_days: Option<i64>,
}

impl Link {
    pub fn reason(&self) -> String {
        let gap = match self.gap_days {
            Some(0) => "overlapping in time".to_string(),
            Some(d) => format!("{d} days apart"),
            None => "undated".to_string(),
        };
        format!("shared entities: {}; {gap}", self.shared.join(", "))
    }
}

/// What linking needs of an event: its span and its most salient entities.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub id: String,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    /// `(key, display name)`, most salient first: twice the core, so that a link's
    /// reason can name every salient entity the two events share.
    pub top: Vec<(String, String)>,
}

/// What linking reads of a stored event: its span and its entities, without its
/// centroid (most of a stored state, and not needed for links). Deserialised from the
/// same JSON as [`EventState`]; the entities are read as a list, not a sorted map,
/// since only the strongest are kept.
#[derive(Debug, Deserialize)]
pub struct EventHead {
    pub id: String,
    pub first_ts: Option<i64>,
    pub last_ts: Option<i64>,
    #[serde(deserialize_with = "entity_list")]
    pub entities: Vec<EntityEntry>,
}

/// One entry of an event's entities: key, then (display name, summed salience).
pub type EntityEntry = (String, (String, f32));

impl EventHead {
    /// The same profile as [`EventState::profile`] gives for the same state.
    pub fn profile(self, core: usize) -> Profile {
        let entities = self
            .entities
            .iter()
            .map(|(k, (name, w))| (k.as_str(), name.as_str(), *w));
        profile_of(self.id, self.first_ts, self.last_ts, entities, core)
    }
}

/// A profile from an event's span and entities `(key, name, salience)`: its
/// `2 × core` strongest, ties broken by key (so the entities' order does not matter).
fn profile_of<'a>(
    id: String,
    first_ts: Option<i64>,
    last_ts: Option<i64>,
    entities: impl Iterator<Item = (&'a str, &'a str, f32)>,
    core: usize,
) -> Profile {
    // Only the chosen are copied out: an event may hold a thousand entities.
    let top = strongest(
        entities.map(|(k, name, w)| ((k, name), k, w)).collect(),
        core * 2,
    )
    .into_iter()
    .map(|(k, name)| (k.to_string(), name.to_string()))
    .collect();
    Profile {
        id,
        first_ts,
        last_ts,
        top,
    }
}

/// A JSON object of entities as a list of its entries, in the order written.
fn entity_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<EntityEntry>, D::Error> {
    struct Entries;
    impl<'de> serde::de::Visitor<'de> for Entries {
        type Value = Vec<EntityEntry>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of entity keys to (name, salience)")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut m: A,
        ) -> Result<Self::Value, A::Error> {
            let mut v = Vec::with_capacity(m.size_hint().unwrap_or(0));
            while let Some(entry) = m.next_entry::<String, (String, f32)>()? {
                v.push(entry);
            }
            Ok(v)
        }
    }
    d.deserialize_map(Entries)
}

impl EventState {
    /// What linking needs of this event, for a core of `core` entities.
    pub fn profile(&self, core: usize) -> Profile {
        let entities = self
            .entities
            .iter()
            .map(|(k, (name, w))| (k.as_str(), name.as_str(), *w));
        profile_of(self.id.clone(), self.first_ts, self.last_ts, entities, core)
    }
}

/// Links between event `a` and each of `others`: two events are related when they
/// share at least two of their core entities and those make up at least a third of
/// the smaller core.
pub fn link_profiles(a: &Profile, others: &[Profile], core: usize) -> Vec<Link> {
    let core_a: Vec<&str> = a.top.iter().take(core).map(|x| x.0.as_str()).collect();
    let mut out = Vec::new();
    for b in others {
        if a.id == b.id {
            continue;
        }
        let core_b: Vec<&str> = b.top.iter().take(core).map(|x| x.0.as_str()).collect();
        if !cores_linked(&core_a, &core_b) {
            continue;
        }
        // The reason names every salient entity they share, not only the core, each
        // once, by its fullest form.
        let shared_top: Vec<&(String, String)> = a
            .top
            .iter()
            .filter(|x| b.top.iter().any(|y| y.0 == x.0))
            .collect();
        let keys: Vec<&str> = shared_top.iter().map(|x| x.0.as_str()).collect();
        let shared: Vec<String> = name_groups(&keys)
            .into_iter()
            .map(|group| {
                group
                    .into_iter()
                    .map(|i| shared_top[i].1.as_str())
                    .max_by_key(|name| (name.chars().count(), std::cmp::Reverse(*name)))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        let (first, second) = if order_key(a) <= order_key(b) {
            (a, b)
        } else {
            (b, a)
        };
        let gap_days = match (first.last_ts, second.first_ts) {
            (Some(l), Some(f)) => Some(((f - l).max(0)) / DAY),
            _ => None,
        };
        out.push(Link {
            from: first.id.clone(),
            to: second.id.clone(),
            shared,
            gap_days,
        });
    }
    out
}

/// The link test on two events' cores (entity keys, most salient first): the shared
/// keys name at least two people, places or organisations and fill at least a third
/// of the smaller core. Names, not keys, are counted: `Trump` and `Donald Trump` in
/// both cores are one shared name, not two. The core stays a count of keys (8), so
/// this is never looser than the test on keys alone that finds the candidates.
fn cores_linked(a: &[&str], b: &[&str]) -> bool {
    let shared: Vec<&str> = a.iter().filter(|k| b.contains(k)).copied().collect();
    if shared.len() < 2 {
        return false;
    }
    let shared = name_groups(&shared).len();
    let smaller = a.len().min(b.len()).max(1);
    shared >= 2 && shared * 3 >= smaller
}

/// Whether two entity keys are one name for a link: the same key, a name and its
/// short form (`adam b schiff`, `adam schiff`), a name and its last word alone
/// (`donald trump`, `trump`), or the singular and the plural (`house republican`,
/// `house republicans`). Only keys both events hold are compared, so a surname is
/// not taken for someone else's.
fn one_name(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    long.strip_suffix('s') == Some(short)
        || short_name(long).as_deref() == Some(short)
        || (!short.contains(' ') && long.rsplit(' ').next() == Some(short))
}

/// The keys grouped by [`one_name`], as indices into `keys`, in order of first
/// appearance; a key joins the first group holding a key it names.
fn name_groups(keys: &[&str]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match groups
            .iter_mut()
            .find(|g| g.iter().any(|&j| one_name(keys[j], k)))
        {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    groups
}

fn order_key(e: &Profile) -> (i64, &str) {
    (e.first_ts.unwrap_or(i64::MAX), e.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_analyze::Entity;

    #[test]
    fn strongest_selects_by_salience_then_key() {
        let v = || {
            vec![
                (1, "kim", 1.0),
                (2, "putin", 3.0),
                (3, "amur", 1.0),
                (4, "vostochny", 2.0),
                (5, "biden", 1.0),
            ]
        };
        assert_eq!(strongest(v(), 3), vec![2, 4, 3]);
        assert_eq!(strongest(v(), 10), vec![2, 4, 3, 5, 1]);
        assert_eq!(strongest(v(), 5), strongest(v(), 10));
        assert!(strongest(v(), 0).is_empty());
    }

    #[test]
    fn merge_dot_is_the_sparse_dot_product() {
        // Ids spread with a multiplicative hash, so the two vectors interleave and
        // share some ids; compared with a dot product by lookup.
        let a: Vec<(u32, f32)> = {
            let mut v: Vec<_> = (0..140u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) % 1_000, 1.0 + i as f32 / 7.0))
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            v.dedup_by_key(|x| x.0);
            v
        };
        let b: Vec<(u32, f32)> = {
            let mut v: Vec<_> = (0..400u32)
                .map(|i| (i.wrapping_mul(40_503) % 1_000, 0.5 + i as f32 / 100.0))
                .collect();
            v.sort_unstable_by_key(|x| x.0);
            v.dedup_by_key(|x| x.0);
            v
        };
        let lookup: FxHashMap<u32, f32> = b.iter().copied().collect();
        let want: f32 = a
            .iter()
            .filter_map(|(t, x)| lookup.get(t).map(|y| x * y))
            .sum();
        assert!(want > 0.0);
        assert!((merge_dot(&a, &b) - want).abs() <= want * 1e-5);
        assert_eq!(merge_dot(&a, &[]), 0.0);
        assert_eq!(merge_dot(&[(3, 2.0)], &[(3, 4.0)]), 8.0);
    }

    /// An event's core chosen from scratch among all its entities (what the core kept
    /// up join by join must equal).
    fn core_from_scratch(c: &Clusterer, s: &Slot) -> Vec<u32> {
        strongest(
            s.entities
                .iter()
                .map(|(k, v)| (*k, c.entity_keys.name(*k), v.1))
                .collect(),
            CORE,
        )
    }

    fn feats(terms: &[(&str, f32)], ents: &[&str]) -> Features {
        Features {
            terms: terms.iter().map(|(t, w)| (t.to_string(), *w)).collect(),
            entities: ents
                .iter()
                .map(|k| Entity {
                    key: k.to_string(),
                    name: k.to_string(),
                    mentions: 2,
                    in_title: false,
                })
                .collect(),
            ..Features::default()
        }
    }

    #[test]
    fn a_long_running_event_keeps_its_strongest_entities_and_its_core() {
        // Four hundred reports of one story, each naming the story's two people and
        // five names nobody else mentions: the event keeps a bounded set of entities,
        // the two people lead its core, and its core is the one chosen from scratch
        // among what it keeps.
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        for a in 0..400 {
            let once: Vec<String> = (0..5).map(|k| format!("bystander {a} {k}")).collect();
            let mut ents = vec!["kim jong un", "vladimir putin"];
            ents.extend(once.iter().map(String::as_str));
            c.join(
                "e-story",
                Some(1_000 * DAY + a * 60),
                &feats(&[("summit", 2.0)], &ents),
            );
            let s = c.slots[c.by_id["e-story"] as usize].as_ref().unwrap();
            assert!(
                s.entities.len() <= ENTITY_LIMIT + ENTITY_LIMIT / 4,
                "{}",
                s.entities.len()
            );
        }
        let s = c.slots[c.by_id["e-story"] as usize].as_ref().unwrap();
        assert!(s.entities.len() >= ENTITY_LIMIT);
        let names: Vec<&str> = s.core.iter().map(|&e| c.entity_keys.name(e)).collect();
        assert_eq!(&names[..2], &["kim jong un", "vladimir putin"]);
        assert_eq!(s.core, core_from_scratch(&c, s));
        assert_eq!(c.event("e-story").unwrap().articles, 400);
    }

    #[test]
    fn admitting_a_stored_event_leaves_its_links_alone() {
        // An event brought back from the store has the core its links were saved
        // with: its links are not recomputed (they were found around its own dates;
        // an ingest of other dates would look for them in the wrong place).
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let f = feats(&[("summit", 3.0)], &["kim jong un", "vladimir putin"]);
        let e = c.assign("a1", Some(1_000 * DAY), &f).event;
        assert_eq!(c.take_core_changed(), vec![e.clone()]);
        let state = c.event(&e).unwrap();
        let mut fresh = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        fresh.admit(vec![state]);
        assert!(fresh.is_resident(&e));
        assert!(fresh.take_core_changed().is_empty());
        // A change after that is a change.
        fresh.join(
            &e,
            Some(1_000 * DAY),
            &feats(&[("summit", 1.0)], &["vostochny"]),
        );
        fresh.join(
            &e,
            Some(1_000 * DAY),
            &feats(&[("summit", 1.0)], &["vostochny"]),
        );
        assert_eq!(fresh.take_core_changed(), vec![e]);
    }

    #[test]
    fn a_stored_vocabulary_forgets_idle_terms_and_decides_as_if_it_held_them_all() {
        // Two clusterers on one stream of 60 days: one holds every term; the other
        // keeps its vocabulary in a "store" (a map updated after each batch, as
        // ingest's save does), forgets idle terms and names at every batch, and looks
        // up the terms it meets again. Every decision, score and merge is the same.
        let mut all = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let params = Params {
            forget_from: 1,
            ..Params::default()
        };
        let mut held = Clusterer::new(params, Corpus::default(), vec![]).with_stored_vocabulary();
        let mut store: HashMap<String, u64> = HashMap::new();
        let mut stream = Vec::new();
        for day in 0..60i64 {
            for k in 0..6i64 {
                // Events of four days each; three kinds of event share their words.
                let event = (day / 4) * 6 + k;
                let kind = ["quake", "election", "strike"][(k % 3) as usize];
                let mut terms = vec![
                    (kind.to_string(), 3.0),
                    (format!("{kind}-words"), 2.0),
                    (format!("rare{event}"), 2.0),
                    (format!("rarer{event}-{}", day % 2), 1.0),
                    ("said".to_string(), 1.0),
                ];
                // A rare word of the first days that comes back at the end.
                if !(2..=55).contains(&day) && k == 0 {
                    terms.push(("comet".to_string(), 2.0));
                }
                let f = Features {
                    terms,
                    entities: vec![Entity {
                        key: format!("person {event}"),
                        name: format!("Person {event}"),
                        mentions: 2,
                        in_title: true,
                    }],
                    ..Features::default()
                };
                stream.push((format!("a{day}-{k}"), day * DAY + k * 3_600, f));
            }
        }
        for batch in stream.chunks(20) {
            let (lo, hi) = (batch[0].1, batch[batch.len() - 1].1);
            all.evict(lo, hi, 0);
            held.evict(lo, hi, 0);
            if (30 * DAY..40 * DAY).contains(&lo) {
                assert!(
                    held.terms.get("comet").is_none(),
                    "forgotten in the meantime"
                );
                assert!(all.terms.get("comet").is_some());
            }
            let unknown = held.unknown_terms(&[], batch.iter().map(|x| &x.2));
            let dfs: Vec<(&str, u64)> = unknown
                .iter()
                .filter_map(|t| store.get(*t).map(|n| (*t, *n)))
                .collect();
            held.restore_df(dfs);
            for (id, ts, f) in batch {
                let (a, b) = (all.assign(id, Some(*ts), f), held.assign(id, Some(*ts), f));
                assert_eq!(a.event, b.event, "{id}");
                assert_eq!(a.candidates.len(), b.candidates.len(), "{id}");
                for (x, y) in a.candidates.iter().zip(&b.candidates) {
                    assert_eq!(x.event, y.event, "{id}");
                    assert!((x.score - y.score).abs() < 1e-5, "{id}: {x:?} {y:?}");
                }
                for (t, _) in &f.terms {
                    *store.entry(t.clone()).or_default() += 1;
                }
            }
            let merges = |c: &mut Clusterer| -> Vec<(String, String)> {
                c.merge_pass(&HashSet::new())
                    .into_iter()
                    .map(|m| (m.keep, m.gone))
                    .collect()
            };
            assert_eq!(merges(&mut all), merges(&mut held));
            all.take_touched();
            held.take_touched();
        }
        // The comet came back after 54 days: looked up, not counted from zero.
        let idf = |c: &Clusterer| c.idf_of(c.terms.get("comet"));
        assert_eq!(idf(&all), idf(&held));
        assert_eq!(held.df[held.terms.get("comet").unwrap() as usize], 6);
        // What the window left behind is gone: the held vocabulary is a fraction of
        // the whole.
        assert!(
            held.vocabulary() * 2 < all.vocabulary(),
            "{} {}",
            held.vocabulary(),
            all.vocabulary()
        );
        assert!(held.terms.get("rare0").is_none());
        assert!(all.terms.get("rare0").is_some());
        // Without a stored vocabulary nothing is unknown and nothing is forgotten.
        assert!(all
            .unknown_terms(&[], stream.iter().map(|x| &x.2))
            .is_empty());
    }

    #[test]
    fn the_core_kept_up_at_each_join_is_the_core_chosen_from_scratch() {
        // One story, thirty articles naming overlapping sets of many entities (ties
        // at one mention everywhere): after every join, the core chosen from the old
        // core and the article's entities equals the one chosen among all of them.
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let names: Vec<String> = (0..60)
            .map(|i| format!("name{:02}", (i * 37) % 60))
            .collect();
        for a in 0..30usize {
            let ents: Vec<&str> = (0..12)
                .map(|k| names[(a * 7 + k * 5) % 60].as_str())
                .collect();
            let f = feats(
                &[("summit", 3.0), ("vladivostok", 2.0), ("talks", 1.0)],
                &ents,
            );
            c.assign(&format!("a{a}"), Some(1_000 * DAY + a as i64 * 60), &f);
            for s in c.slots.iter().flatten() {
                assert_eq!(s.core, core_from_scratch(&c, s), "after article {a}");
            }
        }
        assert_eq!(c.resident(), 1);
    }

    #[test]
    fn same_story_joins_and_distant_date_does_not() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let quake = feats(
            &[("earthquak", 3.0), ("tokyo", 2.0), ("tsunami", 1.0)],
            &["tokyo", "japan"],
        );
        let d1 = c.assign("a", Some(1_000 * DAY), &quake);
        assert!(d1.created);
        let d2 = c.assign("b", Some(1_001 * DAY), &quake);
        assert!(!d2.created);
        assert_eq!(d2.event, d1.event);
        // The same words a year later: a new event.
        let d3 = c.assign("c", Some(1_365 * DAY), &quake);
        assert!(d3.created);
        assert_ne!(d3.event, d1.event);
        // Unrelated words on the same day: a new event.
        let other = feats(&[("elect", 3.0), ("parliament", 2.0)], &["berlin"]);
        assert!(c.assign("d", Some(1_001 * DAY), &other).created);
    }

    #[test]
    fn a_name_matches_its_short_form_and_not_a_look_alike() {
        let overlap = |event_names: &[&str], article_names: &[&str]| {
            let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
            let terms = [("shoot", 3.0), ("polic", 2.0)];
            let d = c.assign("a", Some(DAY), &feats(&terms, event_names));
            c.score_event(Some(DAY), &feats(&terms, article_names), &d.event)
                .expect("resident")
                .entity_overlap
        };
        // The first and last word of a longer name, either side.
        let same = overlap(
            &["kimani kiki gray", "brooklyn"],
            &["kimani gray", "brooklyn"],
        );
        assert!((same - 1.0).abs() < 1e-6, "{same}");
        let same = overlap(
            &["kimani gray", "brooklyn"],
            &["kimani kiki gray", "brooklyn"],
        );
        assert!((same - 1.0).abs() < 1e-6, "{same}");
        // Two long names that only share their first and last words are not one.
        let other = overlap(
            &["los angeles police department", "brooklyn"],
            &["los angeles fire department", "brooklyn"],
        );
        let unrelated = overlap(
            &["los angeles police department", "brooklyn"],
            &["springfield county fire department", "brooklyn"],
        );
        assert!(
            other < 1.0 && (other - unrelated).abs() < 1e-6,
            "{other} {unrelated}"
        );
        assert_eq!(short_name("john w henry").as_deref(), Some("john henry"));
        assert_eq!(short_name("kimani gray"), None);
        assert_eq!(short_name("gray"), None);
    }

    #[test]
    fn an_unknown_gap_is_weighed_as_the_window_edge_when_one_side_is_dated() {
        let w = Params::default().window_days;
        assert_eq!(time_fade(Some(0.0), false, w), 1.0);
        assert!((time_fade(Some(w as f32), false, w) - 0.7).abs() < 1e-6);
        assert!((time_fade(None, true, w) - 0.7).abs() < 1e-6);
        assert_eq!(time_fade(None, false, w), 1.0);

        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let quake = feats(
            &[("earthquak", 3.0), ("tokyo", 2.0), ("tsunami", 1.0)],
            &["tokyo", "japan"],
        );
        let dated = c.assign("a", Some(1_000 * DAY), &quake).event;
        // An undated article with the same words: scored at the edge's weight.
        let d = c.assign("b", None, &quake);
        let cand = d.candidates.iter().find(|x| x.event == dated).unwrap();
        assert!((cand.time_fade - 0.7).abs() < 1e-6);
        let content = 0.7 * cand.cosine + 0.3 * cand.entity_overlap;
        assert!((cand.score - content * 0.7).abs() < 1e-5);
        assert_eq!(d.event, dated, "the same words still clear the threshold");
        // Two undated articles are compared on content alone, at full weight.
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let first = c.assign("a", None, &quake).event;
        let d = c.assign("b", None, &quake);
        assert_eq!(d.event, first);
        assert_eq!(d.candidates[0].time_fade, 1.0);
    }

    #[test]
    fn an_article_known_to_a_month_reaches_only_events_near_that_month() {
        let quake = feats(
            &[("earthquak", 3.0), ("tokyo", 2.0), ("tsunami", 1.0)],
            &["tokyo", "japan"],
        );
        // February of some year, as its URL says: days 31 to 59 from a 1st of January.
        let year = 1_000 * DAY;
        let feb = (year + 31 * DAY, year + 59 * DAY);
        let in_feb = Features {
            month: Some(feb),
            ..quake.clone()
        };
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let march_early = c.assign("a", Some(year + 62 * DAY), &quake).event;
        let june = c.assign("b", Some(year + 160 * DAY), &quake).event;
        assert_ne!(march_early, june);
        let d = c.assign("c", None, &in_feb);
        assert!(d.undated, "a month is not a publication date");
        assert!(
            d.candidates.iter().all(|x| x.event != june),
            "June is beyond the window of February: {:?}",
            d.candidates
        );
        let cand = d
            .candidates
            .iter()
            .find(|x| x.event == march_early)
            .unwrap();
        assert_eq!(cand.gap_days, None);
        assert!(
            (cand.time_fade - 0.7).abs() < 1e-6,
            "where in February is unknown"
        );
        assert_eq!(d.event, march_early);
        // It leaves the event's span as it was.
        assert_eq!(
            c.event(&march_early).map(|e| (e.first_ts, e.last_ts)),
            Some((Some(year + 62 * DAY), Some(year + 62 * DAY)))
        );
        // An undated event's time cannot be checked against the month: the edge's
        // weight, as for a dated article (an undated one would get full weight).
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let undated = c.assign("a", None, &quake).event;
        let d = c.assign("b", None, &in_feb);
        let cand = d.candidates.iter().find(|x| x.event == undated).unwrap();
        assert!((cand.time_fade - 0.7).abs() < 1e-6);
        let d = c.assign("c", None, &quake);
        assert_eq!(d.candidates[0].time_fade, 1.0);
    }

    #[test]
    fn leaving_undoes_joining() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let a = feats(&[("earthquak", 3.0), ("tokyo", 2.0)], &["tokyo"]);
        let b = feats(&[("earthquak", 1.0), ("tsunami", 2.0)], &["japan"]);
        let d = c.assign("a", Some(10 * DAY), &a);
        c.join(&d.event, Some(11 * DAY), &b);
        assert!(c.leave(&d.event, &b, &[Some(10 * DAY)]));
        let e = c.event(&d.event).unwrap();
        assert_eq!(e.articles, 1);
        assert_eq!(e.last_ts, Some(10 * DAY));
        assert!(!e.centroid.contains_key("tsunami"));
        assert!(!e.entities.contains_key("japan"));
        assert_eq!(c.docs(), 1);
        assert!(!c.leave(&d.event, &a, &[]));
        assert!(c.event(&d.event).is_none());
    }

    #[test]
    fn absorbing_sums_two_events_and_transfer_moves_one_article() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let a = feats(&[("earthquak", 3.0), ("tokyo", 2.0)], &["tokyo"]);
        let b = feats(&[("elect", 3.0), ("parliament", 2.0)], &["berlin"]);
        let ea = c.assign("a", Some(10 * DAY), &a).event;
        let eb = c.assign("b", Some(12 * DAY), &b).event;
        assert_ne!(ea, eb);
        c.take_core_changed();
        assert!(c.absorb(&ea, &eb));
        assert!(!c.is_resident(&eb));
        assert!(c.take_core_changed().contains(&eb));
        let e = c.event(&ea).unwrap();
        assert_eq!(e.articles, 2);
        assert_eq!((e.first_ts, e.last_ts), (Some(10 * DAY), Some(12 * DAY)));
        assert_eq!(e.centroid["parliament"], 2.0);
        assert!(e.entities.contains_key("berlin"));
        // Not twice, and not with itself.
        assert!(!c.absorb(&ea, &eb));
        assert!(!c.absorb(&ea, &ea));
        // Moving b out again into a new event: the first keeps only a's weights, and
        // the corpus statistics are those of two articles throughout.
        assert!(c.transfer(&ea, "e-new", Some(12 * DAY), &b, &[Some(10 * DAY)]));
        let e = c.event(&ea).unwrap();
        assert_eq!(e.articles, 1);
        assert_eq!(e.last_ts, Some(10 * DAY));
        assert!(!e.centroid.contains_key("parliament"));
        let n = c.event("e-new").unwrap();
        assert_eq!(n.articles, 1);
        assert_eq!(n.centroid["elect"], 3.0);
        assert_eq!(c.docs(), 2);
        // Moving the last article out drops the event.
        assert!(!c.transfer(&ea, "e-new", Some(10 * DAY), &a, &[]));
        assert!(!c.is_resident(&ea));
        assert_eq!(c.event("e-new").unwrap().articles, 2);
    }

    #[test]
    fn the_merge_pass_joins_halves_of_one_event_and_nothing_else() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let quake = |extra: &str| {
            feats(
                &[
                    ("earthquak", 3.0),
                    ("tokyo", 2.0),
                    ("tsunami", 2.0),
                    (extra, 1.0),
                ],
                &["tokyo", "japan", "jma"],
            )
        };
        let vote = feats(
            &[("elect", 3.0), ("parliament", 2.0), ("ballot", 2.0)],
            &["berlin", "bundestag", "scholz"],
        );
        // Two halves of one event, as if an early article had opened a second event.
        let a = c.assign("a", Some(10 * DAY), &quake("rubbl")).event;
        c.join(&a, Some(10 * DAY), &quake("aftershock"));
        c.join("e-half", Some(11 * DAY), &quake("power"));
        c.join("e-half", Some(11 * DAY), &quake("evacu"));
        // Another event that day, and a one-article look-alike that is too small.
        let v = c.assign("v", Some(10 * DAY), &vote).event;
        c.join(&v, Some(10 * DAY), &vote);
        c.join("e-single", Some(10 * DAY), &quake("fire"));
        // A person put "e-frozen" apart: it stays apart.
        c.join("e-frozen", Some(10 * DAY), &quake("school"));
        c.join("e-frozen", Some(10 * DAY), &quake("school"));
        let frozen: HashSet<String> = ["e-frozen".to_string()].into();
        let done = c.merge_pass(&frozen);
        assert_eq!(done.len(), 1, "{done:?}");
        assert_eq!(
            (done[0].keep.as_str(), done[0].gone.as_str()),
            (a.as_str(), "e-half")
        );
        assert!(done[0].score >= c.params().merge_threshold);
        assert_eq!(c.event(&a).unwrap().articles, 4);
        for id in [&v, "e-single", "e-frozen"] {
            assert!(c.is_resident(id), "{id}");
        }
        // Nothing left to merge: a second pass does nothing.
        assert!(c.merge_pass(&frozen).is_empty());
        // Three days apart, inside the join window, the same words are still two
        // events for the merge pass: it only joins events that run at the same time.
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        c.join("e-1", Some(10 * DAY), &quake("x"));
        c.join("e-1", Some(10 * DAY), &quake("y"));
        c.join("e-2", Some(13 * DAY), &quake("x"));
        c.join("e-2", Some(13 * DAY), &quake("y"));
        assert!(c.merge_pass(&HashSet::new()).is_empty());
        c.join("e-3", Some(11 * DAY), &quake("x"));
        c.join("e-3", Some(11 * DAY), &quake("y"));
        assert_eq!(c.merge_pass(&HashSet::new()).len(), 1);
    }

    impl Clusterer {
        fn slot_of(&self, id: &str) -> Option<&Slot> {
            self.by_id
                .get(id)
                .and_then(|&i| self.slots[i as usize].as_ref())
        }
    }

    /// The articles a test placed, as the second look takes them.
    fn placed(v: &[(String, Decision, Features)]) -> impl Iterator<Item = Placed<'_>> {
        v.iter().map(|(id, d, f)| Placed {
            article: id,
            event: &d.event,
            ts: None,
            features: f,
            placement: &d.placement,
        })
    }

    /// Three unrelated events, so that the shared words are not everywhere.
    fn background(c: &mut Clusterer) {
        for (i, (w, place)) in [("elect", "berlin"), ("budget", "rome"), ("storm", "oslo")]
            .iter()
            .enumerate()
        {
            for k in 0..3 {
                let f = feats(&[(w, 3.0), ("said", 1.0)], &[place]);
                c.assign(&format!("o{i}{k}"), None, &f);
            }
        }
    }

    /// A harbour story that grows and comes round to the bridge.
    fn harbour_story() -> Vec<Features> {
        vec![
            feats(
                &[("harbour", 3.0), ("closur", 2.0), ("ship", 2.0)],
                &["port authority"],
            ),
            feats(
                &[
                    ("harbour", 3.0),
                    ("closur", 2.0),
                    ("ship", 1.0),
                    ("bridge", 1.0),
                ],
                &["port authority", "rotterdam"],
            ),
            feats(
                &[("harbour", 3.0), ("closur", 2.0), ("bridge", 2.0)],
                &["port authority", "rotterdam"],
            ),
        ]
    }

    #[test]
    fn a_lone_article_joins_at_the_second_look_the_event_that_grew_after_it() {
        let run = |twice: bool| {
            let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
            background(&mut c);
            // A short piece on a bridge, before anyone wrote about the harbour.
            let a = feats(
                &[("bridge", 3.0), ("harbour", 1.0), ("said", 1.0)],
                &["rotterdam"],
            );
            let first = c.assign("a", None, &a);
            assert!(first.created);
            let bridge = first.event.clone();
            let mut done = vec![("a".to_string(), first, a.clone())];
            if twice {
                let d = c.assign("a2", None, &a);
                done.push(("a2".to_string(), d, a.clone()));
            }
            for (k, b) in harbour_story().into_iter().enumerate() {
                let d = c.assign(&format!("b{k}"), None, &b);
                assert_ne!(d.event, bridge, "the harbour story opens its own event");
                done.push((format!("b{k}"), d, b));
            }
            let harbour = c.candidates(None, &a)[1].event.clone();
            let moves = c.second_look(placed(&done));
            (c, bridge, harbour, moves)
        };
        let (c, bridge, harbour, moves) = run(false);
        assert_eq!(moves.len(), 1, "{moves:?}");
        assert_eq!(
            (moves[0].article.as_str(), &moves[0].from, &moves[0].to),
            ("a", &bridge, &harbour)
        );
        assert!(moves[0].emptied);
        assert!(moves[0].score >= c.params().threshold);
        assert!(!c.is_resident(&bridge), "the emptied event is gone");
        assert_eq!(c.event(&harbour).unwrap().articles, 4);
        // Two like articles: each fits the other better than the harbour story.
        let (c, bridge, _, moves) = run(true);
        assert!(moves.is_empty(), "{moves:?}");
        assert_eq!(c.event(&bridge).unwrap().articles, 2);
    }

    /// A bridge-repair story, then a piece that joins it on the bridge although it is
    /// about a harbour strike, then the strike story proper, which opens its own
    /// event. Returns the placed articles, the repair event and the strike event.
    fn strike_after_repair(
        c: &mut Clusterer,
    ) -> (Vec<(String, Decision, Features)>, String, String) {
        background(c);
        let mut done = Vec::new();
        let mut place = |c: &mut Clusterer, id: &str, f: Features| {
            let d = c.assign(id, None, &f);
            let event = d.event.clone();
            done.push((id.to_string(), d, f));
            event
        };
        let repair = (0..3)
            .map(|k| {
                let f = feats(
                    &[
                        ("bridge", 3.0),
                        ("repair", 3.0),
                        ("council", 2.0),
                        ("crack", 2.0),
                        ("steel", 2.0),
                        ("engineer", 2.0),
                        ("traffic", 2.0),
                    ],
                    &["rotterdam", "city council"],
                );
                place(c, &format!("r{k}"), f)
            })
            .last()
            .unwrap();
        let a = feats(
            &[
                ("bridge", 2.0),
                ("repair", 1.0),
                ("harbour", 1.0),
                ("strike", 2.0),
                ("cargo", 1.0),
            ],
            &["rotterdam", "pier 9"],
        );
        assert_eq!(
            place(c, "a", a),
            repair,
            "the strike piece joins the repair story"
        );
        let strike = |extra: &str, ents: &[&str]| {
            feats(
                &[
                    ("strike", 3.0),
                    ("harbour", 2.0),
                    ("cargo", 2.0),
                    ("wage", 2.0),
                    ("picket", 2.0),
                    ("pay", 2.0),
                    (extra, 1.0),
                ],
                ents,
            )
        };
        let first = place(c, "b0", strike("ship", &["dock union", "maersk"]));
        assert_ne!(first, repair, "the strike story opens its own event");
        for (k, extra) in ["talk", "bridge"].iter().enumerate() {
            let f = strike(extra, &["dock union", "maersk", "pier 9"]);
            assert_eq!(place(c, &format!("b{}", k + 1), f), first);
        }
        (done, repair, first)
    }

    #[test]
    fn an_article_leaves_the_nearest_event_on_offer_for_a_better_one_opened_after_it() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let (done, repair, strike) = strike_after_repair(&mut c);
        let a = done.iter().position(|x| x.0 == "a").unwrap();
        let placed_with = done[a].1.placement.score();
        assert!(
            (c.params().threshold..c.params().merge_threshold).contains(&placed_with),
            "{placed_with}"
        );
        let moves = c.second_look(placed(&done));
        assert_eq!(moves.len(), 1, "{moves:?}");
        let m = &moves[0];
        assert_eq!(
            (m.article.as_str(), &m.from, &m.to),
            ("a", &repair, &strike)
        );
        assert!(!m.emptied);
        assert!(m.score > placed_with);
        let repair = c.event(&repair).unwrap();
        assert_eq!(repair.articles, 3);
        assert_eq!(c.event(&strike).unwrap().articles, 4);
        // The repair story holds again only what its own articles brought.
        assert!(!repair.centroid.contains_key("strike"), "{repair:?}");
        assert!(!repair.entities.contains_key("pier 9"), "{repair:?}");
    }

    #[test]
    fn an_article_placed_at_the_merge_bar_is_settled() {
        // The same stream; only the score the piece was placed with differs.
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let (mut done, repair, _) = strike_after_repair(&mut c);
        let sure = c.params().merge_threshold;
        let a = done.iter().position(|x| x.0 == "a").unwrap();
        done[a].1.placement.score = sure;
        assert_eq!(done[a].1.placement.score(), sure);
        assert!(c.second_look(placed(&done)).is_empty());
        assert_eq!(c.event(&repair).unwrap().articles, 4);
    }

    #[test]
    fn respan_sets_the_span_from_the_times_given() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let f = feats(&[("bridge", 3.0)], &[]);
        c.join("e", Some(DAY), &f);
        c.join("e", Some(5 * DAY), &f);
        c.respan("e", &[Some(2 * DAY), None, Some(3 * DAY)]);
        let e = c.event("e").unwrap();
        assert_eq!((e.first_ts, e.last_ts), (Some(2 * DAY), Some(3 * DAY)));
        c.respan("e", &[None]);
        assert_eq!(c.event("e").unwrap().first_ts, None);
        c.respan("not resident", &[Some(DAY)]);
    }

    /// A clusterer holding two events of two articles each, `e-a` (of `a`, at `ta`)
    /// and `e-b` (of `b`, at `tb`), beside three unrelated events dated `ta`, so that
    /// the words the two share are not everywhere.
    fn two_events(a: &Features, ta: Option<i64>, b: &Features, tb: Option<i64>) -> Clusterer {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        for (i, (w, place)) in [("elect", "berlin"), ("budget", "rome"), ("storm", "oslo")]
            .iter()
            .enumerate()
        {
            let e = format!("e-other{i}");
            c.join(&e, ta, &feats(&[(w, 3.0)], &[place]));
            c.join(&e, ta, &feats(&[(w, 3.0)], &[place]));
        }
        c.join("e-a", ta, a);
        c.join("e-a", ta, a);
        c.join("e-b", tb, b);
        c.join("e-b", tb, b);
        c
    }

    #[test]
    fn undated_events_merge_at_the_join_threshold_and_dated_ones_do_not() {
        // Two groups that share some words and entities, not all.
        let a = feats(
            &[
                ("robber", 3.0),
                ("jewel", 2.0),
                ("pari", 2.0),
                ("drag", 2.0),
            ],
            &["paris", "harry winston"],
        );
        let b = feats(
            &[
                ("robber", 3.0),
                ("diamond", 2.0),
                ("montaign", 2.0),
                ("boutiqu", 2.0),
            ],
            &["paris", "avenue montaigne"],
        );
        let run = |ts: Option<i64>| {
            let mut c = two_events(&a, ts, &b, ts);
            let done = c.merge_pass(&HashSet::new());
            let (sa, sb) = (c.slot_of("e-a"), c.slot_of("e-b"));
            (done, sa.zip(sb).map(|(x, y)| c.event_similarity(x, y)))
        };
        let (dated, score) = run(Some(10 * DAY));
        let score = score.expect("both resident");
        let p = Params::default();
        assert!(
            score >= p.threshold && score < p.merge_threshold,
            "the pair must fall between the two bars: {score}"
        );
        assert!(dated.is_empty(), "{dated:?}");
        let (undated, _) = run(None);
        assert_eq!(undated.len(), 1, "{undated:?}");
    }

    #[test]
    fn an_undated_event_merges_with_a_dated_one_only_at_the_edge_of_the_window() {
        // Two look-alike groups: the same team, charge and city, another player.
        let a = feats(
            &[
                ("arrest", 3.0),
                ("drunk", 2.0),
                ("charger", 2.0),
                ("receiv", 2.0),
            ],
            &["san diego", "chargers", "vincent jackson"],
        );
        let b = feats(
            &[
                ("arrest", 3.0),
                ("drunk", 2.0),
                ("charger", 2.0),
                ("tackl", 2.0),
            ],
            &["san diego", "chargers", "jamal williams"],
        );
        let run = |ta: Option<i64>, tb: Option<i64>| {
            let mut c = two_events(&a, ta, &b, tb);
            let (sa, sb) = (c.slot_of("e-a"), c.slot_of("e-b"));
            let score = sa.zip(sb).map(|(x, y)| c.event_similarity(x, y));
            (c.merge_pass(&HashSet::new()), score.expect("both resident"))
        };
        let p = Params::default();
        // The same day, both dated: alike enough to be one event grown in two halves.
        let (dated, full) = run(Some(10 * DAY), Some(10 * DAY));
        assert!(full >= p.merge_threshold, "{full}");
        assert_eq!(dated.len(), 1, "{dated:?}");
        // One side undated: the same content is weighed at the window's edge.
        let (mixed, edge) = run(Some(10 * DAY), None);
        assert!(
            (edge - full * (1.0 - MAX_FADE)).abs() < 1e-6,
            "{edge} vs {full}"
        );
        assert!(edge < p.merge_threshold, "{edge}");
        assert!(mixed.is_empty(), "{mixed:?}");
    }

    #[test]
    fn events_leave_memory_with_the_window_and_come_back() {
        let mut c = Clusterer::new(Params::default(), Corpus::default(), vec![]);
        let quake = feats(&[("earthquak", 3.0), ("tokyo", 2.0)], &["tokyo"]);
        let d = c.assign("a", Some(100 * DAY), &quake);
        // Not saved yet: it stays, whatever the dates.
        assert_eq!(c.evict(200 * DAY, 200 * DAY, 10), 0);
        c.take_touched();
        // Saved, and dates inside its window: it stays.
        assert_eq!(c.evict(105 * DAY, 108 * DAY, 10), 0);
        let saved = c.event(&d.event).unwrap();
        // Saved, and dates far away: it goes, with its postings.
        assert_eq!(c.evict(200 * DAY, 201 * DAY, 10), 1);
        assert!(!c.is_resident(&d.event));
        assert_eq!(c.resident(), 0);
        assert!(c.candidates(Some(200 * DAY), &quake).is_empty());
        // Admitted again from the store, an article of its days joins it.
        c.admit(vec![saved.clone()]);
        assert_eq!(c.event(&d.event).unwrap(), saved);
        let again = c.assign("b", Some(101 * DAY), &quake);
        assert_eq!(again.event, d.event);
        // Undated events beyond the newest `max_undated` go too.
        let u1 = c
            .assign("u1", None, &feats(&[("vote", 3.0)], &["berlin"]))
            .event;
        let u2 = c
            .assign("u2", None, &feats(&[("harvest", 3.0)], &["kansas"]))
            .event;
        c.take_touched();
        c.evict(101 * DAY, 101 * DAY, 1);
        assert!(!c.is_resident(&u1));
        assert!(c.is_resident(&u2));
    }

    #[test]
    fn event_ids_are_stable() {
        assert_eq!(event_id("abc"), event_id("abc"));
        assert_ne!(event_id("abc"), event_id("abd"));
    }

    #[test]
    fn links_need_shared_core_entities() {
        let mut a = EventState {
            id: "a".into(),
            first_ts: Some(0),
            last_ts: Some(DAY),
            ..Default::default()
        };
        let mut b = EventState {
            id: "b".into(),
            first_ts: Some(100 * DAY),
            last_ts: Some(101 * DAY),
            ..Default::default()
        };
        let mut c = EventState {
            id: "c".into(),
            first_ts: Some(50 * DAY),
            last_ts: Some(50 * DAY),
            ..Default::default()
        };
        for (e, names) in [
            (&mut a, ["kim", "putin", "vladivostok"]),
            (&mut b, ["kim", "putin", "shoigu"]),
            (&mut c, ["merkel", "berlin", "putin"]),
        ] {
            for (i, n) in names.iter().enumerate() {
                e.entities
                    .insert(n.to_string(), (n.to_string(), 10.0 - i as f32));
            }
        }
        let all: Vec<Profile> = [&a, &b, &c].iter().map(|e| e.profile(8)).collect();
        let l = link_profiles(&b.profile(8), &all, 8);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].from, "a");
        assert_eq!(l[0].to, "b");
        assert_eq!(l[0].shared, vec!["kim", "putin"]);
        assert_eq!(l[0].gap_days, Some(99));
    }

    #[test]
    fn a_link_counts_a_name_once_whatever_its_forms() {
        let event = |id: &str, day: i64, names: &[(&str, &str)]| {
            let mut e = EventState {
                id: id.into(),
                first_ts: Some(day * DAY),
                last_ts: Some(day * DAY),
                ..Default::default()
            };
            for (i, (key, name)) in names.iter().enumerate() {
                e.entities
                    .insert(key.to_string(), (name.to_string(), 10.0 - i as f32));
            }
            e
        };
        // Trump twice is one name: no link.
        let a = event(
            "a",
            0,
            &[
                ("trump", "Trump"),
                ("donald trump", "Donald Trump"),
                ("wall", "Wall"),
            ],
        );
        let b = event(
            "b",
            40,
            &[
                ("donald trump", "Donald Trump"),
                ("trump", "Trump"),
                ("mexico", "Mexico"),
            ],
        );
        assert!(link_profiles(&a.profile(8), &[b.profile(8)], 8).is_empty());
        let two = ["house republicans", "house republican", "trump"];
        assert_eq!(name_groups(&two), vec![vec![0, 1], vec![2]]);
        // With a third name they are linked, and the reason names each once, by its
        // fullest form.
        let schiff = [
            ("trump", "Trump"),
            ("donald trump", "Donald Trump"),
            ("adam b schiff", "Adam B. Schiff"),
            ("adam schiff", "Adam Schiff"),
            ("congress", "Congress"),
        ];
        let a = event("a", 0, &schiff);
        let b = event("b", 40, &schiff);
        let l = link_profiles(&a.profile(8), &[b.profile(8)], 8);
        assert_eq!(l.len(), 1);
        assert_eq!(
            l[0].shared,
            vec!["Donald Trump", "Adam B. Schiff", "Congress"]
        );
        // Different people who share a first and last word, or a word, stay apart.
        assert!(!one_name(
            "los angeles police department",
            "los angeles fire department"
        ));
        assert!(!one_name("north korea", "korea south"));
        assert!(one_name("korea", "north korea"));
    }
}
