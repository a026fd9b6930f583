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
//! [`links`] relates events that share their core entities, at any distance in time:
//! the 2019 and 2023 Kim–Putin summits are two events and one storyline.
//!
//! All state is explicit ([`EventState`], [`Corpus`]) so the store can persist it and
//! hand it back after a restart; nothing here does I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use storyline_analyze::Features;

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
        }
    }
}

/// Corpus statistics for IDF: how many articles, and in how many each term occurs.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Corpus {
    pub docs: u64,
    pub df: HashMap<String, u64>,
}

impl Corpus {
    pub fn idf(&self, term: &str) -> f32 {
        let df = self.df.get(term).copied().unwrap_or(0) as f32;
        ((self.docs as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// Takes an article's terms back out (a takedown).
    pub fn remove(&mut self, f: &Features) {
        self.docs = self.docs.saturating_sub(1);
        for (t, _) in &f.terms {
            if let Some(n) = self.df.get_mut(t) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    self.df.remove(t);
                }
            }
        }
    }

    pub fn add(&mut self, f: &Features) {
        self.docs += 1;
        for (t, _) in &f.terms {
            *self.df.entry(t.clone()).or_default() += 1;
        }
    }
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
        let mut v: Vec<(&str, &str, f32)> = self
            .entities
            .iter()
            .map(|(k, (name, s))| (k.as_str(), name.as_str(), *s))
            .collect();
        v.sort_by(|a, b| b.2.total_cmp(&a.2).then_with(|| a.0.cmp(b.0)));
        v.truncate(n);
        v
    }

    /// Days between `ts` and this event's time span (0 inside it), if both are dated.
    pub fn gap_days(&self, ts: Option<i64>) -> Option<f32> {
        let (ts, first, last) = (ts?, self.first_ts?, self.last_ts?);
        let secs = if ts < first {
            first - ts
        } else {
            ts.saturating_sub(last).max(0)
        };
        Some(secs as f32 / DAY as f32)
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
    pub score: f32,
}

/// What [`Clusterer::assign`] decided, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub event: String,
    pub created: bool,
    /// Every candidate considered, best first.
    pub candidates: Vec<Candidate>,
    /// The article had no date: it was matched on content alone.
    pub undated: bool,
}

/// The online clusterer.
pub struct Clusterer {
    params: Params,
    corpus: Corpus,
    events: HashMap<String, EventState>,
    /// Term or `@entity` → events that have it among their top terms/entities.
    index: HashMap<String, HashSet<String>>,
    touched: HashSet<String>,
    /// Event id → (corpus size when computed, TF-IDF norm of its mean vector). IDF
    /// drifts slowly, so a norm is reused until the event changes or the corpus has
    /// grown by a tenth.
    norms: std::cell::RefCell<HashMap<String, (u64, f32)>>,
}

