//! `synthesize`: what a reader sees of a story, each part traceable to the articles
//! it came from.
//!
//! - [`Synthesis::summary`]: 3–5 sentences chosen for centrality and diversity
//!   (maximal marginal relevance over TF-IDF sentence vectors), each with its article.
//! - [`Synthesis::timeline`]: one step per publication day, with what that day's
//!   articles added that earlier days had not (sentences unlike anything published
//!   before), the articles and outlets. An undated article gets a day inferred from
//!   the weekdays it names, marked as inferred, with its reason and a low confidence.
//! - [`Synthesis::entities`]: the articles' entities merged across articles
//!   (transliterations, lone surnames, acronyms), with a kind and a salience.
//! - [`Synthesis::coverage`]: which outlets carried the story, when each first did,
//!   and how many of their articles were copies.
//! - [`Synthesis::claims`]: attributed statements and factual sentences grouped
//!   across outlets, single-outlet claims and disagreements marked.
//!
//! Pure functions of the story's articles: nothing here reads the store.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;
use storyline_analyze::{
    capitalises_nouns, entity_key, other_noun_forms_range, stemmer_for, Entity, StopWords,
};

pub mod claims;
pub mod entities;
pub mod sentences;
pub mod vectors;

pub use claims::{Claim, ClaimKind, Conflict};
pub use entities::{Kind, StoryEntity};
use sentences::Sentence;
use vectors::{centroid, dot, Dense, Index, Vector, Vocabulary};

/// One article of a story, as synthesis needs it.
#[derive(Debug, Clone, Default)]
pub struct StoryArticle {
    pub id: String,
    pub title: Option<String>,
    /// Main text, paragraphs separated by blank lines.
    pub text: String,
    /// ISO 8601 publication time as extracted.
    pub published: Option<String>,
    /// Seconds since the epoch, for ordering.
    pub published_ts: Option<i64>,
    pub outlet: Option<String>,
    pub wire: Option<String>,
    pub lang: Option<String>,
    /// The article this one copies, when it is a copy.
    pub copy_of: Option<String>,
    pub entities: Vec<Entity>,
}

/// What the store knows of words beyond a story's own texts.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    /// Keys ([`entity_key`]) of words some German text of the store writes as a lone
    /// noun right after an article or determiner (`die Ängste`): common nouns, even
    /// where a story's own texts leave them undetermined. Only the words
    /// [`Lexicon::words_to_ask`] names need be looked up, and the stored nouns in
    /// their [`Lexicon::form_ranges`].
    pub german_nouns: HashSet<String>,
}

impl Lexicon {
    /// The keys of the words of a story's names that synthesis may ask the store
    /// about: those of its articles' entities, when one of its articles is in a
    /// language that capitalises nouns (German); none otherwise. A word's key, as
    /// the store counts it, and a hyphenated word's parts' keys, which synthesis
    /// reads too (`Corona-Niveau` → `corona niveau`, `corona`, `niveau`). Sorted,
    /// each once. A word's other cases and numbers are asked by
    /// [`Lexicon::form_ranges`].
    pub fn words_to_ask(articles: &[StoryArticle]) -> Vec<String> {
        if !articles
            .iter()
            .any(|a| capitalises_nouns(a.lang.as_deref()))
        {
            return Vec::new();
        }
        let words: std::collections::BTreeSet<String> = articles
            .iter()
            .flat_map(|a| &a.entities)
            .flat_map(|e| e.name.split_whitespace())
            .flat_map(|w| {
                let parts = w.contains('-').then(|| w.split('-'));
                std::iter::once(w).chain(parts.into_iter().flatten())
            })
            .map(entity_key)
            .filter(|k| !k.is_empty())
            .collect();
        words.into_iter().collect()
    }

    /// For each of `words` (keys, as [`Lexicon::words_to_ask`] gives them) that may
    /// be a German noun in another case or number, the range of the store's sorted
    /// nouns its other forms lie in: the prefix they all begin with and the most
    /// characters one holds ([`other_noun_forms_range`]). Synthesis knows a noun by
    /// a form the store determines when its own is not (`Getränken` opening a
    /// sentence, `die Getränke` in another text); one range read per word finds
    /// them all, where a lookup per form made `storyline story` on a German story
    /// about a sixth slower (BENCHMARKS.md). The store's nouns in a range that are no form of the
    /// word are never asked about.
    pub fn form_ranges(words: &[String]) -> Vec<(&str, usize)> {
        Self::store_reads(words).1
    }

