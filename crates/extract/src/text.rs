//! Plain text as crawlers save it: one line per block of the page, chrome included.
//!
//! The approach: classify every line (metadata, chrome, story); pick the title as the
//! first headline-shaped line near the top whose words the text below it supports;
//! take what is above the title as page header (mined for metadata, never kept as
//! story); keep the story lines below it once each, in order.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::Datelike;
use regex::Regex;
use storyline_model::{DateSource, DatedBy, Timestamp};

use crate::dates;
use crate::lines::{self, byline, more_words_than, noise, squash, word_count};
use crate::outlet;
use crate::Fields;

/// How many non-empty lines from the top may hold the title.
const TITLE_ZONE: usize = 20;
/// How many non-empty lines from the top may hold bylines and datelines.
const HEAD_ZONE: usize = 30;

static CRAWL_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:date|crawled|fetched|retrieved)[:=]?\s+((?:19|20)\d\d-\d\d-\d\d)(?-u:\b)\s*(.*)$",
    )
    .unwrap()
});
static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<label>(?:this (?:article|story) was )?(?:first |originally )?published(?: time)?|updated|(?:article\s+)?posted|created|story created|for immediate release|release|edited time|edited|last updated|last modified|modified|dateline|date|veröffentlicht|aktualisiert|stand|publié|mis à jour|publicado|actualizado|atualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|опубликовано|обновлено)?\s*(?:on|at|am|le|el|il|em|op)?\s*:?\s*(?P<rest>.*)$").unwrap()
});
/// A time of day and nothing else: `5:03pm`, `12:52 p.m. EDT`, `10:00 (CET)`.
static TIME_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)?(?:\s*\(?(?:(?:GMT|UTC)[+-]\d{1,2}(?::?\d\d)?|[A-Z]{2,5})\)?)?$").unwrap()
});
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<n>\d+|an?|one)\s+(?P<unit>seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$|^(?P<word>just now|today|yesterday)$").unwrap()
});

/// The day a relative date (`48 minutes ago`, `3 days ago`, `yesterday`) names, counted
/// back from the day the page was fetched. Hours are counted in whole days (`30 hours
/// ago` is the day before); without the fetch time, `5 hours ago` may be the day
/// before too, which the lower confidence of a date from the fetch day allows for.
fn relative_day(rest: &str, fetched: chrono::NaiveDate) -> Option<chrono::NaiveDate> {
    let c = RELATIVE.captures(rest)?;
    let days = match c.name("word").map(|w| w.as_str().to_lowercase()) {
        Some(w) if w == "yesterday" => 1,
        Some(_) => 0,
        None => {
            let n: i64 = match c["n"].to_lowercase().as_str() {
                "a" | "an" | "one" => 1,
                n => n.parse().ok()?,
            };
            let unit = c["unit"].to_lowercase();
            if unit.starts_with('d') {
                n
            } else if unit.starts_with('w') {
                7 * n
            } else if unit.starts_with('h') {
                n / 24
            } else {
                0
            }
        }
    };
    fetched.checked_sub_days(chrono::Days::new(u64::try_from(days).ok()?))
}
static WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?$").unwrap());
/// A place opening a dateline: one to three capitalised words and a comma.
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*){0,2},\s*$").unwrap()
});
/// Words a dateline may hold besides its date and a weekday.
/// Punctuation around the date counts as filler too: `(March 20, 2007) --`.
static FILLER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(?:uhr|local|time|et|gmt|utc|[|•·,.–—()\[\]-]+)$").unwrap());

/// What a dateline says.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Dateline {
    published: Option<Timestamp>,
    modified: Option<Timestamp>,
    /// Which of the two leans on the day the page was fetched: a date written without
    /// its year, or relative (`3 days ago`).
    published_from_fetch: bool,
    modified_from_fetch: bool,
}

impl Dateline {
    /// Keeps the first publication (or, `is_update`, modification) date the line
    /// gives; true when `at` is the one kept.
    fn put(&mut self, is_update: bool, at: Timestamp, from_fetch: bool) -> bool {
        let (slot, flag) = if is_update {
            (&mut self.modified, &mut self.modified_from_fetch)
        } else {
            (&mut self.published, &mut self.published_from_fetch)
        };
        if slot.is_none() {
            *slot = Some(at);
            *flag = from_fetch;
        }
        *slot == Some(at)
    }
}

/// What the whole text tells a dateline that does not say it itself.
#[derive(Debug, Default, Clone, Copy)]
struct Context {
    /// The order the text writes slashed dates in ([`text_writes_month_first`]).
    month_first: Option<bool>,
    /// The day the page was fetched, which gives a date written without a year
    /// ([`dates::find_yearless_in`]) its year.
    fetched: Option<chrono::NaiveDate>,
}

/// A line that is only dates, with optional labels (`Published: ... | Updated: ...`).
pub(crate) fn dateline(line: &str) -> Option<Dateline> {
    dateline_in(line, Context::default())
}

/// [`dateline`], reading what the line leaves open as its text says ([`Context`]).
fn dateline_in(line: &str, cx: Context) -> Option<Dateline> {
    if more_words_than(line, 16) {
        return None;
    }
    // An update label inside the line starts a segment of its own (`21 July 2013
    // Last updated at 11:11 GMT`, `on April 30, 2008 at 4:31 AM, updated ...`).
    static UPDATE_INSIDE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|(?:\s*,)?\s+)((?:last\s+)?updated|last\s+modified)(?-u:\b)").unwrap()
    });
    // The label opening the line matches too (`Last Updated: ...` must not become
    // `Last | Updated: ...`); the empty segment it leaves in front is skipped.
    let split = UPDATE_INSIDE.replace_all(line, " | $1");
    let month_first = line_order(&split).or(cx.month_first).unwrap_or(false);
    let military = military_time(&split);
    let dashed = dashed_years(&military);
    let expanded = two_digit_years(&dashed, month_first);
    let line: &str = &expanded;
    let mut out = Dateline::default();
    let mut any = false;
    // The last dated segment, for a time that follows in a segment of its own
    // (`May 2, 2013 | 5:03pm`).
    let mut last: Option<(String, bool)> = None;
    // Segments are parted by bars and bullets, and by a slash or a dash between
    // spaces (`September 5, 2023 / 10:00 AM / CBS News`, `Sep 5, 2023 — 10:00 AM`).
    static SEGMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*[|•·]\s*|\s+[/—–]\s+").unwrap());
    let mut dated = false;
    for seg in SEGMENT.split(line).map(str::trim).filter(|s| !s.is_empty()) {
        // After a date, a credit may close the line (`/ CBS News`, `(CNA)`).
        if dated && is_credit(seg) {
            continue;
        }
        let c = DATE_LABEL.captures(seg)?;
        let label = c.name("label").map(|m| m.as_str().to_lowercase());
        let rest = c["rest"].trim();
        let labelled_update = label.as_deref().is_some_and(is_update_label);
        if RELATIVE.is_match(rest) {
            any = true;
            // Dated only from the day the page was fetched.
            if let Some(day) = cx.fetched.and_then(|f| relative_day(rest, f)) {
                out.put(labelled_update, Timestamp::day(day), true);
            }
            last = None;
            continue;
        }
        // A month and day without a year (`Jul. 7 5:59 PM EDT`) is a dateline all the
        // same, dated only when something gives the year: a date before it on the
        // line (`September 5, 2023 at 10:00 AM - Updated September 5 at 11:00 AM`: the
        // first year that does not put it before that date, within ten months), or
        // the fetch day. Without either, the last day of a leap year stands in, so
        // that `Feb. 29` is a day, and the date is not kept.
        let year_from = out
            .published
            .or(out.modified)
            .and_then(|t| t.date().checked_add_days(chrono::Days::new(300)))
            .or(cx.fetched);
        if let (Some((prev, is_update)), true) = (&last, label.is_none() || labelled_update) {
            if TIME_ONLY.is_match(rest) {
                // `Monday, Sep 10, 2012 | Updated 9:01 AM EDT`: the update's time on
                // the day just given (`Jul. 7 | 5:59 PM`: with the year it was given).
                let is_update = *is_update || labelled_update;
                let joined = format!("{prev} {rest}");
                let f = dates::find_date_in(&joined, month_first)
                    .or_else(|| year_from.and_then(|y| dates::find_yearless_in(&joined, y)));
                if let Some(f) = f.filter(|f| f.end == joined.len()) {
                    let slot = if is_update {
                        &mut out.modified
                    } else {
                        &mut out.published
                    };
                    *slot = Some(f.at);
                    last = None;
                    continue;
                }
            }
        }
        let found = dates::find_date_in(rest, month_first).or_else(|| dates::find_cjk_date(rest));
        let (found, yearless) = match found {
            Some(f) => (f, false),
            None => {
                let stand_in = chrono::NaiveDate::from_ymd_opt(2000, 12, 31).expect("a day");
                let f = dates::find_yearless_in(rest, year_from.unwrap_or(stand_in))?;
                (f, true)
            }
        };
        // The time before the date (`12:52 p.m. EDT May 2, 2013`, `8:56am Monday 10th
        // June 2013`) is read after it.
        let prefix = time_prefix(&rest[..found.start]);
        let (found, rest) = if !prefix.is_empty() && TIME_ONLY.is_match(prefix) {
            let moved = format!(
                "{} {prefix} {}",
                &rest[found.start..found.end],
                &rest[found.end..]
            );
            match dates::find_date_in(&moved, month_first) {
                Some(f) => (f, moved),
                None => (found, rest.to_string()),
            }
        } else {
            (found, rest.to_string())
        };
        let found = settle_by_weekday(found, &rest);
        // A place may open the line (`Madrid, 5 de marzo de 2020`, `PARIS, 4 sept.
        // 2023`): one to three capitalised words and a comma, right before the date.
        let before = &rest[..found.start];
        let before = if PLACE.is_match(before) { "" } else { before };
        let residue = format!("{before} {}", &rest[found.end..]);
        if !residue
            .split_whitespace()
            .all(|w| WEEKDAY.is_match(w) || FILLER.is_match(w))
        {
            return None;
        }
        any = true;
        if yearless && year_from.is_none() {
            last = None;
            continue;
        }
        let is_update = label.as_deref().is_some_and(is_update_label);
        let first = out.put(is_update, found.at, yearless);
        dated = true;
        last = (first && found.at.precision == storyline_model::Precision::Day)
            .then(|| (rest[found.start..found.end].to_string(), is_update));
    }
    any.then_some(out)
}

