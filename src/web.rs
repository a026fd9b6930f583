//! The web pages `serve` renders: story list, story page, search. Server-rendered
//! with maud, which escapes every interpolated string: article text reaches the page
//! only as text. No script, no build step, no external asset.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::serve::{AppState, ListParams, SearchParams};
use crate::story::StoryView;

type Shared = std::sync::Arc<AppState>;

const CSS: &str = r#"
:root{--ink:#1d232a;--mute:#5d6873;--line:#dde3e8;--accent:#0b5cad;--warn:#9a4b00;--bg:#fbfcfd}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line)}header div{max-width:980px;margin:auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;align-items:center}
header a.brand{font-weight:700;color:var(--ink);text-decoration:none;font-size:1.15rem}
main{max-width:980px;margin:auto;padding:1rem}
a{color:var(--accent)}h1{font-size:1.5rem;line-height:1.25;margin:.4rem 0 .2rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.meta{color:var(--mute);font-size:.9rem}.tag{display:inline-block;font-size:.75rem;padding:0 .4rem;border-radius:.6rem;background:#eef2f6;color:var(--mute);margin-left:.3rem}
.warn{background:#fff1e0;color:var(--warn)}form.search{display:flex;gap:.4rem;flex:1;min-width:14rem}form.search input[type=search]{flex:1;padding:.35rem .5rem;border:1px solid var(--line);border-radius:.3rem;font:inherit}
button{font:inherit;padding:.3rem .8rem;border:1px solid var(--accent);background:var(--accent);color:#fff;border-radius:.3rem}
ul.stories{list-style:none;padding:0;margin:0}ul.stories li{padding:.6rem 0;border-bottom:1px solid var(--line)}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.c{text-align:center}ol.timeline{padding-left:1.2rem}ol.timeline li{margin:.5rem 0}.added{margin:.2rem 0 0 0;padding-left:1rem}
details{margin:.2rem 0 .2rem 1rem}svg text{font:11px system-ui,sans-serif;fill:var(--mute)}
nav.tabs a{margin-right:.8rem}
@media (max-width:600px){body{font-size:15px}h1{font-size:1.25rem}th,td{padding:.25rem}}
"#;

fn page(title: &str, body: Markup) -> Html<String> {
    Html(
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · Storyline" }
                    style { (PreEscaped(CSS)) }
                }
                body {
                    header { div {
                        a.brand href="/" { "Storyline" }
                        nav.tabs { a href="/?sort=newest" { "Newest" } a href="/?sort=biggest" { "Biggest" } a href="/docs" { "API" } }
                        form.search action="/search" method="get" role="search" {
                            input type="search" name="q" placeholder="Search articles and stories" aria-label="Search";
                            button type="submit" { "Search" }
                        }
                    } }
                    main { (body) }
                }
            }
        }
        .into_string(),
    )
}

fn error_page(status: StatusCode, msg: &str) -> Response {
    (
        status,
        page(
            "Error",
            html! { h1 { (status.canonical_reason().unwrap_or("Error")) } p { (msg) } },
        ),
    )
        .into_response()
}

/// An extractor (`Query`, `Path`) whose rejection answers with an error page, with
/// the rejection's status and text.
pub struct Page<X>(pub X);

impl<S: Send + Sync, X: axum::extract::FromRequestParts<S>> axum::extract::FromRequestParts<S>
    for Page<X>
where
    X::Rejection: IntoResponse,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Response> {
        match crate::serve::extract(parts, state).await {
            Ok(x) => Ok(Page(x)),
            Err((status, text)) => Err(error_page(status, &text)),
        }
    }
}

pub async fn method_not_allowed() -> Response {
    error_page(
        StatusCode::METHOD_NOT_ALLOWED,
        "This page is only read (GET).",
    )
}

pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, "There is nothing at this address.")
}

