//! When an HTML page was published (and modified).
//!
//! Signals, most trusted first; the first that parses wins:
//!
//! 1. JSON-LD `datePublished` of the article (0.95).
//! 2. `<meta>` names that only ever mean publication (`article:published_time`,
//!    `pubdate`, `parsely-pub-date`, …) (0.9).
//! 3. An element marked `itemprop="datePublished"` (its `datetime` or `content`, or
//!    its text) (0.85).
//! 4. A `<time pubdate>`, then an element whose class or id names a publication date
//!    (`entry-date published`, `post-date`, `datum`), then the first `<time datetime>`
//!    (0.7).
//! 5. A short line of visible text holding a date, after the headline (0.6).
//! 6. Generic `<meta>` dates (`date`, `DC.date`, `dcterms.date`): many CMSs fill them
//!    with the last change, so they rank below what the page shows (0.65).
//!
//! A time given in UTC does not say on which day the outlet published: 23:30 UTC is
//! the next day in Berlin and the same day in New York. When the page states the same
//! moment elsewhere in local time (`2023-11-08T22:35:29-08:00`, or a bare
//! `2023-11-08 22:35:29`), that reading is kept. The URL's day settles the rest, in
//! [`crate::extract`].

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use storyline_model::{DateSource, DatedBy, Precision, Timestamp};

use crate::dates;
use crate::dom::{Dom, ElementRef, Node};
use crate::html::attr;
use crate::lines::{more_words_than, squash};
use crate::parse::Page;

/// `<meta>` names that mean the publication date and nothing else.
const PUBLISHED_META: &[&str] = &[
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "article:published",
    "datepublished",
    "pubdate",
    "og:pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "publicationdate",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
    "date.release",
    "citation_publication_date",
    "bepress_citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "vr:published-time",
];
/// `<meta>` dates that CMSs fill with the publication or the last change.
const GENERIC_META: &[&str] = &[
    "date",
    "dc.date",
    "dc:date",
    "dcterms.date",
    "dcterms.created",
    "dc.date.created",
];
pub(crate) const MODIFIED_META: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
];

/// Class or id words that mark an element as holding the publication date.
static DATE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)date|publish|posted|pubtime|timestamp|entry-time|post-time|article-time|datum|veroeffentlicht|fecha|(?:^|[-_\s])time(?:$|[-_\s])").unwrap()
});
/// ... and words that mark it as some other date.
static OTHER_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)updat|modif|comment|event|expir|copyright").unwrap());

fn dated(at: Timestamp, source: DateSource, confidence: f32) -> DatedBy {
    DatedBy {
        at,
        source,
        confidence,
    }
}

/// The publication date, from the signals in the module's order.
pub(crate) fn published(
    raw: &str,
    doc: &Page,
    meta: &HashMap<String, String>,
    ld_published: Option<&str>,
    ld_dates: &[String],
) -> Option<DatedBy> {
    let get = |keys: &[&str]| -> Option<Timestamp> {
        keys.iter()
            .filter_map(|k| meta.get(*k))
            .find_map(|v| dates::parse_date(v))
    };
    let meta_source = DateSource::Metadata;
    let found = ld_published
        .and_then(dates::parse_date)
        .map(|at| dated(at, meta_source, 0.95))
        .or_else(|| get(PUBLISHED_META).map(|at| dated(at, meta_source, 0.9)))
        .or_else(|| itemprop_published(doc).map(|at| dated(at, meta_source, 0.85)))
        .or_else(|| {
            time_pubdate(doc)
                .or_else(|| marked_date(doc))
                .map(|at| dated(at, meta_source, 0.7))
        })
        .or_else(|| labelled_date(doc).map(|at| dated(at, DateSource::Dateline, 0.7)))
        .or_else(|| first_time_element(doc).map(|at| dated(at, meta_source, 0.7)))
        .or_else(|| visible_date(doc).map(|at| dated(at, DateSource::Dateline, 0.6)))
        .or_else(|| get(GENERIC_META).map(|at| dated(at, meta_source, 0.65)))
        .or_else(|| script_date(raw).map(|at| dated(at, meta_source, 0.5)))?;
    Some(in_local_time(found, doc, meta, ld_dates))
}

