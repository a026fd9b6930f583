//! Finding and parsing dates as news pages write them.
//!
//! Handles ISO 8601 (`2023-09-05T03:09:00+03:00`), month-name dates in either order
//! (`Sep. 4, 2023`, `5 Sep, 2023`, `April 18, 2019`, `Monday, 4 September 2023`),
//! numeric European dates (`05.09.2023`), an optional time after the date
//! (`at 7:59 PM`, `03:09`, `19:59:12`, `à 14h05`, `a las 9:30`) and a timezone
//! abbreviation after it (`CDT`),
//! which gives the UTC offset. A date that is not a real calendar day is not a date.
//!
//! Word boundaries are ASCII (`(?-u:\b)`): the tokens matched are digits and month
//! names, and a Unicode boundary would force the regex engine onto its slow path for
//! any non-ASCII text.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, NaiveTime};
use regex::Regex;
use storyline_model::{Precision, Timestamp};

/// Month names and their common abbreviations in English, German, French, Spanish,
/// Italian, Dutch and Portuguese (the languages of the news we test on).
const MONTHS: &str = r"(?:jan(?:uary|uar|vier|eiro|uari)?|janv|feb(?:ruary|ruar|rero|braio|ruari)?|fév(?:rier)?|févr|fev(?:ereiro)?|mar(?:ch|s|zo|ço)?|märz|maart|apr(?:il|ile)?|avr(?:il)?|abr(?:il)?|may(?:o)?|mai(?:o)?|mei|mag(?:gio)?|june?|juni|juin|junio|jun(?:ho)?|giu(?:gno)?|july?|juli|juil(?:let)?|julio|jul(?:ho)?|lug(?:lio)?|aug(?:ust|ustus)?|août|aout|ago(?:sto)?|sept?(?:ember|embre|iembre)?|set(?:tembre|embro)?|oct(?:ober|obre|ubre)?|okt(?:ober)?|ott(?:obre)?|out(?:ubro)?|nov(?:ember|embre|iembre|embro)?|dec(?:ember)?|dez(?:ember|embro)?|déc(?:embre)?|dic(?:iembre|embre)?|ene(?:ro)?|gen(?:naio)?)";

/// Russian and Ukrainian month names, which their dates put in the genitive (`15
/// августа 2016`, `3 березня 2022`). A regex of their own, tried only on text with
/// Cyrillic letters: folded into the one above, they slowed every date search.
const CYRILLIC_MONTHS: &str = r"(?:январ[ья]|янв|феврал[ья]|фев|марта?|апрел[ья]|апр|ма[йя]|июн[ья]?|июл[ья]?|августа?|авг|сентябр[ья]|сент?|октябр[ья]|окт|ноябр[ья]|нояб?|декабр[ья]|дек|січ(?:ня|ень)|лют(?:ого|ий)|берез(?:ня|ень)|квіт(?:ня|ень)|трав(?:ня|ень)|черв(?:ня|ень)|лип(?:ня|ень)|серп(?:ня|ень)|верес(?:ня|ень)|жовт(?:ня|ень)|листопада?|груд(?:ня|ень))";

static DMY_CYRILLIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<d>\d{{1,2}})\.?\s+(?P<m>{CYRILLIC_MONTHS})\.?,?\s+(?P<y>(?:19|20)\d\d)(?-u:\b)(?:\s*(?:г\.|года|року|р\.))?"
    ))
    .unwrap()
});