/// A byline and a date on one line, as blogs and CMSs print them: `By Jane Doe on
/// March 3, 2013`, `By Jane Doe | March 3, 2013`, `Posted by admin on March 3, 2013`,
/// `March 3, 2013 by Jane Doe`, `Posted in News on March 3, 2013 by Jane Doe`, `On
/// behalf of X posted in Y on Friday, September 20, 2013.` The date part must read as
/// a whole dateline; the names are kept when they parse as a byline's (`admin` does
/// not).
fn dated_byline(line: &str, cx: Context) -> Option<(Option<lines::Byline>, Dateline)> {
    // The names first, opened as a byline opens ([`lines::BYLINE`]: `[Posted|Written]
    // by NAMES <sep> DATE`), with the separator found by trying each in turn (`By Jane
    // Doe, Reuters | March 3, 2013`).
    static SEP: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\s+on\s+|\s+at\s+|\s*[|•·]\s*|\s+[-–—]\s+|,\s+").unwrap()
    });
    // The date after `posted [in SECTION] on`, or before `by`.
    static POSTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|\s)posted(?:\s+in\s+[^|]+?)?\s+on\s+(?P<date>.+?)(?:\s+by\s+(?P<by>.+?))?\.?$").unwrap()
    });
    static BEFORE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(?P<date>.+?)\s+by\s+(?P<by>.+)$").unwrap());
    if more_words_than(line, 24) {
        return None;
    }
    // The names as a byline reads them; the date part as a whole dateline with a date.
    let names = |names: &str| byline(&format!("By {}", names.trim()));
    let date = |part: &str| {
        dateline_in(part.trim().trim_end_matches('.'), cx)
            .filter(|d| d.published.is_some() || d.modified.is_some())
    };
    if let Some(c) = lines::BYLINE.captures(line) {
        let by = c.name("names").expect("in the pattern").as_str();
        for m in SEP.find_iter(by) {
            if let Some(d) = date(&by[m.end()..]) {
                return Some((names(&by[..m.start()]), d));
            }
        }
        // No separator: the date starts where a date starts (`By JANE DOE Associated
        // Press September 5, 2023, 10:00 AM`), or at a label opening it (`By Jane Doe
        // Published September 5, 2023`).
        static LABEL_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\s+(?:(?:last\s+)?updated|published|posted)(?:\s+on)?:?\s*$").unwrap()
        });
        if let Some(f) = dates::find_date_in(by, false).filter(|f| f.start > 0) {
            let head = &by[..f.start];
            let start = LABEL_BEFORE.find(head).map_or(f.start, |m| m.start());
            if let Some(d) = date(&by[start..]) {
                return Some((names(&by[..start]), d));
            }
        }
    }
    [&*POSTED, &*BEFORE].into_iter().find_map(|re| {
        let c = re.captures(line)?;
        let d = date(&c["date"])?;
        Some((c.name("by").and_then(|m| names(m.as_str())), d))
    })
}

/// A weekday on the line settles a numeric date's order (`Mon, 09/04/2023 - 19:59`,
/// Drupal's default, is 4 September, a Monday). A date with its month in words is as
/// written, even beside a wrong weekday.
fn settle_by_weekday(found: dates::Found, line: &str) -> dates::Found {
    let numeric = line[found.start..found.end]
        .split_whitespace()
        .next()
        .is_some_and(|t| {
            t.contains(['/', '.', '-'])
                && t.chars().all(|c| c.is_ascii_digit() || "/.-".contains(c))
        });
    let Some(wd) = weekday_named(line).filter(|_| numeric) else {
        return found;
    };
    let date = found.at.date();
    match dates::swapped_day_month(date).filter(|d| date.weekday() != wd && d.weekday() == wd) {
        Some(d) => {
            let mut f = found;
            f.at.local = d.and_time(found.at.local.time());
            f
        }
        None => found,
    }
}

/// A credit closing a dateline: a short run of words without digits, capitalised or
/// in parentheses (`CBS News`, `CBS/AP`, `(CNA)`, `Reuters`).
fn is_credit(seg: &str) -> bool {
    let inner = seg.trim_matches(['(', ')']);
    !inner.is_empty()
        && !inner.chars().any(|c| c.is_ascii_digit())
        && word_count(inner) <= 4
        && inner
            .split([' ', '/'])
            .filter(|w| !w.is_empty())
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// The day of the week a dateline names (`Mon,`, `Tuesday`), if one.
fn weekday_named(line: &str) -> Option<chrono::Weekday> {
    line.split_whitespace()
        .find(|w| WEEKDAY.is_match(w))
        .and_then(|w| w.get(..3))
        .and_then(|w| w.parse().ok())
}

/// A time on a 12-hour clock (`5:59:13 PM`, `1:19PM`, `11:11 p.m.`).
static TWELVE_HOUR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:1[0-2]|0?[1-9]):[0-5]\d(?::[0-5]\d)?\s*[ap]\.?\s?m(?-u:\b)")
        .unwrap()
});
/// A time zone of a country that writes the day first.
static DAY_FIRST_ZONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:GMT|BST|WET|WEST|CET|CEST|EET|EEST|MSK|IST|PKT|SGT|AWST|ACST|ACDT|AEST|AEDT|NZST|NZDT|SAST|WAT|EAT)(?-u:\b)").unwrap()
});

