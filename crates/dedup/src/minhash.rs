//! MinHash signatures over word shingles, and an LSH index that forgets.
//!
//! - Shingles: runs of [`SHINGLE`] normalised words (see [`crate::normalize`]), hashed
//!   to 64 bits with XXH3.
//! - Signature: for each of [`NUM_PERM`] hash functions `h(x) = ((a·x + b) mod 2⁶⁴) >> 32`
//!   (multiply-shift, Dietzfelbinger's 2-universal family, with random odd `a`), the
//!   minimum over the shingles, kept as 32 bits. Cheaper than datasketch's
//!   `(a·x + b) mod (2⁶¹−1)` and as good for MinHash; the loop runs permutation by
//!   permutation so the minimum over shingles vectorises.
//! - Index: [`BANDS`] bands of [`ROWS`] rows; two articles are candidates when any
//!   band matches. The numbers are chosen from measurements (BENCHMARKS.md).
//! - Forgetting: every entry carries a time; [`LshIndex::evict_before`] drops entries
//!   older than a window, and [`LshIndex::remove`] drops one (a takedown). Memory
//!   stays proportional to the window, not to everything ever seen.

use std::collections::{HashMap, VecDeque};

use xxhash_rust::xxh3::xxh3_64;

/// Words per shingle.
pub const SHINGLE: usize = 5;
/// Permutations per signature.
pub const NUM_PERM: usize = 128;
/// LSH bands × rows = [`NUM_PERM`].
pub const BANDS: usize = 64;
pub const ROWS: usize = 2;

/// A document's MinHash signature and how many distinct shingles it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub mins: Vec<u32>,
    pub shingles: u32,
}

impl Signature {
    /// Little-endian bytes: the shingle count, then the minima (for the store).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(4 + 4 * self.mins.len());
        v.extend_from_slice(&self.shingles.to_le_bytes());
        for m in &self.mins {
            v.extend_from_slice(&m.to_le_bytes());
        }
        v
    }

    pub fn from_bytes(b: &[u8]) -> Option<Signature> {
        if b.len() < 4 || !b.len().is_multiple_of(4) {
            return None;
        }
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        Some(Signature {
            shingles: word(0),
            mins: (1..b.len() / 4).map(|i| word(i * 4)).collect(),
        })
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f32 {
        let n = self.mins.len().min(other.mins.len());
        if n == 0 {
            return 0.0;
        }
        let eq = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        eq as f32 / n as f32
    }

    /// Estimated share of the smaller set that the larger contains:
    /// |A∩B| / min(|A|,|B|), from Jaccard and the set sizes.
    pub fn containment(&self, other: &Signature) -> f32 {
        let j = self.jaccard(other);
        let (a, b) = (self.shingles as f32, other.shingles as f32);
        let small = a.min(b);
        if small == 0.0 {
            return 0.0;
        }
        (j * (a + b) / (1.0 + j) / small).min(1.0)
    }
}

/// Word shingle hashes of a text, deduplicated.
pub fn shingles(text: &str) -> Vec<u64> {
    shingles_of_normalized(&crate::normalize(text))
}

