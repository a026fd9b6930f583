//! `analyze`: pure functions of one article.
//!
//! - [`terms`]: lowercased, stop-word-free, stemmed terms with weights (the title
//!   counts more than the body, the lede more than the tail), the input of every
//!   similarity Storyline computes.
//! - [`entities`]: names of people, places and organisations found as runs of
//!   capitalised words, normalised so that "Kim Jong-un" and "Kim Jong Un" are one
//!   key, with a lone surname ("Putin") folded into the full name the same article
//!   uses ("Vladimir Putin").
//!
//! Nothing here looks at other articles: corpus statistics (document frequencies)
//! belong to the stages that keep state.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use storyline_model::Article;

pub mod cases;
mod nouns;
mod stopwords;
/// What a German text says of its capitalised words (which are common nouns).
pub use nouns::{
    capitalises_nouns, is_role_word as is_german_role_word, other_forms as other_noun_forms,
    other_forms_range as other_noun_forms_range, Evidence as NounEvidence, GERMAN_MONTHS,
    MONTH_PARTS, NOUN_CAPITALISING,
};
/// Whether a capitalised word is no name on its own (`The`, `Selon`, `Monday`).
pub use stopwords::not_name_alone;
use stopwords::{
    demonym_country, state_abbreviation, ADJ_SUFFIXES, BODY_WORDS, DAY_NAME_WORDS,
    GENERIC_BODY_WORDS, NOT_NAME_OPENING, NOT_NAME_SINGLE, WEEKDAYS,
};
/// Stop words, and the role words (`President`, `Minister`) that come before a name.
pub use stopwords::{is_stopword, StopWords, ROLE_WORDS};

/// What later stages need to know about an article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Features {
    /// Term → weight (weighted term frequency), sorted by term.
    pub terms: Vec<(String, f32)>,
    /// Named entities, most salient first.
    pub entities: Vec<Entity>,
    /// When an undated article came out, to within a month, if its URL names the
    /// month but no day (`/2009/02/slug`): epoch seconds from the month's first day
    /// to the next month's. Set by ingest (it needs the extractor's URL reading);
    /// absent for dated articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<(i64, i64)>,
    /// In a language that capitalises every noun (German): the keys of the words the
    /// text writes as lone nouns after an article or determiner (`die Ängste`), which
    /// the store counts across its texts, so that synthesis can tell a noun one text
    /// leaves undetermined from a name (see `nouns`). Empty in other languages.
    /// Clustering does not read it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nouns: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Normalised key: lowercase, ASCII-folded, hyphens as spaces (`kim jong un`).
    pub key: String,
    /// The most frequent written form (`Kim Jong Un`).
    pub name: String,
    /// Mentions, counting aliases (a lone `Putin` counts for `Vladimir Putin`).
    pub mentions: u32,
    /// Whether the title mentions it.
    pub in_title: bool,
}

impl Entity {
    /// How central the entity is to the article: mentions, with a title mention
    /// worth three.
    pub fn salience(&self) -> f32 {
        self.mentions as f32 + if self.in_title { 3.0 } else { 0.0 }
    }
}

/// Analyses an article.
pub fn analyze(article: &Article) -> Features {
    let lang = article.lang.as_deref();
    let stemmer = stemmer_for(lang);
    let title = article.title.as_deref().unwrap_or("");
    let mut weights: HashMap<String, f32> = HashMap::new();
    for t in tokens(title, lang, stemmer.as_ref()) {
        *weights.entry(t).or_default() += 3.0;
    }
    for (i, p) in article.paragraphs().enumerate() {
        let w = if i < 2 { 1.5 } else { 1.0 };
        for t in tokens(p, lang, stemmer.as_ref()) {
            *weights.entry(t).or_default() += w;
        }
    }
    let mut terms: Vec<(String, f32)> = weights.into_iter().collect();
    terms.sort_by(|a, b| a.0.cmp(&b.0));
    let evidence = nouns::capitalises_nouns(lang).then(|| nouns::Evidence::of(&article.text));
    Features {
        terms,
        entities: entities_with(title, &article.text, lang, evidence.as_ref()),
        month: None,
        nouns: evidence.map(|e| e.lone_nouns()).unwrap_or_default(),
    }
}

/// The Snowball stemmer for a language code, none for languages it lacks.
pub fn stemmer_for(lang: Option<&str>) -> Option<Stemmer> {
    let alg = match lang.unwrap_or("en") {
        "en" => Algorithm::English,
        "de" => Algorithm::German,
        "fr" => Algorithm::French,
        "es" => Algorithm::Spanish,
        "it" => Algorithm::Italian,
        "pt" => Algorithm::Portuguese,
        "nl" => Algorithm::Dutch,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "da" => Algorithm::Danish,
        "no" => Algorithm::Norwegian,
        "fi" => Algorithm::Finnish,
        "ro" => Algorithm::Romanian,
        "hu" => Algorithm::Hungarian,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(alg))
}

/// Folds accents and case: `Sergéy` → `sergey`; and the letters with a stroke, which
/// Unicode does not decompose, to the letter under it, as English spells those names
/// (`Wałęsa` → `walesa`, `Đoković` → `dokovic`, `Løkke` → `lokke`).
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(plain) = stroke_letter(c) {
            out.push(plain);
        } else {
            // Compatibility decomposition of this one character, marks dropped: the
            // same as decomposing the whole string, since marks are dropped anyway.
            unicode_normalization::char::decompose_compatible(c, |d| {
                if !unicode_normalization::char::is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// The letter under a letter with a stroke or bar, in lower case (`ł` → `l`).
fn stroke_letter(c: char) -> Option<char> {
    Some(match c {
        'ł' | 'Ł' => 'l',
        'đ' | 'Đ' => 'd',
        'ø' | 'Ø' => 'o',
        'ħ' | 'Ħ' => 'h',
        'ŧ' | 'Ŧ' => 't',
        'ı' => 'i',
        _ => return None,
    })
}

/// Terms of a text in language `lang`: folded, split on anything not a letter or
/// digit, without stop words (the language's and ours), pure numbers or one-letter
/// tokens, stemmed.
pub fn tokens(text: &str, lang: Option<&str>, stemmer: Option<&Stemmer>) -> Vec<String> {
    let stop = StopWords::of(lang);
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit()) && !stop.contains(w)
        })
        .map(|w| match stemmer {
            Some(s) => s.stem(w).into_owned(),
            None => w.to_string(),
        })
        .collect()
}

