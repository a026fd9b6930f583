//! Languages that capitalise every noun (German): there a capitalised word is no sign
//! of a name, and without this every noun of a German text (`Prozent`, `Bericht`,
//! `Jahr`) was one of its entities.
//!
//! The text itself says which capitalised words are common nouns: those it writes
//! right after an article, a determiner or a number (`der Bericht`, `im Jahr`,
//! `keine Angaben`, `10 Minuten`). A name seldom follows one; the names that do
//! (`die Schweiz`, `der Iran`, `die Grünen`) are listed, and acronyms are kept (`die
//! SPD`). A lone word so determined is no name. A run of two capitalised words or
//! more inside a sentence is one (`die Deutsche Bank`), but where it opens the
//! sentence, its words that the text also writes in lower case (`Alle` / `alle`,
//! `Weitere` / `weitere`) are capitalised for that and are not part of it.

use std::collections::HashSet;

use crate::entity_key;

/// Whether a language capitalises its nouns.
pub fn capitalises_nouns(lang: Option<&str>) -> bool {
    matches!(lang, Some("de"))
}

/// German articles, articles joined to a preposition, and determiners, in lower case:
/// the word after one is a noun (or an adjective used as one).
const DETERMINERS: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
    "im", "am", "zum", "zur", "vom", "beim", "ins", "ans", "aufs", "fürs", "ums", "kein", "keine",
    "keinen", "keinem", "keiner", "keines", "dieser", "diese", "dieses", "diesen", "diesem",
    "jener", "jene", "jenes", "jeder", "jede", "jedes", "jeden", "jedem", "mein", "meine",
    "meinen", "meinem", "meiner", "sein", "seine", "seinen", "seinem", "seiner", "seines", "ihre",
    "ihren", "ihrem", "ihrer", "ihres", "unser", "unsere", "unseren", "unserem", "unserer",
    "welcher", "welche", "welches", "welchen", "alle", "allen", "aller", "viele", "vielen",
    "vieler", "einige", "einigen", "mehrere", "mehreren", "manche", "manchen", "wenige", "wenigen",
    "beide", "beiden", "solche", "solchen",
];

/// Names German writes with an article: countries and regions, seas, rivers and
/// mountains, parties and bodies (`die Schweiz`, `der Rhein`, `die Grünen`).
const NAMES_WITH_ARTICLE: &[&str] = &[
    "Schweiz",
    "Türkei",
    "Ukraine",
    "Slowakei",
    "Mongolei",
    "Niederlande",
    "Philippinen",
    "Malediven",
    "Seychellen",
    "Bahamas",
    "Iran",
    "Irak",
    "Jemen",
    "Libanon",
    "Sudan",
    "Südsudan",
    "Tschad",
    "Kongo",
    "Niger",
    "Senegal",
    "Vatikan",
    "Krim",
    "Arktis",
    "Antarktis",
    "Karibik",
    "Sahara",
    "Pfalz",
    "Lausitz",
    "Eifel",
    "Toskana",
    "Provence",
    "Bretagne",
    "Normandie",
    "Lombardei",
    "Balkan",
    "Kaukasus",
    "Rhein",
    "Elbe",
    "Donau",
    "Oder",
    "Main",
    "Spree",
    "Mosel",
    "Weser",
    "Ems",
    "Havel",
    "Saale",
    "Neckar",
    "Alpen",
    "Harz",
    "Bodensee",
    "Nordsee",
    "Ostsee",
    "Mittelmeer",
    "Bundesrepublik",
    "Bundesregierung",
    "Bundeswehr",
    "Bundestag",
    "Bundesrat",
    "Bundesbank",
    "Bundesliga",
    "Kreml",
    "Weltbank",
    "Hamas",
    "Hisbollah",
    "Taliban",
    "Linke",
    "Linken",
    "Grüne",
    "Grünen",
    "Union",
    "Bahn",
];

/// What a German text says of its capitalised words.
pub struct Evidence<'t> {
    /// Keys of the words the text writes right after an article or determiner.
    nouns: HashSet<String>,
    /// Words the text writes in lower case, as written.
    lower: HashSet<&'t str>,
}

impl<'t> Evidence<'t> {
    pub fn of(text: &'t str) -> Evidence<'t> {
        let mut nouns = HashSet::new();
        let mut lower = HashSet::new();
        let mut after_determiner = false;
        for raw in text.split_whitespace() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let Some(first) = w.chars().next() else {
                after_determiner = false;
                continue;
            };
            if first.is_uppercase() && after_determiner {
                nouns.insert(entity_key(w));
            }
            if first.is_lowercase() {
                lower.insert(w);
            }
            // A determiner counts within its phrase only: not across punctuation.
            let ends_phrase = raw.ends_with(|c: char| !c.is_alphanumeric());
            after_determiner = !ends_phrase && is_determiner(w);
        }
        Evidence { nouns, lower }
    }

