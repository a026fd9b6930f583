//! The headline of an HTML page.
//!
//! Most trusted first:
//!
//! 1. The title the page declares for its article: JSON-LD `headline`, then the
//!    `<meta>` titles (`dc:title`, `og:title`, `title`, `twitter:title`,
//!    `parsely-title`), as declared: the page chose it, site name and all.
//! 2. The document's `<title>`, which usually carries the site's name and sometimes
//!    the section: the part before the last separator is kept when it is a real
//!    headline (three words or more); a title split by a colon keeps what follows it
//!    when what precedes is a short kicker; a very short result means the separator
//!    was part of the headline, and the whole title is kept.
//! 3. The page's only `<h1>` when the `<title>` is too short or too long to be a
//!    headline (and the `<h1>` itself is more than four words), or the first `<h1>`
//!    when there is no `<title>`.
//!
//! The rules for `<title>` follow what Mozilla's Readability does, which readers of
//! Firefox's reader view have checked on millions of pages.

use crate::lines::{squash, word_count};

/// Separators between a headline and the site or section in a `<title>`.
const SEPARATORS: &[char] = &['|', '-', '–', '—', '\\', '/', '>', '»'];
/// Separators that say the title is a path of sections (`News » World » Story`).
const HIERARCHICAL: &[char] = &['\\', '/', '>', '»'];

/// Metadata keys holding the article's title, most specific first.
pub(crate) const META_TITLES: &[&str] = &[
    "dc:title",
    "dcterm:title",
    "dc.title",
    "og:title",
    "title",
    "twitter:title",
    "parsely-title",
];

/// What the page offers as its title.
#[derive(Default)]
pub(crate) struct Candidates<'a> {
    /// JSON-LD `headline` and `name` of the article.
    pub ld_headline: Option<&'a str>,
    pub ld_name: Option<&'a str>,
    /// The first `<meta>` title, in `META_TITLES` order.
    pub meta: Option<&'a str>,
    /// The document's `<title>`.
    pub document: Option<&'a str>,
    /// Text of every `<h1>` and `<h2>`, in document order.
    pub h1: Vec<String>,
    pub h2: Vec<String>,
}

/// The JSON-LD title: `headline`, or `name` when the two differ and the name is the
/// closer to the document's `<title>` (Wikipedia puts a description in `headline`).
fn ld_title<'a>(c: &Candidates<'a>, document: Option<&str>) -> Option<&'a str> {
    match (c.ld_headline, c.ld_name) {
        (Some(h), Some(n)) if h != n => {
            let doc = document.unwrap_or("");
            if overlap(n, doc) > overlap(h, doc) {
                Some(n)
            } else {
                Some(h)
            }
        }
        (h, n) => h.or(n),
    }
}

/// Share of `a`'s words (lower-cased) that also occur in `b`.
fn overlap(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() {
        return 0.0;
    }
    a.iter().filter(|w| b.contains(w)).count() as f64 / a.len() as f64
}

pub(crate) fn pick(c: &Candidates) -> Option<String> {
    let document = c.document.map(squash).filter(|t| !t.is_empty());
    let meta = c
        .meta
        .map(squash)
        .filter(|t| !t.is_empty() && !slug_shaped(t))
        .filter(|m| !cut_at_quote(m, document.as_deref()));
    // A JSON-LD title that shares no word with a document title the meta title
    // agrees with is a template's placeholder (`"headline": "escenic"`).
    let placeholder = |ld: &str| match (document.as_deref(), meta.as_deref()) {
        (Some(d), Some(m)) => overlap(ld, d) == 0.0 && overlap(m, d) >= 0.5,
        _ => false,
    };
    let declared = ld_title(c, document.as_deref())
        .map(squash)
        .filter(|t| !t.is_empty() && !placeholder(t) && !slug_shaped(t))
        .or(meta);
    if let Some(t) = declared {
        return Some(without_dangling_separator(t));
    }
    match document {
        Some(t) => Some(without_dangling_separator(from_document_title(&t, c))),
        None => c.h1.first().cloned(),
    }
}