/// The modification date: JSON-LD `dateModified`, then the `<meta>` names for it.
pub(crate) fn modified(
    meta: &HashMap<String, String>,
    ld_modified: Option<&str>,
) -> Option<DatedBy> {
    ld_modified
        .and_then(dates::parse_date)
        .or_else(|| {
            MODIFIED_META
                .iter()
                .filter_map(|k| meta.get(*k))
                .find_map(|v| dates::parse_date(v))
        })
        .map(|at| dated(at, DateSource::Metadata, 0.9))
}

/// A UTC time replaced by the page's own local reading of the same moment, when it
/// gives one: the same instant with a non-zero offset, or a bare time with the same
/// minutes and seconds a whole number of quarter hours away (at most 14 hours).
fn in_local_time(
    found: DatedBy,
    doc: &Page,
    meta: &HashMap<String, String>,
    ld_dates: &[String],
) -> DatedBy {
    let at = found.at;
    if at.offset_minutes != Some(0) || at.precision == Precision::Day {
        return found;
    }
    let times = doc
        .elements("time")
        .filter_map(|t| attr(t.value(), "datetime"))
        .map(str::to_string);
    let metas = meta.values().cloned();
    let candidates = ld_dates.iter().cloned().chain(times).chain(metas);
    let utc = at.epoch_seconds();
    for c in candidates {
        let Some(other) = dates::parse_date(&c) else {
            continue;
        };
        if other.precision == Precision::Day {
            continue;
        }
        match other.offset_minutes {
            Some(off) if off != 0 && (other.epoch_seconds() - utc).abs() < 60 => {
                return DatedBy { at: other, ..found };
            }
            None if other.precision == Precision::Second && at.precision == Precision::Second => {
                let diff = (other.local - at.local).num_seconds();
                if diff != 0 && diff % 900 == 0 && diff.abs() <= 14 * 3600 {
                    let local = Timestamp {
                        offset_minutes: Some((diff / 60) as i32),
                        ..other
                    };
                    return DatedBy { at: local, ..found };
                }
            }
            _ => {}
        }
    }
    found
}

/// `itemprop="datePublished"` on any element but `<meta>` (whose content the meta map
/// already holds).
fn itemprop_published(doc: &Page) -> Option<Timestamp> {
    doc.with_itemprop()
        .filter(|e| {
            attr(e.value(), "itemprop")
                .is_some_and(|p| p == "datePublished" || p == "datepublished")
        })
        .find_map(|e| {
            let v = e.value();
            ["datetime", "content"]
                .iter()
                .find_map(|a| attr(v, a).and_then(dates::parse_date))
                .or_else(|| short_date(&e.text().collect::<String>(), month_first(doc)))
        })
}

/// The `<time pubdate>` date, when the page's `pubdate` times agree on the day. A page
/// that marks many, on different days, marks a list (related stories, a blog roll),
/// and its own date is read from the next tiers.
fn time_pubdate(doc: &Page) -> Option<Timestamp> {
    agreed(
        doc.elements("time")
            .filter(|t| attr(t.value(), "pubdate").is_some())
            .filter_map(|t| attr(t.value(), "datetime").and_then(dates::parse_date)),
    )
}

/// The first of some dates, if all of them fall on its day: signals that disagree
/// mark a list of other items, not the page.
fn agreed(mut dates: impl Iterator<Item = Timestamp>) -> Option<Timestamp> {
    let first = dates.next()?;
    dates.all(|at| at.date() == first.date()).then_some(first)
}

fn first_time_element(doc: &Page) -> Option<Timestamp> {
    doc.elements("time")
        .filter(|t| !in_other_items(*t))
        .find_map(|t| attr(t.value(), "datetime").and_then(dates::parse_date))
}

/// Whether an element sits in a part of the page that lists other items: comments,
/// related or recommended stories, teasers, a sidebar. Their dates are theirs.
pub(crate) fn in_other_items(e: ElementRef) -> bool {
    // Anywhere in a class or id: these words name lists of other stories.
    static LISTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)related|recommend|teaser|popular|most-?read|trending|outbrain|taboola")
            .unwrap()
    });
    // A whole class or id word: a comment section (`comments`, `kb-comments`,
    // `comment-list`), not an opinion piece's `ArticleHeaderComment`.
    static COMMENTS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:[a-z0-9]+[-_])?comments(?:[-_][a-z0-9-]+)?$|^comment(?:list|-list|-thread|-holder|-section|-area)$").unwrap()
    });
    e.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let v = a.value();
        [attr(v, "class"), attr(v, "id")]
            .into_iter()
            .flatten()
            .any(|x| LISTS.is_match(x) || x.split_whitespace().any(|w| COMMENTS.is_match(w)))
    })
}

