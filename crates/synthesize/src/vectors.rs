//! Sparse TF-IDF vectors of sentences, over terms interned for one story, and an
//! inverted index that finds a sentence's most similar earlier sentences without
//! comparing it with every one.

use std::collections::HashMap;

use rust_stemmers::Stemmer;

/// A unit-length sparse vector: (term id, weight), sorted by term id.
pub type Vector = Vec<(u32, f32)>;

/// Terms of one story, with their sentence frequencies.
#[derive(Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    df: Vec<u32>,
    docs: u32,
}

impl Vocabulary {
    /// Term ids of a text, with counts, adding new terms. Call once per sentence,
    /// then [`Vocabulary::vector`] after all sentences are counted.
    pub fn count(&mut self, text: &str, stemmer: Option<&Stemmer>) -> Vec<(u32, f32)> {
        let mut tf: HashMap<u32, f32> = HashMap::new();
        for t in storyline_analyze::tokens(text, stemmer) {
            let next = self.ids.len() as u32;
            let id = *self.ids.entry(t).or_insert(next);
            if id as usize == self.df.len() {
                self.df.push(0);
            }
            *tf.entry(id).or_default() += 1.0;
        }
        for id in tf.keys() {
            self.df[*id as usize] += 1;
        }
        self.docs += 1;
        let mut v: Vec<(u32, f32)> = tf.into_iter().collect();
        v.sort_unstable_by_key(|x| x.0);
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

/// An inverted index of vectors added one by one.
#[derive(Default)]
pub struct Index {
    postings: HashMap<u32, Vec<(u32, f32)>>,
    len: u32,
}

impl Index {
    /// Adds a vector; returns its number in the index.
    pub fn add(&mut self, v: &Vector) -> u32 {
        let n = self.len;
        for &(id, w) in v {
            self.postings.entry(id).or_default().push((n, w));
        }
        self.len += 1;
        n
    }

    /// The highest cosine between `v` and anything indexed, 0 when nothing shares a term.
    pub fn max_similarity(&self, v: &Vector) -> f32 {
        self.similarities(v)
            .into_values()
            .fold(0.0f32, |m, s| m.max(s))
    }

    /// Cosine between `v` and every indexed vector sharing a term with it.
    pub fn similarities(&self, v: &Vector) -> HashMap<u32, f32> {
        let mut acc: HashMap<u32, f32> = HashMap::new();
        for &(id, w) in v {
            if let Some(p) = self.postings.get(&id) {
                for &(n, w2) in p {
                    *acc.entry(n).or_default() += w * w2;
                }
            }
        }
        acc
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
        let counts: Vec<_> = texts.iter().map(|t| voc.count(t, None)).collect();
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
