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

/// The languages that capitalise their nouns, by code.
pub const NOUN_CAPITALISING: &[&str] = &["de"];

/// Whether a language capitalises its nouns.
pub fn capitalises_nouns(lang: Option<&str>) -> bool {
    lang.is_some_and(|l| NOUN_CAPITALISING.contains(&l))
}

/// German articles, articles joined to a preposition, and determiners and the
/// quantifiers used as ones (`weitere`, `zahlreiche`, `verschiedene`), in lower case:
/// the word after one is a noun (or an adjective used as one).
const DETERMINERS: &[&str] = &[
    "der",
    "die",
    "das",
    "den",
    "dem",
    "des",
    "ein",
    "eine",
    "einen",
    "einem",
    "einer",
    "eines",
    "im",
    "am",
    "zum",
    "zur",
    "vom",
    "beim",
    "ins",
    "ans",
    "aufs",
    "fürs",
    "ums",
    "kein",
    "keine",
    "keinen",
    "keinem",
    "keiner",
    "keines",
    "dieser",
    "diese",
    "dieses",
    "diesen",
    "diesem",
    "jener",
    "jene",
    "jenes",
    "jeder",
    "jede",
    "jedes",
    "jeden",
    "jedem",
    "mein",
    "meine",
    "meinen",
    "meinem",
    "meiner",
    "sein",
    "seine",
    "seinen",
    "seinem",
    "seiner",
    "seines",
    "ihre",
    "ihren",
    "ihrem",
    "ihrer",
    "ihres",
    "unser",
    "unsere",
    "unseren",
    "unserem",
    "unserer",
    "welcher",
    "welche",
    "welches",
    "welchen",
    "alle",
    "allen",
    "aller",
    "viele",
    "vielen",
    "vieler",
    "einige",
    "einigen",
    "mehrere",
    "mehreren",
    "manche",
    "manchen",
    "wenige",
    "wenigen",
    "beide",
    "beiden",
    "solche",
    "solchen",
    "deren",
    "dessen",
    "derer",
    "weitere",
    "weiteren",
    "weiterer",
    "weiteres",
    "weiterem",
    "andere",
    "anderen",
    "anderer",
    "anderes",
    "anderem",
    "zahlreiche",
    "zahlreichen",
    "zahlreicher",
    "verschiedene",
    "verschiedenen",
    "verschiedener",
    "einzelne",
    "einzelnen",
    "einzelner",
    "übrige",
    "übrigen",
];

/// Names German writes with an article: countries and regions, seas, rivers and
/// mountains, parties and bodies (`die Schweiz`, `der Rhein`, `die Grünen`, `die
/// Nato`).
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
    // Bodies whose acronyms German writes as words (`die Nato`, `die Uno`).
    "Nato",
    "Uno",
    "Opec",
    "Nasa",
    "Fifa",
    "Uefa",
    "Unesco",
    "Unicef",
];

/// What a German text says of its capitalised words.
pub struct Evidence<'t> {
    /// Keys of the words the text writes right after an article, a determiner or a
    /// number of up to three digits (`10 Minuten`).
    nouns: HashSet<String>,
    /// Keys of the words the text writes right after weaker determiners only: a
    /// longer number, a year (`2023 Matthew Hougan`) or an image's size in the page's
    /// chrome; or an article where a relative clause may open, where it may be a
    /// relative pronoun (`…, das Adolf Hitler …`, `…, in der Jaeger …`).
    weakly_determined: HashSet<String>,
    /// Words the text writes in lower case, as written.
    lower: HashSet<&'t str>,
    /// Keys of the words the text writes as a noun standing alone: right after an
    /// article or determiner (not where a relative clause may open), with no
    /// capitalised word after it in the phrase (`die Ängste`, not `die Deutsche
    /// Bank`). Names written with an article and acronyms are not among them. The
    /// surest evidence a text gives that a word is a common noun, kept so that the
    /// store can count it across texts (see [`Evidence::lone_nouns`]).
    lone: HashSet<String>,
}

/// What a word is to the capitalised word right after it.
enum Before {
    Nothing,
    Determiner,
    /// A longer number, or an article that may be a relative pronoun.
    Weak,
}