/// The first element, in document order, whose class or id says it holds the
/// publication date and whose short text (or `datetime`/`content`/`title`
/// attribute) parses as one.
fn marked_date(doc: &Dom) -> Option<Timestamp> {
    let mf = month_first(doc);
    for e in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        let v = e.value();
        if matches!(v.name(), "script" | "style" | "meta" | "link") {
            continue;
        }
        let (class, id) = (attr(v, "class").unwrap_or(""), attr(v, "id").unwrap_or(""));
        if !(DATE_MARK.is_match(class) || DATE_MARK.is_match(id))
            || OTHER_DATE.is_match(class)
            || OTHER_DATE.is_match(id)
            || in_other_items(e)
        {
            continue;
        }
        for a in ["datetime", "content", "title"] {
            if let Some(at) = attr(v, a).and_then(dates::parse_date) {
                return Some(at);
            }
        }
        // The text as written, then with its pieces spaced: themes print a date as
        // `<span>Apr</span> <span>04</span><span>2013</span>`.
        if let Some(at) = short_date(&e.text().collect::<String>(), mf)
            .or_else(|| short_date(&e.text().collect::<Vec<_>>().join(" "), mf))
        {
            return Some(at);
        }
    }
    None
}

/// A date in a short piece of text (a dateline or a byline line, not a paragraph
/// that mentions a date).
fn short_date(text: &str, month_first: bool) -> Option<Timestamp> {
    let text = squash(text);
    if more_words_than(&text, 16) {
        return None;
    }
    dates::find_date_in(&text, month_first)
        .map(|f| f.at)
        .or_else(|| two_digit_year(&text))
}

/// A line that is only a day with a two-digit year, as German sites print it under
/// the headline (`31.10.23`, `02.12.19 14:05`, after a section label: `Party,
/// 30.10.23`): the year is 20yy. Anywhere else such
/// a number is more often a version or a score than a date.
fn two_digit_year(text: &str) -> Option<Timestamp> {
    static SHORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:\p{L}+(?: \p{L}+)?\s*[,|:]\s*)?(\d{1,2})\.(\d{1,2})\.(\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?:\s*Uhr)?)?$")
            .unwrap()
    });
    let c = SHORT.captures(text.trim())?;
    let y: i32 = 2000 + c[3].parse::<i32>().ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(y, c[2].parse().ok()?, c[1].parse().ok()?)?;
    let mut at = Timestamp::day(date);
    if let (Some(h), Some(mi)) = (c.get(4), c.get(5)) {
        at.local = date.and_hms_opt(h.as_str().parse().ok()?, mi.as_str().parse().ok()?, 0)?;
        at.precision = Precision::Minute;
    }
    Some(at)
}

/// A date that opens a paragraph, as a press release's dateline does
/// (`27.1.2022 - Bei der Erinnerung ...`, `01.02.2022 „Der Arbeitsmarkt ...`): the
/// date must be the paragraph's very first word, followed by a dash, a quote or a
/// space.
fn leading_date(text: &str, month_first: bool) -> Option<Timestamp> {
    // A news dateline may name the place first: `Karlsruhe, (12.11.2021).`,
    // `BERLIN, 3. Juli 2018 —`.
    static PLACE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\p{Lu}[\p{L}.-]+(?: \p{Lu}[\p{L}.-]+)?,\s*\(?").unwrap());
    let text = PLACE.find(text).map_or(text, |m| &text[m.end()..]);
    let head: String = text.chars().take(40).collect();
    let f = dates::find_date_in(&head, month_first)?;
    let after = head[f.end..].chars().next();
    (f.start == 0)
        .then_some(f.at)
        .filter(|_| after.is_none_or(|c| c.is_whitespace() || "-–—„\").".contains(c)))
}

/// Whether the page says it is in American English (or English without a region),
/// where `05/09/2023` is the ninth of May.
fn month_first(doc: &Dom) -> bool {
    let lang = attr(doc.root_element().value(), "lang")
        .unwrap_or("")
        .to_ascii_lowercase();
    lang == "en" || lang == "en-us" || lang == "en_us"
}

/// The first short text holding a date after the page's first `<h1>` (the line under
/// a headline), within the next few thousand characters, else the last one before it
/// (a date line above the headline); with no `<h1>`, the first in the page. Scripts,
/// styles and forms are not text.
fn visible_date(doc: &Page) -> Option<Timestamp> {
    const REACH: usize = 8000;
    let has_h1 = doc.elements("h1").any(|h| !is_hidden_heading(h));
    let mut walk = Walk {
        month_first: month_first(doc),
        after_h1: !has_h1,
        in_h1: false,
        before_h1: None,
        since_before: 0,
        chars: 0,
        found: None,
    };
    walk.visit(doc.root_element(), REACH);
    // The date line nearer the headline: the one above it only when strictly nearer
    // (in characters of text) than the one below it.
    match (walk.found, walk.before_h1) {
        (Some((_, dist)), Some(before)) if walk.since_before < dist => Some(before),
        (Some((after, _)), _) => Some(after),
        (None, before) => before,
    }
}

/// A heading for screen readers only (`class="aural"`, `sr-only`,
/// `visually-hidden`): sites put one above their navigation, and it is not the
/// headline.
fn is_hidden_heading(h: ElementRef) -> bool {
    static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)aural|sr-only|screen-?reader|hidden|offscreen|invisible").unwrap()
    });
    attr(h.value(), "class").is_some_and(|c| HIDDEN.is_match(c))
}

