//! What the read commands print for people (the `--json` forms are the stores' types
//! serialised as they are).

use std::fmt::Write;
use std::ops::ControlFlow;
use std::process::ExitCode;

use serde::Serialize;
use storyline_model::Article;
use storyline_read::Item;
use storyline_store::{ArticleRow, DupGroup, Story};

/// Prints `value` as pretty JSON (the stable `--json` shapes), or the text `render`
/// makes of it for people.
pub fn print<T: Serialize>(
    json: bool,
    value: &T,
    render: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(value)?);
    } else {
        print!("{}", render(value));
    }
    Ok(())
}

/// What a command that changes the store did: JSON when asked (always, as the
/// command's output), else the rendered summary unless `quiet` (`-q`: no summary).
pub fn report<T: Serialize>(
    json: bool,
    quiet: bool,
    value: &T,
    render: impl FnOnce(&T) -> String,
) -> anyhow::Result<()> {
    if json || !quiet {
        print(json, value, render)?;
    }
    Ok(())
}

fn day(iso: Option<&str>) -> String {
    iso.map_or_else(
        || "undated".to_string(),
        |s| s.get(..10).unwrap_or(s).to_string(),
    )
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

pub fn stories_table(stories: &[Story]) -> String {
    let mut out = String::new();
    if stories.is_empty() {
        out.push_str("no stories yet\n");
        return out;
    }
    let _ = writeln!(
        out,
        "{:<12}  {:<10}  {:<10}  {:>8}  {:>7}  HEADLINE",
        "ID", "FIRST", "LAST", "ARTICLES", "OUTLETS"
    );
    for s in stories {
        let _ = writeln!(
            out,
            "{:<12}  {:<10}  {:<10}  {:>8}  {:>7}  {}",
            s.id,
            day(s.first_published.as_deref()),
            day(s.last_published.as_deref()),
            s.articles.len(),
            s.outlets.len(),
            clip(s.headline.as_deref().unwrap_or("(untitled)"), 90)
        );
    }
    out
}

fn article_line(a: &ArticleRow) -> String {
    let date = match (&a.published, &a.date_source) {
        (Some(p), _) => p.clone(),
        (None, _) => "date unknown".to_string(),
    };
    let mut who = Vec::new();
    who.push(a.outlet.clone().unwrap_or_else(|| "outlet unknown".into()));
    if let Some(w) = &a.wire {
        who.push(format!("wire {w}"));
    }
    format!(
        "{date}  {}\n      {}  [{}]  {}",
        a.title.as_deref().unwrap_or("(untitled)"),
        who.join(", "),
        a.id,
        a.source
    )
}

/// Article ids as a story cites them: the first 8 characters, or as many more as tell
/// the story's articles apart. Hash ids differ early; ids the input chose often share
/// long prefixes (`ecb-22_1ecbplus`, `ecb-22_13ecbplus`), and a citation must point at
/// one article.
pub fn id_shortener<'a>(ids: impl IntoIterator<Item = &'a str>) -> impl Fn(&str) -> String {
    let mut ids: Vec<&str> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    let common = |a: &str, b: &str| a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let n = ids
        .windows(2)
        .map(|w| common(w[0], w[1]) + 1)
        .max()
        .unwrap_or(0)
        .max(8);
    move |id: &str| id.chars().take(n).collect()
}

/// The first lines of a story: id, headline, span, size and outlets.
pub fn story_header(s: &Story) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        s.id,
        s.headline.as_deref().unwrap_or("(untitled)")
    );
    let span = match (&s.first_published, &s.last_published) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => format!("{a} → {b}"),
        _ => "undated".to_string(),
    };
    let outlets = if s.outlets.is_empty() {
        "none known".to_string()
    } else {
        s.outlets.join(", ")
    };
    let _ = writeln!(
        out,
        "{span}; {} articles; outlets: {outlets}",
        s.articles.len()
    );
    out
}

/// A story's articles, copies folded under their original, and related stories.
pub fn story_articles(s: &Story) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\nArticles");
    for a in s.articles.iter().filter(|a| a.copy_of.is_none()) {
        let _ = writeln!(out, "  {}", article_line(a));
        for c in s
            .articles
            .iter()
            .filter(|c| c.copy_of.as_deref() == Some(a.id.as_str()))
        {
            let _ = writeln!(
                out,
                "    └ {} copy ({}): {}",
                c.relation.as_deref().unwrap_or("a"),
                diff_summary(c.diff.as_ref()),
                article_line(c).replace('\n', "\n      ")
            );
        }
    }
    if !s.related.is_empty() {
        let _ = writeln!(out, "\nRelated stories");
        for r in &s.related {
            let _ = writeln!(
                out,
                "  {} ({}): {}\n      {}",
                r.id,
                r.when,
                r.headline.as_deref().unwrap_or("(untitled)"),
                r.reason
            );
        }
    }
    out
}

fn diff_summary(diff: Option<&serde_json::Value>) -> String {
    diff.and_then(|d| serde_json::from_value::<storyline_dedup::Diff>(d.clone()).ok())
        .map_or_else(|| "no diff".to_string(), |d| d.summary())
}