    /// How the store is read for `words`: the words without other forms by a
    /// lookup each, and the others by their [`Lexicon::form_ranges`], each of which
    /// holds the word itself (it begins with the range's prefix and is no longer
    /// than its bound), so that no word is read twice.
    pub fn store_reads(words: &[String]) -> (Vec<&str>, Vec<(&str, usize)>) {
        let mut lookups = Vec::new();
        let mut ranges = Vec::new();
        for w in words {
            match other_noun_forms_range(w) {
                Some(range) => ranges.push(range),
                None => lookups.push(w.as_str()),
            }
        }
        (lookups, ranges)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Synthesis {
    pub summary: Vec<Cited>,
    pub timeline: Vec<Step>,
    pub entities: Vec<StoryEntity>,
    pub coverage: Vec<Coverage>,
    pub claims: Vec<Claim>,
    /// Days inferred for undated articles, with why.
    pub inferred_dates: Vec<InferredDate>,
}

/// A sentence and the article it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cited {
    pub text: String,
    pub article: String,
}

/// One step of the timeline: a publication day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// `YYYY-MM-DD`, as the articles were dated where they were published; `null` for
    /// articles whose day is unknown.
    pub date: Option<String>,
    /// The day was inferred, not stated (see `inferred_dates`).
    pub date_inferred: bool,
    /// What this day added, in one sentence.
    pub text: String,
    /// Up to three sentences that were new this day, in reading order.
    pub added: Vec<Cited>,
    pub articles: Vec<String>,
    pub outlets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// `null` when the article does not say which outlet published it.
    pub outlet: Option<String>,
    /// The wire agency credited, if any.
    pub wire: Option<String>,
    pub first_published: Option<String>,
    pub articles: Vec<String>,
    /// How many of these articles copy another article.
    pub copies: usize,
    /// This source published first.
    pub led: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InferredDate {
    pub article: String,
    pub date: String,
    pub confidence: f32,
    pub reason: String,
}

/// How many sentences the summary has, by story size.
fn summary_len(originals: usize) -> usize {
    match originals {
        0 | 1 => 3,
        2 | 3 => 4,
        _ => 5,
    }
}

/// A sentence at least this unlike everything published earlier is new.
const NOVEL: f32 = 0.4;
/// Two summary sentences this similar say the same thing.
const REDUNDANT: f32 = 0.5;

/// Synthesises a story from its articles (copies included: they count for coverage),
/// with what the store knows of their words.
pub fn synthesize(articles: &[StoryArticle], lexicon: &Lexicon) -> Synthesis {
    let ids: HashSet<&str> = articles.iter().map(|a| a.id.as_str()).collect();
    let is_copy = |a: &StoryArticle| {
        a.copy_of
            .as_deref()
            .is_some_and(|o| ids.contains(o) && o != a.id)
    };
    // Publication rank of every article: dated first, by time; then input order.
    let mut by_time: Vec<usize> = (0..articles.len()).collect();
    by_time.sort_by_key(|&i| {
        (
            articles[i].published_ts.is_none(),
            articles[i].published_ts,
            i,
        )
    });
    let mut order = vec![0; articles.len()];
    for (rank, &i) in by_time.iter().enumerate() {
        order[i] = rank;
    }

    // Sentences of the originals, and their vectors over the story's vocabulary.
    let mut vocab = Vocabulary::default();
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut counts = Vec::new();
    let mut title_counts: Vec<Option<Vec<(u32, f32)>>> = vec![None; articles.len()];
    for (i, a) in articles.iter().enumerate() {
        if is_copy(a) {
            continue;
        }
        let stemmer = stemmer_for(a.lang.as_deref());
        let stop = StopWords::of(a.lang.as_deref());
        for s in sentences::split(i, &a.text) {
            counts.push(vocab.count(&s.text, stop, stemmer.as_ref()));
            sentences.push(s);
        }
        if let Some(t) = &a.title {
            title_counts[i] = Some(vocab.count(t, stop, stemmer.as_ref()));
        }
    }
    let vectors: Vec<Vector> = counts.iter().map(|c| vocab.vector(c)).collect();
    let title_vectors: Vec<Option<Vector>> = title_counts
        .iter()
        .map(|c| c.as_ref().map(|c| vocab.vector(c)))
        .collect();
    let mut article_vectors: Vec<Vector> = vec![Vec::new(); articles.len()];
    {
        let mut per: HashMap<usize, Vec<&Vector>> = HashMap::new();
        for (s, v) in sentences.iter().zip(&vectors) {
            per.entry(s.article).or_default().push(v);
        }
        for (a, vs) in per {
            article_vectors[a] = centroid(vs.into_iter());
        }
    }
    let story_centroid = centroid(article_vectors.iter().filter(|v| !v.is_empty()));
    let originals = articles.iter().filter(|a| !is_copy(a)).count();

    let labels: Vec<String> = articles.iter().map(label).collect();
    // Claim grouping on one core, the rest on the other: grouping needs only the
    // sentences and their vectors; speakers and conflicts need the entities after.
    let (grouped, (summary, timeline, coverage, inferred_dates, entities)) =
        std::thread::scope(|scope| {
            let grouping = scope.spawn(|| claims::group(&sentences, &vectors));
            let summary = summary(
                &sentences,
                &vectors,
                &Dense::new(&story_centroid),
                articles,
                &labels,
                &order,
                summary_len(originals),
            );
            let (days, inferred_dates) = days(articles, &is_copy);
            let timeline = timeline(
                articles,
                &days,
                &sentences,
                &vectors,
                &title_vectors,
                &article_vectors,
                &labels,
                &is_copy,
            );
            let coverage = coverage(articles, &is_copy, &order);
            let originals: Vec<&StoryArticle> = articles.iter().filter(|a| !is_copy(a)).collect();
            let ids: Vec<&str> = originals.iter().map(|a| a.id.as_str()).collect();
            let lists: Vec<&[Entity]> = originals.iter().map(|a| a.entities.as_slice()).collect();
            let texts: Vec<&str> = originals.iter().map(|a| a.text.as_str()).collect();
            let langs: Vec<Option<&str>> = originals.iter().map(|a| a.lang.as_deref()).collect();
            let mut entities = entities::merge(&ids, &lists, &texts, &langs, &lexicon.german_nouns);
            // The story's own outlets and wires, named in its texts, are organisations
            // (`Newsweek reported`, said the way a person is).
            let outlets: HashSet<String> = articles
                .iter()
                .flat_map(|a| [a.outlet.as_deref(), a.wire.as_deref()])
                .flatten()
                .map(entity_key)
                .collect();
            for e in &mut entities {
                if outlets.contains(&entity_key(&e.name)) {
                    e.kind = entities::Kind::Organisation;
                }
            }
            let grouped = grouping.join().expect("claim grouping does not panic");
            (
                grouped,
                (summary, timeline, coverage, inferred_dates, entities),
            )
        });
    let names = names(&entities);
    let sources: Vec<claims::Source> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| claims::Source {
            id: &a.id,
            label: labels[i].clone(),
            key: a
                .outlet
                .clone()
                .unwrap_or_else(|| format!("article:{}", a.id)),
            places: entities
                .iter()
                .filter(|e| e.kind == Kind::Place && e.articles.contains(&a.id))
                .map(|e| entity_key(&e.name))
                .collect(),
        })
        .collect();
    let claims = claims::claims(grouped, &sources, &order, &names);