/// A short text anywhere in the page that says it is the publication date
/// (`Erschienen am: 01.11.2023`, `Published on: 3 May 2021`), for pages that print it
/// far from the headline (in a footer). Update labels are not publication labels.
fn labelled_date(doc: &Page) -> Option<Timestamp> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:veröffentlicht|erschienen|publiziert|published|publié|publicado|pubblicato|gepubliceerd)(?:\s+(?:am|on|le|el|il|op))?\s*:?\s*").unwrap()
    });
    let month_first = month_first(doc);
    doc.elements("body")
        .next()?
        .descendants()
        .filter_map(|n| match n.value() {
            Node::Text(t) => Some(t),
            _ => None,
        })
        .find_map(|t| {
            // The anchored label fails on the first letter of almost every text, so
            // no copy is made until one matches.
            let t = t.trim_start();
            let m = LABEL.find(t)?;
            short_date(&t[m.end()..], month_first)
        })
}

/// The publication date a page's scripts hold as JSON outside JSON-LD (Shopify's
/// `"published_at"`, a framework's `"datePublished"`), the last signal tried. Every
/// such key must give the same day: scripts that disagree hold a list of other
/// pages (references, related items), not this page's date.
fn script_date(raw: &str) -> Option<Timestamp> {
    static KEY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#""(?:datePublished|published_at|publishedAt|publishDate|publish_date|date_published|firstPublishedAt)"\s*:\s*"([^"]{8,40})""#).unwrap()
    });
    agreed(
        KEY.captures_iter(raw)
            .filter_map(|c| dates::parse_date(&c[1])),
    )
}

/// A text that opens with an update label: its date is the modification.
static UPDATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:last\s+)?(?:updated|modified|letzte\s+änderung|zuletzt\s+(?:geändert|aktualisiert)|aktualisiert|geändert|mis\s+à\s+jour|actualizado|aggiornato|bijgewerkt)").unwrap()
});

struct Walk {
    month_first: bool,
    after_h1: bool,
    /// Inside the `<h1>`: its own text is not counted as distance.
    in_h1: bool,
    /// The last short date before the `<h1>`: a date line above the headline.
    before_h1: Option<Timestamp>,
    /// Characters of text between that date and the `<h1>`.
    since_before: usize,
    /// Characters of text seen since the `<h1>`.
    chars: usize,
    /// The first short date after the `<h1>`, and the characters of text before it.
    found: Option<(Timestamp, usize)>,
}

