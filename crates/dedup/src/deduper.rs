//! Streaming copy detection with bounded memory.
//!
//! [`Deduper`] keeps what it needs to recognise copies of recent articles: their
//! MinHash signatures in an [`LshIndex`], their body fingerprints and their URLs.
//! Articles older than the window (relative to the newest article seen) are evicted:
//! they stay in the store, but a copy published weeks after its original is rare in
//! news, and an index that only grows is the failure this avoids.

use std::collections::{HashMap, VecDeque};

use crate::minhash::{LshIndex, MinHasher, Signature};
use crate::relation::{judge_at, normalize_url, Doc, Relation, Verdict, MIN_CONTAINMENT};

/// Default window: copies are looked for among articles up to this many days older.
pub const DEFAULT_WINDOW_DAYS: i64 = 14;

/// An article to check or remember.
pub struct Entry<'a> {
    pub id: &'a str,
    /// Publication time (epoch seconds); undated articles take the newest time seen.
    pub ts: Option<i64>,
    pub url: Option<&'a str>,
    pub body_key: Option<&'a str>,
    pub sig: &'a Signature,
}

/// A copy found: the original it copies (always a canonical, never a copy) and how.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub original: String,
    pub verdict: Verdict,
}

#[derive(Debug)]
pub struct Deduper {
    min_containment: f32,
    hasher: MinHasher,
    index: LshIndex,
    window_secs: i64,
    newest: i64,
    exact: HashMap<String, String>,
    urls: HashMap<String, String>,
    /// id → its normalised URL.
    url_by_id: HashMap<String, String>,
    /// id → its canonical (itself for originals).
    canonical: HashMap<String, String>,
    /// (time, id, body key, url) in insertion order, for eviction.
    order: VecDeque<(i64, String, Option<String>, Option<String>)>,
}

impl Deduper {
    pub fn new(window_days: i64) -> Self {
        Self::with_params(window_days, crate::minhash::BANDS, MIN_CONTAINMENT)
    }

    /// A deduper with another LSH banding (rows = 128 / bands) and containment
    /// threshold, for measuring the trade-offs; [`Deduper::new`] uses the defaults.
    pub fn with_params(window_days: i64, bands: usize, min_containment: f32) -> Self {
        let bands = bands.clamp(1, crate::minhash::NUM_PERM);
        Deduper {
            min_containment,
            hasher: MinHasher::default(),
            index: LshIndex::with_bands(bands, crate::minhash::NUM_PERM / bands),
            window_secs: window_days * 86_400,
            newest: i64::MIN,
            exact: HashMap::new(),
            urls: HashMap::new(),
            url_by_id: HashMap::new(),
            canonical: HashMap::new(),
            order: VecDeque::new(),
        }
    }

    pub fn hasher(&self) -> &MinHasher {
        &self.hasher
    }

    /// How many articles are in memory.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn canon(&self, id: &str) -> String {
        self.canonical
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// Whether the article copies one in memory: an exact body match first, then the
    /// best verified LSH candidate (one at the same URL, else the highest
    /// containment), then the same URL with a rewritten body.
    pub fn check(&self, e: &Entry) -> Option<Found> {
        if let Some(orig) = e.body_key.and_then(|k| self.exact.get(k)) {
            return Some(Found {
                original: self.canon(orig),
                verdict: Verdict {
                    relation: Relation::Exact,
                    jaccard: 1.0,
                    containment: 1.0,
                },
            });
        }
        let me = Doc {
            sig: e.sig,
            url: e.url,
        };
        let mut best: Option<(Verdict, &str)> = None;
        for (id, sig) in self.index.candidates(e.sig) {
            let url = self.url_of(id);
            if let Some(v) = judge_at(&me, &Doc { sig, url }, self.min_containment) {
                // The same URL first (it is the same article, updated), then the
                // highest containment.
                let key = |x: &Verdict| (x.relation == Relation::Updated, x.containment);
                if best.is_none_or(|(b, _)| key(&v) > key(&b)) {
                    best = Some((v, id));
                }
            }
        }
        if let Some((verdict, id)) = best {
            return Some(Found {
                original: self.canon(id),
                verdict,
            });
        }
        let url_match = e.url.map(normalize_url).and_then(|u| self.urls.get(&u));
        url_match.map(|id| Found {
            original: self.canon(id),
            verdict: Verdict {
                relation: Relation::Updated,
                jaccard: 0.0,
                containment: 0.0,
            },
        })
    }

    fn url_of(&self, id: &str) -> Option<&str> {
        self.url_by_id.get(id).map(String::as_str)
    }