static MDY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<m>{MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)(?-u:\b)"
    ))
    .unwrap()
});
static DMY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<m>{MONTHS})\.?,?\s+(?:de\s+|del\s+)?(?P<y>(?:19|20)\d\d)(?-u:\b)"
    ))
    .unwrap()
});
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<y>(?:19|20)\d\d)-(?P<mo>\d\d)-(?P<d>\d\d)(?:[T ](?P<h>\d\d):(?P<mi>\d\d)(?::(?P<s>\d\d))?(?:\.\d+)?\s*(?P<z>Z|[+-]\d\d:?\d\d)?)?").unwrap()
});
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<d>\d{1,2})\. ?(?P<mo>\d{1,2})\. ?(?P<y>(?:19|20)\d\d)(?-u:\b)")
        .unwrap()
});
/// Year first with dots, as East Asian sites write it: `2023.11.02`.
static YMD_DOTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<y>(?:19|20)\d\d)\.(?P<mo>\d{1,2})\.(?P<d>\d{1,2})(?-u:\b)").unwrap()
});
/// Year first with slashes, as Japanese and Chinese sites write it: `2023/11/02`.
static YMD_SLASHES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<y>(?:19|20)\d\d)/(?P<mo>\d{1,2})/(?P<d>\d{1,2})(?-u:\b)").unwrap()
});
/// Chinese and Japanese `2023年9月5日`, Korean `2023년 9월 5일`: see [`find_cjk_date`].
static YMD_CJK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<y>(?:19|20)\d\d)\s*[年년]\s*(?P<mo>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]",
    )
    .unwrap()
});
/// Slashed dates, `26/10/2018`: day first unless only month first makes a calendar
/// day (`10/26/2018`), or the caller says the page is American English.
static SLASHED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d)(?-u:\b)").unwrap()
});
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:at\s+|à\s+|a\s+las\s+|a\s+la\s+|um\s+|alle\s+|às\s+|om\s+|,\s*|-\s*|–\s*|\|\s*|@\s*)?(?P<h>\d{1,2})[:.h](?P<mi>\d\d)(?::(?P<s>\d\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?|[ap](?-u:\b))?(?:\s*\(?(?P<tz>(?:GMT|UTC)[+-]\d{1,2}(?::\d\d?|\d\d)?|eastern|central|mountain|pacific|[A-Z]{2,5}(?-u:\b))\)?)?").unwrap()
});

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    let table = [
        ("jan", 1),
        ("ene", 1),
        ("gen", 1),
        ("feb", 2),
        ("fév", 2),
        ("fev", 2),
        ("mar", 3),
        ("mär", 3),
        ("maa", 3),
        ("apr", 4),
        ("avr", 4),
        ("abr", 4),
        ("may", 5),
        ("mai", 5),
        ("mei", 5),
        ("mag", 5),
        ("juin", 6),
        ("jun", 6),
        ("giu", 6),
        ("juil", 7),
        ("jul", 7),
        ("lug", 7),
        ("aug", 8),
        ("aoû", 8),
        ("aou", 8),
        ("ago", 8),
        ("sep", 9),
        ("set", 9),
        ("oct", 10),
        ("okt", 10),
        ("ott", 10),
        ("out", 10),
        ("nov", 11),
        ("dec", 12),
        ("dez", 12),
        ("déc", 12),
        ("dic", 12),
        ("янв", 1),
        ("фев", 2),
        ("мар", 3),
        ("апр", 4),
        ("ма", 5),
        ("июн", 6),
        ("июл", 7),
        ("авг", 8),
        ("сен", 9),
        ("окт", 10),
        ("ноя", 11),
        ("дек", 12),
        ("січ", 1),
        ("лют", 2),
        ("бер", 3),
        ("кві", 4),
        ("тра", 5),
        ("чер", 6),
        ("лип", 7),
        ("сер", 8),
        ("вер", 9),
        ("жов", 10),
        ("лис", 11),
        ("гру", 12),
    ];
    table
        .iter()
        .find(|(p, _)| n.starts_with(p))
        .map(|&(_, m)| m)
}

/// UTC offset in minutes for the timezone abbreviations news sites print.
/// Ambiguous ones (IST, CST as China time) take the reading most common in English news.
pub fn tz_offset(abbr: &str) -> Option<i32> {
    let a = abbr.to_ascii_uppercase();
    if let Some(rest) = a.strip_prefix("GMT").or_else(|| a.strip_prefix("UTC")) {
        if rest.is_empty() {
            return Some(0);
        }
        // `GMT+5`, `GMT+05:00`, `UTC+0530`.
        return parse_offset(rest);
    }
    Some(match a.as_str() {
        "Z" | "WET" => 0,
        "BST" | "CET" | "WAT" | "WEST" => 60,
        "CEST" | "EET" | "SAST" | "CAT" => 120,
        "EEST" | "MSK" | "EAT" | "AST3" => 180,
        "IST" => 330,
        "PKT" => 300,
        "ICT" | "WIB" => 420,
        "HKT" | "SGT" | "AWST" | "PHT" => 480,
        "JST" | "KST" => 540,
        "AEST" => 600,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        "EDT" => -240,
        "EST" | "CDT" => -300,
        "CST" | "MDT" => -360,
        "MST" | "PDT" => -420,
        "PST" | "AKDT" => -480,
        "AKST" => -540,
        "HST" => -600,
        "ADT" => -180,
        _ => return None,
    })
}