impl Walk {
    fn visit(&mut self, e: ElementRef, reach: usize) {
        if matches!(
            e.value().name(),
            "script"
                | "style"
                | "noscript"
                | "template"
                | "head"
                | "select"
                | "option"
                | "textarea"
        ) {
            return;
        }
        let headline = e.value().name() == "h1" && !is_hidden_heading(e) && !self.after_h1;
        if headline {
            self.after_h1 = true;
            self.in_h1 = true;
        }
        for c in e.children() {
            if self.found.is_some() || self.chars > reach {
                return;
            }
            match c.value() {
                Node::Text(t) => {
                    let t = t.trim();
                    if t.is_empty() {
                        continue;
                    }
                    let counted = if self.in_h1 { 0 } else { t.len() };
                    // `Letzte Änderung: 31.10.2023`: the update, not the publication.
                    let date = if UPDATE_LABEL.is_match(t) {
                        None
                    } else if self.after_h1 {
                        short_date(t, self.month_first)
                            .or_else(|| leading_date(t, self.month_first))
                    } else {
                        short_date(t, self.month_first)
                    };
                    if self.after_h1 {
                        self.found = date.map(|at| (at, self.chars));
                        self.chars += counted;
                    } else if let Some(at) = date {
                        self.before_h1 = Some(at);
                        self.since_before = 0;
                    } else {
                        self.since_before += counted;
                    }
                }
                Node::Element(_) => {
                    if let Some(ce) = ElementRef::wrap(c) {
                        self.visit(ce, reach);
                    }
                }
                _ => {}
            }
        }
        if headline {
            self.in_h1 = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published_in(page: &str) -> Option<String> {
        let doc = crate::parse::parse(page);
        let meta = crate::html::meta_tags(&doc);
        let ld = crate::html::json_ld(&doc);
        published(page, &doc, &meta, ld.published.as_deref(), &ld.dates).map(|d| d.at.to_iso())
    }

    #[test]
    fn dates_of_comments_and_related_stories_are_theirs() {
        // A comment's `<time>` and a related story's dated element are skipped; the
        // date line under the headline is the page's.
        let page = r#"<html><body><h1>Autohäuser öffnen wieder</h1><p class="webtime">Stand: 20. April 2020, 14:57 Uhr</p>
<p>Die Autohändler dürfen ihre Verkaufsräume wieder öffnen, rechnen aber nicht mit einem Ansturm.</p>
<div class="box cssArticleRelated"><ul><li><span class="date">01. Mai 2020</span> Andere Meldung</li></ul></div>
<div id="kb-comments"><div class="kb-comment"><time datetime="2020-09-23T18:19:06+02:00">vor 2 Tagen</time> Lecker!</div></div></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2020-04-20T14:57:00"));
        // An opinion piece's header says "Comment" in its class: its date is the page's.
        let page = r#"<html><body><article class="ArticleHeaderComment"><h1>Ein Kommentar</h1>
<time datetime="2019-01-29T10:00:00+01:00">29. Januar 2019</time></article>
<p>Der Kommentar zur Lage der Branche, in der sich vieles ändern muss.</p></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2019-01-29T10:00:00+01:00")
        );
    }

    #[test]
    fn pubdate_times_that_disagree_are_a_list() {
        let page = r#"<html><body><h1>Didier Porte souhaite la santé</h1>
<p><time datetime="2019-06-28T13:49:45Z">28 juin 2019</time></p>
<p>La chronique de la semaine, en vidéo et en texte, pour tous les abonnés.</p>
<ul><li><time datetime="2019-09-22T07:30:29Z" pubdate>22 sept.</time></li>
<li><time datetime="2019-09-20T19:01:28Z" pubdate>20 sept.</time></li></ul></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2019-06-28T13:49:45+00:00")
        );
        // One `pubdate` (or several on one day) is the page's.
        let page = r#"<html><body><p><time datetime="2019-06-20">20 juin</time></p>
<h1>Titre</h1><p><time datetime="2019-06-28T13:49:45Z" pubdate>28 juin 2019</time></p>
<p>La chronique de la semaine, en vidéo et en texte, pour tous les abonnés.</p></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2019-06-28T13:49:45+00:00")
        );
    }

    #[test]
    fn a_labelled_date_anywhere_and_script_json_as_last_resorts() {
        // A publication label in the footer, an update label before it.
        let page = r#"<html><body><h1>Die Anleitungen der Vorfahren</h1>
<p>Eine Rezension des neuen Romans, der in drei Teilen erzählt wird.</p>
<p class="footer">Letzte Änderung: 31.10.2023 - 14:49:39<br>Erschienen am: 01.11.2023<br>Lesungen: 61</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2023-11-01"));
        // A labelled date beats the first `<time>`, which may be a comment's.
        let page = r#"<html><body><h1>RES158 Sternfusion</h1><p>Veröffentlicht am 16.08.2019<br>Dauer: 1 Stunde</p>
<p>Wie Sterne Elemente schmieden, erklärt eine Physikerin im Gespräch.</p>
<div class="comments"><p><time datetime="2019-08-24T03:36:11+02:00">24. August</time> Toll!</p></div></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2019-08-16"));
        // A shop's JSON, every key on one day.
        let page = r#"<html><head><script>var meta = {"product":{"published_at":"2019-03-02T06:22:28+01:00"}};
var again = {"published_at":"2019-03-02T06:22:28"};</script></head>
<body><p>Ein Kaffee aus dem Hochland, mild und fruchtig im Geschmack.</p></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2019-03-02T06:22:28+01:00")
        );
        // Keys that disagree are a list of other pages.
        let page = r#"<html><head><script>var refs = [{"publishDate":"2012-06-24"},{"publishDate":"2016-06-25"}];</script></head>