impl Clusterer {
    pub fn new(params: Params, corpus: Corpus, events: Vec<EventState>) -> Self {
        let mut c = Clusterer {
            params,
            corpus,
            events: HashMap::new(),
            index: HashMap::new(),
            touched: HashSet::new(),
            norms: Default::default(),
        };
        for e in events {
            c.reindex(&e);
            c.events.insert(e.id.clone(), e);
        }
        c
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn event(&self, id: &str) -> Option<&EventState> {
        self.events.get(id)
    }

    /// Ids of the events changed since the last call, sorted; clears the set.
    pub fn take_touched(&mut self) -> Vec<String> {
        let mut v: Vec<String> = self.touched.drain().collect();
        v.sort();
        v
    }

    /// All events, for linking.
    pub fn events(&self) -> impl Iterator<Item = &EventState> {
        self.events.values()
    }

    /// Which of an event's articles is most representative of it: the one whose
    /// terms are closest to the event's centroid (not simply the first).
    pub fn representative(&self, event: &str, articles: &[&Features]) -> Option<usize> {
        let e = self.events.get(event)?;
        articles
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    i,
                    self.centroid_cosine(&self.tfidf(f.terms.iter().cloned()), e),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    }

    fn reindex(&mut self, e: &EventState) {
        for t in e.centroid.keys() {
            self.index
                .entry(t.clone())
                .or_default()
                .insert(e.id.clone());
        }
        for k in e.entities.keys() {
            self.index
                .entry(format!("@{k}"))
                .or_default()
                .insert(e.id.clone());
        }
    }

    fn tfidf(&self, terms: impl Iterator<Item = (String, f32)>) -> HashMap<String, f32> {
        terms
            .map(|(t, w)| {
                let idf = self.corpus.idf(&t);
                (t, (1.0 + w.ln().max(0.0)) * idf)
            })
            .collect()
    }

    /// Scores an article against every candidate event, best first, without
    /// changing anything (what `explain` shows).
    pub fn candidates(&self, ts: Option<i64>, f: &Features) -> Vec<Candidate> {
        let vec = self.tfidf(f.terms.iter().cloned());
        let mut query: Vec<(&String, &f32)> = vec.iter().collect();
        query.sort_by(|a, b| b.1.total_cmp(a.1).then_with(|| a.0.cmp(b.0)));
        let mut ids: HashSet<&String> = HashSet::new();
        for (t, _) in query.iter().take(self.params.query_terms) {
            if let Some(evs) = self.index.get(*t) {
                ids.extend(evs);
            }
        }
        for e in f.entities.iter().take(10) {
            if let Some(evs) = self.index.get(&format!("@{}", e.key)) {
                ids.extend(evs);
            }
        }
        let mut out: Vec<Candidate> = ids
            .into_iter()
            .filter_map(|id| self.events.get(id))
            .filter_map(|e| {
                let gap = e.gap_days(ts);
                if gap.is_some_and(|g| g > self.params.window_days as f32) {
                    return None;
                }
                let cosine = self.centroid_cosine(&vec, e);
                let entity_overlap = self.entity_overlap(f, e);
                let w = self.params.entity_weight;
                let fade = gap.map_or(1.0, |g| {
                    1.0 - 0.3 * (g / self.params.window_days as f32).min(1.0)
                });
                let score = ((1.0 - w) * cosine + w * entity_overlap) * fade;
                Some(Candidate {
                    event: e.id.clone(),
                    cosine,
                    entity_overlap,
                    gap_days: gap,
                    score,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.event.cmp(&b.event))
        });
        out
    }

    fn weight(&self, term: &str, w: f32) -> f32 {
        (1.0 + w.ln().max(0.0)) * self.corpus.idf(term)
    }

    /// Cosine between an article's TF-IDF vector and an event's mean vector.
    fn centroid_cosine(&self, article: &HashMap<String, f32>, e: &EventState) -> f32 {
        let n = e.articles.max(1) as f32;
        let docs = self.corpus.docs;
        let cached = self
            .norms
            .borrow()
            .get(&e.id)
            .copied()
            .filter(|(at, _)| docs * 10 <= at * 11);
        let norm = match cached {
            Some((_, norm)) => norm,
            None => {
                let norm = e
                    .centroid
                    .iter()
                    .map(|(t, w)| self.weight(t, w / n).powi(2))
                    .sum::<f32>()
                    .sqrt();
                self.norms.borrow_mut().insert(e.id.clone(), (docs, norm));
                norm
            }
        };
        let na = article.values().map(|v| v * v).sum::<f32>().sqrt();
        if norm == 0.0 || na == 0.0 {
            return 0.0;
        }
        let dot: f32 = article
            .iter()
            .filter_map(|(t, a)| e.centroid.get(t).map(|w| a * self.weight(t, w / n)))
            .sum();
        dot / (na * norm)
    }

    /// How specific an entity is: IDF over events (an entity in every event, like a
    /// country in a national news stream, says little about which event this is).
    fn entity_idf(&self, key: &str) -> f32 {
        let df = self.index.get(&format!("@{key}")).map_or(0, HashSet::len) as f32;
        ((self.events.len() as f32 + 1.0) / (df + 1.0)).ln() + 1.0
    }

    /// The share of the article's top entities (weighted by salience and
    /// specificity) that are among the event's core entities.
    fn entity_overlap(&self, f: &Features, e: &EventState) -> f32 {
        let top: Vec<(&str, f32)> = f
            .entities
            .iter()
            .take(10)
            .map(|x| (x.key.as_str(), x.salience() * self.entity_idf(&x.key)))
            .collect();
        let total: f32 = top.iter().map(|x| x.1).sum();
        if total == 0.0 {
            return 0.0;
        }
        let core: HashSet<&str> = e.top_entities(15).into_iter().map(|(k, _, _)| k).collect();
        top.iter()
            .filter(|x| core.contains(x.0))
            .map(|x| x.1)
            .sum::<f32>()
            / total
    }

    /// Puts one article into an event: the best candidate above the threshold, or a
    /// new event whose id derives from the article's id (stable across runs).
    pub fn assign(&mut self, article_id: &str, ts: Option<i64>, f: &Features) -> Decision {
        self.corpus.add(f);
        let candidates = self.candidates(ts, f);
        let best = candidates
            .first()
            .filter(|c| c.score >= self.params.threshold)
            .map(|c| c.event.clone());
        let (event, created) = match best {
            Some(id) => (id, false),
            None => (event_id(article_id), true),
        };
        self.join_event(&event, ts, f);
        Decision {
            event,
            created,
            candidates,
            undated: ts.is_none(),
        }
    }

    /// Adds an article to a given event (creating it if needed) without scoring it:
    /// copies follow their original. Counts it in the corpus statistics, as `assign` does.
    pub fn join(&mut self, event: &str, ts: Option<i64>, f: &Features) {
        self.corpus.add(f);
        self.join_event(event, ts, f);
    }

    fn join_event(&mut self, event: &str, ts: Option<i64>, f: &Features) {
        let e = self
            .events
            .entry(event.to_string())
            .or_insert_with(|| EventState {
                id: event.to_string(),
                ..EventState::default()
            });
        e.articles += 1;
        if let Some(ts) = ts {
            e.first_ts = Some(e.first_ts.map_or(ts, |x| x.min(ts)));
            e.last_ts = Some(e.last_ts.map_or(ts, |x| x.max(ts)));
        }
        for (t, w) in &f.terms {
            *e.centroid.entry(t.clone()).or_default() += w;
        }
        if e.centroid.len() > self.params.centroid_terms {
            let mut v: Vec<(String, f32)> = std::mem::take(&mut e.centroid).into_iter().collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.truncate(self.params.centroid_terms);
            e.centroid = v.into_iter().collect();
        }
        for ent in f.entities.iter().take(20) {
            let slot = e
                .entities
                .entry(ent.key.clone())
                .or_insert_with(|| (ent.name.clone(), 0.0));
            slot.1 += ent.salience();
        }
        let snapshot = e.clone();
        self.norms.borrow_mut().remove(event);
        self.reindex(&snapshot);
        self.touched.insert(event.to_string());
    }
}

impl Clusterer {
    /// Takes an article out of its event (a takedown). `times` are the publication
    /// times of the articles that remain. Returns false when the event is now empty
    /// and has been dropped.
    pub fn leave(&mut self, event: &str, f: &Features, times: &[Option<i64>]) -> bool {
        self.corpus.remove(f);
        self.norms.borrow_mut().remove(event);
        let Some(e) = self.events.get_mut(event) else {
            return false;
        };
        e.articles = e.articles.saturating_sub(1);
        if e.articles == 0 {
            self.events.remove(event);
            self.touched.remove(event);
            return false;
        }
        for (t, w) in &f.terms {
            if let Some(x) = e.centroid.get_mut(t) {
                *x -= w;
                if *x <= 1e-6 {
                    e.centroid.remove(t);
                }
            }
        }
        for ent in f.entities.iter().take(20) {
            if let Some(slot) = e.entities.get_mut(&ent.key) {
                slot.1 -= ent.salience();
                if slot.1 <= 1e-6 {
                    e.entities.remove(&ent.key);
                }
            }
        }
        e.first_ts = times.iter().flatten().min().copied();
        e.last_ts = times.iter().flatten().max().copied();
        self.touched.insert(event.to_string());
        true
    }
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

/// Links between `events` and the rest of `all`: two events are related when they
/// share at least two of their core entities and those make up at least a third of
/// the smaller core.
pub fn links(events: &[&EventState], all: &[&EventState], core: usize) -> Vec<Link> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for a in events {
        let core_a = a.top_entities(core);
        let keys_a: HashSet<&str> = core_a.iter().map(|x| x.0).collect();
        for b in all {
            if a.id == b.id {
                continue;
            }
            let pair = if a.id < b.id {
                (a.id.clone(), b.id.clone())
            } else {
                (b.id.clone(), a.id.clone())
            };
            if !seen.insert(pair) {
                continue;
            }
            let core_b = b.top_entities(core);
            let shared_core = core_a
                .iter()
                .filter(|x| core_b.iter().any(|y| y.0 == x.0))
                .count();
            let smaller = keys_a.len().min(core_b.len()).max(1);
            if shared_core < 2 || shared_core * 3 < smaller {
                continue;
            }
            // The reason names every salient entity they share, not only the core.
            let wide_b: HashSet<&str> = b.top_entities(core * 2).into_iter().map(|x| x.0).collect();
            let shared: Vec<String> = a
                .top_entities(core * 2)
                .into_iter()
                .filter(|x| wide_b.contains(x.0))
                .map(|x| x.1.to_string())
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
    }
    out
}

fn order_key(e: &EventState) -> (i64, &str) {
    (e.first_ts.unwrap_or(i64::MAX), e.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use storyline_analyze::Entity;

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
        }
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
        assert_eq!(c.corpus().docs, 1);
        assert!(!c.leave(&d.event, &a, &[]));
        assert!(c.event(&d.event).is_none());
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
        let all = [&a, &b, &c];
        let l = links(&[&b], &all, 8);
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].from, "a");
        assert_eq!(l[0].to, "b");
        assert_eq!(l[0].shared, vec!["kim", "putin"]);
        assert_eq!(l[0].gap_days, Some(99));
    }
}