/// The order a dateline writes its slashed dates in, when the line says: month first
/// (true) as in the US when it names a US time zone, or tells the time on a 12-hour
/// clock (`2/3/2009 5:59:13 PM`, `9/10/2010 @ 1:19PM`) without naming a zone of a
/// country that writes the day first; day first when it names such a zone
/// (`3/02/2009 5:59pm AEDT`, `13:26 14/09/2013 BST`).
fn line_order(line: &str) -> Option<bool> {
    if dates::names_us_zone(line) {
        Some(true)
    } else if DAY_FIRST_ZONE.is_match(line) {
        Some(false)
    } else if TWELVE_HOUR.is_match(line) {
        Some(true)
    } else {
        None
    }
}

/// English month names as written in dates, capitalised (a vote on a text's date order
/// needs precision; `dates::MONTHS` reads every language, case-insensitively).
const MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)";

/// The order a whole text writes dates in, for a slashed date on a line that does not
/// say (`05 / 02 / 2013` alone): the month first when the text writes more dates as
/// `May 10` and times on a 12-hour clock than dates as `10 May`, the day first when
/// fewer; None when it writes neither, or as many of each. A writer keeps one
/// convention through a page.
fn text_writes_month_first(lines: &[&str]) -> Option<bool> {
    static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?-u:\b){MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?-u:\b)(?:[^:\d]|$)"
        ))
        .unwrap()
    });
    static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?-u:\b)\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?-u:\b)"
        ))
        .unwrap()
    });
    let (mut month_first, mut day_first) = (0, 0);
    for l in lines {
        month_first += MONTH_DAY.find_iter(l).count() + TWELVE_HOUR.find_iter(l).count();
        day_first += DAY_MONTH.find_iter(l).count() + DAY_FIRST_ZONE.find_iter(l).count();
    }
    (month_first != day_first).then_some(month_first > day_first)
}

/// A time written in four digits before a zone, as CNN prints updates (`Updated 1045
/// GMT (1845 HKT) September 5, 2023`), written as the parser reads times (`10:45
/// GMT`); the local time echoed in brackets is left out. Only on a line that is a
/// dateline, and only before GMT or UTC (a bare `1045` is a number).
fn military_time(line: &str) -> std::borrow::Cow<'_, str> {
    static MILITARY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)([01]\d|2[0-3])([0-5]\d) (GMT|UTC)(?-u:\b)(?:\s*\((?:[01]\d|2[0-3])[0-5]\d [A-Z]{2,5}\))?").unwrap()
    });
    MILITARY.replace(line, "$1:$2 $3")
}

/// A date whose year follows a dash, as some sites print it (`Sunday, November 27 -
/// 2005`; a forum's `Mon Dec-19-05 03:49 PM`), written as the shared parser reads
/// dates: `November 27, 2005`, `Dec 19, 2005`. The month is a word, so the order is
/// certain, and a two-digit year (only with the month dashed to its day: `March 3-14`
/// is a range of days) is read in its century as [`two_digit_years`] reads one. Only
/// on a line that is a dateline.
fn dashed_years(line: &str) -> std::borrow::Cow<'_, str> {
    static DASHED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?-u:\b)(?P<m>{MONTH})\.?(?:(?P<dash>\s*-\s*)|\s+)(?P<d>\d{{1,2}})\s*-\s*(?P<y>(?:19|20)\d\d|\d\d)(?-u:\b)"
        ))
        .unwrap()
    });
    DASHED.replace(line, |c: &regex::Captures| {
        let y = &c["y"];
        // `March 3-14` is a range of days; a two-digit year needs the month dashed
        // to its day too (`Dec-19-05`).
        if y.len() == 2 && c.name("dash").is_none() {
            return c[0].to_string();
        }
        let year = match y.parse::<u32>() {
            Ok(yy) if y.len() == 2 && yy < 70 => 2000 + yy,
            Ok(yy) if y.len() == 2 => 1900 + yy,
            Ok(yyyy) => yyyy,
            Err(_) => return c[0].to_string(),
        };
        format!("{} {}, {year}", &c["m"], &c["d"])
    })
}

/// A slashed date with a two-digit year (`12/16/08 1:30 AM EST`, `11/28/05`) written
/// with its century, when which number is the month is certain: a number above 12,
/// or the order the line or its text writes dates in ([`line_order`]). `8/2/13` with
/// nothing to say which is left unread.
fn two_digit_years(line: &str, month_first: bool) -> std::borrow::Cow<'_, str> {
    static SHORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(\d{1,2})/(\d{1,2})/(\d\d)(?-u:\b)(?:[^/]|$)").unwrap()
    });
    let Some(c) = SHORT.captures(line) else {
        return line.into();
    };
    let (a, b): (u32, u32) = match (c[1].parse(), c[2].parse()) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return line.into(),
    };
    if !(month_first || a > 12 || b > 12) {
        return line.into();
    }
    let yy: u32 = c[3].parse().unwrap_or(0);
    let year = if yy < 70 { 2000 + yy } else { 1900 + yy };
    let (start, end) = (
        c.get(1).expect("group").start(),
        c.get(3).expect("group").end(),
    );
    format!(
        "{}{}/{}/{year}{}",
        &line[..start],
        &c[1],
        &c[2],
        &line[end..]
    )
    .into()
}

/// Whether a dateline label announces a modification, not the publication.
fn is_update_label(l: &str) -> bool {
    l.contains("updat")
        || l.contains("modif")
        || l.contains("aktual")
        || l.contains("stand")
        || l.contains("mis à jour")
        || l.contains("actualiz")
        || l.contains("aggiorn")
        || l.contains("edit")
        || l.contains("atualiz")
        || l.contains("bijgewerkt")
        || l.contains("обновлено")
}

/// What comes before a date, without the weekday and commas between it and the date
/// (`8:56am Monday`, `12:45, Wednesday,`): a time, if the line puts it first.
fn time_prefix(before: &str) -> &str {
    let mut p = before.trim();
    loop {
        let trimmed = p.trim_end_matches([',', ' ']);
        match trimmed.rsplit_once(' ') {
            Some((head, last)) if WEEKDAY.is_match(last) => p = head,
            _ => return trimmed,
        }
    }
}

/// A short line, not a sentence, that asks the reader to do something (`Sign up to
/// our morning briefing newsletter`, `Abonnez-vous à notre newsletter`). A sentence
/// may mention a newsletter; a line of a dozen words without a full stop that does is
/// the site's prompt.
fn is_short_call_to_action(line: &str) -> bool {
    !more_words_than(line, 12)
        && !line.trim_end().ends_with(['.', '!', '?', '"', '”', '»'])
        && lines::is_call_to_action(line)
}

/// What one line of the page is.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Story,
    Chrome,
    Byline(lines::Byline),
    Dateline,
    /// `Original url:` with the URL (or `None` if it is on the next line).
    Source(Option<String>),
}

/// Content words of a line, for comparing a title with the text under it.
fn content_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .filter(|w| !STOP.contains(&w.as_str()))
        .collect()
}

const STOP: &[&str] = &[
    "the", "and", "for", "with", "from", "that", "this", "are", "was", "were", "has", "have",
    "had", "its", "his", "her", "their", "will", "would", "may", "says", "said", "say", "who",
    "what", "how", "why", "into", "over", "after", "about", "than", "then", "but", "not", "you",
    "your", "our", "all",
];

/// Whether a line is shaped like a headline: a few words, not a full sentence with a
/// final period, mostly letters, not a URL.
fn headline_shaped(line: &str) -> bool {
    let words = word_count(line);
    if !(3..=30).contains(&words) || line.chars().count() > 250 {
        return false;
    }
    // A quoted sentence (`"She is the embodiment of beauty."`) is a sentence too.
    let unquoted = line.trim_end_matches(['"', '”', '’', '\'', '»', ' ']);
    if unquoted.ends_with('.') && !unquoted.ends_with("...")
        || line.ends_with(',')
        || line.ends_with(':')
        || line.ends_with("...")
        || line.ends_with('…')
    {
        return false;
    }
    if line.contains("http") || line.contains("www.") {
        return false;
    }
    let letters = line.chars().filter(|c| c.is_alphabetic()).count();
    letters * 10 >= line.chars().count() * 6
}

