//! `storyline search`: full-text search over the stored articles, with the stories
//! they belong to ranked first.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use storyline_search::{ArticleHit, Query, SearchIndex};
use storyline_store::Store;

#[derive(Debug, Serialize)]
pub struct StoryResult {
    pub id: String,
    pub headline: Option<String>,
    pub score: f32,
    pub matches: usize,
    pub best_article: String,
}

#[derive(Debug, Serialize)]
pub struct SearchView {
    pub query: String,
    pub total: usize,
    pub stories: Vec<StoryResult>,
    pub articles: Vec<ArticleHit>,
}

/// `YYYY-MM-DD` → seconds since the epoch at the start (or, `end`, the end) of that
/// day, UTC.
pub fn day_bound(s: &str, end: bool) -> anyhow::Result<i64> {
    let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("{s:?} is not a date (want YYYY-MM-DD)"))?;
    let d = if end { d.succ_opt().unwrap_or(d) } else { d };
    Ok(d.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp())
}

/// Opens (updating if stale) the store's index and runs the query.
pub fn search(dir: &Path, store: &Store, q: &Query) -> anyhow::Result<SearchView> {
    let (index, _) = SearchIndex::open(dir, store)?;
    run(&index, store, q)
}

/// Runs a query on an open index.
pub fn run(index: &SearchIndex, store: &Store, q: &Query) -> anyhow::Result<SearchView> {
    let r = index.search(q, &store.merged_stories()?)?;
    let mut stories = Vec::with_capacity(r.stories.len());
    for s in r.stories {
        stories.push(StoryResult {
            headline: store.headline(&s.id)?,
            id: s.id,
            score: s.score,
            matches: s.matches,
            best_article: s.best_article,
        });
    }
    Ok(SearchView {
        query: r.query,
        total: r.total,
        stories,
        articles: r.articles,
    })
}

pub fn render(v: &SearchView) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} matching article{} for {:?}",
        v.total,
        if v.total == 1 { "" } else { "s" },
        v.query
    );
    if !v.stories.is_empty() {
        let _ = writeln!(out, "\nStories");
        for s in &v.stories {
            let _ = writeln!(
                out,
                "  {}  {:>6.2}  {} match{}  {}",
                s.id,
                s.score,
                s.matches,
                if s.matches == 1 { "" } else { "es" },
                s.headline.as_deref().unwrap_or("(untitled)")
            );
        }
    }
    if !v.articles.is_empty() {
        let _ = writeln!(out, "\nArticles");
        for a in &v.articles {
            let when = a
                .published_ts
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map_or("date unknown".to_string(), |d| {
                    d.format("%Y-%m-%d").to_string()
                });
            let _ = writeln!(
                out,
                "  {}  {:>6.2}  {}  {}  [{}]",
                when,
                a.score,
                a.outlet.as_deref().unwrap_or("outlet unknown"),
                a.title.as_deref().unwrap_or("(untitled)"),
                a.id
            );
        }
    }
    out
}
