//! Claims across outlets: attributed statements and key factual sentences, grouped
//! when two articles say the same thing in other words, with who carried each group,
//! which groups only one outlet carried, and where outlets disagree on a number, a
//! date or a place.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Serialize;

use crate::sentences::{word_count, Sentence};
use crate::vectors::{Index, Vector};

/// Two claims from different articles whose TF-IDF cosine reaches this say the same.
pub const SAME_CLAIM: f32 = 0.5;
/// Quoted words two claims must share, in a row, to be the same quote.
const SHARED_QUOTE_WORDS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// A direct quotation.
    Quote,
    /// A statement attributed to someone: said, according to, reported, denied.
    Attributed,
    /// A factual sentence with a figure or a date in it.
    Fact,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// The claim as the earliest article worded it.
    pub text: String,
    pub kind: ClaimKind,
    /// Who made the statement, when the sentence names them.
    pub speaker: Option<String>,
    /// The outlets that carried it (an article of unknown outlet shows as its wire
    /// agency, or as `unknown outlet`).
    pub outlets: Vec<String>,
    pub articles: Vec<String>,
    /// Distinct sources: outlets, each article of unknown outlet counting alone.
    pub sources: usize,
    /// Carried by one source only.
    pub single_outlet: bool,
    /// Sources disagree on a number, date or place.
    pub conflict: bool,
    pub conflicts: Vec<Conflict>,
    /// Every wording of the claim, with its article.
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    pub text: String,
    pub article: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// `number`, `date` or `place`.
    pub kind: &'static str,
    /// What each source says.
    pub values: Vec<ConflictValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConflictValue {
    pub value: String,
    pub outlets: Vec<String>,
}

/// What claims need to know about each article.
pub struct Source<'a> {
    pub id: &'a str,
    /// Label shown to readers.
    pub label: String,
    /// Distinctness key: the outlet, or the article itself when the outlet is unknown.
    pub key: String,
    /// Folded place names the article mentions anywhere.
    pub places: HashSet<String>,
}

const ATTRIBUTION: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "noted",
    "stated",
    "announced",
    "confirmed",
    "denied",
    "denies",
    "deny",
    "claimed",
    "claims",
    "warned",
    "reported",
    "reports",
    "insisted",
    "argued",
    "acknowledged",
    "alleged",
    "accused",
    "wrote",
    "cited",
    "citing",
    "according",
    "estimated",
    "predicted",
    "vowed",
    "pledged",
    "promised",
    "rejected",
    "dismissed",
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// The story's names, to find in a claim: written forms by their first word.
#[derive(Default)]
pub struct Names {
    /// First word → (the form's words, canonical name, is a place), longest first.
    by_first: HashMap<String, Vec<(Vec<String>, String, bool)>>,
}

/// A name found in a sentence: byte range, canonical name, is a place.
pub struct Found<'a> {
    pub start: usize,
    pub end: usize,
    pub canonical: &'a str,
    pub place: bool,
}

/// Words of a sentence with their byte ranges, punctuation and possessives trimmed.
fn words_at(s: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    for raw in s.split_whitespace() {
        let t = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let t = t
            .strip_suffix("’s")
            .or_else(|| t.strip_suffix("'s"))
            .unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        let start = t.as_ptr() as usize - s.as_ptr() as usize;
        out.push((start, start + t.len(), t));
    }
    out
}

impl Names {
    /// Adds a written form of a name.
    pub fn add(&mut self, form: &str, canonical: &str, place: bool) {
        let words: Vec<String> = form
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .filter(|w| !w.is_empty())
            .collect();
        let Some(first) = words.first().cloned() else {
            return;
        };
        let list = self.by_first.entry(first).or_default();
        if !list.iter().any(|(w, _, _)| *w == words) {
            list.push((words, canonical.to_string(), place));
            list.sort_by_key(|f| std::cmp::Reverse(f.0.len()));
        }
    }

    /// The names a sentence mentions, longest match first at each word.
    pub fn find<'a>(&'a self, s: &str) -> Vec<Found<'a>> {
        let words = words_at(s);
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let hit = self.by_first.get(words[i].2).and_then(|forms| {
                forms.iter().find(|(fw, _, _)| {
                    fw.len() <= words.len() - i && fw.iter().zip(&words[i..]).all(|(a, b)| a == b.2)
                })
            });
            match hit {
                Some((fw, canonical, place)) => {
                    out.push(Found {
                        start: words[i].0,
                        end: words[i + fw.len() - 1].1,
                        canonical,
                        place: *place,
                    });
                    i += fw.len();
                }
                None => i += 1,
            }
        }
        out
    }
}