impl<'t> Evidence<'t> {
    pub fn of(text: &'t str) -> Evidence<'t> {
        let mut nouns = HashSet::new();
        let mut weakly_determined = HashSet::new();
        let mut lower = HashSet::new();
        let mut lone = HashSet::new();
        // A word after a determiner, until the next word says whether it stands alone.
        let mut pending: Option<String> = None;
        // Whether the word before is a number after a name (`iPhone 14 Max`,
        // `Windows 11 Home`), a model's rather than a count.
        let mut model_number = false;
        // Whether the word before has a capital letter.
        let mut named = false;
        let mut before = Before::Nothing;
        // Where a relative clause may open: right after a comma, or after a comma
        // and a preposition (`, das Adolf Hitler …`, `, in der Jaeger …`). An
        // article there may be a relative pronoun, and the capitalised word after it
        // the clause's subject, a name as often as a noun.
        let mut clause_opens = false;
        for raw in text.split_whitespace() {
            let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let Some(first) = w.chars().next() else {
                before = Before::Nothing;
                clause_opens = false;
                lone.extend(pending.take());
                continue;
            };
            // The word before stood alone unless this one goes on its name.
            if let Some(p) = pending.take() {
                if !first.is_uppercase() {
                    lone.insert(p);
                }
            }
            if first.is_uppercase() {
                match before {
                    Before::Determiner => {
                        let key = entity_key(w);
                        if !named_with_article(w) && !FORMAL_PRONOUNS.contains(&w) && !model_number
                        {
                            pending = Some(key.clone());
                        }
                        nouns.insert(key);
                    }
                    Before::Weak => {
                        weakly_determined.insert(entity_key(w));
                    }
                    Before::Nothing => {}
                }
            }
            if first.is_lowercase() {
                lower.insert(w);
            }
            // A determiner counts within its phrase only: not across punctuation.
            let ends_phrase = raw.ends_with(|c: char| !c.is_alphanumeric());
            if ends_phrase {
                lone.extend(pending.take());
            }
            let number = w.bytes().all(|b| b.is_ascii_digit());
            model_number = number && named;
            named = w.chars().any(char::is_uppercase);
            let relative = clause_opens && RELATIVE_PRONOUNS.contains(&w);
            clause_opens = raw.ends_with(',') || (clause_opens && PREPOSITIONS.contains(&w));
            before = if ends_phrase {
                Before::Nothing
            } else if number {
                // A number of up to three digits counts (`10 Minuten`); a longer one
                // is a year or a size more often than a count.
                if w.len() > 3 {
                    Before::Weak
                } else {
                    Before::Determiner
                }
            } else if !is_determiner_word(w) {
                Before::Nothing
            } else if relative {
                Before::Weak
            } else {
                Before::Determiner
            };
        }
        lone.extend(pending);
        Evidence {
            nouns,
            weakly_determined,
            lower,
            lone,
        }
    }

    /// The keys of the words the text writes as lone nouns after an article or a
    /// determiner (`die Ängste`, `im Jahr`), sorted. A word some German text of the
    /// store writes so is a common noun wherever else it stands alone undetermined
    /// (`Ängste` opening a sentence of another text): what one text cannot tell of
    /// its own words, the store's texts together can.
    pub fn lone_nouns(&self) -> Vec<String> {
        let mut v: Vec<String> = self.lone.iter().cloned().collect();
        v.sort_unstable();
        v
    }

    /// Whether the text uses a capitalised word as a common word: it writes it right
    /// after an article, a determiner or a short number (`die Drohne`, `5 Milliarden`),
    /// or in lower case (`Typische`, `typische`). A year before a word says nothing of
    /// it (`October 13, 2023 Matthew Hougan`), nor does an article that may be a
    /// relative pronoun (`…, den Hitler benutzt habe`). ([`Evidence::name`] counts
    /// both: there, dropping a lone name costs less than keeping every noun so
    /// written.) The names written with an article and acronyms are not common
    /// words; the polite pronouns are (`Schauen Sie`, `Ihr Einkommen`).
    pub fn is_common(&self, word: &str) -> bool {
        if named_with_article(word) {
            return false;
        }
        FORMAL_PRONOUNS.contains(&word)
            || self.nouns.contains(&entity_key(word))
            || self.lower.contains(word.to_lowercase().as_str())
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
        let noun = !named_with_article(rest) && {
            let key = entity_key(rest);
            self.nouns.contains(&key) || self.weakly_determined.contains(&key)
        };
        let lowered = at_start && self.lower.contains(rest.to_lowercase().as_str());
        (!noun && !lowered).then_some(rest)
    }
}

/// The endings German gives a noun in its cases and its plural (`Getränk`, `des
/// Getränks`, `die Getränke`, `den Getränken`; `das Ergebnis`, `die Ergebnisse`),
/// and the feminine's (`Anwohnerin`, `Anwohnerinnen`), after the umlaut is folded
/// away (`Dach`, `Dächern`).
const NOUN_ENDINGS: &[&str] = &[
    "e", "en", "n", "er", "ern", "s", "es", "ens", "ns", "nen", "se", "sen", "in", "innen",
];

/// The shortest stem an ending is taken from or added to: shorter ones are as often
/// another word's (`Co`, `coin`; `Man`, `Mann`).
const SHORTEST_STEM: usize = 4;

/// The keys ([`entity_key`]) the German noun with key `key` may take in its other
/// cases and numbers: the key with one of [`NOUN_ENDINGS`] added (`getrank` →
/// `getranke`, `getranken`, …) or taken off (`getranken` → `getranke`, `getrank`),
/// the stem kept at least [`SHORTEST_STEM`] letters long. A store that writes one of
/// them as a lone noun (`die Getränke`) knows the word for a noun in the forms its
/// texts do not determine (`Getränken` opening a sentence). None for a key of more
/// than one word, nor for, or towards, a name German writes with an article
/// (`Bundestag`, `des Bundestags`). Sorted, each once.
pub fn other_forms(key: &str) -> Vec<String> {
    if key.contains(' ') || !key.chars().all(char::is_alphabetic) || named_with_article_key(key) {
        return Vec::new();
    }
    let letters = key.chars().count();
    let mut forms = Vec::new();
    for e in NOUN_ENDINGS {
        if letters >= SHORTEST_STEM {
            forms.push(format!("{key}{e}"));
        }
        if let Some(stem) = key.strip_suffix(e) {
            if stem.chars().count() >= SHORTEST_STEM && !named_with_article_key(stem) {
                forms.push(stem.to_string());
            }
        }
    }
    forms.sort_unstable();
    forms.dedup();
    forms
}

/// Where [`other_forms`] of `key` lie among sorted keys: the prefix they all begin
/// with (the shortest stem, `getrank` for `getranken`) and the most characters one
/// holds (the key with the longest ending). None when it has none.
pub fn other_forms_range(key: &str) -> Option<(&str, usize)> {
    let forms = other_forms(key);
    let shortest = forms.iter().map(String::len).min()?;
    let prefix = if shortest < key.len() {
        &key[..shortest]
    } else {
        key
    };
    let longest = key.chars().count() + NOUN_ENDINGS.iter().map(|e| e.len()).max().unwrap_or(0);
    Some((prefix, longest))
}

/// Whether a key is that of one of [`NAMES_WITH_ARTICLE`].
fn named_with_article_key(key: &str) -> bool {
    static KEYS: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| NAMES_WITH_ARTICLE.iter().map(|n| entity_key(n)).collect())
        .contains(key)
}

