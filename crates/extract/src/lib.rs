//! `extract`: one clean [`Article`] per [`RawDoc`].
//!
//! Crawler text and HTML each have their own extractor ([`text`], [`html`]); both
//! produce the same [`Fields`], which are then merged with what the input container
//! said (a JSONL `title` or `date`, a WARC target URI). Container metadata wins over
//! what is found in the page, because the user supplied it; a date is never taken
//! from the crawl time. Whatever cannot be found stays empty.

pub mod dates;
mod dom;
pub(crate) mod html;
pub mod lines;
pub mod outlet;
mod parse;
mod published;
mod text;
mod title;

pub use title::without_site_name;

use storyline_model::{Article, DateSource, DatedBy, Format, RawDoc, Timestamp};

/// What an extractor found in a document, before merging with container hints.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Fields {
    pub title: Option<String>,
    pub published: Option<DatedBy>,
    pub modified: Option<DatedBy>,
    pub crawled: Option<chrono::NaiveDate>,
    pub authors: Vec<String>,
    pub url: Option<String>,
    /// The outlet as the page names itself (og:site_name, JSON-LD publisher).
    pub outlet: Option<String>,
    pub wire: Option<String>,
    /// The language the page declares (`<html lang>`, else `Content-Language`), as an
    /// ISO 639-1 code.
    pub lang: Option<String>,
    pub paragraphs: Vec<String>,
}

/// Extracts an article from a document.
pub fn extract(doc: &RawDoc) -> Article {
    let h = &doc.hints;
    let fetched = h
        .fetched
        .as_deref()
        .and_then(dates::parse_date)
        .map(|t| t.date());
    let f = match doc.format {
        Format::Text => text::extract(&doc.text, h.title.as_deref(), h.url.as_deref(), fetched),
        Format::Html => html::extract(&doc.text),
    };
    let url = h.url.clone().or(f.url);
    let title = h
        .title
        .as_deref()
        .map(lines::squash)
        .filter(|t| !t.is_empty())
        .or(f.title);

    let url_day = url.as_deref().and_then(dates::date_from_url);
    let mut published = h
        .date
        .as_deref()
        .and_then(dates::parse_date)
        .map(|at| DatedBy {
            at,
            source: DateSource::Input,
            confidence: 0.95,
        })
        .or(f.published)
        .or_else(|| {
            url_day.map(|d| DatedBy {
                at: Timestamp::day(d),
                source: DateSource::Url,
                confidence: 0.6,
            })
        })
        .or_else(|| {
            f.modified.map(|m| DatedBy {
                at: m.at,
                source: DateSource::Updated,
                confidence: 0.5,
            })
        });
    if let (Some(p), Some(d)) = (published.as_mut(), url_day) {
        reconcile_with_url(p, d);
    }

    let outlet = h
        .outlet
        .as_deref()
        .map(outlet::outlet_from_hint)
        .or(f.outlet)
        .or_else(|| url.as_deref().and_then(outlet::outlet_from_url));
    let crawled = f.crawled.or(fetched);
    let text = nfc(f.paragraphs.join("\n\n"));
    let title = title.map(nfc);
    let declared = h
        .lang
        .as_deref()
        .and_then(storyline_model::declared_language)
        .or(f.lang);
    let (lang, lang_confidence) = match detect_lang(&text, declared.as_deref()) {
        Some((code, confidence)) => (Some(code), Some(confidence)),
        None => (None, None),
    };
    Article {
        id: h.id.clone().unwrap_or_else(|| doc.record_hash.clone()),
        source: doc.source.clone(),
        url,
        title,
        published,
        modified: f.modified,
        crawled,
        authors: f.authors,
        outlet,
        wire: f.wire,
        lang,
        lang_confidence,
        text,
    }
}

/// Weighs a found publication date against the day in the article's URL, which the
/// CMS wrote when the article was created, in the outlet's own time zone.
///
/// - The same day: two independent signals agree, the date is surer.
/// - A UTC time one day off: the same moment, on the outlet's calendar (23:30 UTC is
///   the next day in Berlin). The URL's day is kept, without a time.
/// - Day and month swapped (`2/3/2009` read as 2 March, the URL says 3 February): a
///   slashed date read in the other order. The URL settles the order; the time of day
///   is kept.
/// - A weak signal (a `<time>` element, a generic `<meta>` date, a visible date) on
///   another day: it is more likely a related article's or a comment's date than the
///   URL is wrong. The URL's day is kept.
fn reconcile_with_url(p: &mut DatedBy, url_day: chrono::NaiveDate) {
    if p.source == DateSource::Url || p.source == DateSource::Input {
        return;
    }
    let gap = (p.at.date() - url_day).num_days().abs();
    if gap == 0 {
        p.confidence = p.confidence.max(0.9);
    } else if dates::swapped_day_month(p.at.date()) == Some(url_day) {
        p.at.local = url_day.and_time(p.at.local.time());
        p.confidence = p.confidence.max(0.9);
    } else if gap == 1 && p.at.offset_minutes == Some(0) {
        p.at = Timestamp::day(url_day);
        p.confidence = 0.85;
    } else if p.confidence < 0.8 {
        *p = DatedBy {
            at: Timestamp::day(url_day),
            source: DateSource::Url,
            confidence: 0.7,
        };
    }
}