fn kind_of(sentence: &Sentence) -> Option<ClaimKind> {
    let s = sentence.text.as_str();
    if sentence.words < 6 || sentence.note {
        return None;
    }
    if has_quote(s) {
        return Some(ClaimKind::Quote);
    }
    let attributed = s
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| ATTRIBUTION.iter().any(|a| a.eq_ignore_ascii_case(w)));
    if attributed {
        return Some(ClaimKind::Attributed);
    }
    if sentence.words >= 8 && s.bytes().any(|b| b.is_ascii_digit()) {
        return Some(ClaimKind::Fact);
    }
    None
}

fn quoted_spans(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['“', '"']) {
        let open = rest[i..].chars().next().map_or(1, char::len_utf8);
        let after = &rest[i + open..];
        match after.find(['”', '"']) {
            Some(j) => {
                out.push(&after[..j]);
                let close = after[j..].chars().next().map_or(1, char::len_utf8);
                rest = &after[j + close..];
            }
            None => break,
        }
    }
    out
}

fn has_quote(s: &str) -> bool {
    quoted_spans(s).iter().any(|q| word_count(q) >= 3)
}

/// Hashes of every run of [`SHARED_QUOTE_WORDS`] lowercased words of a text.
fn shingle_hashes(text: &str) -> Vec<u64> {
    use std::hash::{Hash, Hasher};
    let lower = text.to_lowercase();
    let words: Vec<u64> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut h = rustc_hash::FxHasher::default();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    words
        .windows(SHARED_QUOTE_WORDS)
        .map(|w| {
            w.iter().fold(0xcbf2_9ce4_8422_2325u64, |acc, h| {
                (acc ^ h).wrapping_mul(0x100_0000_01b3).rotate_left(17)
            })
        })
        .collect()
}

/// Finds the name closest to the verb of attribution.
fn speaker(s: &str, names: &Names) -> Option<String> {
    let verb = words_at(s)
        .into_iter()
        .find(|(_, _, w)| ATTRIBUTION.iter().any(|a| a.eq_ignore_ascii_case(w)))?
        .0;
    names
        .find(s)
        .into_iter()
        .filter(|f| !f.place)
        .map(|f| {
            let dist = if f.end <= verb {
                verb - f.end
            } else {
                f.start.saturating_sub(verb)
            };
            (dist, f.canonical)
        })
        .filter(|(d, _)| *d <= 60)
        .min()
        .map(|(_, c)| c.to_string())
}

/// A claim candidate before grouping.
struct Candidate<'a> {
    sentence: &'a Sentence,
    kind: ClaimKind,
}

