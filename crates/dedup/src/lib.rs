//! `dedup`: which articles are copies of one another.
//!
//! Exact copies: two articles whose bodies are the same after normalisation (case,
//! punctuation, typographic quotes and whitespace folded) have the same
//! [`body_key`]. The first one stored is the original; later ones are recorded as
//! copies of it and follow it into its event.
//!
//! Near copies: [`minhash`] signatures over word shingles, an LSH index with
//! eviction, and [`judge`], which verifies a candidate pair and says what kind of
//! copy it is (near, truncated, updated) and what changed ([`Diff`]).

mod deduper;
pub mod minhash;
mod relation;

pub use deduper::{Deduper, Entry, Found, DEFAULT_WINDOW_DAYS};

pub use relation::{judge, judge_at, Diff, Doc, Relation, Verdict, MIN_CONTAINMENT};

/// Bodies shorter than this many words are not fingerprinted: too little text to
/// say that two articles are the same rather than both terse.
pub const MIN_WORDS: usize = 5;

/// The body normalised for exact-copy comparison: lowercase words of letters and
/// digits, single-spaced.
pub fn normalize(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fingerprint of the normalised body, or `None` when there is too little text.
pub fn body_key(text: &str) -> Option<String> {
    key_of_normalized(&normalize(text))
}

fn key_of_normalized(n: &str) -> Option<String> {
    if n.split(' ').count() < MIN_WORDS {
        return None;
    }
    Some(blake3::hash(n.as_bytes()).to_hex()[..16].to_string())
}

/// Both fingerprints of a body, normalising it once: the exact-copy key and the
/// MinHash signature (what ingest needs for every article).
pub fn fingerprint(
    text: &str,
    hasher: &minhash::MinHasher,
) -> (Option<String>, minhash::Signature) {
    let n = normalize(text);
    (
        key_of_normalized(&n),
        hasher.signature(&minhash::shingles_of_normalized(&n)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_match_despite_typography() {
        let a = "Kim said: “We will go.”\n\nThe talks   continue.";
        let b = "KIM SAID: \"We will go.\" The talks continue.";
        assert_eq!(body_key(a), body_key(b));
        assert_ne!(
            body_key(a),
            body_key("Kim said: we will not go. The talks continue.")
        );
        assert_eq!(body_key("Too short"), None);
        let h = minhash::MinHasher::default();
        assert_eq!(fingerprint(a, &h), (body_key(a), h.of_text(a)));
    }
}
