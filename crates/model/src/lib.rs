//! Shared types that flow through Storyline's stages.
//!
//! Each stage takes one of these and produces the next: `read` makes [`RawDoc`]s,
//! `extract` turns each into an [`Article`]. The later stages (analyze, dedup,
//! cluster, link) own their own output types; what they all need to agree on lives
//! here, and this crate depends on no other Storyline crate.

use chrono::{Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};

/// What kind of document a record holds, as detected from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text, as crawlers save a page's visible text.
    Text,
    /// An HTML page.
    Html,
}

/// Metadata that came with a record from its container (a JSON line, a WARC header),
/// as opposed to metadata found inside the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hints {
    /// The input's own id (the JSONL `id` field).
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// A publication date as the container gave it (any common format).
    pub date: Option<String>,
    pub outlet: Option<String>,
    /// When the page was fetched (WARC-Date), never a publication date.
    pub fetched: Option<String>,
    /// The language the record declares (the JSONL `lang` field), as given.
    #[serde(default)]
    pub lang: Option<String>,
}

/// One document as read from the input: decoded text plus where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDoc {
    /// The input path, with `#line=N` (JSONL) or `@offset` (WARC) when the file holds
    /// several records. `-` is standard input.
    pub source: String,
    pub format: Format,
    /// The document, decoded to UTF-8.
    pub text: String,
    pub hints: Hints,
    /// A hash of the record's bytes: re-reading the same record gives the same value.
    pub record_hash: String,
}

/// How precisely a timestamp is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Minute,
    Second,
}

/// A point in time as a page states it: local wall-clock time, with the UTC offset
/// only when the page (or a timezone abbreviation on it) says what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timestamp {
    pub local: NaiveDateTime,
    /// Offset east of UTC in minutes, when known.
    pub offset_minutes: Option<i32>,
    pub precision: Precision,
}

impl Timestamp {
    pub fn day(date: NaiveDate) -> Self {
        Timestamp {
            local: date.and_hms_opt(0, 0, 0).expect("midnight exists"),
            offset_minutes: None,
            precision: Precision::Day,
        }
    }

    /// The calendar day as written on the page.
    pub fn date(&self) -> NaiveDate {
        self.local.date()
    }

    /// Seconds since the Unix epoch, for ordering. When the offset is unknown the
    /// local time is taken as UTC: at most a few hours off, which ordering tolerates.
    pub fn epoch_seconds(&self) -> i64 {
        let utc = self.local - Duration::minutes(i64::from(self.offset_minutes.unwrap_or(0)));
        utc.and_utc().timestamp()
    }

    /// ISO 8601: `2019-04-18` for a day, `2023-09-04T19:59:00-05:00` with a known
    /// offset, `2023-09-05T03:09:00` without one.
    pub fn to_iso(&self) -> String {
        match (self.precision, self.offset_minutes) {
            (Precision::Day, _) => self.local.format("%Y-%m-%d").to_string(),
            (_, Some(off)) => match FixedOffset::east_opt(off * 60)
                .and_then(|tz| tz.from_local_datetime(&self.local).single())
            {
                Some(dt) => dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                None => self.local.format("%Y-%m-%dT%H:%M:%S").to_string(),
            },
            (_, None) => self.local.format("%Y-%m-%dT%H:%M:%S").to_string(),
        }
    }
}

/// Where a date was found. Kept with every date so a reader can judge it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Given by the input container (JSONL `date` field).
    Input,
    /// Structured metadata in the page: JSON-LD, OpenGraph, `<meta>`, `<time>`.
    Metadata,
    /// A visible dateline or "Published:" line in the text.
    Dateline,
    /// The date segment of the article's URL (`/2019/04/18/`).
    Url,
    /// The page's last-update date, when it gives no publication date and its URL
    /// none either: the story came out that day or before it.
    Updated,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::Input => "input",
            DateSource::Metadata => "metadata",
            DateSource::Dateline => "dateline",
            DateSource::Url => "url",
            DateSource::Updated => "updated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "input" => DateSource::Input,
            "metadata" => DateSource::Metadata,
            "dateline" => DateSource::Dateline,
            "url" => DateSource::Url,
            "updated" => DateSource::Updated,
            _ => return None,
        })
    }
}

/// A date together with where it came from and how sure we are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DatedBy {
    pub at: Timestamp,
    pub source: DateSource,
    /// 0..=1: how likely this is the true publication date.
    pub confidence: f32,
}

/// A clean article: what every stage after `extract` works from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The input's own id when it has one, else a hash of the record.
    pub id: String,
    pub source: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<DatedBy>,
    pub modified: Option<DatedBy>,
    /// When the page was fetched, if the input says so. Never used as a publication date.
    pub crawled: Option<NaiveDate>,
    pub authors: Vec<String>,
    /// The publication that ran the article, when it can be known. Never guessed.
    pub outlet: Option<String>,
    /// The wire agency the article came from (AP, Reuters, AFP, ...), when credited.
    pub wire: Option<String>,
    /// ISO 639-1 code, when detected.
    pub lang: Option<String>,
    /// 0..=1: how sure the language detection is (present when `lang` is).
    #[serde(default)]
    pub lang_confidence: Option<f32>,
    /// The main text: paragraphs separated by blank lines.
    pub text: String,
}