/// The share of a candidate title's content words that occur in `below`, and how many
/// do.
fn support(title: &str, below: &str) -> (f32, usize) {
    let words = content_words(title);
    if words.is_empty() {
        return (0.0, 0);
    }
    let below: std::collections::HashSet<String> = content_words(below).into_iter().collect();
    let found = words.iter().filter(|w| below.contains(*w)).count();
    (found as f32 / words.len() as f32, found)
}

/// `hint_title` and `hint_url`: what the input's container says (a JSON line's
/// `title` and `url`); the title given is the title, the URL helps find it.
/// `fetched`: the day the container says the page was fetched (a WARC record's date),
/// when the text does not say it in a crawl header.
pub(crate) fn extract(
    text: &str,
    hint_title: Option<&str>,
    hint_url: Option<&str>,
    fetched: Option<chrono::NaiveDate>,
) -> Fields {
    let mut f = Fields::default();
    let mut raw_lines: Vec<String> = text
        .lines()
        .map(|l| {
            let line = squash(l);
            match lines::untokenise(&line) {
                std::borrow::Cow::Borrowed(_) => line,
                std::borrow::Cow::Owned(repaired) => repaired,
            }
        })
        .collect();
    if let Some(first) = raw_lines.first_mut() {
        if let Some(c) = CRAWL_HEADER.captures(first) {
            f.crawled = chrono::NaiveDate::parse_from_str(&c[1], "%Y-%m-%d").ok();
            *first = c[2].to_string();
        }
    }
    let lines: Vec<&str> = raw_lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.is_empty())
        .collect();

    // Classify every line.
    let mut kinds: Vec<Kind> = Vec::with_capacity(lines.len());
    let date_from = |f: &mut Fields, d: Dateline| {
        // A date counted from the fetch day is a guess, if a good one.
        let lower = |from_fetch: bool| if from_fetch { 0.2 } else { 0.0 };
        if f.published.is_none() && d.published.is_some() {
            f.published = d.published.map(|at| DatedBy {
                at,
                source: DateSource::Dateline,
                confidence: 0.8 - lower(d.published_from_fetch),
            });
        }
        if f.modified.is_none() && d.modified.is_some() {
            f.modified = d.modified.map(|at| DatedBy {
                at,
                source: DateSource::Dateline,
                confidence: 0.7 - lower(d.modified_from_fetch),
            });
        }
    };
    let cx = Context {
        month_first: text_writes_month_first(&lines),
        fetched: f.crawled.or(fetched),
    };
    for (i, line) in lines.iter().enumerate() {
        let kind = if let Some(src) = lines::source_label(line) {
            Kind::Source(src)
        } else if let Some((b, d)) = (i < HEAD_ZONE).then(|| dated_byline(line, cx)).flatten() {
            date_from(&mut f, d);
            b.map_or(Kind::Dateline, Kind::Byline)
        } else if let Some(b) = (i < HEAD_ZONE).then(|| byline(line)).flatten() {
            Kind::Byline(b)
        } else if let Some(d) = dateline_in(line, cx) {
            if i < HEAD_ZONE {
                date_from(&mut f, d);
            }
            Kind::Dateline
        } else if noise(line).is_some()
            || is_short_call_to_action(line)
            || is_truncated_teaser(line, &lines[i + 1..])
            || lines::is_url_like(line)
        {
            Kind::Chrome
        } else {
            Kind::Story
        };
        kinds.push(kind);
    }

    // Source URL lines: the URL is on the label's line or the next one.
    for (i, kind) in kinds.iter().enumerate() {
        if let Kind::Source(src) = kind {
            let url = src.clone().or_else(|| {
                lines
                    .get(i + 1)
                    .filter(|l| lines::is_url(l))
                    .map(|l| l.to_string())
            });
            if f.url.is_none() {
                f.url = url;
            }
        }
    }
    // A crawler that saves the page's address first: a bare URL opening the text.
    if f.url.is_none() {
        f.url = lines
            .first()
            .filter(|l| lines::is_url(l) && l.starts_with("http"))
            .map(|l| l.to_string());
    }
    let mut byline_agency = None;
    for k in &kinds {
        if let Kind::Byline(b) = k {
            for n in &b.names {
                if !f.authors.contains(n) {
                    f.authors.push(n.clone());
                }
            }
            byline_agency = byline_agency.or(b.agency);
        }
    }

    // Short lines that repeat are boilerplate, wherever they are.
    let mut counts: HashMap<String, usize> = HashMap::new();
    for l in &lines {
        *counts.entry(l.to_lowercase()).or_default() += 1;
    }

    // The title.
    let title_idx = match hint_title {
        Some(t) => {
            let t = squash(t).to_lowercase();
            lines
                .iter()
                .take(TITLE_ZONE)
                .position(|l| l.to_lowercase() == t)
        }
        None => find_title(&lines, &kinds, hint_url.or(f.url.as_deref())),
    };
    f.title = match (hint_title, title_idx) {
        (Some(t), _) => Some(squash(t)),
        (None, Some(i)) => Some(lines[i].to_string()),
        (None, None) => None,
    };
    let title_lower = f.title.as_deref().map(str::to_lowercase);

    // The body: story lines below the title, each once.
    let start = title_idx.map_or(0, |i| i + 1);
    let mut seen = std::collections::HashSet::new();
    let mut body: Vec<String> = Vec::new();
    for i in start..lines.len() {
        if kinds[i] != Kind::Story {
            continue;
        }
        let lower = lines[i].to_lowercase();
        if Some(&lower) == title_lower.as_ref() {
            continue;
        }
        if counts[&lower] > 1 && !more_words_than(lines[i], 8) {
            continue;
        }
        if !seen.insert(lower) {
            continue;
        }
        body.push(lines[i].to_string());
    }
    drop_teasers(&mut body);

    // Wire credits: bylines first, then the lede's dateline, then a closing credit.
    f.wire = f
        .authors
        .iter()
        .find_map(|a| outlet::agency(a))
        .or(byline_agency)
        .or_else(|| body.iter().take(3).find_map(|p| outlet::wire_in_line(p)))
        .or_else(|| {
            body.iter()
                .rev()
                .take(3)
                .find_map(|p| outlet::wire_in_line(p))
        })
        .map(str::to_string);
    f.paragraphs = body;
    f
}

/// The first headline-shaped line near the top that the text below supports. The
/// title heads the story: a line after the story's first paragraphs is not it (an
/// untitled text's quote line would otherwise take the lede above it away as page
/// header). One or two full paragraphs above it may be chrome the rules missed (a
/// cookie notice, another article's teaser).
///
/// The page's URL speaks first: most news URLs carry the headline as their slug
/// (`/teixeira-not-headed-to-boston-6361/`), so a headline-shaped line whose content
/// words (at least three) are nearly all in the slug is the title. The slug is the
/// path's wordiest segment, so a breadcrumb of section names does not match it.
fn find_title(lines: &[&str], kinds: &[Kind], url: Option<&str>) -> Option<usize> {
    const PARAGRAPHS_ABOVE: usize = 2;
    let mut fallback: Option<(usize, f32)> = None;
    let mut paragraphs = 0;
    let zone: Vec<usize> = (0..lines.len().min(TITLE_ZONE))
        .take_while(|&i| {
            if kinds[i] == Kind::Story && is_full_paragraph(lines[i]) {
                paragraphs += 1;
            }
            paragraphs <= PARAGRAPHS_ABOVE
        })
        .filter(|&i| kinds[i] == Kind::Story && headline_shaped(lines[i]))
        .collect();
    if let Some(path) = url.and_then(url_path) {
        // The slug is the path's wordiest segment (sections and ids are not).
        let slug: std::collections::HashSet<String> = path
            .split('/')
            .map(content_words)
            .max_by_key(Vec::len)
            .unwrap_or_default()
            .into_iter()
            .collect();
        let in_slug = |i: usize| {
            let words = content_words(lines[i]);
            let found = words.iter().filter(|w| slug.contains(*w)).count();
            words.len() >= 3 && found * 5 >= words.len() * 4
        };
        if let Some(&i) = zone.iter().find(|&&i| in_slug(i)) {
            return Some(i);
        }
    }
    for i in zone {
        let below: String = lines[i + 1..]
            .iter()
            .zip(&kinds[i + 1..])
            .filter(|(l, k)| **k == Kind::Story && !l.eq_ignore_ascii_case(lines[i]))
            .map(|(l, _)| *l)
            .take(12)
            .collect::<Vec<_>>()
            .join(" ");
        // Half its words echoed, and at least two: one echoed word of two is a
        // generic line (`Latest news`) as often as a headline.
        let (s, found) = support(lines[i], &below);
        if s >= 0.5 && found >= 2 {
            return Some(i);
        }
        if s >= 0.3 && fallback.is_none_or(|(_, b)| s > b) {
            fallback = Some((i, s));
        }
    }
    fallback
        .map(|(i, _)| i)
        .or_else(|| title_by_position(lines, kinds))
}

