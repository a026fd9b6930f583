//! Names in the languages that decline them.
//!
//! Polish, Czech, Slovak, Russian and Ukrainian put a name in the case its place in the
//! sentence asks for: `Donald Tusk`, `Donalda Tuska`, `Donaldem Tuskiem` are one man,
//! `Unia Europejska`, `Unii Europejskiej`, `Unią Europejską` one body. An article's
//! names that differ only by their case endings are one name here, under the form the
//! article writes with the fewest ending letters (the nominative, as a rule), so that
//! an article in those languages names each person once, and its keys are the ones an
//! article in another language writes (`donald tusk`, `angela merkel`). A form the
//! article never writes is never made up: an article that says only `Donalda Tuska`
//! keeps that key.
//!
//! The endings are the languages' noun and adjective case endings, folded as keys are
//! (`ą` → `a`, `й` → `и`); a word's ending is the longest of them that leaves a stem
//! of three letters or more (two in a name of several words: `Unii Europejskiej`).

/// The case endings of a language that declines names, folded, longest first within
/// each list (the longest that fits is taken).
pub fn case_endings(lang: Option<&str>) -> Option<&'static [&'static str]> {
    match lang? {
        "pl" => Some(POLISH),
        "cs" | "sk" => Some(CZECH_SLOVAK),
        "ru" => Some(RUSSIAN),
        "uk" => Some(UKRAINIAN),
        _ => None,
    }
}

/// Polish: nouns' and adjectives' endings in every case and number (`-owi`, `-iem`,
/// `-iego`, `-iej`, `-ą` folded to `-a`).
const POLISH: &[&str] = &[
    "iego", "iemu", "owie", "ami", "ach", "ego", "emu", "ich", "ych", "imi", "ymi", "owi", "iem",
    "iej", "ii", "ia", "ie", "ej", "em", "ym", "im", "om", "ow", "a", "e", "i", "o", "u", "y",
];

/// Czech and Slovak (`Babiše`, `Babišovi`, `Čaputovou`, `Ficom`).
const CZECH_SLOVAK: &[&str] = &[
    "ovi", "ove", "ech", "ich", "ych", "emu", "eho", "ami", "ymi", "imi", "ej", "em", "om", "ou",
    "um", "mu", "a", "e", "i", "o", "u", "y",
];

/// Russian, folded (`й` is `и`): `Путина`, `Путиным`, `Шойгу`'s indeclinable form
/// keeps its `у` only where no other form is written.
const RUSSIAN: &[&str] = &[
    "ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ою", "ею", "ую", "юю",
    "ом", "ем", "ои", "еи", "ыи", "ии", "ых", "их", "ым", "им", "ам", "ям", "ах", "ях", "ов", "ев",
    "а", "я", "у", "ю", "е", "ы", "и", "о",
];

/// Ukrainian, folded (`й` is `и`, `ї` is `і`): `Зеленського`, `Зеленському`.
const UKRAINIAN: &[&str] = &[
    "ами", "ями", "ого", "ому", "ими", "ою", "ею", "ом", "ем", "ои", "еи", "ии", "ів", "ах", "ях",
    "ам", "ям", "а", "я", "у", "ю", "е", "и", "і", "о",
];

/// Whether two folded words are one word in two cases: a stem of at least `min_stem`
/// letters followed by an ending each (or none: `Andrzej` / `Andrzeja`, `Tusk` /
/// `Tuskiem`, `Unia` / `Unii`). Polish surnames shaped as adjectives keep their
/// gender where the ending tells it: `Kaczyńskiego` is a man's, `Kaczyńska`,
/// `Kaczyńskiej` a woman's (`Kaczyński` may be a man's or `Polska`'s genitive,
/// `Polski`).
pub fn same_word(a: &str, b: &str, endings: &[&str], min_stem: usize) -> bool {
    if a == b {
        return true;
    }
    // Each way `a` splits into a stem and an ending (none included), the stem long
    // enough; then `b` must be that stem and an ending too.
    let ends = std::iter::once("").chain(endings.iter().copied());
    ends.filter(|e| a.ends_with(e)).any(|ea| {
        let stem = &a[..a.len() - ea.len()];
        stem.chars().count() >= min_stem
            && b.strip_prefix(stem)
                .is_some_and(|eb| eb.is_empty() || endings.contains(&eb))
    }) && !matches!((gender(a), gender(b)), (Some(x), Some(y)) if x != y)
}

