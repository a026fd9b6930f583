//! Sparse TF-IDF vectors of sentences, over terms interned for one story, and an
//! inverted index that finds a sentence's most similar earlier sentences without
//! comparing it with every one.

use std::collections::HashMap;

use rust_stemmers::Stemmer;
use storyline_analyze::StopWords;

/// A unit-length sparse vector: (term id, weight), sorted by term id.
pub type Vector = Vec<(u32, f32)>;

/// Terms of one story, with their sentence frequencies.
#[derive(Default)]
pub struct Vocabulary {
    ids: rustc_hash::FxHashMap<String, u32>,
    /// Word → the id of its stem. Articles of one story share one language in
    /// practice; a word met under two languages keeps its first stem (and a function
    /// word of one language met first in another stays a term).
    words: rustc_hash::FxHashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
}

impl Vocabulary {
    /// Term ids of a text, with counts, adding new terms. Call once per sentence,
    /// then [`Vocabulary::vector`] after all sentences are counted.
    pub fn count(
        &mut self,
        text: &str,
        stop: StopWords,
        stemmer: Option<&Stemmer>,
    ) -> Vec<(u32, f32)> {
        let folded = storyline_analyze::fold(text);
        let mut ids: Vec<u32> = Vec::new();
        for w in folded.split(|c: char| !c.is_alphanumeric()) {
            // The same filter as `storyline_analyze::tokens`, with each word's stem
            // looked up once per story rather than computed at every occurrence.
            if let Some(&id) = self.words.get(w) {
                ids.push(id);
                continue;
            }
            if w.chars().count() < 2 || w.chars().all(|c| c.is_ascii_digit()) || stop.contains(w) {
                continue;
            }
            let stem = match stemmer {
                Some(s) => s.stem(w).into_owned(),
                None => w.to_string(),
            };
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(stem).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            self.words.insert(w.to_string(), id);
            ids.push(id);
        }
        ids.sort_unstable();
        let mut v: Vec<(u32, f32)> = Vec::with_capacity(ids.len());
        for id in ids {
            match v.last_mut() {
                Some(last) if last.0 == id => last.1 += 1.0,
                _ => {
                    self.df[id as usize] += 1;
                    v.push((id, 1.0));
                }
            }
        }
        self.docs += 1;
        v
    }

    /// The unit TF-IDF vector of counted terms.
    pub fn vector(&self, counts: &[(u32, f32)]) -> Vector {
        let n = self.docs.max(1) as f32;
        let mut v: Vector = counts
            .iter()
            .map(|&(id, tf)| {
                let df = self.df[id as usize].max(1) as f32;
                (id, (1.0 + tf.ln()) * (1.0 + (n / df).ln()))
            })
            .collect();
        normalize(&mut v);
        v
    }
}

pub fn normalize(v: &mut Vector) {
    let norm = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            x.1 /= norm;
        }
    }
}

/// Dot product of two sorted sparse vectors (their cosine, when both are unit).
pub fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// A vector spread out over all term ids, for taking many dot products with it.
pub struct Dense(Vec<f32>);

impl Dense {
    pub fn new(v: &[(u32, f32)]) -> Dense {
        let n = v.last().map_or(0, |x| x.0 as usize + 1);
        let mut d = vec![0.0; n];
        for &(id, w) in v {
            d[id as usize] = w;
        }
        Dense(d)
    }

    pub fn dot(&self, v: &[(u32, f32)]) -> f32 {
        v.iter()
            .map(|&(id, w)| self.0.get(id as usize).map_or(0.0, |x| x * w))
            .sum()
    }
}

/// The normalised sum of vectors: the centre of a set of sentences or articles.
pub fn centroid<'a>(vs: impl Iterator<Item = &'a Vector>) -> Vector {
    let mut acc: HashMap<u32, f32> = HashMap::new();
    for v in vs {
        for &(id, w) in v {
            *acc.entry(id).or_default() += w;
        }
    }
    let mut c: Vector = acc.into_iter().collect();
    c.sort_unstable_by_key(|x| x.0);
    normalize(&mut c);
    c
}

/// An inverted index of vectors added one by one. Term ids are dense (they come
/// from one [`Vocabulary`]), so postings are a vector of lists and scores build up
/// in a dense scratch array.
#[derive(Default)]
pub struct Index {
    postings: Vec<Vec<(u32, f32)>>,
    len: u32,
    scratch: Vec<f32>,
    touched: Vec<u32>,
}

impl Index {
    /// Adds a vector; returns its number in the index.
    pub fn add(&mut self, v: &Vector) -> u32 {
        let n = self.len;
        for &(id, w) in v {
            let id = id as usize;
            if id >= self.postings.len() {
                self.postings.resize_with(id + 1, Vec::new);
            }
            self.postings[id].push((n, w));
        }
        self.len += 1;
        n
    }

    /// The highest cosine between `v` and anything indexed, 0 when nothing shares a term.
    pub fn max_similarity(&mut self, v: &Vector) -> f32 {
        let mut best = 0.0f32;
        self.visit(v, |_, s| best = best.max(s));
        best
    }

    /// Indexed vectors whose cosine with `v` reaches `min`, with it.
    pub fn similar(&mut self, v: &Vector, min: f32) -> Vec<(u32, f32)> {
        let mut out = Vec::new();
        self.visit(v, |n, s| {
            if s >= min {
                out.push((n, s))
            }
        });
        out
    }

    fn visit(&mut self, v: &Vector, mut f: impl FnMut(u32, f32)) {
        self.scratch.resize(self.len as usize, 0.0);
        for &(id, w) in v {
            if let Some(p) = self.postings.get(id as usize) {
                for &(n, w2) in p {
                    let slot = &mut self.scratch[n as usize];
                    if *slot == 0.0 {
                        self.touched.push(n);
                    }
                    *slot += w * w2;
                }
            }
        }
        for &n in &self.touched {
            f(n, self.scratch[n as usize]);
            self.scratch[n as usize] = 0.0;
        }
        self.touched.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cosine_and_index_agree() {
        let mut voc = Vocabulary::default();
        let texts = [
            "Kim arrived in Russia by train",
            "Kim arrived in Russia on his armored train",
            "Prices of wheat rose sharply",
        ];
        let counts: Vec<_> = texts
            .iter()
            .map(|t| voc.count(t, StopWords::of(None), None))
            .collect();
        let vs: Vec<Vector> = counts.iter().map(|c| voc.vector(c)).collect();
        let same = dot(&vs[0], &vs[1]);
        assert!(same > 0.5, "{same}");
        assert_eq!(dot(&vs[0], &vs[2]), 0.0);
        assert!((dot(&vs[0], &vs[0]) - 1.0).abs() < 1e-5);
        let mut idx = Index::default();
        idx.add(&vs[1]);
        idx.add(&vs[2]);
        assert!((idx.max_similarity(&vs[0]) - same).abs() < 1e-5);
    }
}