/// Normalises a name to its key: `Kim Jong-un` → `kim jong un`, `Sergéi` → `sergei`.
pub fn entity_key(name: &str) -> String {
    fold(name)
        .replace(['’', '\''], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first and last word of a name of three words or more (`kimani kiki gray` →
/// `kimani gray`, `john w henry` → `john henry`): the form the same person often
/// goes by. None for shorter names.
pub fn short_name(key: &str) -> Option<String> {
    let mut words = key.split(' ');
    let first = words.next()?;
    let mut middle = 0;
    let mut last = None;
    for w in words {
        if last.is_some() {
            middle += 1;
        }
        last = Some(w);
    }
    let last = last?;
    (middle >= 1).then(|| format!("{first} {last}"))
}

fn is_cap_word(w: &str) -> bool {
    let mut chars = w.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() => chars.clone().count() > 0 || w.len() == 1,
        _ => false,
    }
}

/// Named entities as runs of capitalised words, aliases merged.
pub fn entities(title: &str, text: &str) -> Vec<Entity> {
    entities_in(title, text, None)
}

/// [`entities`] of a text in a known language: in one that capitalises every noun
/// (German), a run counts as a name only as far as the text's own articles and lower
/// case allow (see `nouns`).
pub fn entities_in(title: &str, text: &str, lang: Option<&str>) -> Vec<Entity> {
    let nouns = nouns::capitalises_nouns(lang).then(|| nouns::Evidence::of(text));
    entities_with(title, text, lang, nouns.as_ref())
}

/// [`entities_in`], with what the text says of its nouns read already (German only).
fn entities_with(
    title: &str,
    text: &str,
    lang: Option<&str>,
    nouns: Option<&nouns::Evidence>,
) -> Vec<Entity> {
    // The run's name as a name is read, if it is one (only German asks).
    let name_of = |run: Run| -> Option<String> {
        match nouns {
            Some(ev) => ev.name(&run.name, run.at_start).map(str::to_string),
            None => Some(run.name),
        }
    };
    // A German run is cut where it holds what no name does (see `cut_german_run`).
    let german = nouns.is_some();
    let cut = |run: Run| -> Vec<Run> {
        if german {
            cut_german_run(run)
        } else {
            vec![run]
        }
    };
    // key -> (forms and counts, mentions, in title)
    type Found = HashMap<String, (HashMap<String, u32>, u32, bool)>;
    let mut found: Found = HashMap::new();
    fn add(found: &mut Found, name: &str, in_title: bool) {
        let key = entity_key(name);
        if key.is_empty() {
            return;
        }
        let e = found.entry(key).or_default();
        *e.0.entry(name.to_string()).or_default() += 1;
        e.1 += 1;
        e.2 |= in_title;
    }
    // A lone capitalised word that opens a sentence may be capitalised only for
    // opening it (`Hopefully`, `Ten`, `Oh`): it counts when the text confirms it as a
    // name, capitalised inside a sentence, as a word of a longer name, or opening
    // sentences more than once.
    let mut openers: Vec<String> = Vec::new();
    let mut count = 0;
    for sentence in sentences(text) {
        count += 1;
        for run in cap_runs(sentence).into_iter().flat_map(cut) {
            let opens_sentence = run.opens_sentence;
            let Some(name) = name_of(run) else {
                continue;
            };
            if opens_sentence {
                openers.push(name);
            } else {
                add(&mut found, &name, false);
            }
        }
    }
    if count < SHORT_TEXT_SENTENCES {
        for o in &openers {
            add(&mut found, o, false);
        }
    } else {
        let keys: Vec<String> = openers.iter().map(|o| entity_key(o)).collect();
        let mut opener_counts: HashMap<&str, u32> = HashMap::new();
        for k in &keys {
            *opener_counts.entry(k.as_str()).or_default() += 1;
        }
        // The first and last words of the longer names, looked up once.
        let ends: std::collections::HashSet<String> = found
            .keys()
            .filter_map(|k| Some((k.split_once(' ')?.0, k.rsplit_once(' ')?.1)))
            .flat_map(|(first, last)| [first.to_string(), last.to_string()])
            .collect();
        for (o, k) in openers.iter().zip(&keys) {
            if found.contains_key(k) || opener_counts[k.as_str()] >= 2 || ends.contains(k) {
                add(&mut found, o, false);
            }
        }
    }
    // Titles are often in title case: only runs there that the body confirms count,
    // as written or by the surname the body goes on with (`Esther Williams` in the
    // title, `Williams` in the body).
    let body_keys: std::collections::HashSet<String> = found.keys().cloned().collect();
    // In a title-case title a run is any stretch of words (`Quake Hits Iran`).
    let sentence_case = !is_title_case(title);
    for run in cap_runs(title).into_iter().flat_map(cut) {
        let Some(run) = name_of(run) else {
            continue;
        };
        let key = entity_key(&run);
        let words: Vec<&str> = key.split(' ').collect();
        let by_surname = sentence_case
            && (2..=3).contains(&words.len())
            && words.last().is_some_and(|last| body_keys.contains(*last))
            && !names_a_body(&key);
        if body_keys.contains(&key) || by_surname {
            add(&mut found, &run, true);
        } else {
            // A title-case run can hide a known name inside it.
            for k in &body_keys {
                if key.contains(k.as_str()) && k.contains(' ') {
                    if let Some(e) = found.get_mut(k) {
                        e.2 = true;
                    }
                }
            }
        }
    }
    // Fold a name of three words or more into the name of two or more it ends with,
    // when the article also writes that one on its own: what comes before is a
    // qualifier the run picked up (`Charger Vincent Jackson`, `Obama White House`).
    // Not into a generic body (`Los Angeles Police Department` stays itself, not
    // `Police Department`). In key order, so that the result does not depend on hash
    // order.
    let mut long: Vec<String> = found
        .keys()
        .filter(|k| k.matches(' ').count() >= 2)
        .cloned()
        .collect();
    long.sort_unstable();
    // In a language that declines names, the name it ends with may be written in
    // another case (`Spotkanie Donalda Tuska`, `Donald Tusk`).
    let endings = cases::case_endings(lang);
    let written = |found: &HashMap<_, _>, suffix: String| -> Option<String> {
        if found.contains_key(&suffix) {
            return Some(suffix);
        }
        let endings = endings?;
        let words = suffix.matches(' ').count();
        found
            .keys()
            .filter(|k: &&String| k.matches(' ').count() == words)
            .filter(|k| cases::same_name(&suffix, k, endings))
            .min()
            .cloned()
    };
    for k in long {
        let words: Vec<&str> = k.split(' ').collect();
        let target = (1..words.len() - 1)
            .map(|i| words[i..].join(" "))
            .filter(|suffix| !names_a_body(suffix))
            .find_map(|suffix| written(&found, suffix));
        if let Some(t) = target {
            if let Some((_, n, in_title)) = found.remove(&k) {
                let e = found.get_mut(&t).expect("target exists");
                e.1 += n;
                e.2 |= in_title;
            }
        }
    }
    // In a language that declines names, one name in several cases is one name,
    // under the form with the fewest letters (`Donalda Tuska` → `Donald Tusk`); after
    // the longer names folded into those they end with as written (`Wiec Donalda
    // Tuska` → `Donalda Tuska`), before the single words fold into the longer names.
    if let Some(endings) = endings {
        fold_cases(&mut found, endings);
    }
    // Fold single-word names into the multi-word name that starts or ends with them,
    // choosing the most mentioned when several do ("Kim" → "Kim Jong Un").
    // In key order: each fold adds mentions that later choices compare, so hash order
    // would make the result differ from run to run.
    let mut singles: Vec<String> = found.keys().filter(|k| !k.contains(' ')).cloned().collect();
    singles.sort_unstable();
    for s in singles {
        let target = found
            .iter()
            .filter(|(k, _)| k.contains(' '))
            // In German a compound written as one word is no longer name of its part
            // (`THW-Leben`, `Nato-Gipfel`, `EU-Kommission`: the `THW`, the `Nato`, the
            // `EU` of the text stay themselves).
            .filter(|(_, (forms, _, _))| nouns.is_none() || forms.keys().any(|f| f.contains(' ')))
            .filter(|(k, _)| k.split(' ').next() == Some(&s) || k.rsplit(' ').next() == Some(&s))
            .max_by(|a, b| a.1 .1.cmp(&b.1 .1).then_with(|| b.0.cmp(a.0)))
            .map(|(k, _)| k.clone());
        if let Some(t) = target {
            if let Some((_, n, in_title)) = found.remove(&s) {
                let e = found.get_mut(&t).expect("target exists");
                e.1 += n;
                e.2 |= in_title;
            }
        }
    }
    let mut out: Vec<Entity> = found
        .into_iter()
        .map(|(key, (forms, mentions, in_title))| {
            let name = forms
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|f| f.0)
                .unwrap_or_default();
            Entity {
                key,
                name,
                mentions,
                in_title,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.salience()
            .total_cmp(&a.salience())
            .then_with(|| a.key.cmp(&b.key))
    });
    out
}

/// Folds an article's names that are one name in several cases (see
/// [`cases::groups`]) into the shortest of them (the nominative, as a rule; on a
/// tie the most mentioned, then the first in key order), which keeps its written
/// forms and gains the others' mentions. In key order, so the result does not depend
/// on hash order.
fn fold_cases(found: &mut HashMap<String, (HashMap<String, u32>, u32, bool)>, endings: &[&str]) {
    let mut keys: Vec<String> = found.keys().cloned().collect();
    keys.sort_unstable();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    for g in cases::groups(&refs, endings) {
        let mentions = |k: &str| found.get(k).map_or(0, |e| e.1);
        let keep = g
            .iter()
            .map(|&i| refs[i])
            .min_by(|a, b| {
                a.chars()
                    .count()
                    .cmp(&b.chars().count())
                    .then_with(|| mentions(b).cmp(&mentions(a)))
                    .then_with(|| a.cmp(b))
            })
            .expect("a group has keys");
        for &i in &g {
            if refs[i] == keep {
                continue;
            }
            if let Some((_, n, in_title)) = found.remove(refs[i]) {
                let e = found.get_mut(keep).expect("the kept key exists");
                e.1 += n;
                e.2 |= in_title;
            }
        }
    }
}

/// Whether a name's key ends in a word naming a kind of body (`police department`,
/// `supreme court`): such a name alone is generic, not the short form of a longer one.
/// Whether a title capitalises its words (`Quake Hits Southern Iran`) rather than
/// its names only: four in five of its words of four letters or more.
fn is_title_case(title: &str) -> bool {
    let long: Vec<&str> = title
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| w.chars().count() >= 4 && w.chars().next().is_some_and(char::is_alphabetic))
        .collect();
    let capitalised = long
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    !long.is_empty() && capitalised * 5 >= long.len() * 4
}

fn names_a_body(key: &str) -> bool {
    let last = key.rsplit(' ').next().unwrap_or(key);
    BODY_WORDS
        .iter()
        .chain(GENERIC_BODY_WORDS)
        .any(|b| b.eq_ignore_ascii_case(last))
}

/// A text of fewer sentences is too short to confirm its names: a snippet names its
/// subject once (`Hansbrough, who came back for his senior season, ...`).
const SHORT_TEXT_SENTENCES: usize = 4;

/// Splits text into rough sentences (for knowing which capitals start a sentence).
/// A middle initial does not end one: `George W. Bush`, `Robert S. Mueller`.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut parts = text
        .split_inclusive(['.', '!', '?', '\n', '“', '"', ':', ';'])
        .peekable();
    std::iter::from_fn(move || {
        let first = parts.next()?;
        let mut end = start + first.len();
        while parts.peek().is_some_and(|next| {
            let so_far = &text[start..end];
            (is_initial_end(so_far) && opens_name(next))
                || (ends_in_initial(so_far) && is_initial(next))
        }) {
            end += parts.next().expect("peeked").len();
        }
        let out = &text[start..end];
        start = end;
        Some(out)
    })
}