    Synthesis {
        summary,
        timeline,
        entities,
        coverage,
        claims,
        inferred_dates,
    }
}

/// What readers see as an article's source: its outlet, else its wire agency, else
/// `unknown outlet`.
fn label(a: &StoryArticle) -> String {
    a.outlet
        .clone()
        .or_else(|| a.wire.clone())
        .unwrap_or_else(|| "unknown outlet".to_string())
}

/// Written forms of the story's entities, longest first, for finding speakers and
/// places in sentences. A person's surname alone also names them.
fn names(entities: &[StoryEntity]) -> claims::Names {
    let mut names = claims::Names::default();
    for e in entities {
        let place = e.kind == Kind::Place;
        for f in std::iter::once(&e.name).chain(&e.aliases) {
            names.add(f, &e.name, place);
        }
        if e.kind == Kind::Person {
            if let Some(last) = e.name.split_whitespace().last() {
                if last != e.name {
                    names.add(last, &e.name, false);
                }
            }
        }
    }
    names
}

fn eligible(s: &Sentence) -> bool {
    (6..=70).contains(&s.words) && !s.note && !s.text.ends_with('?')
}

/// Sentences that lean on an earlier one ("He said", "This was") read badly alone;
/// so does a line of a quotation that opened before it ("I think he is going to be
/// the nominee": who is "I"?).
fn leans_back(s: &str) -> bool {
    let word = s.split_whitespace().next().unwrap_or("");
    let first = word.trim_matches(|c: char| !c.is_alphanumeric());
    // A first person inside quotation marks has its speaker named after them.
    let quoted = word.starts_with(['"', '“', '\'', '‘']);
    if !quoted && matches!(first, "I" | "We" | "You" | "My" | "Our") {
        return true;
    }
    matches!(
        first,
        "He" | "She"
            | "Its"
            | "They"
            | "It"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "His"
            | "Her"
            | "Their"
            | "But"
            | "And"
            | "Also"
            | "However"
    )
}