/// A publication date as a reader reads it: a day as it is, a time to the minute
/// with the outlet's own offset (`2023-11-08T14:40:04-06:00` → `2023-11-08 14:40
/// -06:00`). Anything else is shown as written.
fn when_published(published: Option<&str>) -> String {
    let Some(p) = published else {
        return "date unknown".to_string();
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(p) {
        return t.format("%Y-%m-%d %H:%M %:z").to_string();
    }
    match chrono::NaiveDateTime::parse_from_str(p, "%Y-%m-%dT%H:%M:%S") {
        Ok(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => p.to_string(),
    }
}

fn day(ts: Option<i64>) -> String {
    ts.and_then(|t| chrono::DateTime::from_timestamp(t, 0))
        .map_or("date unknown".into(), |d| d.format("%Y-%m-%d").to_string())
}

async fn run<T: Send + 'static>(
    s: &Shared,
    f: impl FnOnce(&AppState) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let st = s.clone();
    match tokio::task::spawn_blocking(move || f(&st)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            let msg = format!("{e:#}");
            let status = if msg.contains("no story with id") {
                StatusCode::NOT_FOUND
            } else if msg.contains("ambiguous")
                || msg.contains("cannot read the query")
                || msg.contains("not a date")
                || msg.contains("sort must")
            {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            };
            Err(error_page(status, &msg))
        }
        Err(e) => Err(error_page(
            StatusCode::INTERNAL_SERVER_ERROR,
            &e.to_string(),
        )),
    }
}

pub async fn index(State(s): State<Shared>, Page(Query(p)): Page<Query<ListParams>>) -> Response {
    let sort = p.sort.clone().unwrap_or_else(|| "newest".into());
    let entity = p.entity.clone();
    let list = match run(&s, move |s| s.story_list(&p)).await {
        Ok(l) => l,
        Err(r) => return r,
    };
    let title = match &entity {
        Some(e) => format!("Stories naming {e}"),
        None if sort == "biggest" => "Biggest stories".to_string(),
        None => "Newest stories".to_string(),
    };
    page(
        &title,
        html! {
            h1 { (title) }
            form method="get" action="/" {
                input type="hidden" name="sort" value=(sort);
                label { "Entity " input type="search" name="entity" value=(entity.clone().unwrap_or_default()) placeholder="e.g. Vladimir Putin"; }
                " " button type="submit" { "Filter" }
            }
            @if list.is_empty() { p.meta { "No stories." } }
            ul.stories {
                @for st in &list {
                    li {
                        a href={ "/stories/" (st.id) } { (st.headline.as_deref().unwrap_or("(untitled)")) }
                        div.meta { (day(st.first_ts)) " → " (day(st.last_ts)) " · " (st.articles) " article" @if st.articles != 1 { "s" } }
                    }
                }
            }
        },
    )
    .into_response()
}

pub async fn search_page(
    State(s): State<Shared>,
    Page(Query(p)): Page<Query<SearchParams>>,
) -> Response {
    let text = p.q.clone().unwrap_or_default();
    let v = match run(&s, move |s| {
        let q = p.query()?;
        s.search(&q)
    })
    .await
    {
        Ok(v) => v,
        Err(r) => return r,
    };
    page(
        &format!("Search: {text}"),
        html! {
            h1 { "Search" }
            form.search method="get" action="/search" {
                input type="search" name="q" value=(text) aria-label="Query";
                button type="submit" { "Search" }
            }
            p.meta { (v.total) " matching article" @if v.total != 1 { "s" } }
            @if !v.stories.is_empty() {
                h2 { "Stories" }
                ul.stories {
                    @for st in &v.stories {
                        li { a href={ "/stories/" (st.id) } { (st.headline.as_deref().unwrap_or("(untitled)")) }
                             div.meta { (st.matches) " matching article" @if st.matches != 1 { "s" } } }
                    }
                }
            }
            @if !v.articles.is_empty() {
                h2 { "Articles" }
                ul.stories {
                    @for a in &v.articles {
                        li { a href={ "/stories/" (a.story) } { (a.title.as_deref().unwrap_or("(untitled)")) }
                             div.meta { (day(a.published_ts)) " · " (a.outlet.as_deref().unwrap_or("outlet unknown")) } }
                    }
                }
            }
        },
    )
    .into_response()
}

pub async fn story_page(State(s): State<Shared>, Page(Path(id)): Page<Path<String>>) -> Response {
    match run(&s, move |s| s.story(&id)).await {
        Ok(v) => story_html(&v).into_response(),
        Err(r) => r,
    }
}

/// A dot of the chart: publication time, whether a copy, the date as published.
type Dot = (i64, bool, String);