/// A word German writes with an article though it names something: one of
/// [`NAMES_WITH_ARTICLE`], or an acronym, which takes one as often as not (`die SPD`,
/// `der OECD`, `der KfW`, `die BaFin`: a word with two capitals or more).
fn named_with_article(word: &str) -> bool {
    NAMES_WITH_ARTICLE.contains(&word) || word.chars().filter(|c| c.is_uppercase()).count() >= 2
}

/// Whether a word is an article, a determiner or a number written out, in any case.
/// Only a capitalised word (a sentence's first) is lower-cased to be looked up: the
/// others are compared as written, without an allocation per word of the text.
fn is_determiner_word(w: &str) -> bool {
    if w.chars().count() > LONGEST_DETERMINER {
        return false;
    }
    let listed = |w: &str| DETERMINERS.contains(&w) || NUMBERS.contains(&w);
    if w.chars().any(char::is_uppercase) {
        listed(&w.to_lowercase())
    } else {
        listed(w)
    }
}

/// The longest of [`DETERMINERS`] and [`NUMBERS`], in characters (`verschiedener`).
const LONGEST_DETERMINER: usize = 13;

/// The polite forms of address, which German capitalises.
const FORMAL_PRONOUNS: &[&str] = &[
    "Sie", "Ihnen", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihres",
];