fn lead_bonus(position: usize) -> f32 {
    match position {
        0 => 1.25,
        1 | 2 => 1.1,
        _ => 1.0,
    }
}

#[allow(clippy::too_many_arguments)]
fn summary(
    sentences: &[Sentence],
    vectors: &[Vector],
    centre: &Dense,
    articles: &[StoryArticle],
    labels: &[String],
    order: &[usize],
    k: usize,
) -> Vec<Cited> {
    let cands: Vec<(usize, f32)> = sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| eligible(s) && s.words >= 8)
        .map(|(i, s)| {
            let mut rel = centre.dot(&vectors[i]) * lead_bonus(s.position);
            if leans_back(&s.text) {
                rel *= 0.5;
            }
            (i, rel)
        })
        .collect();
    let mut chosen: Vec<usize> = Vec::new();
    let mut per_source: HashMap<&str, usize> = HashMap::new();
    // Each candidate's highest similarity to a chosen sentence, kept up to date.
    let mut redundancy = vec![0.0f32; cands.len()];
    let mut taken = vec![false; cands.len()];
    while chosen.len() < k {
        let best = cands
            .iter()
            .enumerate()
            .filter(|(c, _)| !taken[*c] && redundancy[*c] <= REDUNDANT)
            .map(|(c, &(i, rel))| {
                let src = labels[sentences[i].article].as_str();
                let same_source = *per_source.get(src).unwrap_or(&0) as f32;
                (c, 0.7 * rel - 0.3 * redundancy[c] - 0.05 * same_source)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)));
        let Some((c, _)) = best else { break };
        let i = cands[c].0;
        taken[c] = true;
        chosen.push(i);
        *per_source
            .entry(labels[sentences[i].article].as_str())
            .or_default() += 1;
        for (r, &(j, _)) in redundancy.iter_mut().zip(&cands) {
            *r = r.max(dot(&vectors[i], &vectors[j]));
        }
    }
    chosen.sort_by_key(|&i| (order[sentences[i].article], sentences[i].position));
    chosen
        .into_iter()
        .map(|i| Cited {
            text: sentences[i].text.clone(),
            article: articles[sentences[i].article].id.clone(),
        })
        .collect()
}

/// The publication day of every article: as dated, or inferred for undated originals.
fn days(
    articles: &[StoryArticle],
    is_copy: &dyn Fn(&StoryArticle) -> bool,
) -> (Vec<Option<(NaiveDate, bool)>>, Vec<InferredDate>) {
    let stated: Vec<Option<NaiveDate>> = articles
        .iter()
        .map(|a| {
            a.published
                .as_deref()
                .and_then(|p| p.get(..10))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        })
        .collect();
    let known: Vec<NaiveDate> = stated.iter().flatten().copied().collect();
    let mut inferred = Vec::new();
    let days = articles
        .iter()
        .zip(&stated)
        .map(|(a, d)| match d {
            Some(d) => Some((*d, false)),
            None if !is_copy(a) => {
                let (day, confidence, reason) = infer_day(&a.text, &known)?;
                inferred.push(InferredDate {
                    article: a.id.clone(),
                    date: day.to_string(),
                    confidence,
                    reason,
                });
                Some((day, true))
            }
            None => None,
        })
        .collect();
    (days, inferred)
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("Monday", Weekday::Mon),
    ("Tuesday", Weekday::Tue),
    ("Wednesday", Weekday::Wed),
    ("Thursday", Weekday::Thu),
    ("Friday", Weekday::Fri),
    ("Saturday", Weekday::Sat),
    ("Sunday", Weekday::Sun),
];