/// Whether a piece of text ends where a name goes on: a middle initial after a
/// capitalised word (`President George W.`), a title's abbreviation (`Mr.`, `Sen.`),
/// or initials (`P.J.`, `U.S.`), each of which a name may follow (`Mr. LaRue`,
/// `J.J. Redick`, `the U.S. Congress`).
fn is_initial_end(piece: &str) -> bool {
    let mut words = piece.split_whitespace().rev();
    let Some(last) = words.next() else {
        return false;
    };
    let last = last.trim_start_matches(|c: char| !c.is_alphanumeric());
    if TITLE_ABBREVIATIONS.contains(&last) || is_initials(last) {
        return true;
    }
    let Some(before) = words.next() else {
        return false;
    };
    is_initial(last) && is_cap_word(before.trim_end_matches(',')) && !not_name_alone(before)
}

/// Whether text ends in one capital and a full stop (`P.`, and then `J.` may follow).
fn ends_in_initial(text: &str) -> bool {
    let b = text.trim_end().as_bytes();
    b.len() >= 2 && b[b.len() - 2].is_ascii_uppercase() && b[b.len() - 1] == b'.'
}

/// Titles abbreviated with a full stop, which a name follows.
const TITLE_ABBREVIATIONS: &[&str] = &[
    "Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Gen.", "Lt.", "Col.", "Sgt.",
    "Capt.", "Cpl.", "Det.", "Rev.", "St.", "Mt.", "Ft.",
];

/// Two or more initials, each a capital and a full stop (`P.J.`, `U.S.`).
fn is_initials(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 4
        && b.len().is_multiple_of(2)
        && b.chunks(2)
            .all(|p| p[0].is_ascii_uppercase() && p[1] == b'.')
}

/// A middle initial as written: one capital letter and a full stop (`W.`).
fn is_initial(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() == 2 && b[0].is_ascii_uppercase() && b[1] == b'.'
}