    /// A capitalised run as a name, if it is one. Where it opens a sentence
    /// (`at_start`), the words the text also writes in lower case are capitalised for
    /// that and dropped from its front (`Alle Angaben` → `Angaben`). A lone word left
    /// is no name when the text determines it (`der Bericht`), or when it opens the
    /// sentence and the text writes it in lower case too. A run of two words or more
    /// is kept: a capital inside a sentence on an adjective is a name's (`die
    /// Deutsche Bank`, though the text goes on with `der Bank`).
    pub fn name<'a>(&self, run: &'a str, at_start: bool) -> Option<&'a str> {
        let mut rest = run.trim();
        if at_start {
            while let Some((first, tail)) = rest.split_once(' ') {
                if !self.lower.contains(first.to_lowercase().as_str()) {
                    break;
                }
                rest = tail.trim_start();
            }
        }
        if rest.contains(' ') {
            return Some(rest);
        }
        // Acronyms are names with an article as often as not (`die SPD`, `der OECD`,
        // `der KfW`, `die BaFin`): a word with two capitals or more.
        let acronym = rest.chars().filter(|c| c.is_uppercase()).count() >= 2;
        let noun = self.nouns.contains(&entity_key(rest))
            && !NAMES_WITH_ARTICLE.contains(&rest)
            && !acronym;
        let lowered = at_start && self.lower.contains(rest.to_lowercase().as_str());
        (!noun && !lowered).then_some(rest)
    }
}

fn is_determiner(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit())
        || (w.chars().count() <= 8 && {
            let w = w.to_lowercase();
            DETERMINERS.contains(&w.as_str()) || NUMBERS.contains(&w.as_str())
        })
}

const NUMBERS: &[&str] = &[
    "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
    "zwanzig", "dreißig", "hundert", "tausend",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_german_text_says_which_capitalised_words_are_nouns() {
        let text = "Der Bericht der OECD nennt Zahlen. Laut dem Bericht trinken die \
                    Österreicher im Jahr zwölf Liter. Alle Angaben sind Schätzungen, sagte \
                    Gesundheitsminister Johannes Rauch. Rauch will alle Daten prüfen. \
                    Die Schweiz liegt vorn, die Türkei hinten.";
        let ev = Evidence::of(text);
        // Nouns after an article: not names, wherever they stand.
        assert_eq!(ev.name("Bericht", true), None);
        assert_eq!(ev.name("Jahr", false), None);
        // A sentence's capitalised determiner opens no name; what is left is a noun.
        assert_eq!(ev.name("Alle Angaben", true), None);
        // Names: never after an article, or written with one as names are.
        assert_eq!(ev.name("Johannes Rauch", false), Some("Johannes Rauch"));
        assert_eq!(ev.name("Rauch", true), Some("Rauch"));
        assert_eq!(ev.name("OECD", false), Some("OECD"));
        assert_eq!(ev.name("Schweiz", false), Some("Schweiz"));
        assert_eq!(ev.name("Türkei", false), Some("Türkei"));
        // A role before a name stays for the entity rules to fold.
        assert_eq!(
            ev.name("Gesundheitsminister Johannes Rauch", false),
            Some("Gesundheitsminister Johannes Rauch")
        );
        let ev = Evidence::of("Die Förderung der KfW endet, sagte die BaFin.");
        assert_eq!(ev.name("KfW", false), Some("KfW"));
        assert_eq!(ev.name("BaFin", false), Some("BaFin"));
        assert_eq!(ev.name("Förderung", true), None);
    }

    #[test]
    fn a_name_of_words_the_text_also_uses_as_nouns_stays_a_name() {
        // `Deutsche` after `die`, `Bank` after `der`, `deutsche` in lower case: inside
        // a sentence the two capitals together are still the bank's name.
        let ev = Evidence::of(
            "Gewinn bei der Deutschen Bank. Nun meldet die Deutsche Bank mehr. Der Bank \
             zufolge wächst die deutsche Wirtschaft. Weitere Zahlen folgen, weitere nicht.",
        );
        assert_eq!(ev.name("Deutsche Bank", false), Some("Deutsche Bank"));
        assert_eq!(ev.name("Bank", false), None);
        // Opening a sentence, a word the text writes in lower case is capitalised
        // for that.
        assert_eq!(ev.name("Weitere Zahlen", true), Some("Zahlen"));
        assert_eq!(ev.name("Weitere", true), None);
    }

    #[test]
    fn only_languages_that_capitalise_nouns_are_read_so() {
        assert!(capitalises_nouns(Some("de")));
        assert!(!capitalises_nouns(Some("en")));
        assert!(!capitalises_nouns(None));
    }
}
