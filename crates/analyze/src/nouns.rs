//! Languages that capitalise every noun (German): there a capitalised word is no sign
//! of a name, and without this every noun of a German text (`Prozent`, `Bericht`,
//! `Jahr`) was one of its entities.
//!
//! The text itself says which capitalised words are common nouns: those it writes
//! right after an article, a determiner or a number (`der Bericht`, `im Jahr`,
//! `keine Angaben`, `10 Minuten`). A name seldom follows one; the names that do (`die Schweiz`, `der
//! Iran`, `die Grünen`) are listed, and acronyms are kept (`die SPD`). And a capitalised word the text also writes in
//! lower case (`Alle` / `alle`, `Weitere` / `weitere`, `Fünf` / `fünf`) opens no
//! name: it is capitalised for opening a sentence or a heading.

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
pub struct Evidence {
    /// Keys of the words the text writes right after an article or determiner.
    nouns: HashSet<String>,
    /// Words the text writes in lower case, as written.
    lower: HashSet<String>,
}

impl Evidence {
    pub fn of(text: &str) -> Evidence {
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
                lower.insert(w.to_string());
            }
            // A determiner counts within its phrase only: not across punctuation.
            let ends_phrase = raw.ends_with(|c: char| !c.is_alphanumeric());
            after_determiner = !ends_phrase && is_determiner(w);
        }
        Evidence { nouns, lower }
    }

    /// A capitalised run as a name, if it is one: without the words that open it
    /// only for opening a sentence (written in lower case elsewhere in the text), and
    /// none when every word left is a common noun by the text's own articles.
    pub fn name<'a>(&self, run: &'a str) -> Option<&'a str> {
        let mut rest = run.trim();
        while let Some((first, tail)) = rest.split_once(' ') {
            if !self.lower.contains(&first.to_lowercase()) {
                break;
            }
            rest = tail.trim_start();
        }
        if !rest.contains(' ') && self.lower.contains(&rest.to_lowercase()) {
            return None;
        }
        // Acronyms are names with an article as often as not (`die SPD`, `der OECD`,
        // `der KfW`, `die BaFin`): a word with two capitals or more.
        let acronym = |w: &str| w.chars().filter(|c| c.is_uppercase()).count() >= 2;
        let all_nouns = rest.split(' ').all(|w| {
            self.nouns.contains(&entity_key(w)) && !NAMES_WITH_ARTICLE.contains(&w) && !acronym(w)
        });
        (!all_nouns).then_some(rest)
    }
}

/// An article or determiner, or a number (`10 Minuten`, `zwei Jahre`): what comes
/// right after one is counted or determined, a noun.
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
        // Nouns after an article: not names.
        assert_eq!(ev.name("Bericht"), None);
        assert_eq!(ev.name("Jahr"), None);
        // A sentence's capitalised determiner opens no name; what is left is a noun.
        assert_eq!(ev.name("Alle Angaben"), None);
        // Names: never after an article, or written with one as names are.
        assert_eq!(ev.name("Johannes Rauch"), Some("Johannes Rauch"));
        assert_eq!(ev.name("Rauch"), Some("Rauch"));
        assert_eq!(ev.name("OECD"), Some("OECD"));
        let ev = Evidence::of("Die Förderung der KfW endet, sagte die BaFin.");
        assert_eq!(ev.name("KfW"), Some("KfW"));
        assert_eq!(ev.name("BaFin"), Some("BaFin"));
        assert_eq!(ev.name("Förderung"), None);
        assert_eq!(ev.name("Schweiz"), Some("Schweiz"));
        assert_eq!(ev.name("Türkei"), Some("Türkei"));
        // A role before a name stays for the entity rules to fold.
        assert_eq!(
            ev.name("Gesundheitsminister Johannes Rauch"),
            Some("Gesundheitsminister Johannes Rauch")
        );
    }

    #[test]
    fn only_languages_that_capitalise_nouns_are_read_so() {
        assert!(capitalises_nouns(Some("de")));
        assert!(!capitalises_nouns(Some("en")));
        assert!(!capitalises_nouns(None));
    }
}