/// Whether a piece of text opens with a word that continues a name (`Bush`), not one
/// that opens a sentence (`The`, `He`).
fn opens_name(piece: &str) -> bool {
    piece
        .split_whitespace()
        .next()
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
        .is_some_and(|w| is_cap_word(w) && !not_name_alone(w))
}

/// Runs of capitalised words inside one sentence, cut into names:
/// - a capitalised function word (The, But, He, Monday) never starts a name;
/// - a possessive ends a name (`Russia’s Defense Minister` → `Russia`, ...);
/// - a role word cuts the run and only what follows it is the name
///   (`Russian Defense Minister Sergei Shoigu` → `Sergei Shoigu`);
/// - a lone hyphenated pair of names is two names (`Putin-Kim` → `Putin`, `Kim`);
/// - a demonym stands for its country (`North Korean` → `North Korea`).
fn cap_runs(sentence: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    // Whether `cur` began with the sentence's first word.
    let mut at_start = false;
    fn flush(cur: &mut Vec<String>, runs: &mut Vec<Run>, at_start: &mut bool) {
        let opened = std::mem::take(at_start);
        let len = cur.len();
        let push = |runs: &mut Vec<Run>, name: String, opens_sentence: bool| {
            runs.push(Run {
                name,
                opens_sentence,
                at_start: opened,
            })
        };
        // What follows the last role word is the name; a run that ends in a role
        // word names a position, not a person. Unless what follows is one word
        // naming a body the role word qualifies (`Justice Department`).
        if let Some(r) = cur.iter().rposition(|w| ROLE_WORDS.contains(&w.as_str())) {
            let body = r + 2 == cur.len() && BODY_WORDS.contains(&cur[r + 1].as_str());
            if !body {
                cur.drain(..=r);
            }
        }
        // A generational suffix closing a name is not part of it (`Robert S. Mueller
        // III`, `Arcade Joseph Comeaux Jr`), so that both forms are one key.
        if cur.len() >= 3
            && cur.last().is_some_and(|w| {
                matches!(w.trim_end_matches('.'), "Jr" | "Sr" | "II" | "III" | "IV")
            })
        {
            cur.pop();
        }
        // A weekday closing a run of three words or more is when, not a part of the
        // name (`the Kraft Plant Thursday`); in two words it may be one (`Super
        // Tuesday`, `Bloody Sunday`).
        // In two, only after the words that make a day's name (`Super Tuesday`,
        // `Black Friday`); `Mexico Wednesday`, `Twitter Sunday` are a name and when.
        if cur.len() >= 2
            && cur.last().is_some_and(|w| WEEKDAYS.contains(&w.as_str()))
            && (cur.len() >= 3 || !DAY_NAME_WORDS.contains(&cur[0].as_str()))
        {
            cur.pop();
        }
        if opened && cur.len() > 1 && NOT_NAME_OPENING.contains(&cur[0].as_str()) {
            cur.remove(0);
        }
        // "New" opens names (New York, New Delhi) when a name follows it.
        while cur
            .first()
            .is_some_and(|w| not_name_alone(w) && !(w == "New" && cur.len() > 1))
        {
            cur.remove(0);
        }
        // A lone generic word, or a lawmaker's party and state (`R-Texas`, `D-Calif`).
        if cur.len() == 1 && (NOT_NAME_SINGLE.contains(&cur[0].as_str()) || is_party_tag(&cur[0])) {
            cur.clear();
        }
        if cur.len() == 1 {
            let w = &cur[0];
            if let Some((a, b)) = w.split_once('-') {
                if is_cap_word(a) && is_cap_word(b) && a.len() >= 3 && b.len() >= 3 {
                    push(runs, a.to_string(), false);
                    push(runs, b.to_string(), false);
                    cur.clear();
                    return;
                }
            }
        }
        if !cur.is_empty() {
            let run = cur.join(" ");
            let place = demonym_country(&run).or_else(|| state_abbreviation(&run));
            // Only a lone word left where the sentence opened, and capitalised the
            // way any word there is (not an acronym, a demonym or a place code).
            let opens_sentence = opened && len == 1 && place.is_none() && !is_acronym(&run);
            push(runs, place.map_or(run, str::to_string), opens_sentence);
        }
        cur.clear();
    }
    let mut words = sentence.split_whitespace().peekable();
    let mut first = true;
    while let Some(raw) = words.next() {
        // A parenthesis opens a new name: `Eastern Economic Forum (EEF)`.
        if raw.starts_with('(') {
            flush(&mut cur, &mut runs, &mut at_start);
        }
        if std::mem::take(&mut first) {
            at_start = true;
        }
        // A middle initial continues the name it is inside (`George W. Bush`; the
        // sentence was not cut there, see [`sentences`]).
        if is_initial(raw) && !cur.is_empty() && words.peek().is_some() {
            cur.push(raw.to_string());
            continue;
        }
        let ends_clause = raw.ends_with([',', ';', ':', ')', '”', '"', '.', '?', '!']);
        let trimmed =
            raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’');
        let possessive = trimmed.ends_with("’s")
            || trimmed.ends_with("'s")
            || trimmed.ends_with("s’")
            || trimmed.ends_with("s'");
        let w = trimmed
            .trim_end_matches("’s")
            .trim_end_matches("'s")
            .trim_matches(['-', '\'', '’']);
        let adjective_compound = w
            .split_once('-')
            .is_some_and(|(_, b)| ADJ_SUFFIXES.contains(&b.to_lowercase().as_str()));
        let name_like = ((is_cap_word(w)
            && !w.chars().all(|c| c.is_uppercase() || !c.is_alphabetic()))
            || is_acronym(w))
            && !is_contraction(w)
            && !is_inverted_verb(w);
        if name_like && !adjective_compound {
            cur.push(w.to_string());
        } else {
            flush(&mut cur, &mut runs, &mut at_start);
        }
        // A possessive opening a sentence is a name's (`Russia’s army`): common
        // nouns there take an article first.
        if possessive {
            at_start = false;
        }
        if ends_clause || possessive {
            flush(&mut cur, &mut runs, &mut at_start);
        }
    }
    flush(&mut cur, &mut runs, &mut at_start);
    runs
}