/// The UTC offset of a US zone written without saying summer or winter time (`ET`,
/// `PT`: what NBC, USA Today and others print; `Eastern`), on a given day: daylight time from the
/// second Sunday of March to the first Sunday of November, as US law has it since 2007.
pub fn us_zone_offset(abbr: &str, date: NaiveDate) -> Option<i32> {
    let standard = match abbr.to_ascii_uppercase().as_str() {
        "ET" | "EASTERN" => -300,
        "CT" | "CENTRAL" => -360,
        "MT" | "MOUNTAIN" => -420,
        "PT" | "PACIFIC" => -480,
        _ => return None,
    };
    let sunday = |month: u32, nth: u8| {
        NaiveDate::from_weekday_of_month_opt(date.year(), month, chrono::Weekday::Sun, nth)
    };
    let summer = match (sunday(3, 2), sunday(11, 1)) {
        (Some(start), Some(end)) => date >= start && date < end,
        _ => false,
    };
    Some(standard + if summer { 60 } else { 0 })
}

/// Whether a string names a US time zone: slashed dates beside it are month first.
pub fn names_us_zone(s: &str) -> bool {
    static US_ZONE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?-u:\b)(?:[ECMP][SD]T|[ECMP]T|AKST|AKDT|HST)(?-u:\b)").unwrap()
    });
    US_ZONE.is_match(s)
}

/// A date found in a string, with where it ended (so callers can look past it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    pub at: Timestamp,
    pub start: usize,
    pub end: usize,
}

/// Finds the first date in `s`. Ambiguous slashed dates (`05/09/2023`) are read day
/// first, as most of the world writes them.
pub fn find_date(s: &str) -> Option<Found> {
    find_date_in(s, false)
}

/// Finds the first date in `s`, reading ambiguous slashed dates month first when
/// `month_first` (a page in American English).
pub fn find_date_in(s: &str, month_first: bool) -> Option<Found> {
    let mut best: Option<Found> = None;
    let mut consider = |f: Option<Found>| {
        if let Some(f) = f {
            if best.is_none_or(|b| f.start < b.start) {
                best = Some(f);
            }
        }
    };
    consider(ISO.captures(s).and_then(|c| {
        let m = c.get(0)?;
        let date = ymd(&c["y"], &c["mo"], &c["d"])?;
        let mut at = Timestamp::day(date);
        if let (Some(h), Some(mi)) = (c.name("h"), c.name("mi")) {
            let sec = c.name("s").map_or("0", |s| s.as_str());
            let t = NaiveTime::from_hms_opt(
                h.as_str().parse().ok()?,
                mi.as_str().parse().ok()?,
                sec.parse().ok()?,
            )?;
            at.local = date.and_time(t);
            at.precision = if c.name("s").is_some() {
                Precision::Second
            } else {
                Precision::Minute
            };
            at.offset_minutes = c.name("z").and_then(|z| parse_offset(z.as_str()));
        }
        Some(Found {
            at,
            start: m.start(),
            end: m.end(),
        })
    }));
    // Cyrillic letters are two bytes that start with 0xD0 or 0xD1.
    let cyrillic = s.as_bytes().iter().any(|&b| b == 0xD0 || b == 0xD1);
    let named: &[&Regex] = if cyrillic {
        &[&MDY, &DMY, &DMY_CYRILLIC]
    } else {
        &[&MDY, &DMY]
    };
    for re in named {
        consider(re.captures_iter(s).find_map(|c| {
            let m = c.get(0)?;
            let month = month_number(&c["m"])?;
            let date = NaiveDate::from_ymd_opt(c["y"].parse().ok()?, month, c["d"].parse().ok()?)?;
            Some(with_time(s, date, m.start(), m.end()))
        }));
    }
    for re in [&*NUMERIC, &*YMD_DOTS, &*YMD_SLASHES] {
        consider(re.captures_iter(s).find_map(|c| {
            let m = c.get(0)?;
            let date = ymd(&c["y"], &c["mo"], &c["d"])?;
            Some(with_time(s, date, m.start(), m.end()))
        }));
    }
    consider(SLASHED.captures_iter(s).find_map(|c| {
        let m = c.get(0)?;
        let (a, b) = (&c["a"], &c["b"]);
        let date = if month_first {
            ymd(&c["y"], a, b).or_else(|| ymd(&c["y"], b, a))
        } else {
            ymd(&c["y"], b, a).or_else(|| ymd(&c["y"], a, b))
        }?;
        Some(with_time(s, date, m.start(), m.end()))
    }));
    best
}