/// A URL's path: what follows its host, without the query.
fn url_path(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |x| x.1);
    let path = &rest[rest.find('/')?..];
    Some(path.split(['?', '#']).next().unwrap_or(path))
}

/// When no line is echoed by the text (blog titles often are not), the page's own
/// layout still says which line heads the story: the last headline-shaped line right
/// before the first full paragraph, with only metadata lines between them.
fn title_by_position(lines: &[&str], kinds: &[Kind]) -> Option<usize> {
    let first_para = (0..lines.len().min(TITLE_ZONE + 1))
        .find(|&i| kinds[i] == Kind::Story && is_full_paragraph(lines[i]))?;
    (0..first_para)
        .rev()
        .take_while(|&i| kinds[i] != Kind::Story || headline_shaped(lines[i]))
        .find(|&i| kinds[i] == Kind::Story && headline_shaped(lines[i]))
}

/// A paragraph of prose: more than 14 words, ending as a sentence ends.
fn is_full_paragraph(line: &str) -> bool {
    more_words_than(line, 14) && line.trim_end().ends_with(['.', '!', '?', '”', '"'])
}

/// A line cut short with an ellipsis whose full version follows.
fn is_truncated_teaser(line: &str, after: &[&str]) -> bool {
    let stem = line
        .trim_end_matches("...")
        .trim_end_matches('…')
        .trim_end();
    stem.len() < line.len()
        && more_words_than(stem, 3)
        && after
            .iter()
            .take(3)
            .any(|l| l.len() > stem.len() && l.starts_with(stem))
}

/// A standfirst that says what the next paragraph says, with the same opening words,
/// is a teaser of the lede: keep the longer of the two.
fn drop_teasers(body: &mut Vec<String>) {
    let mut i = 0;
    while i < body.len() {
        let mut removed = false;
        for j in i + 1..body.len().min(i + 3) {
            if same_opening(&body[i], &body[j]) && containment(&body[i], &body[j]) >= 0.6 {
                let drop = if body[i].len() < body[j].len() { i } else { j };
                body.remove(drop);
                removed = true;
                break;
            }
        }
        if !removed {
            i += 1;
        }
    }
}

fn same_opening(a: &str, b: &str) -> bool {
    let wa: Vec<String> = a
        .split_whitespace()
        .take(6)
        .map(str::to_lowercase)
        .collect();
    let wb: Vec<String> = b
        .split_whitespace()
        .take(6)
        .map(str::to_lowercase)
        .collect();
    wa.len() == 6 && wa == wb
}

