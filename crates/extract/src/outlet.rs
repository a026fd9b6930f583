//! Outlets and wire agencies.
//!
//! The outlet is the publication that ran the article. It comes from the article's URL
//! (its registered domain, found with the Public Suffix List so that `bbc.co.uk` and
//! `news.bbc.co.uk` are one site), or from the page's own metadata. A known domain gets
//! its display name from `data/outlets.tsv`; an unknown one is shown as the registered
//! domain. With no URL and no metadata, the outlet is unknown: never guessed from
//! style or subject.
//!
//! The wire agency is separate: an AP story run by a local station has the station as
//! its outlet and AP as its wire. It comes from credits in the byline, the dateline
//! (`WASHINGTON (AP) —`) or a closing credit line, never from photo credits.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

static OUTLETS: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| {
    include_str!("../data/outlets.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect()
});

/// The host of a URL, lowercased, without `www.`.
pub fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// The registered domain (`news.bbc.co.uk` → `bbc.co.uk`).
pub fn registered_domain(host: &str) -> Option<String> {
    let d = psl::domain(host.as_bytes())?;
    std::str::from_utf8(d.as_bytes()).ok().map(str::to_string)
}

/// A site's name reduced to its letters and digits, accents and case aside, for
/// comparing how a page writes its site's name with the site's domain
/// (`Aktuálně.cz` and `aktualne.cz`, `The St Kitts Nevis Observer` and
/// `thestkittsnevisobserver`).
pub(crate) fn name_letters(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfkd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The outlet's display name from an article URL.
pub fn outlet_from_url(url: &str) -> Option<String> {
    let host = host(url)?;
    if let Some(name) = OUTLETS.get(host.as_str()) {
        return Some(name.to_string());
    }
    let domain = registered_domain(&host)?;
    Some(
        OUTLETS
            .get(domain.as_str())
            .map_or(domain.clone(), |n| n.to_string()),
    )
}

/// Normalises an outlet given by the input: a URL becomes its outlet name; a bare
/// name is kept as given.
pub fn outlet_from_hint(hint: &str) -> String {
    let h = hint.trim();
    if h.starts_with("http://") || h.starts_with("https://") {
        if let Some(o) = outlet_from_url(h) {
            return o;
        }
    }
    h.to_string()
}

/// Wire agencies: canonical short name and the ways articles credit them.
const AGENCIES: &[(&str, &[&str])] = &[
    ("AP", &["AP", "Associated Press", "The Associated Press"]),
    ("Reuters", &["Reuters", "Thomson Reuters"]),
    (
        "AFP",
        &["AFP", "Agence France-Presse", "Agence France Presse"],
    ),
    ("dpa", &["dpa", "DPA", "Deutsche Presse-Agentur"]),
    ("EFE", &["EFE"]),
    ("ANSA", &["ANSA"]),
    ("Xinhua", &["Xinhua"]),
    ("TASS", &["TASS"]),
    ("Kyodo", &["Kyodo", "Kyodo News"]),
    ("Yonhap", &["Yonhap"]),
    ("PA", &["PA", "PA Media", "Press Association"]),
    ("UPI", &["UPI", "United Press International"]),
    ("Bloomberg", &["Bloomberg", "Bloomberg News"]),
    ("CNA", &["CNA"]),
    ("ANI", &["ANI"]),
    ("PTI", &["PTI", "Press Trust of India"]),
];

/// The agency an exact credit names (`The Associated Press` → `AP`).
pub fn agency(name: &str) -> Option<&'static str> {
    let n = name.trim().trim_matches(|c: char| !c.is_alphanumeric());
    AGENCIES
        .iter()
        .find(|(_, names)| {
            names
                .iter()
                .any(|x| x.eq_ignore_ascii_case(n) && (x.len() > 3 || *x == n))
        })
        .map(|(short, _)| *short)
}

/// A name followed by its agency affiliation (`MARK ALLEN Associated Press`): the
/// name and the agency, when what precedes the agency is at least two words.
pub fn trailing_agency(s: &str) -> Option<(&str, &'static str)> {
    AGENCIES
        .iter()
        .flat_map(|(short, names)| names.iter().map(move |n| (*short, *n)))
        .filter(|(_, n)| n.len() > 3)
        .filter_map(|(short, n)| {
            let rest = s.strip_suffix(n)?;
            // The agency must be a whole word run, not the end of a longer word.
            rest.ends_with(' ').then(|| (rest.trim(), short, n.len()))
        })
        .filter(|(rest, _, _)| rest.split_whitespace().count() >= 2)
        .max_by_key(|(_, _, len)| *len)
        .map(|(rest, short, _)| (rest, short))
}

/// A wire credit in a lede or closing line: `WASHINGTON (AP) —`, `(Reuters) -`,
/// `— Reuters`, `MOSCOW, Sept 5 (Reuters) -`.
pub fn wire_in_line(line: &str) -> Option<&'static str> {
    static PAREN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[^()]{0,80}\(([A-Za-z][A-Za-z .-]{1,40})\)\s*[-—–]").unwrap()
    });
    static CLOSING: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*[-—–]\s*([A-Za-z][A-Za-z .-]{1,40}?)\s*$").unwrap());
    if let Some(c) = PAREN.captures(line) {
        if let Some(a) = agency(&c[1]) {
            return Some(a);
        }
    }
    if let Some(c) = CLOSING.captures(line) {
        return agency(&c[1]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlets_from_urls() {
        let mt = "https://www.themoscowtimes.com/2019/04/18/kim-jong-un-will-meet-putin-this-month-kremlin-a65296";
        assert_eq!(outlet_from_url(mt).as_deref(), Some("The Moscow Times"));
        assert_eq!(
            outlet_from_url("https://news.bbc.co.uk/x").as_deref(),
            Some("BBC")
        );
        assert_eq!(
            outlet_from_url("https://www.some-local-paper.co.uk/a").as_deref(),
            Some("some-local-paper.co.uk")
        );
        assert_eq!(outlet_from_url("not a url"), None);
        assert_eq!(
            outlet_from_hint("https://www.offshore-energy.biz/"),
            "offshore-energy.biz"
        );
        assert_eq!(outlet_from_hint("nyt"), "nyt");
    }

    #[test]
    fn wire_credits() {
        assert_eq!(
            wire_in_line("WASHINGTON (AP) — A U.S. official said Monday"),
            Some("AP")
        );
        assert_eq!(
            wire_in_line("MOSCOW, Sept 5 (Reuters) - Russia said"),
            Some("Reuters")
        );
        assert_eq!(wire_in_line("— Reuters"), Some("Reuters"));
        assert_eq!(
            wire_in_line("SEOUL (Yonhap) -- North Korea"),
            Some("Yonhap")
        );
        assert_eq!(wire_in_line("He said (quietly) - no"), None);
        assert_eq!(agency("The Associated Press"), Some("AP"));
        assert_eq!(agency("Lou Kesten"), None);
        assert_eq!(agency("ap"), None, "two-letter credits must be exact-case");
        assert_eq!(
            trailing_agency("MARK ALLEN Associated Press"),
            Some(("MARK ALLEN", "AP"))
        );
        assert_eq!(
            trailing_agency("Jane Doe The Associated Press"),
            Some(("Jane Doe", "AP"))
        );
        assert_eq!(
            trailing_agency("Jane Doe Agence France-Presse"),
            Some(("Jane Doe", "AFP"))
        );
        assert_eq!(trailing_agency("Associated Press"), None);
    }
}