/// The language of the text (ISO 639-1 where there is one) and whatlang's confidence,
/// when detection is reliable, or when its best guess is the language the record or
/// page declares: two signals that agree (a German page of short paragraphs that
/// whatlang finds German at 0.37 and whose `<html lang>` says `de`). A declared
/// language alone decides nothing: templates declare their default (`en`) on pages in
/// every language.
fn detect_lang(text: &str, declared: Option<&str>) -> Option<(String, f32)> {
    let sample: String = text.chars().take(1500).collect();
    let info = whatlang::detect(&sample)?;
    let code = info.lang().code();
    let two = storyline_model::iso639_1(code).unwrap_or(code);
    if !info.is_reliable() && declared != Some(two) {
        return None;
    }
    Some((two.to_string(), info.confidence() as f32))
}

#[cfg(test)]
mod lang_tests {
    use super::detect_lang;

    #[test]
    fn every_detectable_language_has_a_two_letter_code() {
        for lang in whatlang::Lang::all() {
            let code = storyline_model::iso639_1(lang.code());
            assert!(
                code.is_some_and(|c| c.len() == 2),
                "{} ({}) has no ISO 639-1 code",
                lang.code(),
                lang.eng_name()
            );
        }
    }

    #[test]
    fn a_declared_language_confirms_an_unsure_guess_and_decides_nothing_alone() {
        // Short German paragraphs: whatlang's best guess is German, but not a sure one.
        let text = "Graffiti am Bahnhof. Die Stadt will die Wände reinigen lassen.";
        let guess = whatlang::detect(text).unwrap();
        assert_eq!(guess.lang().code(), "deu");
        assert!(!guess.is_reliable(), "the example must be an unsure guess");
        assert_eq!(detect_lang(text, None), None);
        assert_eq!(detect_lang(text, Some("de")).unwrap().0, "de");
        assert_eq!(detect_lang(text, Some("en")), None);
        // A sure detection stands whatever the template declares.
        let english = "The city council voted on Tuesday to clean the graffiti from the walls of the old railway station, which has been closed since the spring floods damaged its roof.";
        assert_eq!(detect_lang(english, Some("de")).unwrap().0, "en");
    }

    #[test]
    fn the_page_and_the_record_declare_their_language() {
        let page = |lang: &str| {
            storyline_model::RawDoc {
            text: format!("<html lang=\"{lang}\"><head><title>Graffiti</title></head><body><article><p>Graffiti am Bahnhof. Die Stadt will die Wände reinigen lassen.</p></article></body></html>"),
            source: "t.html".to_string(),
            format: storyline_model::Format::Html,
            hints: Default::default(),
            record_hash: "h".to_string(),
        }
        };
        assert_eq!(super::extract(&page("de-DE")).lang.as_deref(), Some("de"));
        assert_eq!(super::extract(&page("en-US")).lang, None);
        // A JSON line's `lang` is the record's own word, before the page's.
        let mut doc = page("en-US");
        doc.hints.lang = Some("de".to_string());
        let a = super::extract(&doc);
        assert_eq!(a.lang.as_deref(), Some("de"));
        assert!(a.lang_confidence.is_some());
    }
}

/// Text in Unicode NFC, the form search, dedup and the bench compare in: a page may
/// write `য়` as one code point or as two, and both must read the same. Most text is
/// NFC already and is returned as it is after a quick check.
fn nfc(s: String) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s
    } else {
        s.nfc().collect()
    }
}

#[cfg(test)]
mod nfc_tests {
    #[test]
    fn text_and_title_come_out_in_nfc() {
        let doc = storyline_model::RawDoc {
            text: "<html><head><title>Cafe\u{0301} news</title></head><body><article><p>The cafe\u{0301} on the corner of the square reopened on Monday after a long renovation.</p><p>কুষ্টিয\u{09DF}া-১ is a district in Bangladesh where the new bridge opened this week to traffic.</p></article></body></html>".to_string(),
            source: "t.html".to_string(),
            format: storyline_model::Format::Html,
            hints: Default::default(),
            record_hash: "h".to_string(),
        };
        let a = super::extract(&doc);
        assert!(a.text.contains("café on the corner"), "{}", a.text);
        assert!(a.text.contains("\u{09AF}\u{09BC}"), "{}", a.text);
        assert_eq!(a.title.as_deref(), Some("Café news"));
    }
}