/// A German run cut where it holds what no name does: the words German capitalises
/// only to open a sentence or a heading or to address the reader (`Verabschieden
/// Sie`, `Viele Teilnehmerinnen`, `Afroshop Aber`; see [`nouns::never_in_a_name`]),
/// a date of a month (`Polizei Anfang Oktober`, `Mitte März`), and the measure words
/// more capitals follow (`Millionen Euro`, `Grad Celsius`, `Jahren Haft`, `Europa
/// Millionen Menschen`): the stretches between, each a run of its own. Before any
/// of that, a role or an abbreviation's compound before the name drops with all
/// before it (`Österreichs Gesundheitsminister Johannes Rauch`, `VW-Tochter
/// Skoda`; see [`nouns::is_role_word`]). Only a stretch the run began with keeps its
/// place at the sentence's start.
fn cut_german_run(run: Run) -> Vec<Run> {
    // Most runs are one word, which only a word no name holds can cut (a date and a
    // measure need a word after them).
    if !run.name.contains(' ') {
        return if nouns::never_in_a_name(&run.name) {
            Vec::new()
        } else {
            vec![run]
        };
    }
    let mut words: Vec<&str> = run.name.split(' ').collect();
    // A role before a name is no part of it, nor is what qualifies the role
    // (`Österreichs Gesundheitsminister Johannes Rauch`), nor an abbreviation's
    // compound said of the name (`VW-Tochter Skoda`): what follows the last one is
    // the name. A role closing the run may be a surname (`Gerhard Richter`).
    let role = words[..words.len() - 1]
        .iter()
        .rposition(|w| nouns::is_role_word(w) || nouns::is_abbreviation_compound(w));
    if let Some(r) = role {
        words.drain(..=r);
    }
    let at_start = run.at_start && role.is_none();
    let mut cut = vec![false; words.len()];
    for i in 0..words.len() {
        let month_after = words
            .get(i + 1)
            .is_some_and(|m| nouns::GERMAN_MONTHS.contains(m));
        if nouns::never_in_a_name(words[i])
            || (nouns::MONTH_PARTS.contains(&words[i]) && month_after)
            || (i > 0
                && nouns::MONTH_PARTS.contains(&words[i - 1])
                && cut[i - 1]
                && nouns::GERMAN_MONTHS.contains(&words[i]))
            || (i + 1 < words.len() && nouns::is_measure_word(words[i]))
        {
            cut[i] = true;
        }
    }
    if !cut.contains(&true) && role.is_none() {
        return vec![run];
    }
    let mut pieces = Vec::new();
    let mut from = 0;
    while from < words.len() {
        if cut[from] {
            from += 1;
            continue;
        }
        let to = (from..words.len()).find(|&i| cut[i]).unwrap_or(words.len());
        let piece = &words[from..to];
        let at_start = at_start && from == 0;
        pieces.push(Run {
            opens_sentence: at_start && piece.len() == 1 && !is_acronym(piece[0]),
            name: piece.join(" "),
            at_start,
        });
        from = to;
    }
    pieces
}

/// A name [`cap_runs`] found.
struct Run {
    name: String,
    /// One word that opened the sentence: capitalised perhaps only for that.
    opens_sentence: bool,
    /// The run began with the sentence's first word (of any length).
    at_start: bool,
}

/// A lawmaker's party and state as US news prints them after a name: `R-Texas`,
/// `D-Calif`, `I-Vt`.
fn is_party_tag(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 4
        && matches!(b[0], b'R' | b'D' | b'I')
        && b[1] == b'-'
        && b[2].is_ascii_uppercase()
        && w[3..].chars().all(|c| c.is_ascii_lowercase() || c == '.')
}

/// A pronoun's or a verb's contraction (`I'm`, `We're`, `They've`, `Don't`): capitalised
/// at a sentence's start, never a name. Names with an apostrophe (`O'Neill`,
/// `D'Angelo`) do not end in a contraction's ending after a pronoun.
fn is_contraction(w: &str) -> bool {
    const STEMS: &[&str] = &[
        "I", "We", "You", "They", "He", "She", "It", "That", "There", "Here", "Who", "What",
        "Where", "Let",
    ];
    let Some((stem, end)) = w.split_once(['\'', '’']) else {
        return false;
    };
    (STEMS.contains(&stem) && matches!(end, "m" | "ve" | "d" | "re" | "ll" | "s"))
        || (end == "t" && stem.ends_with('n'))
}

/// A French verb joined to the subject pronoun after it, as a question or an
/// inserted clause writes it (`Faut-il`, `Peut-on`, `Est-ce`, `Y a-t-il`, `Dit-elle`):
/// capitalised to open a sentence, never a name. Names joined by a hyphen end in a
/// capital (`Jean-Luc`, `Saint-Denis`).
fn is_inverted_verb(w: &str) -> bool {
    const PRONOUNS: &[&str] = &[
        "il", "elle", "on", "ils", "elles", "je", "tu", "nous", "vous", "ce",
    ];
    w.rsplit_once('-')
        .is_some_and(|(verb, pronoun)| !verb.is_empty() && PRONOUNS.contains(&pronoun))
}