/// The day an undated article was most likely published, from the weekdays it names
/// and the story's dated articles. News copy names recent days by weekday, the day of
/// publication being the latest of them: the weekday that has every other weekday
/// named within the few days before it. If the article says "last week", it looks
/// back on the story's dated reports, so it falls in the week after the latest of
/// them; otherwise it is taken as the first such weekday on or after that report.
fn infer_day(text: &str, known: &[NaiveDate]) -> Option<(NaiveDate, f32, String)> {
    let anchor = *known.iter().max()?;
    let words: HashSet<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let named: Vec<Weekday> = WEEKDAYS
        .iter()
        .filter(|(w, _)| words.contains(w))
        .map(|(_, d)| *d)
        .collect();
    let day = *named.iter().min_by_key(|d| {
        named
            .iter()
            .map(|o| (7 + d.num_days_from_monday() - o.num_days_from_monday()) % 7)
            .max()
            .unwrap_or(0)
    })?;
    let last_week = text.to_lowercase().contains("last week");
    let (date, confidence, why) = if last_week {
        let monday = anchor - Duration::days(anchor.weekday().num_days_from_monday() as i64);
        let date = monday + Duration::days(7 + day.num_days_from_monday() as i64);
        (
            date,
            0.3,
            format!("the article says \"last week\" of earlier reports, the latest dated {anchor}, so it falls in the next week"),
        )
    } else {
        let ahead = (7 + day.num_days_from_monday() - anchor.weekday().num_days_from_monday()) % 7;
        (
            anchor + Duration::days(ahead as i64),
            0.2,
            format!("taken as the first {day} on or after the latest dated report, {anchor}"),
        )
    };
    let full = WEEKDAYS.iter().find(|w| w.1 == day).map_or("", |w| w.0);
    let reason = format!(
        "no date in the article; it names {full} as the day of its news ({}); {why}",
        named
            .iter()
            .filter_map(|d| WEEKDAYS.iter().find(|w| w.1 == *d).map(|w| w.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Some((date, confidence, reason))
}

#[allow(clippy::too_many_arguments)]
fn timeline(
    articles: &[StoryArticle],
    days: &[Option<(NaiveDate, bool)>],
    sentences: &[Sentence],
    vectors: &[Vector],
    title_vectors: &[Option<Vector>],
    article_vectors: &[Vector],
    labels: &[String],
    is_copy: &dyn Fn(&StoryArticle) -> bool,
) -> Vec<Step> {
    // Day -> articles, undated last.
    let mut by_day: BTreeMap<(bool, Option<NaiveDate>), Vec<usize>> = BTreeMap::new();
    for (i, d) in days.iter().enumerate() {
        by_day
            .entry((d.is_none(), d.map(|x| x.0)))
            .or_default()
            .push(i);
    }
    let mut by_article: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, s) in sentences.iter().enumerate() {
        by_article.entry(s.article).or_default().push(i);
    }
    let mut seen = Index::default();
    let mut steps = Vec::new();
    for ((_, date), mut arts) in by_day {
        arts.sort_by_key(|&a| {
            (
                articles[a].published_ts.is_none(),
                articles[a].published_ts,
                a,
            )
        });
        let originals: Vec<usize> = arts
            .iter()
            .copied()
            .filter(|&a| !is_copy(&articles[a]))
            .collect();
        let centre = Dense::new(&centroid(originals.iter().map(|&a| &article_vectors[a])));
        let mut novel: Vec<(usize, f32)> = originals
            .iter()
            .flat_map(|a| by_article.get(a).into_iter().flatten().copied())
            .filter(|&i| eligible(&sentences[i]))
            .filter_map(|i| {
                let novelty = 1.0 - seen.max_similarity(&vectors[i]);
                if novelty < NOVEL {
                    return None;
                }
                // A lede is the article's own account of what is new: it weighs more.
                let lead = match sentences[i].position {
                    0 => 1.4,
                    1 | 2 => 1.15,
                    _ => 1.0,
                };
                let mut score = (0.5 + novelty) * (0.3 + centre.dot(&vectors[i])) * lead;
                if leans_back(&sentences[i].text) {
                    score *= 0.5;
                }
                Some((i, score))
            })
            .collect();
        novel.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let text = match novel.first() {
            Some(&(i, _)) => sentences[i].text.clone(),
            None if originals.is_empty() => {
                "No new reporting: copies of earlier articles.".to_string()
            }
            None => "No new facts: rewrites of earlier reports.".to_string(),
        };
        let mut added: Vec<usize> = novel.iter().take(3).map(|x| x.0).collect();
        added.sort_by_key(|&i| {
            (
                arts.iter().position(|&a| a == sentences[i].article),
                sentences[i].position,
            )
        });
        let mut outlets: Vec<String> = Vec::new();
        for &a in &arts {
            if !outlets.contains(&labels[a]) {
                outlets.push(labels[a].clone());
            }
        }
        steps.push(Step {
            date: date.map(|d| d.to_string()),
            date_inferred: arts.iter().any(|&a| days[a].is_some_and(|d| d.1)),
            text,
            added: added
                .into_iter()
                .map(|i| Cited {
                    text: sentences[i].text.clone(),
                    article: articles[sentences[i].article].id.clone(),
                })
                .collect(),
            articles: arts.iter().map(|&a| articles[a].id.clone()).collect(),
            outlets,
        });
        // What this day published is no longer new the next day.
        for &a in &originals {
            for &i in by_article.get(&a).into_iter().flatten() {
                seen.add(&vectors[i]);
            }
            if let Some(t) = &title_vectors[a] {
                seen.add(t);
            }
        }
    }
    steps
}

fn coverage(
    articles: &[StoryArticle],
    is_copy: &dyn Fn(&StoryArticle) -> bool,
    order: &[usize],
) -> Vec<Coverage> {
    // Outlet (or the article alone, when its outlet is unknown) -> articles.
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in articles.iter().enumerate() {
        let key = a.outlet.clone().unwrap_or_else(|| format!("\u{0}{}", a.id));
        groups.entry(key).or_default().push(i);
    }
    let mut rows: Vec<(usize, Coverage)> = groups
        .into_values()
        .map(|mut members| {
            members.sort_by_key(|&i| order[i]);
            let first = members[0];
            let mut wires: BTreeMap<&str, usize> = BTreeMap::new();
            for &i in &members {
                if let Some(w) = articles[i].wire.as_deref() {
                    *wires.entry(w).or_default() += 1;
                }
            }
            let wire = wires
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
                .map(|w| w.0.to_string());
            (
                order[first],
                Coverage {
                    outlet: articles[first].outlet.clone(),
                    wire,
                    first_published: articles[first].published.clone(),
                    articles: members.iter().map(|&i| articles[i].id.clone()).collect(),
                    copies: members.iter().filter(|&&i| is_copy(&articles[i])).count(),
                    led: false,
                },
            )
        })
        .collect();
    rows.sort_by_key(|r| r.0);
    let lead_ts = rows
        .first()
        .and_then(|r| articles.iter().find(|a| a.id == r.1.articles[0]))
        .and_then(|a| a.published_ts);
    for (_, row) in rows.iter_mut() {
        let ts = articles
            .iter()
            .find(|a| a.id == row.articles[0])
            .and_then(|a| a.published_ts);
        row.led = lead_ts.is_some() && ts == lead_ts;
    }
    rows.into_iter().map(|r| r.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, date: Option<&str>, outlet: Option<&str>, text: &str) -> StoryArticle {
        let title = text.split(". ").next().unwrap_or("").to_string();
        StoryArticle {
            id: id.into(),
            title: Some(title.clone()),
            text: text.into(),
            published: date.map(str::to_string),
            published_ts: date.map(|d| {
                NaiveDate::parse_from_str(&d[..10], "%Y-%m-%d")
                    .unwrap()
                    .and_hms_opt(12, 0, 0)
                    .unwrap()
                    .and_utc()
                    .timestamp()
            }),
            outlet: outlet.map(str::to_string),
            lang: Some("en".into()),
            entities: storyline_analyze::entities(&title, text),
            ..Default::default()
        }
    }

    #[test]
    fn the_words_asked_of_the_store_are_those_synthesis_reads() {
        let article = |lang: &str| StoryArticle {
            lang: Some(lang.to_string()),
            entities: vec![Entity {
                key: "corona niveau".into(),
                name: "Corona-Niveau".into(),
                mentions: 1,
                in_title: false,
            }],
            ..StoryArticle::default()
        };
        // The whole word as the store counts it, and its parts, which the person
        // rule reads one by one.
        let asked = Lexicon::words_to_ask(&[article("de")]);
        assert_eq!(asked, ["corona", "corona niveau", "niveau"]);
        assert!(Lexicon::words_to_ask(&[article("en")]).is_empty());
        // The parts' other cases and numbers (`Niveaus`) are read by range; the
        // whole compound's key is two words and has none of its own.
        assert_eq!(
            Lexicon::form_ranges(&asked),
            [
                ("corona", "corona".len() + 5),
                ("niveau", "niveau".len() + 5)
            ]
        );
        // A word read by its range is not looked up besides: only the compound is.
        let (lookups, ranges) = Lexicon::store_reads(&asked);
        assert_eq!(lookups, ["corona niveau"]);
        assert_eq!(ranges, Lexicon::form_ranges(&asked));
        for ((prefix, longest), word) in ranges.iter().zip(["corona", "niveau"]) {
            assert!(word.starts_with(prefix) && word.chars().count() <= *longest);
        }
    }

    #[test]
    fn weekday_inference() {
        let known = [
            NaiveDate::from_ymd_opt(2023, 9, 4).unwrap(),
            NaiveDate::from_ymd_opt(2023, 9, 5).unwrap(),
        ];
        let (d, c, why) = infer_day(
            "He entered at dawn Tuesday. The Kremlin said Monday he left Sunday. Officials said last week he would come.",
            &known,
        )
        .unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2023, 9, 12).unwrap());
        assert!(c < 0.5 && why.contains("Tuesday"), "{why}");
        let (d, _, _) = infer_day("The talks ended Friday.", &known).unwrap();
        assert_eq!(d, NaiveDate::from_ymd_opt(2023, 9, 8).unwrap());
        assert!(infer_day("No weekday here.", &known).is_none());
        assert!(infer_day("Talks on Friday.", &[]).is_none());
    }

    #[test]
    fn conflicting_numbers_are_flagged_and_single_outlets_marked() {
        let a = art(
            "a",
            Some("2024-03-01"),
            Some("Daily One"),
            "A bomb exploded at a market in Kabul on Friday. Police said 12 people were killed in the blast at the market in Kabul. The mayor said the market would reopen next week after repairs.",
        );
        let b = art(
            "b",
            Some("2024-03-01"),
            Some("Evening Two"),
            "A bomb exploded at a busy market in Kabul. Police said 15 people were killed in the blast at the market in Kabul. Witnesses described panic as stalls caught fire.",
        );
        let s = synthesize(&[a, b], &Lexicon::default());
        let killed = s
            .claims
            .iter()
            .find(|c| c.text.contains("killed"))
            .expect("a claim about the dead");
        assert_eq!(killed.outlets, vec!["Daily One", "Evening Two"]);
        assert!(!killed.single_outlet);
        assert!(killed.conflict, "{killed:#?}");
        assert_eq!(killed.conflicts[0].kind, "number");
        let mayor = s.claims.iter().find(|c| c.text.contains("mayor")).unwrap();
        assert!(mayor.single_outlet && !mayor.conflict);
        assert_eq!(mayor.outlets, vec!["Daily One"]);
        // Coverage: both outlets, same day, both led.
        assert_eq!(s.coverage.len(), 2);
        assert!(s.coverage.iter().all(|c| c.led));
    }

    #[test]
    fn conflicting_dates_and_places_are_flagged() {
        let a = art(
            "a",
            Some("2024-03-01"),
            Some("Daily One"),
            "Officials said the summit between the two leaders will be held in Geneva on March 12. Security was tightened across the city.",
        );
        let b = art(
            "b",
            Some("2024-03-01"),
            Some("Evening Two"),
            "Officials said the summit between the two leaders will be held in Vienna on March 14. Hotels reported a rush of bookings.",
        );
        let s = synthesize(&[a, b], &Lexicon::default());
        let summit = s
            .claims
            .iter()
            .find(|c| c.text.contains("summit"))
            .expect("one claim about the summit");
        assert_eq!(summit.sources, 2, "{summit:#?}");
        let kinds: Vec<&str> = summit.conflicts.iter().map(|c| c.kind).collect();
        assert!(
            kinds.contains(&"date") && kinds.contains(&"place"),
            "{kinds:?}"
        );
        // Agreeing outlets are not in conflict.
        let c = art(
            "c",
            Some("2024-03-01"),
            Some("Third"),
            "Officials said the summit between the two leaders will be held in Geneva on March 12. Traffic was diverted.",
        );
        let a = art(
            "a",
            Some("2024-03-01"),
            Some("Daily One"),
            "Officials said the summit between the two leaders will be held in Geneva on March 12. Security was tightened across the city.",
        );
        let s = synthesize(&[a, c], &Lexicon::default());
        let summit = s.claims.iter().find(|c| c.text.contains("summit")).unwrap();
        assert_eq!(summit.sources, 2);
        assert!(!summit.conflict, "{summit:#?}");
    }

    #[test]
    fn the_storys_own_outlets_are_organisations() {
        let a = art(
            "a",
            Some("2023-11-09"),
            Some("Newsweek"),
            "Haley led the debate in Miami on Wednesday night, Newsweek reported. Newsweek said Haley gained the most.",
        );
        let b = art(
            "b",
            Some("2023-11-09"),
            Some("NBC News"),
            "Haley and DeSantis clashed in Miami on Wednesday night. Newsweek said Haley gained the most.",
        );
        let s = synthesize(&[a, b], &Lexicon::default());
        let newsweek = s
            .entities
            .iter()
            .find(|e| e.name == "Newsweek")
            .expect("Newsweek named");
        assert_eq!(newsweek.kind, Kind::Organisation);
    }

    #[test]
    fn lines_that_lean_on_an_earlier_one() {
        assert!(leans_back("I think he is going to be the nominee."));
        assert!(leans_back("We will rebuild every home."));
        assert!(!leans_back(
            "“I think he is going to be the nominee,” Hawley said."
        ));
        assert!(leans_back("He said so."));
        assert!(!leans_back("Haley said so."));
    }

    #[test]
    fn timeline_keeps_only_what_is_new() {
        let a = art(
            "a",
            Some("2024-05-01"),
            Some("One"),
            "Flooding forced thousands from their homes in the river valley on Wednesday. Rescue teams reached the town by boat.",
        );
        let b = art(
            "b",
            Some("2024-05-02"),
            Some("Two"),
            "Flooding forced thousands from their homes in the river valley on Wednesday. The government declared a state of emergency in three provinces on Thursday.",
        );
        let s = synthesize(&[b.clone(), a.clone()], &Lexicon::default());
        assert_eq!(s.timeline.len(), 2);
        assert_eq!(s.timeline[0].date.as_deref(), Some("2024-05-01"));
        assert_eq!(s.timeline[0].articles, vec!["a"]);
        assert!(
            s.timeline[1].text.contains("state of emergency"),
            "{:?}",
            s.timeline[1]
        );
        assert!(s.timeline[1]
            .added
            .iter()
            .all(|c| !c.text.starts_with("Flooding")));
        // A copy published later adds a step with no new facts, and counts for coverage.
        let mut c = a.clone();
        c.id = "c".into();
        c.outlet = Some("Three".into());
        c.copy_of = Some("a".into());
        c.published = Some("2024-05-03".into());
        c.published_ts = b.published_ts.map(|t| t + 86_400);
        let s = synthesize(&[a, b, c], &Lexicon::default());
        assert_eq!(s.timeline.len(), 3);
        assert!(s.timeline[2].added.is_empty());
        let three = s
            .coverage
            .iter()
            .find(|r| r.outlet.as_deref() == Some("Three"))
            .unwrap();
        assert_eq!(three.copies, 1);
        assert!(!three.led);
    }

    #[test]
    fn summary_is_diverse_and_cited() {
        let a = art(
            "a",
            Some("2024-05-01"),
            Some("One"),
            "The central bank raised interest rates by half a point on Tuesday to fight inflation. The bank said inflation had reached its highest level in a decade. The central bank raised interest rates by half a point to fight inflation, officials said. Markets fell sharply after the announcement was made public.",
        );
        let s = synthesize(&[a], &Lexicon::default());
        assert_eq!(s.summary.len(), 3);
        let texts: Vec<&str> = s.summary.iter().map(|c| c.text.as_str()).collect();
        let raised = texts
            .iter()
            .filter(|t| t.contains("raised interest rates"))
            .count();
        assert_eq!(
            raised, 1,
            "no two summary sentences say the same: {texts:?}"
        );
        assert!(s.summary.iter().all(|c| c.article == "a"));
    }
}