/// Whether a word, capitalised as written (`Sie`, `Viele`, `Aber`; not `SIE`), is one
/// German capitalises only to open a sentence or a heading, or to address the reader,
/// and no name holds: the determiners other than the articles (`Die Linke`, `Der
/// Spiegel`, `Das Erste` are names) and the contractions that open the names of inns,
/// clubs and streets (`Zur Rose`, `Salon Zur Wilden Renate`, `Am Kupfergraben`), the
/// forms of address, and [`FUNCTION_WORDS`].
/// A run of capitals that holds one is cut there (`Verabschieden Sie`, `Viele
/// Teilnehmerinnen`, `Afroshop Aber`).
pub fn never_in_a_name(word: &str) -> bool {
    // The capitalised forms, built once: a lookup per word of every German run, on
    // ingest's path, without lower-casing each.
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    let set = SET.get_or_init(|| {
        let capitalised = |w: &&str| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        };
        DETERMINERS
            .iter()
            .filter(|w| !ARTICLES.contains(w) && !NAME_OPENERS.contains(w))
            .chain(FUNCTION_WORDS)
            .map(capitalised)
            .chain(FORMAL_PRONOUNS.iter().map(|w| w.to_string()))
            .collect()
    });
    set.contains(word)
}

/// The months in German (and Austria's `Jänner`, `Feber`).
pub const GERMAN_MONTHS: &[&str] = &[
    "Januar",
    "Jänner",
    "Februar",
    "Feber",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];

/// The heads of the German nouns that name a person by a role or a trade, as German
/// writes them before a name, alone or closing a compound (`Innenministerin Nancy
/// Faeser`, `Vizekanzler Robert Habeck`, `Linken-Politikerin Sahra Wagenknecht`,
/// `Bayern-Trainer Thomas Tuchel`), and in the genitive (`des SPD-Parteivorsitzenden
/// Martin Schulz`, `des US-Vizepräsidenten Mike Pence`), in lower case.
const ROLE_HEADS: &[&str] = &[
    "minister",
    "ministerin",
    "ministers",
    "präsident",
    "präsidentin",
    "präsidenten",
    "kanzler",
    "kanzlerin",
    "kanzlers",
    "sprecher",
    "sprecherin",
    "sprechers",
    "chef",
    "chefin",
    "chefs",
    "vorsitzende",
    "vorsitzender",
    "vorsitzenden",
    "direktor",
    "direktorin",
    "direktors",
    "bürgermeister",
    "bürgermeisterin",
    "bürgermeisters",
    "sekretär",
    "sekretärin",
    "sekretärs",
    "leiter",
    "leiterin",
    "leiters",
    "trainer",
    "trainerin",
    "trainers",
    "coach",
    "gründer",
    "gründerin",
    "gründers",
    "führer",
    "führerin",
    "führers",
    "experte",
    "expertin",
    "experten",
    "politiker",
    "politikerin",
    "politikers",
    "abgeordnete",
    "abgeordneter",
    "abgeordneten",
    "kandidat",
    "kandidatin",
    "kandidaten",
    "moderator",
    "moderatorin",
    "moderators",
    "autor",
    "autorin",
    "autors",
    "journalist",
    "journalistin",
    "journalisten",
    "reporter",
    "reporterin",
    "reporters",
    "forscher",
    "forscherin",
    "forschers",
    "wissenschaftler",
    "wissenschaftlerin",
    "wissenschaftlers",
    "sänger",
    "sängerin",
    "sängers",
    "spieler",
    "spielerin",
    "spielers",
    "anwalt",
    "anwältin",
    "anwalts",
    "richter",
    "richterin",
    "richters",
    "botschafter",
    "botschafterin",
    "botschafters",
    "kommissar",
    "kommissarin",
    "kommissars",
    "professor",
    "professorin",
    "professors",
    "kritiker",
    "kritikerin",
    "kritikers",
    "bischof",
    "bischöfin",
    "bischofs",
    "pfarrer",
    "pfarrerin",
    "pfarrers",
];