/// `title` without a first or last part that only names the site
/// (`Fahie arrested in Miami - The St Kitts Nevis Observer`), for a story's
/// headline: an article's title is kept as its page declared it, but a story
/// gathers several outlets and its headline speaks for none of them. `sites` are
/// the names the site goes by: its outlet name, its host. The part must be the
/// whole name (letters and digits compared, accents and case aside), and what remains must still
/// be a headline of two words or more (`Klimavorreiter Oberland? - Tegernseerstimme`;
/// `Brexit - The Observer` is a section's page, and stays).
pub fn without_site_name<'a>(title: &'a str, sites: &[&str]) -> &'a str {
    let key = crate::outlet::name_letters;
    // `The Harbour Times` is `harbourtimes.co.uk` as well as `theharbourtimes.com`.
    let keys = |s: &str| -> [String; 2] {
        let bare = s
            .trim()
            .strip_prefix("The ")
            .or_else(|| s.trim().strip_prefix("the "))
            .unwrap_or("");
        [key(s), key(bare)]
    };
    let names: Vec<String> = sites
        .iter()
        .flat_map(|s| {
            let s = s.trim();
            // A host's name without its suffix: `djz.de` -> `djz`,
            // `news.bbc.co.uk` -> `bbc`.
            let label = (!s.contains(' '))
                .then(|| crate::outlet::registered_domain(&s.to_ascii_lowercase()))
                .flatten()
                .and_then(|d| d.split('.').next().map(str::to_string))
                .unwrap_or_default();
            let [whole, bare] = keys(s);
            [whole, bare, key(&label)]
        })
        .filter(|k| !k.is_empty())
        .collect();
    // A name of three words or more also goes by its initials (`Preußische
    // Allgemeine Zeitung` at `paz.de`).
    let initials = |part: &str| -> String {
        let words: Vec<&str> = part.split_whitespace().collect();
        if words.len() < 3 {
            return String::new();
        }
        key(&words
            .iter()
            .filter_map(|w| w.chars().next())
            .collect::<String>())
    };
    let is_site = |part: &str| {
        keys(part)
            .into_iter()
            .chain([initials(part)])
            .any(|k| !k.is_empty() && names.contains(&k))
    };
    cut_site_name(title, &is_site)
}

/// [`without_site_name`]'s cuts, with the test of whether a part names the site.
fn cut_site_name<'a>(title: &'a str, is_site: &dyn Fn(&str) -> bool) -> &'a str {
    let headline = |rest: &str| word_count(rest) >= 2;
    // The site's name may hold a separator itself (`INCURVY Plus-Size Fashion -
    // BLOG`): every cut is tried, the shortest site part first. A colon spaced on
    // both sides separates too (`… Lokales und Globales : literaturkritik.de`); one
    // that follows its word opens the headline after a topic, and is not one.
    let mut seps = separator_positions(title);
    seps.extend(title.match_indices(" : ").map(|(i, _)| (i + 1, i + 2)));
    seps.sort_unstable();
    for &(at, end) in seps.iter().rev() {
        let (before, after) = (title[..at].trim(), title[end..].trim());
        if is_site(after) && headline(before) {
            // The site may be named twice (`… | AOC media - Analyse Opinion
            // Critique`): what is left is read again.
            return cut_site_name(before, is_site);
        }
    }
    for &(at, end) in &seps {
        let (before, after) = (title[..at].trim(), title[end..].trim());
        if is_site(before) && headline(after) {
            return after;
        }
    }
    // The site's name between the headline and a slogan or a section (`Christmas
    // Gift Guide | Journelles | Jetzt entdecken!`): what follows it is the site's.
    for pair in seps.windows(2) {
        let ((at, end), (next, _)) = (pair[0], pair[1]);
        let before = title[..at].trim();
        if is_site(&title[end..next]) && headline(before) {
            return before;
        }
    }
    title
}

