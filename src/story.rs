//! `storyline story`: a stored story with what synthesis makes of it.

use std::fmt::Write as _;

use serde::Serialize;
use storyline_store::{Store, Story};
use storyline_synthesize::{Lexicon, StoryArticle, Synthesis};

use crate::show;

/// The story's rows from the store and its synthesis, as one JSON object.
#[derive(Debug, Serialize)]
pub struct StoryView {
    #[serde(flatten)]
    pub story: Story,
    #[serde(flatten)]
    pub synthesis: Synthesis,
}

/// Loads a story (by id or unique prefix) and synthesises it.
pub fn load(store: &Store, id: &str) -> anyhow::Result<StoryView> {
    Ok(make(read(store, id)?))
}

/// What synthesis needs of the store for one story.
pub struct StoryInput {
    pub story: Story,
    pub articles: Vec<StoryArticle>,
    pub lexicon: Lexicon,
}

/// What synthesis needs of the store: the story, its articles' texts, and what the
/// store's other texts say of the words of its names. (The server holds a read
/// connection for this part only, not for the synthesis.)
pub fn read(store: &Store, id: &str) -> anyhow::Result<StoryInput> {
    let story = store.story(id)?;
    let mut texts = store.story_texts(&story.id)?;
    let articles: Vec<StoryArticle> = story
        .articles
        .iter()
        .map(|a| {
            let (text, entities) = texts.remove(&a.id).unwrap_or_default();
            StoryArticle {
                id: a.id.clone(),
                title: a.title.clone(),
                text,
                published: a.published.clone(),
                published_ts: a.published_ts,
                outlet: a.outlet.clone(),
                wire: a.wire.clone(),
                lang: a.lang.clone(),
                copy_of: a.copy_of.clone(),
                entities,
            }
        })
        .collect();
    let words = Lexicon::words_to_ask(&articles);
    let (lookups, ranges) = Lexicon::store_reads(&words);
    let mut german_nouns: std::collections::HashSet<String> = store
        .noun_dfs(&lookups)?
        .into_iter()
        .map(|(w, _)| w.to_string())
        .collect();
    german_nouns.extend(store.nouns_beginning(&ranges)?);
    let lexicon = Lexicon { german_nouns };
    Ok(StoryInput {
        story,
        articles,
        lexicon,
    })
}

/// A story with its synthesis (no store access).
pub fn make(input: StoryInput) -> StoryView {
    let synthesis = storyline_synthesize::synthesize(&input.articles, &input.lexicon);
    StoryView {
        story: input.story,
        synthesis,
    }
}

/// How many claims and entities the text view lists (the JSON has them all).
const SHOW_CLAIMS: usize = 12;
const SHOW_ENTITIES: usize = 15;

pub fn render(v: &StoryView) -> String {
    let s = &v.synthesis;
    let short = show::id_shortener(v.story.articles.iter().map(|a| a.id.as_str()));
    let mut out = show::story_header(&v.story);
    if !s.summary.is_empty() {
        let _ = writeln!(out, "\nSummary");
        for c in &s.summary {
            let _ = writeln!(out, "  • {}  [{}]", c.text, short(&c.article));
        }
    }
    if !s.timeline.is_empty() {
        let _ = writeln!(out, "\nTimeline");
        for step in &s.timeline {
            let date = step.date.as_deref().unwrap_or("date unknown");
            let mark = if step.date_inferred {
                " (inferred)"
            } else {
                ""
            };
            let _ = writeln!(out, "  {date}{mark}  {}", step.outlets.join(", "));
            for c in &step.added {
                let _ = writeln!(out, "      + {}  [{}]", c.text, short(&c.article));
            }
            if step.added.is_empty() {
                let _ = writeln!(out, "      {}", step.text);
            }
        }
        for d in &s.inferred_dates {
            let _ = writeln!(
                out,
                "  note: [{}] dated {} by inference (confidence {:.1}): {}",
                short(&d.article),
                d.date,
                d.confidence,
                d.reason
            );
        }
    }
    if !s.entities.is_empty() {
        let _ = writeln!(out, "\nEntities");
        for e in s.entities.iter().take(SHOW_ENTITIES) {
            let aka = if e.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also {})", e.aliases.join(", "))
            };
            let kind = serde_json::to_value(e.kind)
                .ok()
                .and_then(|k| k.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(out, "  {:<13} {:.2}  {}{aka}", kind, e.salience, e.name);
        }
    }
    if !s.coverage.is_empty() {
        let _ = writeln!(out, "\nCoverage");
        for c in &s.coverage {
            let who = match (&c.outlet, &c.wire) {
                (Some(o), Some(w)) => format!("{o} (wire {w})"),
                (Some(o), None) => o.clone(),
                (None, Some(w)) => format!("unknown outlet (wire {w})"),
                (None, None) => "unknown outlet".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<25} {}  {} article(s), {} cop{}{}",
                c.first_published.as_deref().unwrap_or("date unknown"),
                who,
                c.articles.len(),
                c.copies,
                if c.copies == 1 { "y" } else { "ies" },
                if c.led { "  — first" } else { "" }
            );
        }
    }
    if !s.claims.is_empty() {
        let _ = writeln!(out, "\nClaims");
        for c in s.claims.iter().take(SHOW_CLAIMS) {
            let mut marks = Vec::new();
            if c.single_outlet {
                marks.push("one outlet only".to_string());
            }
            if c.conflict {
                marks.push(format!(
                    "outlets disagree on {}",
                    c.conflicts
                        .iter()
                        .map(|x| x.kind)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            let marks = if marks.is_empty() {
                String::new()
            } else {
                format!("  ({})", marks.join("; "))
            };
            let _ = writeln!(
                out,
                "  • {}\n      {}{}",
                c.text,
                c.outlets.join(", "),
                marks
            );
        }
        if s.claims.len() > SHOW_CLAIMS {
            let _ = writeln!(
                out,
                "  … {} more (--json lists all)",
                s.claims.len() - SHOW_CLAIMS
            );
        }
    }
    out.push_str(&show::story_articles(&v.story));
    out
}