/// Whether a capitalised German word names a person's role: it closes with one of
/// [`ROLE_HEADS`] (`Gesundheitsminister`, `FPÖ-Kultursprecher`, `Chef`).
pub fn is_role_word(word: &str) -> bool {
    if !word.starts_with(char::is_uppercase) {
        return false;
    }
    let last = word.rsplit('-').next().unwrap_or(word);
    ROLE_HEADS
        .iter()
        .any(|h| last.ends_with(h) || is_capitalised(last, h))
}

/// Whether `word` is `lower` with its first letter capitalised (`Chef`, `chef`),
/// without an allocation.
fn is_capitalised(word: &str, lower: &str) -> bool {
    let (mut w, mut l) = (word.chars(), lower.chars());
    match (w.next(), l.next()) {
        (Some(a), Some(b)) => a.to_lowercase().eq(std::iter::once(b)) && w.as_str() == l.as_str(),
        _ => false,
    }
}

/// Whether a capitalised German word is a compound of an abbreviation and a noun
/// (`VW-Tochter`, `US-Musiker`, `OECD-Bericht`, `E-Mail`): German joins them with a
/// hyphen into a common noun, which before a name is said of it (`VW-Tochter
/// Skoda`, `US-Unternehmen Merck`), not a part of it.
pub fn is_abbreviation_compound(word: &str) -> bool {
    let Some((head, tail)) = word.split_once('-') else {
        return false;
    };
    !head.is_empty()
        && head.chars().all(char::is_uppercase)
        && tail.chars().next().is_some_and(char::is_alphabetic)
        && tail.chars().any(char::is_lowercase)
}

/// Words that make a date of the month after them (`Anfang Oktober`, `Mitte März`,
/// `Stand September`).
pub const MONTH_PARTS: &[&str] = &["Anfang", "Mitte", "Ende", "Beginn", "Stand"];

/// Whether a word opens a measure, not a name, when more capitals follow it: the
/// number words and units a number comes before (`5 Millionen Euro`, `30 Grad
/// Celsius`, `20 Prozent Frauen`, `10 Jahren Haft`). Not the currencies, which open
/// names too (`Euro Hawk`) and which, left alone after a cut number word, are nouns.
pub fn is_measure_word(word: &str) -> bool {
    MEASURE_WORDS.contains(&word)
}

const MEASURE_WORDS: &[&str] = &[
    "Millionen",
    "Million",
    "Milliarden",
    "Milliarde",
    "Billionen",
    "Tausende",
    "Tausenden",
    "Hunderte",
    "Hunderten",
    "Dutzende",
    "Dutzenden",
    "Prozent",
    "Prozentpunkte",
    "Grad",
    "Uhr",
    "Jahre",
    "Jahren",
    "Monate",
    "Monaten",
    "Wochen",
    "Tage",
    "Tagen",
    "Stunden",
    "Minuten",
    "Sekunden",
    "Kilometer",
    "Meter",
    "Zentimeter",
    "Millimeter",
    "Tonnen",
    "Kilo",
    "Kilogramm",
    "Gramm",
    "Liter",
    "Hektar",
    "Quadratkilometer",
    "Quadratmeter",
    "Kubikmeter",
    "Mal",
    "Stück",
];

const ARTICLES: &[&str] = &[
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
];
const NAME_OPENERS: &[&str] = &["zum", "zur", "am"];