    /// Remembers an article (an original, or a copy of `canonical`), then evicts what
    /// fell out of the window.
    pub fn insert(&mut self, e: &Entry, canonical: Option<&str>) {
        let t = e.ts.unwrap_or(self.newest.max(0));
        self.newest = self.newest.max(t);
        self.index.insert(e.id, t, e.sig.clone());
        let key = e.body_key.map(str::to_string);
        if let Some(k) = &key {
            self.exact
                .entry(k.clone())
                .or_insert_with(|| e.id.to_string());
        }
        let url = e.url.map(normalize_url).filter(|u| !u.is_empty());
        if let Some(u) = &url {
            self.urls
                .entry(u.clone())
                .or_insert_with(|| e.id.to_string());
            self.url_by_id.insert(e.id.to_string(), u.clone());
        }
        self.canonical.insert(
            e.id.to_string(),
            canonical.map_or_else(|| e.id.to_string(), str::to_string),
        );
        self.order.push_back((t, e.id.to_string(), key, url));
        self.evict();
    }

    fn evict(&mut self) {
        let cutoff = self.newest.saturating_sub(self.window_secs);
        while let Some((t, _, _, _)) = self.order.front() {
            if *t >= cutoff {
                break;
            }
            if let Some((_, id, key, url)) = self.order.pop_front() {
                self.forget(&id, key.as_deref(), url.as_deref());
            }
        }
        self.index.evict_before(cutoff);
    }

    fn forget(&mut self, id: &str, key: Option<&str>, url: Option<&str>) {
        self.index.remove(id);
        if let Some(k) = key {
            if self.exact.get(k).is_some_and(|v| v == id) {
                self.exact.remove(k);
            }
        }
        if let Some(u) = url {
            if self.urls.get(u).is_some_and(|v| v == id) {
                self.urls.remove(u);
            }
        }
        self.canonical.remove(id);
        self.url_by_id.remove(id);
    }

    /// Removes an article (a takedown). Copies that pointed at it as their canonical
    /// point at `new_canonical` (the re-elected original), if any.
    pub fn remove(&mut self, id: &str, new_canonical: Option<&str>) {
        let pos = self.order.iter().position(|(_, x, _, _)| x == id);
        if let Some(p) = pos {
            if let Some((_, id, key, url)) = self.order.remove(p) {
                self.forget(&id, key.as_deref(), url.as_deref());
            }
        }
        for v in self.canonical.values_mut() {
            if v == id {
                *v = new_canonical.unwrap_or(id).to_string();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The central bank raised interest rates by half a point on Thursday, its fourth increase this year, \
        saying inflation remained far too high. Officials signalled that more increases could follow if prices keep rising. \
        Markets had expected the move, and the currency barely changed after the announcement.";

    fn entry<'a>(id: &'a str, ts: i64, url: Option<&'a str>, sig: &'a Signature) -> Entry<'a> {
        Entry {
            id,
            ts: Some(ts),
            url,
            body_key: None,
            sig,
        }
    }

    #[test]
    fn finds_copies_follows_canonicals_and_forgets_old_ones() {
        let mut d = Deduper::new(14);
        let h = d.hasher().clone();
        let a = h.of_text(STORY);
        d.insert(&entry("a", 0, Some("https://x.example/rates"), &a), None);
        let b = h.of_text(&format!("Local lenders reacted quickly. {STORY}"));
        let found = d.check(&entry("b", 3600, None, &b)).expect("a near copy");
        assert_eq!(found.original, "a");
        assert_eq!(found.verdict.relation, Relation::Near);
        d.insert(&entry("b", 3600, None, &b), Some("a"));
        // A copy of the copy is a copy of the original.
        let c = h.of_text(&format!(
            "Local lenders reacted quickly. {STORY} More later."
        ));
        d.index.remove("a");
        assert_eq!(d.check(&entry("c", 7200, None, &c)).unwrap().original, "a");
        d.index.insert("a", 0, a.clone());
        // Same URL, rewritten body: an update.
        let u = h.of_text("A completely rewritten report on the same decision with new quotes from the governor and analysts.");
        assert_eq!(
            d.check(&entry("u", 7200, Some("http://www.x.example/rates/"), &u))
                .unwrap()
                .verdict
                .relation,
            Relation::Updated
        );
        // Three weeks later, the original is out of the window.
        let z = h.of_text(
            "Unrelated news about a football match that ended in a draw after extra time.",
        );
        d.insert(&entry("z", 21 * 86_400, None, &z), None);
        assert!(d.check(&entry("late", 21 * 86_400, None, &a)).is_none());
        assert_eq!(d.len(), 1);
    }
}