/// Finds a date written the Chinese, Japanese or Korean way (`2023年9月5日 10:00`,
/// `2023년 9월 5일`). Not part of [`find_date_in`], which also reads the visible text of
/// HTML pages: there, such a date is as often a birthday in an encyclopedia's infobox
/// as the page's date. A crawler text's line that is only a date is the safe place.
pub fn find_cjk_date(s: &str) -> Option<Found> {
    // Han and Hangul letters are three bytes that start with 0xE4-0xE9 or 0xEA-0xED.
    if !s.bytes().any(|b| (0xE4..=0xED).contains(&b)) {
        return None;
    }
    YMD_CJK.captures_iter(s).find_map(|c| {
        let m = c.get(0)?;
        let date = ymd(&c["y"], &c["mo"], &c["d"])?;
        Some(with_time(s, date, m.start(), m.end()))
    })
}

/// Finds the first month and day written without a year (`Jul. 7 5:59 PM EDT`, `APR
/// 28`, `Nov 11`, `7 July`), as wire sites and forums print the day's stories, and
/// dates it by the day the page was fetched: the year that puts it on or before that
/// day (a page is not published after it was fetched; one day of grace for time
/// zones). Only for a string that [`find_date_in`] finds no date in.
pub fn find_yearless_in(s: &str, fetched: NaiveDate) -> Option<Found> {
    static MD: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)(?-u:\b)(?P<m>{MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?-u:\b)"
        ))
        .unwrap()
    });
    static DM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)(?-u:\b)(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<m>{MONTHS})(?-u:\b)\.?"
        ))
        .unwrap()
    });
    let latest = fetched.succ_opt()?;
    [&*MD, &*DM]
        .into_iter()
        .filter_map(|re| {
            re.captures_iter(s).find_map(|c| {
                let m = c.get(0)?;
                let (month, day) = (month_number(&c["m"])?, c["d"].parse().ok()?);
                let date = [fetched.year(), fetched.year() - 1]
                    .into_iter()
                    .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
                    .find(|d| *d <= latest)?;
                Some(with_time(s, date, m.start(), m.end()))
            })
        })
        .min_by_key(|f| f.start)
}

/// The same date with its day and month exchanged, when both readings are dates and
/// differ: the other reading of an ambiguous slashed date.
pub fn swapped_day_month(d: NaiveDate) -> Option<NaiveDate> {
    if d.day() > 12 || d.day() == d.month() {
        return None;
    }
    NaiveDate::from_ymd_opt(d.year(), d.day(), d.month())
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// A UTC offset in minutes: `Z`, or a sign and hours with optional minutes (`+05:30`,
/// `-0400`, `+5`).
fn parse_offset(z: &str) -> Option<i32> {
    if z == "Z" {
        return Some(0);
    }
    let sign = if z.starts_with('-') { -1 } else { 1 };
    // Minutes cut to one digit after a colon (`GMT+01:0`, a page truncated there) are
    // the tens: `+05:3` is +05:30.
    if let Some((h, m)) = z.get(1..)?.split_once(':') {
        if m.len() == 1 {
            let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
            return (h <= 14 && m < 6).then_some(sign * (h * 60 + m * 10));
        }
    }
    let digits: String = z.get(1..)?.chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.as_str(), "0"),
        3 | 4 => digits.split_at(digits.len() - 2),
        _ => return None,
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 60 + m))
}

fn with_time(s: &str, date: NaiveDate, start: usize, end: usize) -> Found {
    let mut at = Timestamp::day(date);
    let mut end = end;
    if let Some(c) = TIME.captures(&s[end..]) {
        let parsed = (|| {
            let mut h: u32 = c["h"].parse().ok()?;
            let mi: u32 = c["mi"].parse().ok()?;
            let sec: u32 = c.name("s").map_or(Some(0), |x| x.as_str().parse().ok())?;
            if let Some(ap) = c.name("ap") {
                let pm = ap.as_str().to_ascii_lowercase().starts_with('p');
                if h == 0 || h > 12 {
                    return None;
                }
                h = match (pm, h) {
                    (true, 12) => 12,
                    (true, h) => h + 12,
                    (false, 12) => 0,
                    (false, h) => h,
                };
            }
            NaiveTime::from_hms_opt(h, mi, sec)
        })();
        if let Some(t) = parsed {
            at.local = date.and_time(t);
            at.precision = if c.name("s").is_some() {
                Precision::Second
            } else {
                Precision::Minute
            };
            at.offset_minutes = c
                .name("tz")
                .and_then(|z| tz_offset(z.as_str()).or_else(|| us_zone_offset(z.as_str(), date)));
            end += c.get(0).map_or(0, |m| m.end());
        }
    }
    Found { at, start, end }
}

