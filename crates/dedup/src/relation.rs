//! Is a candidate really a copy, and of what kind?
//!
//! A candidate from the LSH index is verified on the signatures: the estimated share
//! of the smaller article's shingles found in the larger ([`Signature::containment`])
//! must reach [`MIN_CONTAINMENT`]. Containment rather than Jaccard, so that a copy cut
//! to its first paragraphs, or one with a local intro added, still matches its
//! original; two outlets writing about the same event in their own words share
//! almost no five-word shingles and never reach it.

use serde::{Deserialize, Serialize};

use crate::minhash::Signature;

/// The containment a candidate pair needs to be a copy.
pub const MIN_CONTAINMENT: f32 = 0.7;
/// Below this size ratio (shorter / longer shingle count) a contained copy is "truncated".
pub const TRUNCATED_RATIO: f32 = 0.75;

/// How a copy relates to its original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The same body after normalisation.
    Exact,
    /// The same story with small changes (headline, intro, chrome, order, typography).
    Near,
    /// The original cut short.
    Truncated,
    /// A new version published at the same URL.
    Updated,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Exact => "exact",
            Relation::Near => "near",
            Relation::Truncated => "truncated",
            Relation::Updated => "updated",
        }
    }
}

/// The evidence for a copy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub relation: Relation,
    pub jaccard: f32,
    pub containment: f32,
}

/// One side of a comparison.
pub struct Doc<'a> {
    pub sig: &'a Signature,
    pub url: Option<&'a str>,
}

/// Whether `copy` is a copy of `original`, and which kind, at the default threshold.
pub fn judge(copy: &Doc, original: &Doc) -> Option<Verdict> {
    judge_at(copy, original, MIN_CONTAINMENT)
}

/// [`judge`] with another containment threshold (for measuring the trade-off).
pub fn judge_at(copy: &Doc, original: &Doc, min_containment: f32) -> Option<Verdict> {
    let jaccard = copy.sig.jaccard(original.sig);
    let containment = copy.sig.containment(original.sig);
    let same_url = match (copy.url.map(normalize_url), original.url.map(normalize_url)) {
        (Some(a), Some(b)) => !a.is_empty() && a == b,
        _ => false,
    };
    if same_url && containment >= min_containment / 2.0 {
        return Some(Verdict {
            relation: Relation::Updated,
            jaccard,
            containment,
        });
    }
    if containment < min_containment {
        return None;
    }
    let (a, b) = (copy.sig.shingles as f32, original.sig.shingles as f32);
    let relation = if a < b * TRUNCATED_RATIO {
        Relation::Truncated
    } else {
        Relation::Near
    };
    Some(Verdict {
        relation,
        jaccard,
        containment,
    })
}

/// Query parameters that say how a reader came to a page, not which page it is.
/// Parameters starting with `utm` are also dropped.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga", "_gl", "ref",
    "ref_src", "cmpid", "cmp", "smid", "smtyp", "ncid", "icid", "ocid", "ito", "spm", "share",
    "rss",
];

/// A URL as the key of "the same page": lower case, without scheme, `www.`, fragment,
/// trailing slash and the query's tracking parameters (`utm_source`, `fbclid`, ...).
/// The rest of the query is kept, sorted, because it often names the page
/// (`duboard.php?az=view_all&address=102x1949657`, `article.php?id=123`): two forum
/// threads are not one page updated. A bare host is a home page, not an article: its
/// key is empty, as for no URL.
pub fn normalize_url(url: &str) -> String {
    let u = url.trim();
    let u = u.split_once("://").map_or(u, |(_, rest)| rest);
    let u = u.strip_prefix("www.").unwrap_or(u);
    let u = u.split('#').next().unwrap_or("").to_ascii_lowercase();
    let (path, query) = u.split_once('?').unwrap_or((&u, ""));
    let path = path.trim_end_matches('/');
    if !path.contains('/') {
        return String::new();
    }
    let mut params: Vec<&str> = query
        .split(['&', ';'])
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let name = p.split('=').next().unwrap_or("");
            !name.starts_with("utm") && !TRACKING_PARAMS.contains(&name)
        })
        .collect();
    if params.is_empty() {
        return path.to_string();
    }
    params.sort_unstable();
    format!("{path}?{}", params.join("&"))
}

/// What a copy changed relative to its original.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub headline_changed: bool,
    /// Paragraphs in the copy that the original does not have.
    pub paragraphs_added: usize,
    /// Paragraphs of the original that the copy does not have.
    pub paragraphs_removed: usize,
    /// Body length of the copy minus the original's, in characters.
    pub length_change: i64,
}