pub fn duplicates(groups: &[DupGroup]) -> String {
    let mut out = String::new();
    if groups.is_empty() {
        out.push_str("no duplicate groups\n");
    }
    for g in groups {
        let c = &g.canonical;
        let _ = writeln!(
            out,
            "{}  {}  {}  {}",
            c.id,
            c.published.as_deref().unwrap_or("undated"),
            c.outlet.as_deref().unwrap_or("outlet unknown"),
            c.url.as_deref().unwrap_or(&c.source)
        );
        for m in &g.copies {
            let _ = writeln!(
                out,
                "  └ {} {}  {}  {}  ({})",
                m.relation.as_deref().unwrap_or("?"),
                m.id,
                m.outlet.as_deref().unwrap_or("outlet unknown"),
                m.url.as_deref().unwrap_or(&m.source),
                diff_summary(m.diff.as_ref())
            );
        }
    }
    out
}

/// The `extract --json` shape: one flat object per article.
#[derive(Serialize)]
struct Extracted<'a> {
    id: &'a str,
    source: &'a str,
    url: Option<&'a str>,
    title: Option<&'a str>,
    published: Option<String>,
    modified: Option<String>,
    date_source: Option<&'static str>,
    date_confidence: Option<f32>,
    crawled: Option<String>,
    authors: &'a [String],
    outlet: Option<&'a str>,
    wire: Option<&'a str>,
    lang: Option<&'a str>,
    lang_confidence: Option<f32>,
    text: &'a str,
}

impl<'a> From<&'a Article> for Extracted<'a> {
    fn from(a: &'a Article) -> Self {
        Extracted {
            id: &a.id,
            source: &a.source,
            url: a.url.as_deref(),
            title: a.title.as_deref(),
            published: a.published.map(|p| p.at.to_iso()),
            modified: a.modified.map(|p| p.at.to_iso()),
            date_source: a.published.map(|p| p.source.as_str()),
            date_confidence: a.published.map(|p| p.confidence),
            crawled: a.crawled.map(|d| d.to_string()),
            authors: &a.authors,
            outlet: a.outlet.as_deref(),
            wire: a.wire.as_deref(),
            lang: a.lang.as_deref(),
            lang_confidence: a.lang_confidence,
            text: &a.text,
        }
    }
}

pub fn extract(inputs: &[String], json: bool) -> ExitCode {
    let mut ok = 0usize;
    let mut print = |item: Item| {
        match item {
            Item::Doc(d) => {
                ok += 1;
                let a = storyline_extract::extract(&d);
                if json {
                    println!(
                        "{}",
                        serde_json::to_string(&Extracted::from(&a)).unwrap_or_default()
                    );
                } else {
                    let e = Extracted::from(&a);
                    println!("== {}", e.source);
                    println!("title:     {}", e.title.unwrap_or("(unknown)"));
                    println!(
                        "published: {}",
                        e.published
                            .as_deref()
                            .map_or("(unknown)".to_string(), |p| format!(
                                "{p} (from {}, confidence {:.2})",
                                e.date_source.unwrap_or("?"),
                                e.date_confidence.unwrap_or(0.0)
                            ))
                    );
                    println!(
                        "authors:   {}",
                        if e.authors.is_empty() {
                            "(unknown)".into()
                        } else {
                            e.authors.join("; ")
                        }
                    );
                    println!("outlet:    {}", e.outlet.unwrap_or("(unknown)"));
                    println!("wire:      {}", e.wire.unwrap_or("(none credited)"));
                    println!("url:       {}", e.url.unwrap_or("(unknown)"));
                    println!("lang:      {}\n", e.lang.unwrap_or("(unknown)"));
                    println!("{}\n", e.text);
                }
            }
            Item::Rejected { source, reason } => eprintln!("rejected: {source}: {reason}"),
            Item::Skipped { .. } => {}
        }
        ControlFlow::Continue(())
    };
    for input in storyline_read::expand_inputs(inputs) {
        match input {
            Ok(i) => {
                let _ = storyline_read::read_input(&i, &Default::default(), &mut print);
            }
            Err(item) => {
                let _ = print(item);
            }
        }
    }
    if ok == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The corrections table: one line each, oldest first.
pub fn corrections(list: &[storyline_store::Correction]) -> String {
    if list.is_empty() {
        return "no corrections\n".to_string();
    }
    let mut out = String::new();
    for c in list {
        let day = c.made_at.get(..10).unwrap_or(&c.made_at);
        out.push_str(&format!("#{:<4} {day}  {}\n", c.seq, correction_line(c)));
    }
    out
}

/// What a correction did, in words, with the story ids as the person gave them.
pub fn correction_line(c: &storyline_store::Correction) -> String {
    let from = c.from_event.as_deref().unwrap_or("?");
    let to = c.to_event.as_deref().unwrap_or("?");
    match c.kind.as_str() {
        "merge" => format!("merged story {from} into {to}"),
        _ => format!(
            "moved {} from story {from} to {to}",
            c.article.as_deref().unwrap_or("?")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::id_shortener;

    #[test]
    fn cited_ids_tell_the_storys_articles_apart() {
        let ids = ["ecb-22_1ecbplus", "ecb-22_13ecbplus", "ecb-22_14ecbplus"];
        let short = id_shortener(ids);
        let cited: Vec<String> = ids.iter().map(|i| short(i)).collect();
        assert_eq!(cited, ["ecb-22_1e", "ecb-22_13", "ecb-22_14"]);
        // Hashes differ early: eight characters.
        let short = id_shortener(["72072f22cab6d14c", "9c3cdb8a7894e004"]);
        assert_eq!(short("72072f22cab6d14c"), "72072f22");
        // An id that is another's prefix is cited whole.
        let short = id_shortener(["story-1", "story-12"]);
        assert_eq!(
            (short("story-1"), short("story-12")),
            ("story-1".into(), "story-12".into())
        );
    }
}