/// The gender of a word shaped as a Polish adjective's surname: feminine (`true`) for
/// `-ska`, `-skiej` (and `-cka`, `-dzka`), masculine for `-skiego`, `-skiemu`,
/// `-skim`; none for any other word. Not `-ski`: it is a man's name, and the genitive
/// of a noun in `-ska` too (`Polska`, `Polski`).
fn gender(word: &str) -> Option<bool> {
    const FEMININE: &[&str] = &["a", "iej"];
    const MASCULINE: &[&str] = &["iego", "iemu", "im"];
    let after_stem = |ends: &[&str]| {
        ends.iter().any(|e| {
            word.strip_suffix(e)
                .is_some_and(|stem| ["sk", "ck", "dzk"].iter().any(|s| stem.ends_with(s)))
        })
    };
    if after_stem(FEMININE) {
        Some(true)
    } else if after_stem(MASCULINE) {
        Some(false)
    } else {
        None
    }
}

/// Whether two keys of as many words are one name in two cases, word by word (see
/// [`same_word`]): stems of three letters or more, two in a name of several words
/// (`Unii Europejskiej`).
pub fn same_name(a: &str, b: &str, endings: &[&str]) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let min_stem = if wa.len() > 1 { 2 } else { 3 };
    wa.len() == wb.len()
        && wa
            .iter()
            .zip(&wb)
            .all(|(x, y)| same_word(x, y, endings, min_stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(lang: &str, a: &str, b: &str) -> bool {
        let e = case_endings(Some(lang)).unwrap();
        same_name(a, b, e) && same_name(b, a, e)
    }

    #[test]
    fn a_names_cases_are_one_name() {
        for (lang, a, b) in [
            ("pl", "donald tusk", "donalda tuska"),
            ("pl", "donald tusk", "donaldem tuskiem"),
            ("pl", "andrzej duda", "andrzeja dudy"),
            ("pl", "unia europejska", "unii europejskiej"),
            ("pl", "jaroslaw kaczynski", "jaroslawa kaczynskiego"),
            ("pl", "marta kaczynska", "marty kaczynskiej"),
            ("pl", "polska", "polski"),
            ("pl", "wirtualna polska", "wirtualnej polski"),
            ("pl", "szymon holownia", "szymona holowni"),
            ("cs", "andrej babis", "andreje babise"),
            ("cs", "zuzana caputova", "zuzanou caputovou"),
            ("sk", "robert fico", "roberta fica"),
            ("ru", "владимир путин", "владимира путина"),
            ("ru", "владимир путин", "владимиром путиным"),
            ("uk", "володимир зеленськии", "володимира зеленського"),
        ] {
            assert!(same(lang, a, b), "{lang}: {a} / {b}");
        }
    }

    #[test]
    fn other_names_and_genders_stay_apart() {
        for (lang, a, b) in [
            ("pl", "kaczynskiego", "kaczynskiej"),
            ("pl", "kaczynskiego", "kaczynska"),
            ("pl", "jaroslawa kaczynskiego", "jaroslawa kaczynskiej"),
            ("pl", "tusk", "tuszyk"),
            ("pl", "ala", "al"),
            ("pl", "donald tusk", "donald"),
            ("cs", "novak", "novakova"),
        ] {
            assert!(!same(lang, a, b), "{lang}: {a} / {b}");
        }
        assert_eq!(case_endings(Some("en")), None);
        assert_eq!(case_endings(None), None);
    }
}