/// Shingle hashes of text already normalised (single-spaced words): each shingle is
/// a slice of the text, hashed without building a string.
pub fn shingles_of_normalized(norm: &str) -> Vec<u64> {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, c) in norm.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, norm.len()));
    }
    let mut out: Vec<u64> = match spans.len() {
        0 => Vec::new(),
        n if n < SHINGLE => vec![xxh3_64(&norm.as_bytes()[spans[0].0..spans[n - 1].1])],
        _ => spans
            .windows(SHINGLE)
            .map(|w| xxh3_64(&norm.as_bytes()[w[0].0..w[SHINGLE - 1].1]))
            .collect(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Makes signatures; the permutations come from a fixed seed, so signatures made by
/// different runs (and stored) are comparable.
#[derive(Debug, Clone)]
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl Default for MinHasher {
    fn default() -> Self {
        Self::new(NUM_PERM, 0x5eed_0f57_0e71)
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl MinHasher {
    pub fn new(num_perm: usize, seed: u64) -> Self {
        let mut st = seed;
        let a = (0..num_perm).map(|_| splitmix(&mut st) | 1).collect();
        let b = (0..num_perm).map(|_| splitmix(&mut st)).collect();
        MinHasher { a, b }
    }

    pub fn signature(&self, shingles: &[u64]) -> Signature {
        // 32-bit keys: the multiply becomes one 32×32→64 per lane, and ~600 shingles
        // in 2³² values practically never collide.
        let keys: Vec<u64> = shingles
            .iter()
            .map(|&s| (s ^ (s >> 32)) & 0xffff_ffff)
            .collect();
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked just above.
            let mins = unsafe { mins_avx2(&self.a, &self.b, &keys) };
            return Signature {
                mins,
                shingles: shingles.len() as u32,
            };
        }
        Signature {
            mins: mins_portable(&self.a, &self.b, &keys),
            shingles: shingles.len() as u32,
        }
    }

    pub fn of_text(&self, text: &str) -> Signature {
        self.signature(&shingles(text))
    }
}

/// For each hash function, the minimum over the keys. Written so the inner loop
/// vectorises; compiled twice, portable and (on x86-64) with AVX2.
#[inline(always)]
fn mins_portable(a: &[u64], b: &[u64], keys: &[u64]) -> Vec<u32> {
    a.iter()
        .zip(b)
        .map(|(&a, &b)| {
            keys.iter()
                .map(|&x| (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32)
                .fold(u32::MAX, u32::min)
        })
        .collect()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn mins_avx2(a: &[u64], b: &[u64], keys: &[u64]) -> Vec<u32> {
    mins_portable(a, b, keys)
}

/// An LSH index over signatures, keyed by a caller's id, with time-based eviction.
#[derive(Debug, Default)]
pub struct LshIndex {
    bands: usize,
    rows: usize,
    buckets: Vec<HashMap<u64, Vec<u32>>>,
    /// Slot → (id, time, signature); `None` once removed.
    entries: Vec<Option<(String, i64, Signature)>>,
    slots: HashMap<String, u32>,
    /// Slots in insertion order with their time, for eviction.
    order: VecDeque<(i64, u32)>,
    free: Vec<u32>,
}

impl LshIndex {
    pub fn new() -> Self {
        Self::with_bands(BANDS, ROWS)
    }

    /// An index with `bands` × `rows` (their product should be the signature length).
    pub fn with_bands(bands: usize, rows: usize) -> Self {
        LshIndex {
            bands,
            rows,
            buckets: (0..bands).map(|_| HashMap::new()).collect(),
            ..Default::default()
        }
    }

    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    fn band_keys<'s>(&self, sig: &'s Signature) -> impl Iterator<Item = (usize, u64)> + 's {
        sig.mins
            .chunks(self.rows.max(1))
            .take(self.bands)
            .enumerate()
            .map(|(b, rows)| {
                let mut bytes = [0u8; 64];
                let n = rows.len().min(16);
                for (i, r) in rows.iter().take(n).enumerate() {
                    bytes[i * 4..i * 4 + 4].copy_from_slice(&r.to_le_bytes());
                }
                (b, xxh3_64(&bytes[..4 * n]))
            })
    }

    /// Adds a signature under `id` at `time` (epoch seconds). Re-adding an id replaces it.
    pub fn insert(&mut self, id: &str, time: i64, sig: Signature) {
        self.remove(id);
        let slot = match self.free.pop() {
            Some(s) => s,
            None => {
                self.entries.push(None);
                (self.entries.len() - 1) as u32
            }
        };
        for (b, key) in self.band_keys(&sig) {
            self.buckets[b].entry(key).or_default().push(slot);
        }
        self.entries[slot as usize] = Some((id.to_string(), time, sig));
        self.slots.insert(id.to_string(), slot);
        self.order.push_back((time, slot));
    }

    /// Removes `id` from the index (a takedown, or eviction).
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(slot) = self.slots.remove(id) else {
            return false;
        };
        if let Some((_, _, sig)) = self.entries[slot as usize].take() {
            for (b, key) in self.band_keys(&sig) {
                if let Some(v) = self.buckets[b].get_mut(&key) {
                    v.retain(|&s| s != slot);
                    if v.is_empty() {
                        self.buckets[b].remove(&key);
                    }
                }
            }
        }
        self.free.push(slot);
        true
    }

    /// Drops every entry inserted with a time before `cutoff`, oldest first. Entries
    /// arrive roughly in time order, so this stops at the first newer one.
    pub fn evict_before(&mut self, cutoff: i64) -> usize {
        let mut n = 0;
        while let Some(&(t, slot)) = self.order.front() {
            if t >= cutoff {
                break;
            }
            self.order.pop_front();
            let id = match &self.entries[slot as usize] {
                Some((id, time, _)) if *time == t => id.clone(),
                _ => continue,
            };
            if self.remove(&id) {
                n += 1;
            }
        }
        n
    }

    /// Ids whose signatures share a band with `sig`, with their signatures.
    pub fn candidates(&self, sig: &Signature) -> Vec<(&str, &Signature)> {
        let mut seen: Vec<u32> = Vec::new();
        for (b, key) in self.band_keys(sig) {
            if let Some(v) = self.buckets[b].get(&key) {
                seen.extend(v);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen.into_iter()
            .filter_map(|s| {
                self.entries[s as usize]
                    .as_ref()
                    .map(|(id, _, sig)| (id.as_str(), sig))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "The central bank raised interest rates by half a point on Thursday, its fourth increase this year, \
        saying inflation remained far too high. Officials signalled that more increases could follow if prices keep rising. \
        Markets had expected the move, and the currency barely changed after the announcement. \
        The decision was unanimous, the bank said in a statement released after the meeting.";

    #[test]
    fn shingles_hash_the_words_joined_by_single_spaces() {
        let n = crate::normalize(TEXT);
        let words: Vec<&str> = n.split(' ').collect();
        let mut want: Vec<u64> = words
            .windows(SHINGLE)
            .map(|w| xxh3_64(w.join(" ").as_bytes()))
            .collect();
        want.sort_unstable();
        want.dedup();
        assert_eq!(
            shingles(TEXT),
            want,
            "signatures stored before stay comparable"
        );
        assert_eq!(shingles("two words"), vec![xxh3_64(b"two words")]);
        assert!(shingles("").is_empty());
    }

    #[test]
    fn jaccard_estimates_track_truth() {
        let h = MinHasher::default();
        let a = h.of_text(TEXT);
        assert_eq!(a.jaccard(&a), 1.0);
        let half = TEXT.split(". ").take(2).collect::<Vec<_>>().join(". ");
        let b = h.of_text(&half);
        assert!(b.containment(&a) > 0.85, "{}", b.containment(&a));
        assert!(a.jaccard(&b) < 0.7);
        let other = h.of_text("A powerful storm hit the coast overnight, cutting power to thousands of homes and closing schools across the region.");
        assert!(a.jaccard(&other) < 0.1);
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a));
    }

    #[test]
    fn simd_and_portable_signatures_agree() {
        let h = MinHasher::default();
        let keys: Vec<u64> = shingles(TEXT)
            .iter()
            .map(|&s| (s ^ (s >> 32)) & 0xffff_ffff)
            .collect();
        assert_eq!(
            h.signature(&shingles(TEXT)).mins,
            mins_portable(&h.a, &h.b, &keys)
        );
    }

    #[test]
    fn index_finds_removes_and_evicts() {
        let h = MinHasher::default();
        let mut idx = LshIndex::new();
        idx.insert("a", 100, h.of_text(TEXT));
        idx.insert("b", 200, h.of_text("Something else entirely about football results and a late winning goal in the final minute."));
        let q = h.of_text(&format!("{TEXT} Copyright 2024."));
        assert_eq!(
            idx.candidates(&q).iter().map(|c| c.0).collect::<Vec<_>>(),
            vec!["a"]
        );
        assert!(idx.remove("a"));
        assert!(idx.candidates(&q).is_empty());
        idx.insert("a", 100, h.of_text(TEXT));
        assert_eq!(idx.evict_before(150), 1);
        assert_eq!(idx.len(), 1);
        assert!(idx.candidates(&q).is_empty());
        assert!(
            idx.buckets.iter().map(HashMap::len).sum::<usize>() <= BANDS,
            "evicted entries leave no buckets behind"
        );
    }
}