#[cfg(test)]
mod crawler_text_tests {
    use storyline_model::{DateSource, Format, RawDoc};

    fn text_doc(text: &str) -> RawDoc {
        RawDoc {
            text: text.to_string(),
            source: "t.txt".to_string(),
            format: Format::Text,
            hints: Default::default(),
            record_hash: "h".to_string(),
        }
    }

    #[test]
    fn the_container_url_helps_find_a_crawler_texts_title() {
        let mut doc = text_doc("Yankees News\nTeixeira not headed to Boston\nCan you believe it?\nI can't.\nThe Red Sox owner has said his team will not sign Mark Teixeira, and the team is out of the race.");
        doc.hints.url =
            Some("http://riveraveblues.com/2008/12/teixeira-not-headed-to-boston-6361/".into());
        let a = super::extract(&doc);
        assert_eq!(a.title.as_deref(), Some("Teixeira not headed to Boston"));
        assert_eq!(a.url, doc.hints.url);
    }

    #[test]
    fn an_update_date_dates_a_page_that_gives_no_other() {
        let a = super::extract(&text_doc(
            "Mo Cheeks will take over as new coach\nUpdated: May 24, 2005, 3:23 PM ET\nMaurice Cheeks is running the show again for the Philadelphia 76ers, the team said on Tuesday.",
        ));
        let p = a.published.expect("dated by its update");
        assert_eq!(p.source, DateSource::Updated);
        assert_eq!(p.at.to_iso(), "2005-05-24T15:23:00-04:00");
        assert_eq!(a.modified.unwrap().at, p.at);
        // The URL's day comes first: the page was created on it.
        let a = super::extract(&text_doc(
            "http://example.com/2005/05/23/cheeks-hired\nMo Cheeks will take over as new coach\nUpdated: May 24, 2005, 3:23 PM ET\nMaurice Cheeks is running the show again for the Philadelphia 76ers, the team said on Tuesday.",
        ));
        let p = a.published.unwrap();
        assert_eq!(p.source, DateSource::Url);
        assert_eq!(p.at.to_iso(), "2005-05-23");
    }

    #[test]
    fn the_containers_fetch_time_dates_a_dateline_without_a_year() {
        let mut doc = text_doc("Klitschko retains world heavyweight belts\nJul. 7 5: 59 PM EDT\nWladimir Klitschko stopped Tony Thompson in the sixth round to retain his belts.");
        assert_eq!(super::extract(&doc).published, None);
        doc.hints.fetched = Some("2012-07-09T10:00:00Z".into());
        let a = super::extract(&doc);
        let p = a.published.unwrap();
        assert_eq!(p.source, DateSource::Dateline);
        assert_eq!(p.at.to_iso(), "2012-07-07T17:59:00-04:00");
        assert_eq!(a.crawled, chrono::NaiveDate::from_ymd_opt(2012, 7, 9));
    }

    #[test]
    fn the_url_settles_which_number_of_a_slashed_date_is_the_month() {
        // Nothing on the line says month first, so `2 / 3 / 2009` reads 2 March; the
        // URL says 3 February. The time of day stays.
        let a = super::extract(&text_doc(
            "http: / / usatoday30. usatoday. com / sports / 2009 - 02 - 03 - williams - arrested _ N. htm\nWilliams arrested on DUI suspicion\nPosted 2 / 3 / 2009 23: 11\nChargers defensive tackle Jamal Williams was arrested on suspicion of drunken driving, the team said.",
        ));
        let p = a.published.unwrap();
        assert_eq!(p.source, DateSource::Dateline);
        assert_eq!(p.at.to_iso(), "2009-02-03T23:11:00");
        // A date that is not the URL's, swapped or not, is left as read.
        let a = super::extract(&text_doc(
            "http://example.com/2009/02/04/williams-arrested\nWilliams arrested on DUI suspicion\nPosted 2/3/2009 23:11\nChargers defensive tackle Jamal Williams was arrested on suspicion of drunken driving, the team said.",
        ));
        assert_eq!(a.published.unwrap().at.to_iso(), "2009-03-02T23:11:00");
        assert_eq!(
            super::dates::swapped_day_month(chrono::NaiveDate::from_ymd_opt(2009, 3, 13).unwrap()),
            None
        );
    }
}