/// Parses a whole string as a date (metadata values, JSONL `date` fields).
pub fn parse_date(s: &str) -> Option<Timestamp> {
    find_date(s.trim()).map(|f| f.at)
}

/// The date in a URL path: `/2019/04/18/`, `/2019-04-18/`, `/20190418/`.
pub fn date_from_url(url: &str) -> Option<NaiveDate> {
    // `/2019/04/18/`, `/20190418-`, `_2013_09_14_`, and a section between the year and
    // the month (`/2009/POLITICS/03/03/`).
    static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[/_]((?:19|20)\d\d)(?:[/_-]?|/[A-Za-z]+/)(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|-|_|\.|$)")
            .unwrap()
    });
    // Month and day without their zeros, between slashes: `/2013/3/8/`.
    static URL_SHORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d\d)/([1-9]|1[0-2])/([1-9]|[12]\d|3[01])/").unwrap()
    });
    // The month by name: `/2004/jul/29/`.
    static URL_MONTH_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)/((?:19|20)\d\d)/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}/(0?[1-9]|[12]\d|3[01])(?:/|$)")
            .unwrap()
    });
    // Eight digits after a dash in the slug, as many CMSs end or lead it
    // (`/mocean-energy-blue-x-arrives-in-orkney-20210518`, `/4060503-20231102-tempete`).
    static URL_SLUG_DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"-((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/_.?#-]|$)").unwrap()
    });
    // Day first with dashes, as some CMSs name a news item (`/meldungen/29-10-2021`):
    // read only when one reading alone is a calendar day.
    static URL_DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)(?:/|\.|\?|#|$)").unwrap()
    });
    if let Some(c) = URL_DATE.captures(url) {
        return ymd(&c[1], &c[2], &c[3]);
    }
    if let Some(c) = URL_SHORT.captures(url) {
        return ymd(&c[1], &c[2], &c[3]);
    }
    if let Some(c) = URL_MONTH_NAME.captures(url) {
        let m = month_number(&c[2].to_lowercase())?;
        return ymd(&c[1], &m.to_string(), &c[3]);
    }
    if let Some(c) = URL_SLUG_DATE.captures(url) {
        return ymd(&c[1], &c[2], &c[3]);
    }
    let c = URL_DAY_FIRST.captures(url)?;
    match (ymd(&c[3], &c[2], &c[1]), ymd(&c[3], &c[1], &c[2])) {
        (Some(d), None) | (None, Some(d)) => Some(d),
        (Some(a), Some(b)) if a == b => Some(a),
        _ => None,
    }
}