/// The share of the shorter paragraph's words found in the longer one.
fn containment(a: &str, b: &str) -> f32 {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let long: std::collections::HashSet<String> =
        long.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<String> = short.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return 0.0;
    }
    words.iter().filter(|w| long.contains(*w)).count() as f32 / words.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines() {
        let d = dateline("Published: Sep. 4, 2023 at 7:59 PM CDT|Updated: 48 minutes ago").unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2023-09-04T19:59:00-05:00");
        assert_eq!(d.modified, None);
        assert_eq!(
            dateline("5 Sep, 2023 03:09")
                .unwrap()
                .published
                .unwrap()
                .to_iso(),
            "2023-09-05T03:09:00"
        );
        let d =
            dateline("Posted: Monday, March 4, 2024 | Updated: March 5, 2024 10:00 EST").unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2024-03-04");
        assert_eq!(d.modified.unwrap().to_iso(), "2024-03-05T10:00:00-05:00");
        assert_eq!(
            dateline("The 2019 summit took place on April 25, 2019 in Vladivostok."),
            None
        );
    }

    #[test]
    fn datelines_with_the_time_apart_or_first() {
        let iso = |l: &str| dateline(l).and_then(|d| d.published).map(|t| t.to_iso());
        // The time in a segment of its own.
        assert_eq!(
            iso("May 2, 2013 | 5:03pm").as_deref(),
            Some("2013-05-02T17:03:00")
        );
        // The time before the date, as USA Today prints it.
        assert_eq!(
            iso("12:52 p.m. EDT May 2, 2013").as_deref(),
            Some("2013-05-02T12:52:00-04:00")
        );
        // `ET` is daylight or standard time by the date.
        assert_eq!(
            iso("May 3, 2013 at 7:31 AM ET").as_deref(),
            Some("2013-05-03T07:31:00-04:00")
        );
        assert_eq!(
            iso("Dec. 3, 2013 at 7:31 AM ET").as_deref(),
            Some("2013-12-03T07:31:00-05:00")
        );
        // A US zone on the line: slashed dates are month first; "originally
        // published" is the publication, "updated" the modification.
        let d = dateline(
            "UPDATED 05/03/2013 at 11:00 AM EDT | Originally published 05/02/2013 at 10:20 AM EDT",
        )
        .unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2013-05-02T10:20:00-04:00");
        assert_eq!(d.modified.unwrap().to_iso(), "2013-05-03T11:00:00-04:00");
        // Without a zone, day first as most of the world writes it.
        assert_eq!(iso("05/02/2013").as_deref(), Some("2013-02-05"));
        // A number that is not a time does not join the date.
        assert_eq!(iso("May 2, 2013 | 500 comments"), None);
    }

    #[test]
    fn short_prompts_go_and_sentences_about_them_stay() {
        assert!(is_short_call_to_action(
            "Sign up to our morning briefing newsletter"
        ));
        assert!(is_short_call_to_action("Abonnez-vous à notre newsletter"));
        assert!(!is_short_call_to_action(
            "The council's newsletter went out on Monday."
        ));
        assert!(!is_short_call_to_action(
            "Readers who subscribe to the paper's print edition will get the report in full on Sunday, the editor said"
        ));
    }

    #[test]
    fn datelines_as_more_sites_print_them() {
        let iso = |l: &str| dateline(l).and_then(|d| d.published).map(|t| t.to_iso());
        // A label with its article, and a place before the date.
        assert_eq!(
            iso("Publié le 18/04/2019 à 14h05").as_deref(),
            Some("2019-04-18T14:05:00")
        );
        assert_eq!(
            iso("Publicado el 5 de marzo de 2020").as_deref(),
            Some("2020-03-05")
        );
        assert_eq!(
            iso("Madrid, 5 de marzo de 2020").as_deref(),
            Some("2020-03-05")
        );
        assert_eq!(
            iso("NEW YORK, Sept. 4, 2023").as_deref(),
            Some("2023-09-04")
        );
        // A sentence with a place and a date is not a dateline.
        assert_eq!(iso("Madrid was cold on 5 March 2020, officials said"), None);
        // The time first, with its zone and a comma (the Daily Mail).
        assert_eq!(
            iso("PUBLISHED: 22:07 GMT, 7 July 2012 | UPDATED: 22:07 GMT, 7 July 2012").as_deref(),
            Some("2012-07-07T22:07:00+00:00")
        );
        // An offset written out in full.
        assert_eq!(
            iso("26 September 2013, 10:00 (GMT+05:00)").as_deref(),
            Some("2013-09-26T10:00:00+05:00")
        );
        assert_eq!(
            iso("Friday August 2, 2013 @ 8:13am PDT").as_deref(),
            Some("2013-08-02T08:13:00-07:00")
        );
        assert_eq!(
            iso("Story Created: Aug 7, 2012 at 9:56 AM AKDT").as_deref(),
            Some("2012-08-07T09:56:00-08:00")
        );
        assert_eq!(
            iso("on Tuesday, 16 December 2008 13:45.").as_deref(),
            Some("2008-12-16T13:45:00")
        );
        // The time first, then the weekday.
        assert_eq!(
            iso("8:56am Monday 10th June 2013").as_deref(),
            Some("2013-06-10T08:56:00")
        );
        assert_eq!(
            iso("Published at 12:45, Wednesday, 12 June 2013").as_deref(),
            Some("2013-06-12T12:45:00")
        );
        assert_eq!(
            iso("FOR IMMEDIATE RELEASE July 13, 2009").as_deref(),
            Some("2009-07-13")
        );
        assert_eq!(
            iso("Published time: March 12, 2013 02:03 | Edited time: March 13, 2013 02:15")
                .as_deref(),
            Some("2013-03-12T02:03:00")
        );
        // An update inside the line is the modification (the BBC's dateline).
        let d = dateline("21 July 2013 Last updated at 11:11 GMT").unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2013-07-21");
        assert_eq!(d.modified.unwrap().to_iso(), "2013-07-21T11:11:00+00:00");
        let d =
            dateline("on April 30, 2008 at 4:31 AM, updated April 30, 2008 at 8:33 AM").unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2008-04-30T04:31:00");
        assert_eq!(d.modified.unwrap().to_iso(), "2008-04-30T08:33:00");
        // An update's time alone belongs to the day just given.
        let d = dateline("Monday, Sep 10, 2012 | Updated 9:01 AM EDT").unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2012-09-10");
        assert_eq!(d.modified.unwrap().to_iso(), "2012-09-10T09:01:00-04:00");
    }

    #[test]
    fn a_byline_runs_into_its_date() {
        let (b, d) = dated_byline(
            "By JANE DOE Associated Press September 5, 2023, 10:00 AM",
            Context::default(),
        )
        .unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2023-09-05T10:00:00");
        let b = b.unwrap();
        assert_eq!(b.names, vec!["Jane Doe".to_string()]);
        assert_eq!(b.agency, Some("AP"));
    }

    #[test]
    fn bylines_with_their_date() {
        let read = |l: &str| {
            let (b, d) = dated_byline(l, Context::default())?;
            Some((
                b.map(|b| b.names).unwrap_or_default(),
                d.published.map(|t| t.to_iso()),
            ))
        };
        let jane = || vec!["Jane Doe".to_string()];
        let day = || Some("2013-03-03".to_string());
        assert_eq!(read("By Jane Doe on March 3, 2013"), Some((jane(), day())));
        assert_eq!(read("By Jane Doe | March 3, 2013"), Some((jane(), day())));
        assert_eq!(read("Von Jane Doe | 3. März 2013"), Some((jane(), day())));
        assert_eq!(
            read("Written by Jane Doe on 3 March 2013"),
            Some((jane(), day()))
        );
        assert_eq!(read("March 3, 2013 by Jane Doe"), Some((jane(), day())));
        assert_eq!(
            read("By Jane Doe Published March 3, 2013"),
            Some((jane(), day()))
        );
        assert_eq!(
            read("Posted in News on March 3, 2013 by Jane Doe"),
            Some((jane(), day()))
        );
        assert_eq!(
            read("By Jane Doe on March 3, 2013 at 5:00 pm"),
            Some((jane(), Some("2013-03-03T17:00:00".to_string())))
        );
        // The separator is found by trying each: the first comma is not it.
        assert_eq!(
            read("By Jane Doe, Reuters | March 3, 2013").map(|x| x.1),
            Some(day())
        );
        // A name that is not a byline's still leaves the date.
        assert_eq!(
            read("Posted by admin on March 3, 2013"),
            Some((vec![], day()))
        );
        assert_eq!(
            read("On behalf of Newman, Anzalone & Newman, LLP. posted in Hit and Run Accidents on Friday, September 20, 2013."),
            Some((vec![], Some("2013-09-20".to_string())))
        );
        // Names in any script (byte slicing would have split `ÉÉ`).
        assert_eq!(
            read("March 3, 2013 by ÉÉmile Zola"),
            Some((vec!["ÉÉmile Zola".to_string()], day()))
        );
        // No date, or a sentence: not a dated byline.
        assert_eq!(read("By Jane Doe, John Roe and Ann Poe"), None);
        assert_eq!(
            read("By the time police arrived on Monday, the crowd had gone"),
            None
        );
    }

    #[test]
    fn slashed_dates_with_two_digit_years_when_certain() {
        let iso = |l: &str| dateline(l).and_then(|d| d.published).map(|t| t.to_iso());
        assert_eq!(
            iso("12/16/08 1:30 AM EST").as_deref(),
            Some("2008-12-16T01:30:00-05:00")
        );
        assert_eq!(iso("11/28/05").as_deref(), Some("2005-11-28"));
        assert_eq!(iso("28/11/05").as_deref(), Some("2005-11-28"));
        // A 12-hour clock writes month first; a 24-hour clock says nothing.
        assert_eq!(
            iso("8/2/13 at 1:30 PM").as_deref(),
            Some("2013-08-02T13:30:00")
        );
        assert_eq!(iso("8/2/13 at 13:30"), None);
    }

    #[test]
    fn datelines_parted_by_slashes_and_dashes_with_a_credit() {
        let iso = |l: &str| {
            dateline(&lines::untokenise(l))
                .and_then(|d| d.published)
                .map(|t| t.to_iso())
        };
        assert_eq!(
            iso("September 5, 2023 / 10:00 AM / CBS News").as_deref(),
            Some("2023-09-05T10:00:00")
        );
        assert_eq!(
            iso("Sep 5, 2023 — 10:00 AM EDT").as_deref(),
            Some("2023-09-05T10:00:00-04:00")
        );
        assert_eq!(
            iso("Washington D. C., Jul 13, 2009 / 02: 00 pm (CNA)").as_deref(),
            Some("2009-07-13T14:00:00")
        );
        assert_eq!(
            iso("2023年9月5日 10:00").as_deref(),
            Some("2023-09-05T10:00:00")
        );
        assert_eq!(
            iso("By JANE DOE Associated Press September 5, 2023, 10:00 AM"),
            None,
            "a byline with its date is read by dated_byline"
        );
        // A date in brackets (`(March 20, 2007) --`), a year after a dash.
        assert_eq!(iso("(March 20, 2007) - -").as_deref(), Some("2007-03-20"));
        assert_eq!(iso("[Dec 19, 2005]").as_deref(), Some("2005-12-19"));
        assert_eq!(
            iso("Sunday, November 27 - 2005 at 16: 12").as_deref(),
            Some("2005-11-27T16:12:00")
        );
        assert_eq!(
            iso("Mon Dec-19-05 03:49 PM").as_deref(),
            Some("2005-12-19T15:49:00")
        );
        let edited = dateline(&lines::untokenise("Edited on Mon Dec - 19 - 05 03: 49 PM"));
        assert_eq!(
            edited
                .and_then(|d| d.modified)
                .map(|t| t.to_iso())
                .as_deref(),
            Some("2005-12-19T15:49:00")
        );
        // Brackets do not make a dateline of a sentence, nor a dash a date of a range.
        assert_eq!(
            dateline("(March 20, 2007) -- LOS ANGELES police said"),
            None
        );
        assert_eq!(iso("Issue 12 - 2005"), None);
        assert_eq!(iso("March 3-14"), None);
        // CNN's four-digit update time, with the local time echoed in brackets.
        let cnn = dateline("Updated 1045 GMT (1845 HKT) September 5, 2023");
        assert_eq!(
            cnn.and_then(|d| d.modified).map(|t| t.to_iso()).as_deref(),
            Some("2023-09-05T10:45:00+00:00")
        );
        // Dutch and Russian labels, a US zone in words.
        assert_eq!(
            iso("Gepubliceerd op 5 september 2023 om 10:00").as_deref(),
            Some("2023-09-05T10:00:00")
        );
        assert_eq!(
            iso("Опубликовано 5 сентября 2023 г., 10:00").as_deref(),
            Some("2023-09-05T10:00:00")
        );
        assert_eq!(
            iso("September 5, 2023 10:00 AM Eastern").as_deref(),
            Some("2023-09-05T10:00:00-04:00")
        );
        assert_eq!(
            iso("Dateline: September 5, 2023").as_deref(),
            Some("2023-09-05")
        );
        assert_eq!(
            iso("This article was published on September 5, 2023").as_deref(),
            Some("2023-09-05")
        );
        assert_eq!(
            iso("This article was published on September 5, 2023 in the print edition"),
            None
        );
        // A credit alone, or a sentence after a date, is not a dateline.
        assert_eq!(dateline("CBS News / AP"), None);
        assert_eq!(
            dateline("September 5, 2023 / the day the summit was announced"),
            None
        );
    }

    #[test]
    fn a_weekday_settles_a_slashed_dates_order() {
        let iso = |l: &str| dateline(l).and_then(|d| d.published).map(|t| t.to_iso());
        // Drupal's default: month first, a 24-hour clock; 4 September 2023 was a Monday.
        assert_eq!(
            iso("Mon, 09/04/2023 - 19:59").as_deref(),
            Some("2023-09-04T19:59:00")
        );
        assert_eq!(
            iso("Monday 09/04/2023 at 19:59").as_deref(),
            Some("2023-09-04T19:59:00")
        );
        // 9 April 2023 was a Sunday: day first stands.
        assert_eq!(
            iso("Sun, 09/04/2023 - 19:59").as_deref(),
            Some("2023-04-09T19:59:00")
        );
        // A month in words is as written, even beside a wrong weekday (4 September
        // 2023 was a Monday; its swap, 9 April, a Sunday).
        assert_eq!(
            iso("Sunday, 4 September 2023").as_deref(),
            Some("2023-09-04")
        );
    }

    #[test]
    fn a_twelve_hour_clock_writes_slashed_dates_month_first() {
        let iso = |l: &str| {
            dateline(&lines::untokenise(l))
                .and_then(|d| d.published)
                .map(|t| t.to_iso())
        };
        assert_eq!(
            iso("2 / 3 / 2009 5: 59: 13 PM").as_deref(),
            Some("2009-02-03T17:59:13")
        );
        assert_eq!(
            iso("9 / 10 / 2010 @ 1: 19PM").as_deref(),
            Some("2010-09-10T13:19:00")
        );
        assert_eq!(
            iso("Posted 2/3/2009 11:11 p.m.").as_deref(),
            Some("2009-02-03T23:11:00")
        );
        // Day first without a 12-hour clock, or beside a zone of a day-first country.
        assert_eq!(
            iso("2/3/2009 17:59").as_deref(),
            Some("2009-03-02T17:59:00")
        );
        assert_eq!(
            iso("3/02/2009 5:59pm AEDT").as_deref(),
            Some("2009-02-03T17:59:00+11:00")
        );
        assert_eq!(line_order("Updated 10:32"), None);
    }

    #[test]
    fn a_dateline_without_a_year_is_dated_by_the_fetch_day() {
        let text = "Klitschko retains world heavyweight belts\nJul. 7 5: 59 PM EDT\nWladimir Klitschko stopped Tony Thompson in the sixth round to retain his belts.";
        // Without a fetch day the line is a dateline with no date.
        let f = extract(text, None, None, None);
        assert_eq!(f.published, None);
        assert!(!f.paragraphs.iter().any(|p| p.contains("5:59")));
        let fetched = chrono::NaiveDate::from_ymd_opt(2012, 7, 9);
        let p = extract(text, None, None, fetched).published.unwrap();
        assert_eq!(p.at.to_iso(), "2012-07-07T17:59:00-04:00");
        assert!(p.confidence < 0.8, "{}", p.confidence);
        // A crawl header gives the day too.
        let p = extract(&format!("date 2012-07-09 {text}"), None, None, None)
            .published
            .unwrap();
        assert_eq!(
            p.at.date(),
            chrono::NaiveDate::from_ymd_opt(2012, 7, 7).unwrap()
        );
    }

    #[test]
    fn an_update_without_a_year_takes_it_from_the_date_before_it() {
        let d = dateline("September 5, 2023 at 10:00 AM CDT - Updated September 5 at 11:00 AM")
            .unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2023-09-05T10:00:00-05:00");
        assert_eq!(d.modified.unwrap().to_iso(), "2023-09-05T11:00:00");
        // Into the next year.
        let d = dateline("Dec. 30, 2023 | Updated Jan. 2").unwrap();
        assert_eq!(d.modified.unwrap().to_iso(), "2024-01-02");
        // A time in a segment of its own, after a date without a year.
        let cx = Context {
            month_first: None,
            fetched: chrono::NaiveDate::from_ymd_opt(2012, 7, 9),
        };
        let d = dateline_in("Jul. 7 | 5:59 PM EDT", cx).unwrap();
        assert_eq!(d.published.unwrap().to_iso(), "2012-07-07T17:59:00-04:00");
    }

    #[test]
    fn a_relative_date_is_counted_back_from_the_fetch_day() {
        let text = |line: &str| {
            format!("Navy foils pirate attack\n{line}\nThe navy foiled a pirate attack on Thursday in the Gulf of Aden, officials said.")
        };
        let fetched = chrono::NaiveDate::from_ymd_opt(2023, 9, 5);
        // The seed's line: the publication date as written, the update from the fetch day.
        let f = extract(
            &text("Published: Sep. 4, 2023 at 7:59 PM CDT|Updated: 48 minutes ago"),
            None,
            None,
            fetched,
        );
        let p = f.published.unwrap();
        assert_eq!(p.at.to_iso(), "2023-09-04T19:59:00-05:00");
        assert_eq!(p.confidence, 0.8);
        let m = f.modified.unwrap();
        assert_eq!(m.at.to_iso(), "2023-09-05");
        assert!(m.confidence < 0.7);
        let day = |line: &str| {
            extract(&text(line), None, None, fetched)
                .published
                .map(|d| (d.at.to_iso(), d.confidence))
        };
        assert_eq!(day("Posted 3 days ago"), Some(("2023-09-02".into(), 0.6)));
        assert_eq!(day("yesterday"), Some(("2023-09-04".into(), 0.6)));
        assert_eq!(day("30 hours ago"), Some(("2023-09-04".into(), 0.6)));
        assert_eq!(day("2 weeks ago"), Some(("2023-08-22".into(), 0.6)));
        // Without a fetch day: a dateline, out of the body, with no date.
        let f = extract(&text("Posted 3 days ago"), None, None, None);
        assert_eq!(f.published, None);
        assert!(!f.paragraphs.iter().any(|p| p.contains("ago")));
    }

    #[test]
    fn a_slashed_date_alone_is_read_in_the_order_its_text_writes_dates() {
        let date = |text: &str| {
            extract(text, None, None, None)
                .published
                .map(|d| d.at.to_iso())
        };
        // `a May 10 deadline`: month first.
        assert_eq!(
            date("Lohan checks into rehab\n05 / 02 / 2013\nLindsay Lohan has checked into a rehab facility, her lawyer said.\nThe judge has given him a May 10 deadline, the news wire said.").as_deref(),
            Some("2013-05-02")
        );
        // `a semifinal at 1:35 pm`: month first.
        assert_eq!(
            date("McDermott sets scoring record\nRelease: 03 / 08 / 2013\nCreighton advances to play Saturday in a 1: 35 pm semifinal against Indiana State.").as_deref(),
            Some("2013-03-08")
        );
        // `on 10 May`: day first.
        assert_eq!(
            date("Lohan checks into rehab\n05 / 02 / 2013\nLindsay Lohan has checked into a rehab facility, her lawyer said.\nThe judge has given him until 10 May, the news wire said.").as_deref(),
            Some("2013-02-05")
        );
        // Nothing to go by: day first, as most of the world writes.
        assert_eq!(
            date("Lohan checks into rehab\n05 / 02 / 2013\nLindsay Lohan has checked into a rehab facility, her lawyer said.").as_deref(),
            Some("2013-02-05")
        );
        // The line's own zone outweighs the text.
        assert_eq!(
            date("Lohan checks into rehab\n05/02/2013 10:00 BST\nThe judge has given him a May 10 deadline, at 5 pm.").as_deref(),
            Some("2013-02-05T10:00:00+01:00")
        );
    }

    #[test]
    fn a_line_opening_with_last_updated_is_an_update() {
        let d = dateline("Last Updated: Monday, 28 November 2005, 02:24 GMT").unwrap();
        assert_eq!(d.published, None);
        assert_eq!(d.modified.unwrap().to_iso(), "2005-11-28T02:24:00+00:00");
        let d = dateline("Last updated at 11:24, Tuesday, 18 June 2013").unwrap();
        assert_eq!(d.modified.unwrap().to_iso(), "2013-06-18T11:24:00");
        let d = dateline("Last updated 13:26 14/09/2013").unwrap();
        assert_eq!(d.modified.unwrap().to_iso(), "2013-09-14T13:26:00");
    }

    #[test]
    fn datelines_of_tokenised_corpora() {
        let iso = |l: &str| {
            dateline(&lines::untokenise(l))
                .and_then(|d| d.published)
                .map(|t| t.to_iso())
        };
        assert_eq!(
            iso("MAY 3, 2013 AT 1: 10PM").as_deref(),
            Some("2013-05-03T13:10:00")
        );
        assert_eq!(
            iso("Published: 09 Sep 2013 11: 25 GMT+02: 00").as_deref(),
            Some("2013-09-09T11:25:00+02:00")
        );
        assert_eq!(
            iso("published: 2012 - 04 - 04 11:47: 35").as_deref(),
            Some("2012-04-04T11:47:35")
        );
        assert_eq!(
            iso("8:13 AM PDT 8 / 2 / 2013").as_deref(),
            Some("2013-08-02T08:13:00-07:00")
        );
        assert_eq!(
            iso("7: 15 a. m. Dec. 7, 2009").as_deref(),
            Some("2009-12-07T07:15:00")
        );
        assert_eq!(
            iso("Thursday 29 July 2004 08. 23 BST").as_deref(),
            Some("2004-07-29T08:23:00+01:00")
        );
        assert_eq!(
            iso("on Jul 7 2012, 5: 55p").as_deref(),
            Some("2012-07-07T17:55:00")
        );
        assert_eq!(
            iso("Article posted on 08. 07. 2012").as_deref(),
            Some("2012-07-08")
        );
    }

    #[test]
    fn a_bare_url_opening_the_text_is_its_address() {
        let f = extract(
            "http: / / www. example. com / 2011 / 11 / 12 / navy - foils - attack\nNavy foils pirate attack\nNovember 12, 2011\nThe navy foiled a pirate attack on Thursday, the navy said.",
            None,
            None,
            None,
        );
        assert_eq!(
            f.url.as_deref(),
            Some("http://www.example.com/2011/11/12/navy-foils-attack")
        );
        assert_eq!(f.title.as_deref(), Some("Navy foils pirate attack"));
        assert_eq!(f.published.unwrap().at.to_iso(), "2011-11-12");
        // A URL further down is a link in the text, not the page's address.
        let f = extract(
            "Navy foils pirate attack\nThe navy foiled a pirate attack on Thursday.\nhttp://example.com/more",
            None,
            None,
            None,
        );
        assert_eq!(f.url, None);
    }

    #[test]
    fn title_needs_support_from_the_text() {
        let text = "Sign up for alerts today\n\nThis post may refer to COVID-19\n\nQuake shakes northern Japan coast\n\nA strong earthquake shook the northern coast of Japan on Friday, officials said.\n\nThe quake caused no tsunami.";
        let f = extract(text, None, None, None);
        assert_eq!(
            f.title.as_deref(),
            Some("Quake shakes northern Japan coast")
        );
        assert_eq!(f.paragraphs.len(), 2);
        // A generic line with one of its two content words echoed (`news`) does not
        // outrank the headline below it, whose words the story echoes.
        let text = "The news of the day\nKraft shooting suspect charged with murder\nProsecutors charged the suspect in the Kraft plant shooting with murder on Friday, according to local news reports.\nThe shooting left two workers dead.";
        let f = extract(text, None, None, None);
        assert_eq!(
            f.title.as_deref(),
            Some("Kraft shooting suspect charged with murder")
        );
    }

    #[test]
    fn title_by_position_when_the_text_does_not_echo_it() {
        let text = "Menu\nWhy our library stopped charging late fees\nBy Ann Poe\nWhen we dropped fines two years ago, we expected to lose books, but more of them came back.\nBorrowers returned.";
        let f = extract(text, None, None, None);
        assert_eq!(
            f.title.as_deref(),
            Some("Why our library stopped charging late fees")
        );
        assert_eq!(f.authors, vec!["Ann Poe"]);
    }

    #[test]
    fn untitled_text_keeps_every_sentence() {
        let text = "Perennial party girl Tara Reid checked herself into rehab, her rep said.\nA friend said her family supported her.";
        let f = extract(text, None, None, None);
        assert_eq!(f.title, None);
        assert_eq!(f.paragraphs.len(), 2);
    }

    #[test]
    fn the_line_the_url_slug_spells_is_the_title() {
        // The text barely echoes the headline, and a short line below it is echoed
        // more; the URL's slug says which is the title. A breadcrumb of the path's
        // sections is not it.
        let text = "http://riveraveblues.com/2008/12/teixeira-not-headed-to-boston-6361/\nBaseball Yankees News\nTeixeira not headed to Boston\nCan you believe it?\nI can't.\nYet it's coming from up top: the Red Sox owner has said his team will not sign Mark Teixeira, and the team is out of the race.";
        let f = extract(text, None, None, None);
        assert_eq!(f.title.as_deref(), Some("Teixeira not headed to Boston"));
        let text = "http://example.com/sports/baseball/yankees/news/teixeira-not-headed-to-boston\nSports Baseball Yankees News\nTeixeira not headed to Boston\nCan you believe it?\nI can't.\nThe Red Sox owner has said his team will not sign Mark Teixeira, and the team is out of the race.";
        let f = extract(text, None, None, None);
        assert_eq!(f.title.as_deref(), Some("Teixeira not headed to Boston"));
        assert_eq!(url_path("https://x.com/a/b-c?d=1"), Some("/a/b-c"));
        assert_eq!(url_path("https://x.com"), None);
    }

    #[test]
    fn a_quote_line_below_the_lede_is_not_the_title() {
        // An untitled text (as research corpora give it): the short quote line further
        // down is supported by the text around it, but the story started above it.
        let lede = [
            "Bettie Page, the raven-haired pin-up whose photographs titillated a generation of young men in the post-war years, has died at the age of 85.",
            "Her career, which some claim laid the foundations for the sexual revolution of the 1960s, started almost by accident in New York.",
            "Her fame was set after she was adopted by Irving Klaw and his sister, who ran a Manhattan mail order business selling her pictures.",
            "Later she was featured by Playboy as a centrefold, including a 1955 image of her winking under a Santa hat, the magazine recalled.",
        ];
        let text = format!(
            "{}\n`` She is the embodiment of beauty. ''\nHer agent said the beauty of her pictures will outlive her, and that she is the embodiment of an era.",
            lede.join("\n")
        );
        let f = extract(&text, None, None, None);
        assert_eq!(f.title, None);
        assert_eq!(f.paragraphs.len(), 6, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("Bettie Page"));
        assert!(!headline_shaped("“She is the embodiment of beauty.”"));
        assert!(headline_shaped(
            "‘Very Spiritual’ Muslim Woman Shoots Co-workers"
        ));
    }

    #[test]
    fn teaser_of_the_lede_is_dropped() {
        let text = "Storm hits coast towns overnight\n\nA powerful storm hit coastal towns overnight, cutting power to thousands amid warnings.\n\nA powerful storm hit coastal towns overnight, cutting power to thousands of homes and prompting warnings from officials.\n\nCrews worked through the night.";
        let f = extract(text, None, None, None);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].contains("prompting warnings"));
    }
}