/// Pronouns (the reader's, as ads and guides address them: `Formuliere Deine Texte`),
/// conjunctions, adverbs, interrogatives and prepositions that no name holds. Not
/// those that are also surnames, name words or names' genitives in German news: `Uns`
/// (`Kim Jong Uns`), `Weil` (Stephan Weil),
/// `Will` (Anne Will), `Knapp`, `Da` (`Da Vinci`), `So`, `Man` (Isle of Man), `Oder`
/// (the river), `Falls` (Niagara Falls).
const FUNCTION_WORDS: &[&str] = &[
    "du",
    "dich",
    "dir",
    "dein",
    "deine",
    "deinen",
    "deinem",
    "deiner",
    "deines",
    "euch",
    "euer",
    "eure",
    "euren",
    "eurem",
    "eurer",
    "ich",
    "wir",
    "mich",
    "mir",
    "er",
    "es",
    "meines",
    "unseres",
    "jene",
    "jenen",
    "jenem",
    "keines",
    "alles",
    "einiger",
    "mancher",
    "sämtliche",
    "etliche",
    "aber",
    "ob",
    "und",
    "denn",
    "doch",
    "wenn",
    "dass",
    "als",
    "wie",
    "auch",
    "nur",
    "noch",
    "schon",
    "jetzt",
    "hier",
    "dort",
    "dann",
    "nun",
    "sondern",
    "damit",
    "daher",
    "deshalb",
    "trotzdem",
    "zudem",
    "außerdem",
    "bereits",
    "immer",
    "nicht",
    "nichts",
    "sehr",
    "etwa",
    "sowohl",
    "weder",
    "zwar",
    "also",
    "oft",
    "bitte",
    "ja",
    "nein",
    "gerade",
    "obwohl",
    "nachdem",
    "bevor",
    "sobald",
    "sofern",
    "wer",
    "was",
    "wo",
    "wann",
    "warum",
    "wieso",
    "weshalb",
    "woher",
    "wohin",
    "in",
    "an",
    "auf",
    "aus",
    "bei",
    "mit",
    "nach",
    "von",
    "vor",
    "zu",
    "für",
    "gegen",
    "über",
    "unter",
    "um",
    "durch",
    "ohne",
    "seit",
    "bis",
    "ab",
    "trotz",
    "wegen",
    "hinter",
    "neben",
    "zwischen",
    "während",
];

/// Articles that open a relative clause (`…, den Hitler benutzt habe`).
const RELATIVE_PRONOUNS: &[&str] = &["der", "die", "das", "den", "dem"];

/// Prepositions that may come before a relative pronoun (`…, in der …`).
const PREPOSITIONS: &[&str] = &[
    "an", "auf", "aus", "bei", "durch", "für", "gegen", "hinter", "in", "mit", "nach", "neben",
    "ohne", "seit", "über", "um", "unter", "von", "vor", "wegen", "zu", "zwischen",
];

const NUMBERS: &[&str] = &[
    "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
    "zwanzig", "dreißig", "hundert", "tausend",
];

#[cfg(test)]
mod tests {

    #[test]
    fn a_nouns_other_forms_add_or_take_off_one_ending() {
        let forms = other_forms("getrank");
        for f in ["getranke", "getranken", "getranks", "getrankes"] {
            assert!(forms.contains(&f.to_string()), "{f}: {forms:?}");
        }
        let forms = other_forms("getranken");
        assert!(forms.contains(&"getranke".to_string()), "{forms:?}");
        assert!(forms.contains(&"getrank".to_string()), "{forms:?}");
        assert!(!forms.contains(&"getranken".to_string()), "{forms:?}");
        // Sorted, each once.
        assert!(forms.windows(2).all(|w| w[0] < w[1]), "{forms:?}");
        // A stem of fewer than four letters is as often another word's.
        assert!(other_forms("co").is_empty());
        assert!(!other_forms("mann").contains(&"man".to_string()));
        // A name German writes with an article has no other forms, nor is one.
        assert!(other_forms("bundestag").is_empty());
        assert!(!other_forms("bundestags").contains(&"bundestag".to_string()));
        // Only one word of letters.
        assert!(other_forms("e mail").is_empty());
        assert!(other_forms("covid19").is_empty());
        // Every form lies in the range: it begins with the prefix and is no longer.
        for key in [
            "getrank",
            "getranken",
            "anwohnerinnen",
            "dachern",
            "mann",
            "fuße",
        ] {
            let (prefix, longest) = other_forms_range(key).unwrap();
            assert!(key.starts_with(prefix), "{key}");
            for f in other_forms(key) {
                assert!(
                    f.starts_with(prefix) && f.chars().count() <= longest,
                    "{key}: {f}"
                );
            }
        }
        assert_eq!(other_forms_range("getranken"), Some(("getrank", 14)));
        assert_eq!(other_forms_range("bundestag"), None);
    }
    use super::*;