/// Whether a declared title is a URL slug rather than a headline
/// (`adac-kindersitztest-herbst-2018`): one lower-case word of three or more parts
/// joined by hyphens or underscores. A CMS fills the field with the slug when the
/// editor left it empty; the document's `<title>` is then the better headline.
fn slug_shaped(title: &str) -> bool {
    let parts = title.split(['-', '_']).filter(|p| !p.is_empty()).count();
    parts >= 3
        && title.chars().any(|c| c.is_alphabetic())
        && title
            .chars()
            .all(|c| c.is_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A title without the separator its site name was meant to follow
/// (`Pferdesport definitiv bei Olympia 2028 dabei -`, `Über André Loibl |`).
fn without_dangling_separator(mut title: String) -> String {
    loop {
        let trimmed = title.trim_end();
        let Some(last) = trimmed.chars().last() else {
            return title;
        };
        let before = &trimmed[..trimmed.len() - last.len_utf8()];
        if !SEPARATORS.contains(&last) || !before.ends_with(' ') || before.trim().is_empty() {
            return title;
        }
        title = before.trim_end().to_string();
    }
}

/// Whether a `<meta>` title was cut short by a quotation mark its page did not
/// escape (`content="Senator calls Biden "unfit""` ends at `Biden `): the
/// document's `<title>` goes on where it stops, with a quotation mark.
fn cut_at_quote(meta: &str, document: Option<&str>) -> bool {
    document
        .and_then(|d| d.strip_prefix(meta))
        .is_some_and(|rest| rest.trim_start().starts_with('"'))
}

/// Splits `title` at separators written with a space on each side; returns the
/// parts, trimmed.
fn split_parts(title: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in title.char_indices() {
        if SEPARATORS.contains(&c)
            && title[..i].ends_with(' ')
            && title[i + c.len_utf8()..].starts_with(' ')
        {
            parts.push(title[start..i].trim());
            start = i + c.len_utf8();
        }
    }
    parts.push(title[start..].trim());
    parts
}

fn from_document_title(title: &str, c: &Candidates) -> String {
    let parts = split_parts(title);
    let words = |s: &str| word_count(s);
    let mut hierarchical = false;
    let mut cut = if parts.len() > 1 {
        hierarchical = title
            .char_indices()
            .any(|(i, ch)| HIERARCHICAL.contains(&ch) && title[..i].ends_with(' '));
        // Everything before the last separator; if that is too short to be a
        // headline, everything after the first.
        let last = title_before_last_separator(title);
        if words(&last) < 3 {
            title_after_first_separator(title)
        } else {
            last
        }
    } else if title.contains(": ") {
        let is_heading = c.h1.iter().chain(&c.h2).any(|h| h == title);
        if is_heading {
            title.to_string()
        } else {
            let after_last = title.rsplit(':').next().unwrap_or(title).trim();
            let (before_first, after_first) = title.split_once(':').unwrap_or((title, ""));
            if words(before_first) > 5 {
                title.to_string()
            } else if words(after_last) < 3 {
                after_first.trim().to_string()
            } else {
                after_last.to_string()
            }
        }
    } else if (title.chars().count() > 150 || title.chars().count() < 15) && c.h1.len() == 1 {
        c.h1[0].clone()
    } else {
        return title.to_string();
    };
    cut = squash(&cut);
    // A very short result means the separator belonged to the headline, unless the
    // title is a path and the cut dropped exactly its last step.
    let whole_words = parts.iter().map(|p| words(p)).sum::<usize>();
    if words(&cut) <= 4 && (!hierarchical || words(&cut) + 1 != whole_words) {
        return title.to_string();
    }
    cut
}

fn separator_positions(title: &str) -> Vec<(usize, usize)> {
    title
        .char_indices()
        .filter(|(i, ch)| {
            SEPARATORS.contains(ch)
                && title[..*i].ends_with(' ')
                && title[i + ch.len_utf8()..].starts_with(' ')
        })
        .map(|(i, ch)| (i, i + ch.len_utf8()))
        .collect()
}

fn title_before_last_separator(title: &str) -> String {
    match separator_positions(title).last() {
        Some(&(i, _)) => title[..i].trim().to_string(),
        None => title.to_string(),
    }
}

fn title_after_first_separator(title: &str) -> String {
    match separator_positions(title).first() {
        Some(&(_, j)) => title[j..].trim().to_string(),
        None => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str) -> Option<String> {
        pick(&Candidates {
            document: Some(title),
            ..Default::default()
        })
    }

    #[test]
    fn document_title_loses_the_site_name() {
        assert_eq!(
            doc("Obama admits US gun laws are his 'biggest frustration' - BBC News").as_deref(),
            Some("Obama admits US gun laws are his 'biggest frustration'")
        );
        assert_eq!(
            doc("Get your Frontend JavaScript Code Covered | Code | Nicolas Perriault").as_deref(),
            Some("Get your Frontend JavaScript Code Covered | Code")
        );
        assert_eq!(
            doc("Spring floods close the valley road — The Local Courier").as_deref(),
            Some("Spring floods close the valley road")
        );
    }

    #[test]
    fn short_titles_keep_their_separators() {
        // Cutting would leave too little: the separator is part of the name.
        assert_eq!(
            doc("Mozilla - Wikipedia").as_deref(),
            Some("Mozilla - Wikipedia")
        );
        assert_eq!(
            doc("Google - Site Reliability Engineering").as_deref(),
            Some("Google - Site Reliability Engineering")
        );
        // Hyphens inside words are not separators.
        assert_eq!(
            doc("Kim Jong-un meets Putin at Vostochny").as_deref(),
            Some("Kim Jong-un meets Putin at Vostochny")
        );
    }

    #[test]
    fn colon_titles() {
        assert_eq!(
            doc("Daring Fireball: Colophon").as_deref(),
            Some("Daring Fireball: Colophon")
        );
        assert_eq!(
            doc("Outside the web: standalone WebAssembly binaries using Emscripten").as_deref(),
            Some("standalone WebAssembly binaries using Emscripten")
        );
        // A long part before the colon is part of the headline.
        assert_eq!(
            doc("This is a long title with a colon: Hello there").as_deref(),
            Some("This is a long title with a colon: Hello there")
        );
    }

    #[test]
    fn declared_titles_come_first_as_declared() {
        let c = Candidates {
            meta: Some("West Ham threatens the giants | Aktuálně.cz"),
            document: Some("Something else entirely - Aktuálně.cz"),
            h1: vec!["West Ham".into()],
            ..Default::default()
        };
        assert_eq!(
            pick(&c).as_deref(),
            Some("West Ham threatens the giants | Aktuálně.cz")
        );
        // JSON-LD comes before the meta tags; of its headline and name, the one
        // closer to the document title.
        let c = Candidates {
            ld_headline: Some("Wikimedia list article"),
            ld_name: Some("List of films featuring time loops"),
            meta: Some("Something else"),
            document: Some("List of films featuring time loops - Wikipedia"),
            ..Default::default()
        };
        assert_eq!(
            pick(&c).as_deref(),
            Some("List of films featuring time loops")
        );
        let c = Candidates {
            ld_headline: Some("Quake shakes northern Japan"),
            ld_name: Some("quake-page-1"),
            document: Some("Quake shakes northern Japan | Example News"),
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("Quake shakes northern Japan"));
    }

    /// `<meta property="og:title" content="Senator calls Biden "unfit"" />`: the
    /// attribute ends at the unescaped quote; the document title has it all.
    #[test]
    fn a_meta_title_cut_at_an_unescaped_quote_gives_way() {
        let c = Candidates {
            meta: Some("Senador republicano califica a Biden de "),
            document: Some("Senador republicano califica a Biden de \"incapacitado\""),
            ..Default::default()
        };
        assert_eq!(
            pick(&c).as_deref(),
            Some("Senador republicano califica a Biden de \"incapacitado\"")
        );
        // A meta title that is the document title without its site name stands.
        let c = Candidates {
            meta: Some("Senate passes the budget"),
            document: Some("Senate passes the budget | \"The Courier\""),
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("Senate passes the budget"));
    }

    #[test]
    fn placeholders_and_dangling_separators() {
        let c = Candidates {
            ld_headline: Some("escenic"),
            meta: Some("Plumber jailed after boiler killed millionaire's daughter"),
            document: Some("Plumber jailed after boiler killed millionaire's daughter"),
            ..Default::default()
        };
        assert_eq!(
            pick(&c).as_deref(),
            Some("Plumber jailed after boiler killed millionaire's daughter")
        );
        // A JSON-LD headline worded apart from a document title nothing else backs
        // still comes first.
        let c = Candidates {
            ld_headline: Some("Quake shakes northern Japan"),
            document: Some("Home"),
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("Quake shakes northern Japan"));
        assert_eq!(
            doc("Pferdesport definitiv bei Olympia 2028 dabei -").as_deref(),
            Some("Pferdesport definitiv bei Olympia 2028 dabei")
        );
        let c = Candidates {
            meta: Some("Über André Loibl |"),
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("Über André Loibl"));
        // A separator inside a word, or a title that is only one, stays.
        assert_eq!(doc("Spin-off -").as_deref(), Some("Spin-off"));
        assert_eq!(doc("A-").as_deref(), Some("A-"));
        assert_eq!(doc(" |").as_deref(), Some("|"));
    }

    #[test]
    fn a_headline_loses_the_part_that_names_its_site() {
        let t = "BVI Premier Fahie Arrested in USA On Drug Related Charges - The St Kitts Nevis Observer";
        let bare = "BVI Premier Fahie Arrested in USA On Drug Related Charges";
        assert_eq!(without_site_name(t, &["The St Kitts Nevis Observer"]), bare);
        // The host names the site as well as the outlet does.
        assert_eq!(
            without_site_name(t, &["www.thestkittsnevisobserver.com"]),
            bare
        );
        assert_eq!(
            without_site_name(
                "Floods close the valley road | The Courier",
                &["courier.co.uk"]
            ),
            "Floods close the valley road"
        );
        assert_eq!(
            without_site_name("Floods close the valley road | BBC", &["news.bbc.co.uk"]),
            "Floods close the valley road"
        );
        assert_eq!(
            without_site_name(
                "DJZ | Amoklauf in Heidelberg: Rufe nach Aufklärung",
                &["djz.de"]
            ),
            "Amoklauf in Heidelberg: Rufe nach Aufklärung"
        );
        assert_eq!(
            without_site_name(
                "Wellness Gesichtsbehandlung: Plaisir D’Aromes - INCURVY Plus-Size Fashion - BLOG",
                &["INCURVY Plus-Size Fashion - BLOG"]
            ),
            "Wellness Gesichtsbehandlung: Plaisir D’Aromes"
        );
        // A site named twice loses both names.
        assert_eq!(
            without_site_name(
                "La retraite est un archaïsme | AOC media - Analyse Opinion Critique",
                &["AOC media", "aoc.media"]
            ),
            "La retraite est un archaïsme"
        );
        // The site's name before a slogan or a date is cut with them.
        assert_eq!(
            without_site_name(
                "Berlin confronts its colonial past | DW | 19.01.2020",
                &["dw.com"]
            ),
            "Berlin confronts its colonial past"
        );
        // A site's name goes by its initials too.
        assert_eq!(
            without_site_name(
                "Wettstreit der Scheinlösungen | Preußische Allgemeine Zeitung",
                &["paz.de"]
            ),
            "Wettstreit der Scheinlösungen"
        );
        // Two words are a headline; a colon spaced on both sides is a separator.
        assert_eq!(
            without_site_name(
                "Klimavorreiter Oberland? - Tegernseerstimme",
                &["Tegernseerstimme"]
            ),
            "Klimavorreiter Oberland?"
        );
        assert_eq!(
            without_site_name(
                "Vom Boden aus gedacht : literaturkritik.de",
                &["literaturkritik.de"]
            ),
            "Vom Boden aus gedacht"
        );
        assert_eq!(
            without_site_name(
                "Literaturkritik.de: Vom Boden aus gedacht",
                &["literaturkritik.de"]
            ),
            "Literaturkritik.de: Vom Boden aus gedacht"
        );
        // A part that is not the whole site name, a headline left too short, a
        // title without separators: all stay.
        for (t, site) in [
            ("Storm hits the coast - Observer reports", "The Observer"),
            ("Brexit - The Observer", "The Observer"),
            ("Kim Jong-un meets Putin at Vostochny", "Vostochny"),
            (
                "Förderung gestoppt - Bundesregierung ordnet Förderung neu",
                "bmwi.de",
            ),
        ] {
            assert_eq!(without_site_name(t, &[site]), t);
        }
        assert_eq!(
            without_site_name("Kim meets Putin - BBC", &[]),
            "Kim meets Putin - BBC"
        );
    }

    #[test]
    fn a_slug_declared_as_the_title_gives_way() {
        let c = Candidates {
            meta: Some("adac-kindersitztest-herbst-2018"),
            document: Some("Kindersitztest 2018: vier Modelle fallen durch | ADAC"),
            ..Default::default()
        };
        assert_eq!(
            pick(&c).as_deref(),
            Some("Kindersitztest 2018: vier Modelle fallen durch")
        );
        let c = Candidates {
            ld_headline: Some("quake_shakes_japan"),
            meta: Some("Quake shakes northern Japan"),
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("Quake shakes northern Japan"));
        // Hyphenated words and short codes are titles.
        for t in ["covid-19", "Tour-de-France-Etappe", "k-pop-news now"] {
            assert!(!slug_shaped(t), "{t}");
        }
    }

    #[test]
    fn h1_only_without_a_usable_document_title() {
        let c = Candidates {
            document: None,
            h1: vec!["Quake shakes northern Japan".into()],
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("Quake shakes northern Japan"));
        let c = Candidates {
            document: Some("Home"),
            h1: vec!["Quake shakes northern Japan overnight".into()],
            ..Default::default()
        };
        assert_eq!(
            pick(&c).as_deref(),
            Some("Quake shakes northern Japan overnight")
        );
        // A short <h1> is no better than a short <title>.
        let c = Candidates {
            document: Some("RTL Test"),
            h1: vec!["Lorem".into()],
            ..Default::default()
        };
        assert_eq!(pick(&c).as_deref(), Some("RTL Test"));
    }
}