<body><p>Ein Eintrag über eine Pflanze, ihre Herkunft und ihren Anbau.</p></body></html>"#;
        assert_eq!(published_in(page), None);
    }

    #[test]
    fn a_day_with_a_two_digit_year_under_the_headline() {
        let page = r#"<html><body><h1>Grab-Bote fliegt nach Singapur</h1><p>Von: Jane Doe <span>|</span> <span>31.10.23</span></p>
<p>Text of the article, long enough to be a paragraph of its own and more.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2023-10-31"));
        assert_eq!(
            two_digit_year("02.12.19 14:05")
                .map(|t| t.to_iso())
                .as_deref(),
            Some("2019-12-02T14:05:00")
        );
        assert_eq!(
            two_digit_year("Party, 30.10.23")
                .map(|t| t.to_iso())
                .as_deref(),
            Some("2023-10-30")
        );
        // Versions, scores and impossible days are not dates.
        assert_eq!(two_digit_year("Version 1.2.3"), None);
        assert_eq!(two_digit_year("31.02.23"), None);
    }

    #[test]
    fn a_date_opening_the_first_paragraph() {
        let page = r#"<html><body><h1>Erinnerungskultur mit Stolpersteinen</h1>
<p>Von Claudia Beispiel</p><p>27.1.2022 - Bei der Erinnerung an die Opfer gehen die Städte neue Wege, sagte die Sprecherin des Vereins am Donnerstag in Berlin.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2022-01-27"));
        // A date later in a paragraph is not its dateline.
        let page = r#"<html><body><h1>Neue Regeln</h1>
<p>Die Regeln gelten ab dem 1.3.2022 für alle Betriebe im Land, sagte die Ministerin am Montag bei einer Pressekonferenz in der Hauptstadt.</p></body></html>"#;
        assert_eq!(published_in(page), None);
        // A date glued to a word is not one either.
        assert_eq!(leading_date("27.1.2022x Bei der Erinnerung", false), None);
        // The place may come first, as news datelines put it.
        let day = |t: &str| leading_date(t, false).map(|t| t.to_iso());
        assert_eq!(
            day("Karlsruhe, (12.11.2021). Traditionell gedenken Christen am Ewigkeitssonntag.")
                .as_deref(),
            Some("2021-11-12")
        );
        assert_eq!(
            day("BAD HERRENALB, 3. Juli 2018 – Die Ministerin reiste an.").as_deref(),
            Some("2018-07-03")
        );
        // Not a sentence that merely starts with a name and a comma.
        assert_eq!(
            day("Karlsruhe, die Stadt des Rechts, feiert am 12.11.2021."),
            None
        );
    }

    #[test]
    fn marked_elements() {
        let page = r#"<html><body><div class="post-meta"><span class="updated">3. Mai 2021</span>
<span class="entry-date published">12. April 2021</span></div>
<article><p>The council voted on Tuesday to close the harbour bridge.</p></article></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2021-04-12"));
        // A date printed in pieces.
        let page = r#"<html><body><h1>Schulnoten</h1><div class="date"><span class="month">Apr</span> <span class="day">04</span><span class="year">2013</span></div>
<p>Was Noten über Schüler sagen und was nicht, fragt sich eine Lehrerin.</p><p>10. November 2013</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2013-04-04"));
        // `time` as a word of the class (a press release's place and time), not a
        // part of another word.
        let page = r#"<html><body><div class="timeline">1. März 2020</div>
<span class="press_location_time">Schengen, 3. Juli 2018</span> &mdash; <small>Aussendung</small>
<p>The ministers met on Tuesday to agree on the border checks.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2018-07-03"));
    }

    #[test]
    fn what_the_page_shows_beats_generic_meta() {
        // TYPO3 and others fill `date` with the last change.
        let page = r#"<html><head><meta name="date" content="2022-01-21T15:38:44+01:00"></head>
<body><h1>Snow and dogs</h1><time itemprop="datePublished" datetime="2022-01-27">27.01.2022</time>
<p>Text of the article, long enough to be a paragraph of its own.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2022-01-27"));
        let page = r#"<html><head><meta name="date" content="2021-12-20T11:02:44+01:00"></head>
<body><h1>Riesling birthday</h1><div><span class="date">27.01.2022</span></div>
<p>Text of the article, long enough to be a paragraph of its own.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2022-01-27"));
    }

    #[test]
    fn visible_date_under_the_headline() {
        let page = r#"<html><body><ul class="menu"><li>Archiv 12.03.2019</li></ul>
<h1>Erste Maßnahmen umgesetzt</h1><p class="meta-info">03.02.2022 15:34</p>
<p>Der Verband hat am Montag erste Maßnahmen vorgestellt, die seit dem 1. Januar 2022 gelten.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2022-02-03T15:34:00"));
        // A date line above the headline, when none follows it.
        let page = r#"<html><body><p>Archiv 12.03.2019</p><h3>02.01.2022</h3>
<h1>Land zahlte Hilfen aus</h1><p>Das Land hat im vergangenen Jahr viele Millionen Euro an Hilfen ausgezahlt.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2022-01-02"));
        // A line that opens with an update label is the modification: the walk
        // passes it by.
        let page = r#"<html><body><h1>Neue Regeln für Vereine</h1><p>Letzte Änderung: 31.10.2023</p>
<p>Von Claudia Beispiel</p><p>27.10.2023</p>
<p>Die neuen Regeln gelten ab dem kommenden Jahr für alle Vereine im Land, sagte die Ministerin.</p></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2023-10-27"));
        // The date line right above the headline beats one far below it (a news
        // ticker's dates after the headline).
        let page = r#"<html><body><p>02.02.2022 10:16 Uhr - 1. Bundesliga</p><h1>HSV verpflichtet Nationalspieler</h1>
<p>Der Verein hat am Mittwoch einen niederländischen Nationalspieler unter Vertrag genommen, wie er mitteilte.</p>
<p>Der Spieler kommt aus der Eredivisie und soll im Angriff für mehr Variabilität sorgen, sagte der Trainer.</p>
<ul><li>Schlagzeilen</li><li>30.01.2022</li><li>Andere Meldung</li></ul></body></html>"#;
        assert_eq!(published_in(page).as_deref(), Some("2022-02-02T10:16:00"));
        // A heading for screen readers above the navigation is not the headline.
        let menu = "<li>Themen</li>".repeat(2000);
        let page = format!(
            r#"<html><body><h1 class="aural">Navigation und Service</h1><ul>{menu}</ul>
<h1>Radon im Boden</h1><div><span>Datum</span> <span>25.01.2022</span></div>
<p>Eine neue Karte zeigt, wo im Boden viel Radon vorkommt.</p></body></html>"#
        );
        assert_eq!(published_in(&page).as_deref(), Some("2022-01-25"));
    }

    #[test]
    fn utc_time_read_in_the_pages_own_time_zone() {
        // 06:35 UTC on the 9th is 22:35 on the 8th in Los Angeles, as the page says.
        let page = r#"<html><head><meta property="article:published_time" content="2023-11-09T06:35:29+00:00"></head>
<body><h1>Arrest made</h1><time datetime="2023-11-08T22:35:29-08:00">Nov 8, 2023 / 10:35 PM PST</time></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2023-11-08T22:35:29-08:00")
        );
        // A bare local time for the same moment (same minutes and seconds).
        let page = r#"<html><head><meta property="article:published_time" content="2023-11-09T01:09:55+00:00">
<meta name="sailthru.date" content="2023-11-08 18:09:55"></head><body></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2023-11-08T18:09:55-07:00")
        );
        // Nothing else on the page: the UTC reading stays.
        let page = r#"<html><head><meta property="article:published_time" content="2023-11-09T01:09:55Z"></head><body></body></html>"#;
        assert_eq!(
            published_in(page).as_deref(),
            Some("2023-11-09T01:09:55+00:00")
        );
    }
}