/// Upper-case abbreviations that name things (NATO, KCNA, EEF); not one-letter words
/// and not shouted words in headlines.
fn is_acronym(w: &str) -> bool {
    let n = w.chars().count();
    (2..=6).contains(&n) && w.chars().all(|c| c.is_ascii_uppercase()) && !not_name_alone(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_several_cases_is_one_name_in_languages_that_decline_names() {
        let text = "Donald Tusk przyjechał do Brukseli. Spotkanie Donalda Tuska z \
                    przywódcami trwało godzinę. Rozmawiano z Donaldem Tuskiem o budżecie. \
                    Unia Europejska przyjęła plan. Wiec Donalda Tuska odbył się w sobotę. \
                    Przedstawiciele Unii Europejskiej milczeli. Jarosław Kaczyński i Marta \
                    Kaczyńska przyszli. Potem przemawiał Jarosław Kaczyński.";
        let found = entities_in("", text, Some("pl"));
        let keys: Vec<&str> = found.iter().map(|e| e.key.as_str()).collect();
        let tusk = found.iter().find(|e| e.key == "donald tusk").expect("Tusk");
        assert_eq!(tusk.name, "Donald Tusk");
        assert_eq!(tusk.mentions, 4, "{found:?}");
        assert!(keys.contains(&"unia europejska"), "{keys:?}");
        // A man and a woman of one family stay two (by their given names here).
        assert!(keys.contains(&"jaroslaw kaczynski"), "{keys:?}");
        assert!(keys.contains(&"marta kaczynska"), "{keys:?}");
        for gone in ["donalda tuska", "donaldem tuskiem", "unii europejskiej"] {
            assert!(!keys.contains(&gone), "{gone} in {keys:?}");
        }
        // Other languages keep every written form apart.
        let english: Vec<String> = entities_in("", text, Some("en"))
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert!(
            english.iter().any(|k| k == "donaldem tuskiem"),
            "{english:?}"
        );
    }

    #[test]
    fn folding_single_names_does_not_depend_on_hash_order() {
        // "Jong" folds into "Kim Yo Jong" and then "Kim" follows the larger count; in
        // another order "Kim" would go to "Kim Jong Un" on the tie.
        let text = "Kim Jong Un met officials. Kim Jong Un spoke. Kim Yo Jong listened. \
                    Kim Yo Jong wrote. Later, Jong arrived. Then, Kim left.";
        let first = entities("", text);
        for _ in 0..50 {
            assert_eq!(entities("", text), first);
        }
        let yo = first.iter().find(|e| e.key == "kim yo jong").unwrap();
        assert_eq!(yo.mentions, 4, "{first:?}");
    }

    fn keys(title: &str, text: &str) -> Vec<String> {
        entities(title, text).into_iter().map(|e| e.key).collect()
    }

    #[test]
    fn a_german_role_or_apposition_before_a_name_is_no_part_of_it() {
        let text = "Innenministerin Nancy Faeser sprach am Montag. Nun kam Österreichs \
                    Gesundheitsminister Johannes Rauch hinzu. Es schwieg die \
                    Linken-Politikerin Sahra Wagenknecht. Das Bild malte Gerhard Richter. \
                    Laut Bayern-Trainer Thomas Tuchel läuft es. Die VW-Tochter Skoda baut. \
                    Es sprach der Stab des US-Vizepräsidenten Mike Pence.";
        let names: Vec<String> = entities_in("", text, Some("de"))
            .into_iter()
            .map(|e| e.name)
            .collect();
        // What follows the last role word is the name; what qualifies the role goes
        // with it (`Österreichs`).
        for name in [
            "Nancy Faeser",
            "Johannes Rauch",
            "Sahra Wagenknecht",
            "Thomas Tuchel",
            "Skoda",
            "Mike Pence",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        for word in [
            "Innenministerin",
            "Gesundheitsminister",
            "Österreichs",
            "Linken-Politikerin",
            "Bayern-Trainer",
            "VW-Tochter",
            "US-Vizepräsidenten",
        ] {
            assert!(
                names.iter().all(|n| !n.split(' ').any(|w| w == word)),
                "{word} in {names:?}"
            );
        }
        // A role word closing a run may be a surname.
        assert!(names.iter().any(|n| n == "Gerhard Richter"), "{names:?}");
        // Only German is read so.
        let english: Vec<String> = entities("", "Innenministerin Nancy Faeser spoke on Monday.")
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(english, ["Innenministerin Nancy Faeser"]);
        assert!(nouns::is_role_word("FPÖ-Kultursprecher"));
        assert!(nouns::is_role_word("Chef"));
        for word in ["Erzbischof", "Euro-Kritiker", "EU-Kommissarin", "Professor"] {
            assert!(nouns::is_role_word(word), "{word}");
        }
        assert!(!nouns::is_role_word("chef"));
        assert!(!nouns::is_role_word("Deutsche"));
        // A compound of an abbreviation and a noun is said of the name after it.
        for word in ["VW-Tochter", "E-Mail", "OECD-Bericht"] {
            assert!(nouns::is_abbreviation_compound(word), "{word}");
        }
        for word in [
            "Baden-Württemberg",
            "Covid-19",
            "US-EU",
            "-Tochter",
            "Kramp-Karrenbauer",
        ] {
            assert!(!nouns::is_abbreviation_compound(word), "{word}");
        }
    }

    #[test]
    fn a_german_run_is_cut_at_the_words_no_name_holds() {
        let text = "Viele Teilnehmerinnen kamen nach Berlin zu Olaf Scholz. Beachten Sie \
                    die Hinweise. Formuliere Deine Texte klar, riet Stephan Weil. Ob Sie \
                    kommen, weiß Anne Will nicht. Die Linke tagt. Kaschmirwolle Beim \
                    Händler kaufen. Ermutigen Sie Ihre Tochter. Lena Meyer lacht, sagen Leute von \
                    Kim Jong Uns. Sie feiern im Salon Zur Wilden Renate. Harry Kane \
                    Weitere Inhalte. Die Neue Heimat baute.";
        let names: Vec<String> = entities_in("", text, Some("de"))
            .into_iter()
            .map(|e| e.name)
            .collect();
        for word in ["Viele", "Sie", "Deine", "Ob", "Beim", "Ihre", "Weitere"] {
            assert!(
                names.iter().all(|n| !n.split(' ').any(|w| w == word)),
                "{word} in {names:?}"
            );
        }
        // Surnames that are function words elsewhere stay; so do the articles that
        // open names, and a name after the cut word.
        for name in [
            "Olaf Scholz",
            "Stephan Weil",
            "Anne Will",
            "Lena Meyer",
            "Kim Jong Uns",
            "Harry Kane",
        ] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        assert!(
            names.iter().any(|n| n.ends_with("Neue Heimat")),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.ends_with("Linke")),
            "Die Linke: {names:?}"
        );
        assert!(
            names.iter().any(|n| n.ends_with("Zur Wilden Renate")),
            "{names:?}"
        );
        // English text is not cut so (`In`, `Was` are only German function words here).
        let en = entities("", "Made In Chelsea aired. Was Ramaswamy right? Ask him.");
        assert!(en.iter().any(|e| e.name == "Made In Chelsea"), "{en:?}");
        // Dates of a month and opening measures are cut too.
        let text = "Die Polizei Anfang Oktober sah 5 Millionen Euro. Es waren 30 Grad \
                    Celsius bei Mitte März. Der Euro Hawk flog. Er bekam 10 Jahren Haft \
                    von Richterin Anna Roth Ende Mai. Kurfürst August kam.";
        let names: Vec<String> = entities_in("", text, Some("de"))
            .into_iter()
            .map(|e| e.name)
            .collect();
        for gone in [
            "Anfang",
            "Oktober",
            "Millionen",
            "Grad",
            "Mitte",
            "Jahren",
            "Mai",
        ] {
            assert!(
                names.iter().all(|n| !n.split(' ').any(|w| w == gone)),
                "{gone} in {names:?}"
            );
        }
        for name in ["Euro Hawk", "Anna Roth", "Kurfürst August"] {
            assert!(
                names.iter().any(|n| n.ends_with(name)),
                "{name} in {names:?}"
            );
        }
        // A compound written as one word is not a longer name of its part: the
        // `Israel` of a German text stays itself beside `Israel-Reisen` (which the cut
        // leaves whole: a lone pair of capitals is split, `Putin-Kim`); a name of
        // two words still takes its lone surname (`Scholz`).
        let text = "Viele Israel-Reisen fallen aus. Heute sprach Olaf Scholz in Israel. \
                    Dann reiste Scholz weiter nach Jordanien.";
        let keys: Vec<String> = entities_in("", text, Some("de"))
            .into_iter()
            .map(|e| e.key)
            .collect();
        assert!(keys.contains(&"israel".to_string()), "{keys:?}");
        assert!(!keys.contains(&"scholz".to_string()), "{keys:?}");
        assert!(nouns::never_in_a_name("Sie") && nouns::never_in_a_name("Unser"));
        assert!(!nouns::never_in_a_name("SIE") && !nouns::never_in_a_name("Die"));
    }

    /// A headline's full name is confirmed by the surname the body goes on with, in
    /// a sentence-case title; a title-case title's runs are not names for that.
    #[test]
    fn a_title_name_confirmed_by_its_surname() {
        let text = "Pinup girl Williams was the star of wartime aquatic musicals and made synchronized swimming popular.";
        let e = entities(
            "Esther Williams, who swam to stardom in the 1940s, dies at 91",
            text,
        );
        let williams = e
            .iter()
            .find(|e| e.key == "esther williams")
            .expect("title name");
        assert!(williams.in_title);
        let k = keys(
            "Quake Hits Southern Iran",
            "A strong quake shook the south on Sunday. Officials in Iran said ten people died.",
        );
        assert!(
            k.iter().all(|k| k != "quake hits southern iran"
                && k != "hits southern iran"
                && k != "southern iran"),
            "{k:?}"
        );
        assert!(is_title_case("Quake Hits Southern Iran"));
        assert!(!is_title_case(
            "Esther Williams, who swam to stardom, dies at 91"
        ));
    }

    #[test]
    fn names_are_normalised_and_aliases_folded() {
        let text = "North Korean leader Kim Jong-un plans to meet President Vladimir Putin. Putin said Kim Jong Un was welcome. The Kremlin said Kim would arrive by train.";
        let e = entities("Kim to meet Putin", text);
        let k: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        assert!(k.contains(&"kim jong un"));
        assert!(k.contains(&"vladimir putin"));
        assert!(k.contains(&"kremlin"));
        assert!(!k.contains(&"putin") && !k.contains(&"kim"), "{k:?}");
        let kim = e.iter().find(|e| e.key == "kim jong un").unwrap();
        assert_eq!(kim.mentions, 4);
        assert!(kim.in_title);
        let putin = e.iter().find(|e| e.key == "vladimir putin").unwrap();
        assert_eq!(putin.mentions, 3, "two in the body, one in the title");
    }

    #[test]
    fn roles_possessives_compounds_and_demonyms() {
        let k = keys(
            "",
            "Russian Defense Minister Sergei Shoigu visited. Russia’s Defense Minister spoke. The New York Times said the Eastern Economic Forum (EEF) opens. New sanctions came. The Putin-Kim meeting was set. US-made jets flew. North Korean state media reported it. Leif-Eric Easley said so.",
        );
        assert!(k.contains(&"sergei shoigu".to_string()), "{k:?}");
        assert!(k.contains(&"russia".to_string()));
        assert!(k.contains(&"north korea".to_string()));
        assert!(k.contains(&"leif eric easley".to_string()));
        assert!(k.contains(&"new york times".to_string()), "{k:?}");
        assert!(
            k.contains(&"eastern economic forum".to_string()) && k.contains(&"eef".to_string())
        );
        assert!(!k.contains(&"new".to_string()));
        assert!(
            !k.iter()
                .any(|x| x.contains("minister") || x.contains("putin kim") || x.contains("made")),
            "{k:?}"
        );
        let k = keys(
            "",
            "Majority Whip Steve Scalise agreed. Most Americans watched, and Special Agent Peter Strzok left.",
        );
        for name in ["steve scalise", "united states", "peter strzok"] {
            assert!(k.iter().any(|x| x == name), "{name}: {k:?}");
        }
        assert!(
            !k.iter()
                .any(|x| x.contains("agent") || x.contains("whip") || x.contains("americans")),
            "{k:?}"
        );
    }

    #[test]
    fn function_words_are_not_names() {
        let k = keys(
            "",
            "The official said Monday that He would go. But Shoigu said no.",
        );
        assert_eq!(k, vec!["shoigu"]);
        let k = keys(
            "",
            "About 100 workers were inside. Among them was Yvonne Hiller. Shots rang out at the Kraft Foods Plant Thursday. It was not Super Tuesday.",
        );
        assert!(k.contains(&"kraft foods plant".to_string()), "{k:?}");
        assert!(k.contains(&"super tuesday".to_string()), "{k:?}");
        assert!(
            !k.iter()
                .any(|x| x == "about" || x == "among" || x.contains("thursday")),
            "{k:?}"
        );
        // Quantifiers and numbers opening a sentence are not part of the name after
        // them.
        let k = keys(
            "",
            "No Republican voted for it. Five Democrats gathered in Miami. All Democrats cheered Haley.",
        );
        assert!(
            !k.iter()
                .any(|x| x.starts_with("no ") || x.starts_with("five ") || x.starts_with("all ")),
            "{k:?}"
        );
        assert!(k.contains(&"haley".to_string()), "{k:?}");
        // A weekday after a name is when, unless it makes a day's name.
        let k = keys(
            "",
            "Trump spoke in Mexico Wednesday. Obama wrote on Twitter Sunday. Shoppers crowded stores on Black Friday, and Super Tuesday came.",
        );
        for name in ["mexico", "twitter", "black friday", "super tuesday"] {
            assert!(k.iter().any(|x| x == name), "{name}: {k:?}");
        }
        assert!(
            !k.iter()
                .any(|x| x.ends_with("wednesday") || x.ends_with("sunday")),
            "{k:?}"
        );
    }

    #[test]
    fn contractions_and_lone_generic_words_are_not_names() {
        let k = keys(
            "",
            "I'm sure. We’re told They've left. Don't go. Police said Sgt Hill saw it. No one came. All fled.",
        );
        assert_eq!(k, vec!["hill"]);
        // Names with an apostrophe stay; the generic words may open a name.
        let k = keys(
            "",
            "Shaquille O'Neal met D'Angelo Russell. The All Blacks won. Police Scotland said so.",
        );
        for name in [
            "shaquille oneal",
            "dangelo russell",
            "all blacks",
            "police scotland",
        ] {
            assert!(k.iter().any(|x| x == name), "{name}: {k:?}");
        }
    }

    #[test]
    fn a_lone_word_opening_a_sentence_needs_the_text_to_confirm_it() {
        let e = entities(
            "",
            "Hopefully it ends. Ten people came. Hiller fled. Police found Yvonne Hiller later. \
             Obama spoke. Obama left. Russia’s army moved. “Kraft said so,” a worker said. \
             Workers at Kraft wept.",
        );
        let k: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        for junk in ["hopefully", "ten"] {
            assert!(!k.contains(&junk), "{k:?}");
        }
        // Confirmed: by a longer name, by opening two sentences, by a possessive,
        // and by a capital inside a sentence.
        let hiller = e.iter().find(|e| e.key == "yvonne hiller").unwrap();
        assert_eq!(hiller.mentions, 2, "{e:?}");
        for name in ["obama", "russia", "kraft"] {
            assert!(k.contains(&name), "{name}: {k:?}");
        }
        let kraft = e.iter().find(|e| e.key == "kraft").unwrap();
        assert_eq!(kraft.mentions, 2, "{e:?}");
        // A snippet of a sentence or two is too short to confirm anything.
        let k = keys(
            "",
            "Hansbrough, who came back for his senior season, scored 20 as the Tar Heels won.",
        );
        assert!(k.contains(&"hansbrough".to_string()), "{k:?}");
    }

    #[test]
    fn titles_initials_and_abbreviations_do_not_end_a_sentence_before_a_name() {
        let k = keys(
            "",
            "Fired this season: P.J. Carlesimo and J.J. Redick. Mr. LaRue said so. \
             The U.S. Congress voted. Philadelphia District Attorney Seth Williams spoke. \
             Sheriff Joe Arpaio and Coach Sean Payton came. Manager A. J. Smith left. \
             It was a Russia-themed talk for President-elect Donald Trump and BuzzFeed \
             Editor-in-Chief Ben Smith.",
        );
        for name in [
            "carlesimo",
            "redick",
            "larue",
            "congress",
            "seth williams",
            "joe arpaio",
            "sean payton",
            "a j smith",
            "donald trump",
            "ben smith",
        ] {
            assert!(k.iter().any(|x| x == name), "{name}: {k:?}");
        }
        assert!(
            !k.iter().any(|x| x.contains("attorney")
                || x.contains("sheriff")
                || x.contains("themed")
                || x.contains("elect")
                || x.contains("chief")),
            "{k:?}"
        );
    }

    #[test]
    fn a_qualified_name_folds_into_the_name_written_alone_and_positions_are_roles() {
        let e = entities(
            "",
            "Chargers NT Jamal Williams was arrested. Police said Jamal Williams drove. \
             Charger Vincent Jackson was arrested in October. Vincent Jackson played. \
             The Los Angeles Police Department said the Police Department would look.",
        );
        let k: Vec<&str> = e.iter().map(|e| e.key.as_str()).collect();
        let jackson = e.iter().find(|e| e.key == "vincent jackson").unwrap();
        assert_eq!(jackson.mentions, 2, "{e:?}");
        let williams = e.iter().find(|e| e.key == "jamal williams").unwrap();
        assert_eq!(williams.mentions, 2, "{e:?}");
        assert!(
            k.contains(&"los angeles police department") && k.contains(&"police department"),
            "{k:?}"
        );
        assert!(!k.iter().any(|x| x.contains("charger")), "{k:?}");
    }

    #[test]
    fn middle_initials_suffixes_party_tags_and_bodies() {
        let k = keys(
            "",
            "President George W. Bush spoke. Robert S. Mueller III said so. Sen. Ted Cruz (R-Texas) and Rep. Nancy Pelosi, D-Calif., agreed. The Justice Department said Defense Minister Sergei Shoigu was wrong. He flew to John F. Kennedy Airport.",
        );
        assert_eq!(
            k,
            vec![
                "george w bush",
                "john f kennedy airport",
                "justice department",
                "nancy pelosi",
                "robert s mueller",
                "sergei shoigu",
                "ted cruz",
            ]
        );
        // A lone state abbreviation is its state; month abbreviations are not names.
        let k = keys(
            "",
            "A gunman struck in Newtown, Conn., on Dec. 14. Critics said so.",
        );
        assert_eq!(k, vec!["connecticut", "newtown"]);
        // An initial that ends a sentence ends the name too.
        let k = keys("", "They met in Group B. The Reds won.");
        assert!(
            !k.iter().any(|x| x.contains("reds") && x.contains("group")),
            "{k:?}"
        );
    }

    #[test]
    fn other_languages_function_words_and_roles() {
        let k = keys(
            "",
            "Die Polizei in Berlin hat am Montag einen Mann festgenommen. Bundeskanzlerin Angela Merkel sagte es. Nach Angaben der Polizei ermittelt man.",
        );
        assert!(k.contains(&"angela merkel".to_string()), "{k:?}");
        for noise in [
            "die polizei",
            "montag",
            "nach angaben",
            "bundeskanzlerin angela merkel",
        ] {
            assert!(!k.iter().any(|x| x == noise), "{noise}: {k:?}");
        }
        let k = keys(
            "",
            "Seine Rolle bleibt offen, sagte Olaf Scholz. Müssen Landwirte zahlen? Cette Assemblée vote.",
        );
        assert!(k.contains(&"olaf scholz".to_string()), "{k:?}");
        assert!(
            !k.iter().any(|x| x.contains(' ') && !x.contains("scholz")),
            "{k:?}"
        );
        let k = keys(
            "",
            "Le président Emmanuel Macron a parlé. Selon le parquet, Le Pen a tort. La Paz et Los Angeles.",
        );
        assert_eq!(
            k,
            vec!["emmanuel macron", "la paz", "le pen", "los angeles"]
        );
        // Prepositions that open a sentence are no part of the name after them.
        let k = keys(
            "",
            "En France Télévisions, on vote. Em Minas Gerais chove. Nella Striscia di Gaza si spara.",
        );
        assert_eq!(
            k,
            vec!["france televisions", "gaza", "minas gerais", "striscia"]
        );
        // A verb with its pronoun after it opens a question, not a name.
        let k = keys(
            "",
            "Faut-il travailler plus ? Peut-on le dire, demande Jean-Luc Mélenchon.",
        );
        assert_eq!(k, vec!["jean luc melenchon"]);
        // Romance roles are roles.
        let k = keys(
            "",
            "El Presidente Gabriel Boric viajó. La Ministre Rachida Dati parle.",
        );
        assert_eq!(k, vec!["gabriel boric", "rachida dati"]);
    }

    #[test]
    fn terms_are_stemmed_and_weighted() {
        let t = tokens(
            "The leaders were meeting in Vladivostok, 2019",
            Some("en"),
            Some(&Stemmer::create(Algorithm::English)),
        );
        assert_eq!(t, vec!["leader", "meet", "vladivostok"]);
        // A Spanish text loses its function words (accented ones too), and only a
        // Spanish text does: `son` is an English word.
        let es = |text: &str, lang| tokens(text, lang, None);
        assert_eq!(
            es(
                "Él dijo que los camioneros están más cerca de una nueva huelga",
                Some("es")
            ),
            vec!["dijo", "camioneros", "cerca", "nueva", "huelga"]
        );
        assert_eq!(es("su son", Some("en")), vec!["su", "son"]);
        assert_eq!(es("su son", Some("es")), Vec::<String>::new());
        assert_eq!(es("su son", None), vec!["su", "son"]);
        assert_eq!(entity_key("Sergéy Shoigu"), "sergey shoigu");
        assert_eq!(entity_key("Lech Wałęsa"), entity_key("Lech Walesa"));
        assert_eq!(entity_key("Novak Đoković"), "novak dokovic");
        assert_eq!(entity_key("Lars Løkke"), "lars lokke");
        assert_eq!(entity_key("Kim Jong-un"), entity_key("Kim Jong Un"));
    }
}