/// Finds a story's claim candidates and groups those that say the same thing.
/// `sentences` are the story's sentences in article order, `vectors[i]` the vector of
/// `sentences[i]`.
pub fn group<'a>(sentences: &'a [Sentence], vectors: &[Vector]) -> Grouped<'a> {
    let cands: Vec<(usize, Candidate)> = sentences
        .iter()
        .enumerate()
        .filter_map(|(i, s)| kind_of(s).map(|kind| (i, Candidate { sentence: s, kind })))
        .collect();
    let n = cands.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let mut index = Index::default();
    let mut quotes: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    let mut texts: rustc_hash::FxHashMap<u64, Vec<usize>> = Default::default();
    for (c, (i, cand)) in cands.iter().enumerate() {
        let article = cand.sentence.article;
        let mut same: BTreeSet<usize> = BTreeSet::new();
        for (other, _) in index.similar(&vectors[*i], SAME_CLAIM) {
            let other = other as usize;
            if cands[other].1.sentence.article != article {
                same.insert(other);
            }
        }
        // The same quotation, however it is framed: a quoted run of words of one
        // claim found in the other.
        let text_sh = shingle_hashes(&cand.sentence.text);
        let quote_sh: Vec<u64> = quoted_spans(&cand.sentence.text)
            .into_iter()
            .flat_map(shingle_hashes)
            .collect();
        for (mine, theirs) in [(&text_sh, &quotes), (&quote_sh, &texts)] {
            for h in mine {
                for &o in theirs.get(h).into_iter().flatten() {
                    if cands[o].1.sentence.article != article {
                        same.insert(o);
                    }
                }
            }
        }
        for o in same {
            let (a, b) = (find(&mut parent, c), find(&mut parent, o));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        index.add(&vectors[*i]);
        for h in quote_sh {
            quotes.entry(h).or_default().push(c);
        }
        for h in text_sh {
            texts.entry(h).or_default().push(c);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for c in 0..n {
        let r = find(&mut parent, c);
        groups.entry(r).or_default().push(c);
    }
    Grouped {
        cands,
        groups: groups.into_values().collect(),
    }
}

/// Claim candidates and which say the same thing: what [`group`] finds without
/// knowing the story's names, so it can run beside entity merging.
pub struct Grouped<'a> {
    cands: Vec<(usize, Candidate<'a>)>,
    groups: Vec<Vec<usize>>,
}

/// The claims of a story: its [`Grouped`] candidates with outlets, speakers and
/// conflicts. `order[a]` ranks article `a` by publication (earliest first).
pub fn claims(grouped: Grouped, sources: &[Source], order: &[usize], names: &Names) -> Vec<Claim> {
    let Grouped { cands, groups } = grouped;
    let mut out: Vec<(usize, usize, Claim)> = groups
        .into_iter()
        .map(|members| {
            let first = *members
                .iter()
                .min_by_key(|&&m| {
                    let s = cands[m].1.sentence;
                    (order[s.article], s.position)
                })
                .expect("a group has members");
            let lead = &cands[first].1;
            let mut articles: Vec<usize> = members
                .iter()
                .map(|&m| cands[m].1.sentence.article)
                .collect();
            articles.sort_by_key(|&a| order[a]);
            articles.dedup();
            let keys: BTreeSet<&str> = articles.iter().map(|&a| sources[a].key.as_str()).collect();
            let mut outlets: Vec<String> = Vec::new();
            for &a in &articles {
                if !outlets.contains(&sources[a].label) {
                    outlets.push(sources[a].label.clone());
                }
            }
            let kind = members
                .iter()
                .map(|&m| cands[m].1.kind)
                .min_by_key(|k| match k {
                    ClaimKind::Quote => 0,
                    ClaimKind::Attributed => 1,
                    ClaimKind::Fact => 2,
                })
                .unwrap_or(lead.kind);
            let conflicts = if keys.len() > 1 {
                conflicts(
                    &members
                        .iter()
                        .map(|&m| cands[m].1.sentence)
                        .collect::<Vec<_>>(),
                    sources,
                    names,
                )
            } else {
                Vec::new()
            };
            let speaker = members
                .iter()
                .find_map(|&m| speaker(&cands[m].1.sentence.text, names));
            let claim = Claim {
                text: lead.sentence.text.clone(),
                kind,
                speaker,
                outlets,
                articles: articles
                    .iter()
                    .map(|&a| sources[a].id.to_string())
                    .collect(),
                sources: keys.len(),
                single_outlet: keys.len() == 1,
                conflict: !conflicts.is_empty(),
                conflicts,
                variants: members
                    .iter()
                    .map(|&m| Variant {
                        text: cands[m].1.sentence.text.clone(),
                        article: sources[cands[m].1.sentence.article].id.to_string(),
                    })
                    .collect(),
            };
            (order[lead.sentence.article], lead.sentence.position, claim)
        })
        .collect();
    out.sort_by(|a, b| {
        b.2.sources
            .cmp(&a.2.sources)
            .then(a.0.cmp(&b.0))
            .then(a.1.cmp(&b.1))
    });
    out.into_iter().map(|x| x.2).collect()
}

/// Where the sources of one claim disagree.
fn conflicts(members: &[&Sentence], sources: &[Source], names: &Names) -> Vec<Conflict> {
    // kind -> slot -> value -> source keys and labels
    type Seen = BTreeMap<(&'static str, String), BTreeMap<String, (BTreeSet<String>, Vec<String>)>>;
    let mut seen: Seen = BTreeMap::new();
    let mut places_by_source: BTreeMap<String, (BTreeSet<String>, usize)> = BTreeMap::new();
    for s in members {
        let src = &sources[s.article];
        let mut add = |kind: &'static str, slot: String, value: String| {
            let e = seen
                .entry((kind, slot))
                .or_default()
                .entry(value)
                .or_default();
            e.0.insert(src.key.clone());
            if !e.1.contains(&src.label) {
                e.1.push(src.label.clone());
            }
        };
        let words: Vec<&str> = s.text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let t = w.trim_matches(|c: char| !c.is_alphanumeric());
            if !t.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            let value = t.replace(',', "");
            let prev = i.checked_sub(1).map(|p| {
                words[p]
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            });
            if let Some(m) = prev.as_deref().filter(|p| MONTHS.contains(p)) {
                add("date", m[..3].to_string(), value);
                continue;
            }
            if value.len() == 4 && value.starts_with(['1', '2']) && value.parse::<u32>().is_ok() {
                continue; // a year names a time, not a quantity; years differ legitimately
            }
            let unit = words
                .get(i + 1)
                .map(|u| {
                    u.trim_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase()
                })
                .filter(|u| u.chars().all(char::is_alphabetic) && !u.is_empty())
                .unwrap_or_default();
            add("number", unit, value);
        }
        for f in names.find(&s.text) {
            if f.place {
                let canonical = f.canonical;
                let e = places_by_source
                    .entry(src.key.clone())
                    .or_insert_with(|| (BTreeSet::new(), s.article));
                e.0.insert(storyline_analyze::entity_key(canonical));
            }
        }
    }
    let mut out = Vec::new();
    for ((kind, _slot), values) in seen {
        let sources_with: BTreeSet<&String> = values.values().flat_map(|v| v.0.iter()).collect();
        if values.len() < 2 || sources_with.len() < 2 {
            continue;
        }
        // A disagreement: some source gives a value that another source, speaking of
        // the same slot, does not give at all.
        let disjoint = values.values().any(|(a, _)| {
            values
                .values()
                .any(|(b, _)| a.is_disjoint(b) && !a.iter().all(|k| b.contains(k)))
        });
        let everyone_one_value = sources_with
            .iter()
            .all(|k| values.values().filter(|(ks, _)| ks.contains(*k)).count() == 1);
        if disjoint && everyone_one_value {
            out.push(Conflict {
                kind,
                values: values
                    .into_iter()
                    .map(|(value, (_, outlets))| ConflictValue { value, outlets })
                    .collect(),
            });
        }
    }
    // Places: each source's place appears nowhere in the other's article.
    let ps: Vec<(&String, &(BTreeSet<String>, usize))> = places_by_source.iter().collect();
    'pairs: for (i, (_, (pa, aa))) in ps.iter().enumerate() {
        for (_, (pb, ab)) in &ps[i + 1..] {
            let a_in_b = pa.iter().any(|p| sources[*ab].places.contains(p));
            let b_in_a = pb.iter().any(|p| sources[*aa].places.contains(p));
            if !a_in_b && !b_in_a {
                out.push(Conflict {
                    kind: "place",
                    values: vec![
                        ConflictValue {
                            value: pa.iter().cloned().collect::<Vec<_>>().join(", "),
                            outlets: vec![sources[*aa].label.clone()],
                        },
                        ConflictValue {
                            value: pb.iter().cloned().collect::<Vec<_>>().join(", "),
                            outlets: vec![sources[*ab].label.clone()],
                        },
                    ],
                });
                break 'pairs;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of_text(t: &str) -> Option<ClaimKind> {
        kind_of(&crate::sentences::split(0, t)[0])
    }

    #[test]
    fn kinds_of_claims() {
        assert_eq!(
            kind_of_text("Watson said, “We have information that Kim expects these discussions to continue.”"),
            Some(ClaimKind::Quote)
        );
        assert_eq!(
            kind_of_text(
                "These allegations were denied by the Kremlin and later by the ambassador."
            ),
            Some(ClaimKind::Attributed)
        );
        assert_eq!(
            kind_of_text("Vladivostok lies nearly 430 miles northeast of Pyongyang by rail."),
            Some(ClaimKind::Fact)
        );
        assert_eq!(
            kind_of_text("The two leaders shook hands warmly at the station."),
            None
        );
        assert_eq!(
            kind_of_text("Lee contributed to this report, officials said."),
            None
        );
    }

    #[test]
    fn speakers() {
        let mut names = Names::default();
        names.add("Leif-Eric Easley", "Leif-Eric Easley", false);
        names.add("Easley", "Leif-Eric Easley", false);
        names.add("Seoul", "Seoul", true);
        assert_eq!(
            speaker(
                "Kim may want help, said Leif-Eric Easley, a professor in Seoul.",
                &names
            )
            .as_deref(),
            Some("Leif-Eric Easley")
        );
        assert_eq!(speaker("The ministry said so in Seoul.", &names), None);
    }
}