/// The ISO 639-1 code of a language named by its ISO 639-3 code, for every language
/// the language detector (whatlang) tells apart. Mandarin (`cmn`) is `zh` and Iranian
/// Persian (`pes`) is `fa`, their macrolanguages' codes; Norwegian Bokmål (`nob`) is
/// `no`, as the stores made before this table have it. `None` for a code not here.
pub fn iso639_1(code: &str) -> Option<&'static str> {
    Some(match code {
        "afr" => "af",
        "aka" => "ak",
        "amh" => "am",
        "ara" => "ar",
        "aze" => "az",
        "bel" => "be",
        "ben" => "bn",
        "bul" => "bg",
        "cat" => "ca",
        "ces" => "cs",
        "cmn" => "zh",
        "cym" => "cy",
        "dan" => "da",
        "deu" => "de",
        "ell" => "el",
        "eng" => "en",
        "epo" => "eo",
        "est" => "et",
        "fin" => "fi",
        "fra" => "fr",
        "guj" => "gu",
        "heb" => "he",
        "hin" => "hi",
        "hrv" => "hr",
        "hun" => "hu",
        "hye" => "hy",
        "ind" => "id",
        "ita" => "it",
        "jav" => "jv",
        "jpn" => "ja",
        "kan" => "kn",
        "kat" => "ka",
        "khm" => "km",
        "kor" => "ko",
        "lat" => "la",
        "lav" => "lv",
        "lit" => "lt",
        "mal" => "ml",
        "mar" => "mr",
        "mkd" => "mk",
        "mya" => "my",
        "nep" => "ne",
        "nld" => "nl",
        "nob" => "no",
        "ori" => "or",
        "pan" => "pa",
        "pes" => "fa",
        "pol" => "pl",
        "por" => "pt",
        "ron" => "ro",
        "rus" => "ru",
        "sin" => "si",
        "slk" => "sk",
        "slv" => "sl",
        "sna" => "sn",
        "spa" => "es",
        "srp" => "sr",
        "swe" => "sv",
        "tam" => "ta",
        "tel" => "te",
        "tgl" => "tl",
        "tha" => "th",
        "tuk" => "tk",
        "tur" => "tr",
        "ukr" => "uk",
        "urd" => "ur",
        "uzb" => "uz",
        "vie" => "vi",
        "yid" => "yi",
        "zul" => "zu",
        _ => return None,
    })
}

/// The primary language subtag of a declared language (`de-DE`, `en_US`, `pt-BR`,
/// ` FR `) in lower case, in ISO 639-1 where the tag gives a three-letter code this
/// crate knows; the Norwegian written standards (`nb`, `nn`) are `no`. `None` for a
/// tag that names no language (`x-default`, `und`, `mul`, `zxx`, empty).
pub fn declared_language(tag: &str) -> Option<String> {
    let primary = tag
        .trim()
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if matches!(primary.as_str(), "und" | "mul" | "zxx" | "mis") {
        return None;
    }
    Some(match primary.as_str() {
        "nb" | "nn" => "no".to_string(),
        three if three.len() == 3 => iso639_1(three).map_or(primary.clone(), str::to_string),
        _ => primary,
    })
}

impl Article {
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text.split("\n\n").filter(|p| !p.trim().is_empty())
    }

    /// The order articles are processed in: publication time, undated last, ties by
    /// source so the order is stable.
    pub fn publication_order(&self, other: &Article) -> std::cmp::Ordering {
        let key = |a: &Article| {
            let t = a.published.map(|p| p.at.epoch_seconds());
            (t.is_none(), t)
        };
        key(self)
            .cmp(&key(other))
            .then_with(|| self.source.cmp(&other.source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str, off: Option<i32>, p: Precision) -> Timestamp {
        Timestamp {
            local: NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap(),
            offset_minutes: off,
            precision: p,
        }
    }

    #[test]
    fn iso_forms() {
        assert_eq!(
            ts("2023-09-04 19:59", Some(-300), Precision::Minute).to_iso(),
            "2023-09-04T19:59:00-05:00"
        );
        assert_eq!(
            ts("2023-09-05 03:09", None, Precision::Minute).to_iso(),
            "2023-09-05T03:09:00"
        );
        assert_eq!(
            Timestamp::day(NaiveDate::from_ymd_opt(2019, 4, 18).unwrap()).to_iso(),
            "2019-04-18"
        );
    }

    #[test]
    fn declared_languages_read_as_their_primary_subtag() {
        assert_eq!(declared_language("de-DE").as_deref(), Some("de"));
        assert_eq!(declared_language(" en_US ").as_deref(), Some("en"));
        assert_eq!(declared_language("PT-br").as_deref(), Some("pt"));
        assert_eq!(declared_language("nb-NO").as_deref(), Some("no"));
        assert_eq!(declared_language("deu").as_deref(), Some("de"));
        assert_eq!(declared_language("x-default"), None);
        assert_eq!(declared_language("und"), None);
        assert_eq!(declared_language(""), None);
        assert_eq!(declared_language("{{lang}}"), None);
    }

    #[test]
    fn epoch_respects_offset() {
        let cdt = ts("2023-09-04 19:59", Some(-300), Precision::Minute);
        let utc = ts("2023-09-05 00:59", Some(0), Precision::Minute);
        assert_eq!(cdt.epoch_seconds(), utc.epoch_seconds());
    }
}