/// The year and month a URL path names when it names no day (`/2009/02/slug.html`,
/// as WordPress and many blogs file posts): when the article came out, to within a
/// month. None when the path names a day (see [`date_from_url`]).
pub fn month_from_url(url: &str) -> Option<NaiveDate> {
    static URL_MONTH: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(?:[A-Za-z][^/]*/?)?(?:$|[?#])").unwrap()
    });
    if date_from_url(url).is_some() {
        return None;
    }
    let c = URL_MONTH.captures(url)?;
    ymd(&c[1], &c[2], "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_months() {
        let first = |y, m| NaiveDate::from_ymd_opt(y, m, 1);
        for (url, month) in [
            (
                "http://eatdrinkandsleepfootball.com/blog/2009/02/chargers_jamal_williams_arrested_for_dui.html",
                first(2009, 2),
            ),
            (
                "http://krebsonsecurity.com/2013/09/microsoft-ie-zero-day-flaw-affects-all-versions/",
                first(2013, 9),
            ),
            ("http://www.mlbtraderumors.com/2008/12/red-sox-make--1.html", first(2008, 12)),
            ("https://x.com/archive/2013/09/", first(2013, 9)),
            // A day, a week number, a year alone, an id: no month.
            ("https://x.com/2013/09/14/story.html", None),
            ("http://x.com/stories/2013/38/story.html", None),
            ("https://x.com/2013/story.html", None),
            ("https://x.com/2013/09/123456/story.html", None),
        ] {
            assert_eq!(month_from_url(url), month, "{url}");
        }
    }

    fn iso(s: &str) -> String {
        parse_date(s).map(|t| t.to_iso()).unwrap_or_default()
    }

    #[test]
    fn news_date_formats() {
        assert_eq!(
            iso("Published: Sep. 4, 2023 at 7:59 PM CDT|Updated: 48 minutes ago"),
            "2023-09-04T19:59:00-05:00"
        );
        assert_eq!(iso("5 Sep, 2023 03:09"), "2023-09-05T03:09:00");
        assert_eq!(iso("April 18, 2019"), "2019-04-18");
        assert_eq!(iso("Monday, 4 September 2023"), "2023-09-04");
        assert_eq!(
            iso("Sept. 12, 2023 10:15 a.m. EDT"),
            "2023-09-12T10:15:00-04:00"
        );
        assert_eq!(
            iso("2023-09-05T03:09:00+03:00"),
            "2023-09-05T03:09:00+03:00"
        );
        assert_eq!(iso("2023-09-05T03:09:00Z"), "2023-09-05T03:09:00+00:00");
        assert_eq!(iso("05.09.2023, 14:30 Uhr"), "2023-09-05T14:30:00");
        assert_eq!(iso("12 March 2021 12:00 GMT"), "2021-03-12T12:00:00+00:00");
        // An offset whose minutes the page cut to one digit.
        assert_eq!(
            iso("November 15, 2011 6:07:15 PM GMT+01:0"),
            "2011-11-15T18:07:15+01:00"
        );
        assert_eq!(
            iso("May 2, 2013 10:00 GMT+05:3"),
            "2013-05-02T10:00:00+05:30"
        );
        // German numeric dates with a space after each dot.
        assert_eq!(iso("Von Deutscher Tennis Bund 4. 2. 2022."), "2022-02-04");
        // Russian and Ukrainian, month in the genitive.
        assert_eq!(iso("15 августа 2016, 13:43"), "2016-08-15T13:43:00");
        assert_eq!(iso("3 марта 2022 г."), "2022-03-03");
        assert_eq!(iso("9 мая 2021"), "2021-05-09");
        assert_eq!(iso("24 лютого 2022"), "2022-02-24");
        assert_eq!(iso("1 листопада 2023 року"), "2023-11-01");
        assert_eq!(iso("May 03, 2013"), "2013-05-03");
        assert_eq!(iso("27 juin 2019"), "2019-06-27");
        // The time after the date, as French, Spanish and German write it.
        assert_eq!(iso("Le 1er juillet 2019 à 19:47"), "2019-07-01T19:47:00");
        assert_eq!(iso("18 avril 2019 à 14h05"), "2019-04-18T14:05:00");
        assert_eq!(iso("5 de marzo de 2020 a las 9:30"), "2020-03-05T09:30:00");
        assert_eq!(iso("5. März 2020 um 18:45 Uhr"), "2020-03-05T18:45:00");
        assert_eq!(iso("4 août 2019"), "2019-08-04");
        assert_eq!(iso("5 de marzo de 2020"), "2020-03-05");
        assert_eq!(iso("12 dicembre 2021"), "2021-12-12");
        assert_eq!(iso("2023.11.02 20:06"), "2023-11-02T20:06:00");
        assert_eq!(iso("2023/09/05 10:00"), "2023-09-05T10:00:00");
        let cjk = |s: &str| find_cjk_date(s).map(|f| f.at.to_iso());
        assert_eq!(
            cjk("2023年9月5日 10:00").as_deref(),
            Some("2023-09-05T10:00:00")
        );
        assert_eq!(
            cjk("입력 2023년 9월 5일 10:00").as_deref(),
            Some("2023-09-05T10:00:00")
        );
        assert_eq!(cjk("2023年13月5日"), None);
        assert_eq!(iso("2023年9月5日"), "");
        assert_eq!(iso("26/10/2018"), "2018-10-26");
        assert_eq!(iso("10/26/2018"), "2018-10-26");
        assert_eq!(iso("05/09/2023"), "2023-09-05");
        assert_eq!(
            find_date_in("05/09/2023", true)
                .map(|f| f.at.to_iso())
                .as_deref(),
            Some("2023-05-09")
        );
    }

    #[test]
    fn not_dates() {
        assert_eq!(iso("February 30, 2023"), "");
        assert_eq!(iso("Mayor Adams said 12 people"), "");
        assert_eq!(iso("the 1950-1953 Korean War"), "");
    }

    #[test]
    fn dates_without_a_year_take_it_from_the_fetch_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let iso = |s: &str, fetched| find_yearless_in(s, fetched).map(|f| f.at.to_iso());
        assert_eq!(
            iso("Jul. 7 5:59 PM EDT", day(2012, 7, 8)).as_deref(),
            Some("2012-07-07T17:59:00-04:00")
        );
        // December seen in January: last year's.
        assert_eq!(
            iso("Dec. 24 4:33 AM EST", day(2013, 1, 3)).as_deref(),
            Some("2012-12-24T04:33:00-05:00")
        );
        assert_eq!(
            iso("APR 28", day(2009, 4, 28)).as_deref(),
            Some("2009-04-28")
        );
        assert_eq!(
            iso("Mumbai, 11 Nov -", day(2011, 11, 12)).as_deref(),
            Some("2011-11-11")
        );
        // The day after the fetch day is allowed for time zones; a week after is not.
        assert_eq!(
            iso("Apr 29", day(2009, 4, 28)).as_deref(),
            Some("2009-04-29")
        );
        assert_eq!(
            iso("May 5", day(2009, 4, 28)).as_deref(),
            Some("2008-05-05")
        );
        assert_eq!(iso("Feb 30", day(2009, 4, 28)), None);
        assert_eq!(iso("the 2009 season", day(2009, 4, 28)), None);
    }

    #[test]
    fn url_dates() {
        let u = "https://www.themoscowtimes.com/2019/04/18/kim-jong-un-will-meet-putin-this-month-kremlin-a65296";
        assert_eq!(date_from_url(u), NaiveDate::from_ymd_opt(2019, 4, 18));
        assert_eq!(
            date_from_url("https://x.com/news/20230905-story.html"),
            NaiveDate::from_ymd_opt(2023, 9, 5)
        );
        assert_eq!(date_from_url("https://x.com/a/b/123456"), None);
        // Eight digits after a dash in the slug; not inside a longer number.
        assert_eq!(
            date_from_url("https://x.com/wind/bnef-publishes-outlook-20210616"),
            NaiveDate::from_ymd_opt(2021, 6, 16)
        );
        assert_eq!(
            date_from_url("https://x.fr/societe/4060503-20231102-tempete-ciaran"),
            NaiveDate::from_ymd_opt(2023, 11, 2)
        );
        assert_eq!(
            date_from_url("https://x.com/story-e6frfkyi-1225862790476"),
            None
        );
        assert_eq!(date_from_url("https://x.com/item-2021061612"), None);
        // Day first with dashes, when only one reading is a day.
        assert_eq!(
            date_from_url("https://x.de/meldungen/29-10-2021"),
            NaiveDate::from_ymd_opt(2021, 10, 29)
        );
        assert_eq!(
            date_from_url("https://x.com/news/10-29-2021/"),
            NaiveDate::from_ymd_opt(2021, 10, 29)
        );
        assert_eq!(date_from_url("https://x.de/meldungen/05-06-2021"), None);
        // A section between the year and the month, the month by name, underscores,
        // and a month and day without their zeros.
        for (url, day) in [
            (
                "http://www.cnn.com/2009/POLITICS/03/03/endangered.species.act/",
                (2009, 3, 3),
            ),
            (
                "http://www.theguardian.com/media/2004/jul/29/pressandpublishing",
                (2004, 7, 29),
            ),
            (
                "http://x.com/stories/2013/38/hitrun_web_2013_09_14_q.html",
                (2013, 9, 14),
            ),
            (
                "http://www.sbnation.com/college-basketball/2013/3/8/4081296/mvc",
                (2013, 3, 8),
            ),
        ] {
            let (y, m, d) = day;
            assert_eq!(
                date_from_url(url),
                NaiveDate::from_ymd_opt(y, m, d),
                "{url}"
            );
        }
        // A year and a month are not a day; nor is a number after the month's name.
        assert_eq!(
            date_from_url("http://x.com/2013/09/hit-and-run.shtml"),
            None
        );
        assert_eq!(date_from_url("http://x.com/2013/sept/page2"), None);
    }
}