/// Articles over time, one row per source, as inline SVG: filled dots for
/// originals, rings for copies.
fn chart(v: &StoryView) -> Markup {
    let rows: Vec<(String, Vec<Dot>)> = v
        .synthesis
        .coverage
        .iter()
        .map(|c| {
            let label = match (&c.outlet, &c.wire) {
                (Some(o), _) => o.clone(),
                (None, Some(w)) => format!("{w} (outlet unknown)"),
                (None, None) => "outlet unknown".to_string(),
            };
            let dots = c
                .articles
                .iter()
                .filter_map(|id| v.story.articles.iter().find(|a| &a.id == id))
                .filter_map(|a| {
                    a.published_ts.map(|t| {
                        (
                            t,
                            a.copy_of.is_some(),
                            a.published.clone().unwrap_or_default(),
                        )
                    })
                })
                .collect();
            (label, dots)
        })
        .filter(|r: &(String, Vec<Dot>)| !r.1.is_empty())
        .collect();
    let all: Vec<&Dot> = rows.iter().flat_map(|r| r.1.iter()).collect();
    let (Some(first), Some(last)) = (
        all.iter().min_by_key(|d| d.0),
        all.iter().max_by_key(|d| d.0),
    ) else {
        return html! { p.meta { "No dated articles to chart." } };
    };
    let (lo, hi) = (first.0, last.0);
    // Days as the pages wrote them (local time), not UTC.
    let label = |d: &Dot| d.2.get(..10).map_or_else(|| day(Some(d.0)), str::to_string);
    let (left, width, row_h) = (170.0, 460.0, 24.0);
    let span = (hi - lo).max(1) as f64;
    let x = |t: i64| {
        left + if hi == lo {
            width / 2.0
        } else {
            (t - lo) as f64 / span * width
        }
    };
    let h = rows.len() as f64 * row_h + 30.0;
    html! {
        div.scroll {
            svg width="100%" viewBox={ "0 0 " (left + width + 20.0) " " (h) } role="img" aria-label="Articles over time per outlet" {
                @for (i, (label, dots)) in rows.iter().enumerate() {
                    @let y = 14.0 + i as f64 * row_h;
                    text x="4" y=(y + 4.0) { (clip(label, 26)) }
                    line x1=(left) x2=(left + width) y1=(y) y2=(y) stroke="#dde3e8" {}
                    @for d in dots {
                        @if d.1 {
                            circle cx=(x(d.0)) cy=(y) r="5" fill="#fff" stroke="#0b5cad" stroke-width="2" { title { "copy, " (d.2) } }
                        } @else {
                            circle cx=(x(d.0)) cy=(y) r="5" fill="#0b5cad" { title { (d.2) } }
                        }
                    }
                }
                text x=(left) y=(h - 4.0) { (label(first)) }
                text x=(left + width) y=(h - 4.0) text-anchor="end" { (label(last)) }
            }
        }
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

fn story_html(v: &StoryView) -> Html<String> {
    let st = &v.story;
    let sy = &v.synthesis;
    let headline = st.headline.clone().unwrap_or_else(|| "(untitled)".into());
    let short = crate::show::id_shortener(st.articles.iter().map(|a| a.id.as_str()));
    let title_of: BTreeMap<&str, &str> = st
        .articles
        .iter()
        .map(|a| (a.id.as_str(), a.title.as_deref().unwrap_or("(untitled)")))
        .collect();
    // Claims matrix columns: the coverage rows (outlets; an article of unknown outlet
    // alone), those that carried one of the claims shown.
    let shown: Vec<&storyline_synthesize::Claim> = sy.claims.iter().take(20).collect();
    let columns: Vec<(String, &Vec<String>)> = sy
        .coverage
        .iter()
        .filter(|c| {
            shown
                .iter()
                .any(|cl| cl.articles.iter().any(|a| c.articles.contains(a)))
        })
        .map(|c| {
            let label = match (&c.outlet, &c.wire) {
                (Some(o), _) => o.clone(),
                (None, Some(w)) => format!("{w} ({})", short(&c.articles[0])),
                (None, None) => format!("unknown ({})", short(&c.articles[0])),
            };
            (label, &c.articles)
        })
        .collect();
    page(
        &headline,
        html! {
            h1 { (headline) }
            p.meta {
                (when_published(st.first_published.as_deref()))
                @if st.last_published != st.first_published { " → " (when_published(st.last_published.as_deref())) }
                " · " (st.articles.len()) " article" @if st.articles.len() != 1 { "s" }
                " · story " code { (st.id) }
            }
            @if !sy.summary.is_empty() {
                h2 { "Summary" }
                ul { @for c in &sy.summary { li { (c.text) " " span.tag title=(title_of.get(c.article.as_str()).copied().unwrap_or("")) { (short(&c.article)) } } } }
            }
            h2 { "Timeline" }
            (chart(v))
            ol.timeline {
                @for step in &sy.timeline {
                    li.step {
                        strong { (step.date.as_deref().unwrap_or("date unknown")) }
                        @if step.date_inferred { span.tag.warn { "inferred" } }
                        " " span.meta { (step.outlets.join(", ")) }
                        @if step.added.is_empty() { div { (step.text) } }
                        ul.added { @for c in &step.added { li { (c.text) } } }
                    }
                }
            }
            @for d in &sy.inferred_dates {
                p.meta { "Date of " code { (short(&d.article)) } " inferred as " (d.date) " (confidence " (format!("{:.1}", d.confidence)) "): " (d.reason) }
            }
            h2 { "Coverage" }
            div.scroll { table {
                thead { tr { th { "Outlet" } th { "Wire" } th { "First published" } th { "Articles" } th { "Copies" } } }
                tbody { @for c in &sy.coverage { tr {
                    td { (c.outlet.as_deref().unwrap_or("outlet unknown")) @if c.led { span.tag { "first" } } }
                    td { (c.wire.as_deref().unwrap_or("")) }
                    td { (when_published(c.first_published.as_deref())) }
                    td { (c.articles.len()) } td { (c.copies) }
                } } }
            } }
            @if !sy.claims.is_empty() {
                h2 { "Claims across outlets" }
                div.scroll { table.claims {
                    thead { tr { th { "Claim" } @for (label, _) in &columns { th.c { (label) } } } }
                    tbody { @for c in &shown { tr {
                        td {
                            (c.text)
                            @if c.single_outlet { span.tag { "one outlet only" } }
                            @if c.conflict { span.tag.warn { "outlets disagree: " (c.conflicts.iter().map(|x| x.kind).collect::<Vec<_>>().join(", ")) } }
                        }
                        @for (_, arts) in &columns { td.c { @if c.articles.iter().any(|a| arts.contains(a)) { "●" } } }
                    } } }
                } }
                @if sy.claims.len() > 20 { p.meta { (sy.claims.len() - 20) " more claims in the API: " a href={ "/api/stories/" (st.id) } { "JSON" } } }
            }
            @if !sy.entities.is_empty() {
                h2 { "Entities" }
                p { @for e in sy.entities.iter().take(30) {
                    a href={ "/?entity=" (urlencode(&e.name)) } { (e.name) } span.tag { (format!("{:?}", e.kind).to_lowercase()) } " "
                } }
            }
            @if !st.related.is_empty() {
                h2 { "Related stories" }
                ul { @for r in &st.related { li {
                    a href={ "/stories/" (r.id) } { (r.headline.as_deref().unwrap_or("(untitled)")) }
                    " " span.meta { "(" (r.when) "; " (r.reason) ")" }
                } } }
            }
            h2 { "Articles" }
            ul.stories {
                @for a in st.articles.iter().filter(|a| a.copy_of.is_none()) {
                    li {
                        @match a.url.as_deref().filter(|u| u.starts_with("https://") || u.starts_with("http://")) { Some(u) => { a href=(u) rel="nofollow noopener" { (a.title.as_deref().unwrap_or("(untitled)")) } } None => { (a.title.as_deref().unwrap_or("(untitled)")) } }
                        div.meta { (when_published(a.published.as_deref())) " · " (a.outlet.as_deref().unwrap_or("outlet unknown")) @if let Some(w) = &a.wire { " · wire " (w) } " · " code { (a.id) } }
                        @let copies: Vec<_> = st.articles.iter().filter(|c| c.copy_of.as_deref() == Some(a.id.as_str())).collect();
                        @if !copies.is_empty() {
                            details { summary { (copies.len()) " cop" @if copies.len() == 1 { "y" } @else { "ies" } }
                                ul { @for c in copies { li { (c.outlet.as_deref().unwrap_or("outlet unknown")) " · " (c.relation.as_deref().unwrap_or("copy")) " · " (when_published(c.published.as_deref())) } } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Percent-encodes a query value.
fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::when_published;

    #[test]
    fn publication_times_are_shown_to_the_minute_with_their_offset() {
        assert_eq!(
            when_published(Some("2023-11-08T14:40:04-06:00")),
            "2023-11-08 14:40 -06:00"
        );
        assert_eq!(
            when_published(Some("2023-11-09T04:15:00+00:00")),
            "2023-11-09 04:15 +00:00"
        );
        assert_eq!(
            when_published(Some("2023-11-08T21:34:30")),
            "2023-11-08 21:34"
        );
        assert_eq!(when_published(Some("2023-09-05")), "2023-09-05");
        assert_eq!(when_published(Some("sometime in May")), "sometime in May");
        assert_eq!(when_published(None), "date unknown");
    }
}