impl Diff {
    pub fn between(
        orig_title: Option<&str>,
        orig_text: &str,
        copy_title: Option<&str>,
        copy_text: &str,
    ) -> Diff {
        let paras = |t: &str| -> Vec<String> {
            t.split("\n\n")
                .map(crate::normalize)
                .filter(|p| !p.is_empty())
                .collect()
        };
        let (o, c) = (paras(orig_text), paras(copy_text));
        let oset: std::collections::HashSet<&String> = o.iter().collect();
        let cset: std::collections::HashSet<&String> = c.iter().collect();
        let norm_title = |t: Option<&str>| t.map(crate::normalize).unwrap_or_default();
        Diff {
            headline_changed: norm_title(orig_title) != norm_title(copy_title),
            paragraphs_added: c.iter().filter(|p| !oset.contains(p)).count(),
            paragraphs_removed: o.iter().filter(|p| !cset.contains(p)).count(),
            length_change: copy_text.chars().count() as i64 - orig_text.chars().count() as i64,
        }
    }

    /// `headline changed; +1/−3 paragraphs; −812 chars`.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if self.headline_changed {
            parts.push("headline changed".to_string());
        }
        if self.paragraphs_added + self.paragraphs_removed > 0 {
            parts.push(format!(
                "+{}/−{} paragraphs",
                self.paragraphs_added, self.paragraphs_removed
            ));
        }
        if self.length_change != 0 {
            parts.push(format!("{:+} chars", self.length_change));
        }
        if parts.is_empty() {
            "no visible change".to_string()
        } else {
            parts.join("; ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::MinHasher;

    const ORIG: &str = "The central bank raised interest rates by half a point on Thursday, its fourth increase this year.\n\nOfficials signalled that more increases could follow if prices keep rising in the months ahead.\n\nMarkets had expected the move, and the currency barely changed after the announcement.\n\nThe decision was unanimous, the bank said in a statement released after the meeting.";

    #[test]
    fn kinds_of_copies() {
        let h = MinHasher::default();
        let o = h.of_text(ORIG);
        let orig = Doc {
            sig: &o,
            url: Some("https://a.example/rates"),
        };
        let intro = format!("Local lenders said they would follow suit within days.\n\n{ORIG}");
        let s = h.of_text(&intro);
        assert_eq!(
            judge(&Doc { sig: &s, url: None }, &orig).unwrap().relation,
            Relation::Near
        );
        let cut = ORIG.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n");
        let s = h.of_text(&cut);
        assert_eq!(
            judge(&Doc { sig: &s, url: None }, &orig).unwrap().relation,
            Relation::Truncated
        );
        let update = format!("{ORIG}\n\nUpdated with comment from the finance ministry, which welcomed the decision.");
        let s = h.of_text(&update);
        assert_eq!(
            judge(
                &Doc {
                    sig: &s,
                    url: Some("http://www.a.example/rates/?utm=x")
                },
                &orig
            )
            .unwrap()
            .relation,
            Relation::Updated
        );
        let other = h.of_text("Rates went up again on Thursday as the bank tried to tame prices, a move investors had long priced in and that left the currency flat, according to traders in the city.");
        assert!(judge(
            &Doc {
                sig: &other,
                url: None
            },
            &orig
        )
        .is_none());
    }

    #[test]
    fn urls_as_keys_of_the_same_page() {
        let key = normalize_url;
        assert_eq!(
            key("https://www.A.example/news/rates/?utm_source=x&fbclid=1#top"),
            "a.example/news/rates"
        );
        // A query that names the page is kept, in one order.
        let thread = |n: &str| {
            key(&format!(
                "http://www.democraticunderground.com/discuss/duboard.php?az=view_all&address=102x{n}"
            ))
        };
        assert_ne!(thread("1949657"), thread("1996500"));
        assert_eq!(
            key("http://x.com/article.php?id=7&ref=rss"),
            key("http://x.com/article.php?ref=home&id=7")
        );
        // A home page is no article's address.
        assert_eq!(key("https://www.example.com/"), "");
        assert_eq!(key("https://example.com/?utm_source=x"), "");
    }

    #[test]
    fn diffs() {
        let cut = ORIG.split("\n\n").take(2).collect::<Vec<_>>().join("\n\n");
        let d = Diff::between(
            Some("Bank raises rates"),
            ORIG,
            Some("Rates up again"),
            &format!("Intro.\n\n{cut}"),
        );
        assert!(d.headline_changed);
        assert_eq!((d.paragraphs_added, d.paragraphs_removed), (1, 2));
        assert!(d.length_change < 0);
        assert!(d.summary().contains("+1/−2 paragraphs"));
    }
}