    #[test]
    fn the_longest_determiner_is_the_bound_the_lookup_uses() {
        let longest = DETERMINERS
            .iter()
            .chain(NUMBERS)
            .map(|w| w.chars().count())
            .max();
        assert_eq!(longest, Some(LONGEST_DETERMINER));
        // A quantifier determines the noun after it, as an article does.
        let ev = Evidence::of("Verschiedene Experten meinen, zahlreiche Studien belegen es.");
        assert_eq!(ev.name("Experten", false), None);
        assert_eq!(ev.name("Studien", false), None);
    }

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
        let ev = Evidence::of("Die Förderung der KfW endet, sagte die BaFin. Die Nato schweigt.");
        assert_eq!(ev.name("Nato", true), Some("Nato"));
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
             zufolge wächst die deutsche Wirtschaft. Neue Zahlen folgen, neue nicht.",
        );
        assert_eq!(ev.name("Deutsche Bank", false), Some("Deutsche Bank"));
        assert_eq!(ev.name("Bank", false), None);
        // Opening a sentence, a word the text writes in lower case is capitalised
        // for that.
        assert_eq!(ev.name("Neue Zahlen", true), Some("Zahlen"));
        assert_eq!(ev.name("Neue", true), None);
    }

    #[test]
    fn a_text_says_which_words_it_uses_as_common_words() {
        let ev = Evidence::of(
            "Welche Drohne fliegt? Die Drohne, welche fliegt, fliegt 5 Kilometer. Innere Ruhe hilft, sagt \
             er: innere Ruhe und ein Foto, das Adolf Hitler zeigt. Ein Begriff, den Hitler \
             benutzte. October 13, 2023 Matthew Hougan, CEO. Schauen Sie Ihr Konto an.",
        );
        // After an article or a short number, in lower case: common words.
        assert!(ev.is_common("Drohne"));
        assert!(ev.is_common("Kilometer"));
        assert!(ev.is_common("Innere"));
        assert!(ev.is_common("Welche"));
        // An article that may open a relative clause, and a year: no evidence of
        // a common word, though the lone-word rule counts them.
        assert!(!ev.is_common("Adolf"));
        assert!(!ev.is_common("Hitler"));
        assert_eq!(ev.name("Hitler", false), None);
        assert!(!ev.is_common("Matthew"));
        assert_eq!(ev.name("Matthew", false), None);
        // The polite pronouns.
        assert!(ev.is_common("Sie"));
        assert!(ev.is_common("Ihr"));
        assert!(!ev.is_common("Hougan"));
    }

    #[test]
    fn a_text_says_which_words_it_writes_as_lone_nouns() {
        let ev = Evidence::of(
            "Die Ängste wachsen, sagt die Deutsche Bank. Im Jahr 2023 kamen 5 Milliarden \
             Euro zusammen; die Schweiz und die SPD stimmten zu. Ein Foto, das Adolf \
             Hitler zeigt, und eine Studie – neu. Das iPhone 14 Max ist da. Beachten Sie \
             die Hinweise",
        );
        // After an article, a determiner or a short number, alone in its phrase;
        // at the phrase's end, before a dash, and at the text's end too.
        assert_eq!(
            ev.lone_nouns(),
            ["angste", "foto", "hinweise", "jahr", "studie"]
        );
        // Not: a name's first word (`Deutsche Bank`), nor any word a capitalised
        // one follows (`5 Milliarden Euro`), a word opening a relative
        // clause's subject (`, das Adolf`), names written with an article and
        // acronyms (`die Schweiz`, `die SPD`), a word after a long number (`2023
        // kamen` is lower case anyway), a word after a model's number (`iPhone 14
        // Max`), or a polite pronoun.
    }

    #[test]
    fn only_languages_that_capitalise_nouns_are_read_so() {
        assert!(capitalises_nouns(Some("de")));
        assert!(!capitalises_nouns(Some("en")));
        assert!(!capitalises_nouns(None));
    }
}
