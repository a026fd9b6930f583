//! Names in the languages that decline them.
//!
//! Polish, Czech, Slovak, Russian and Ukrainian put a name in the case its place in the
//! sentence asks for: `Donald Tusk`, `Donalda Tuska`, `Donaldem Tuskiem` are one man,
//! `Unia Europejska`, `Unii Europejskiej`, `Unią Europejską` one body. Two keys are
//! one name in two cases when, word by word, both are one stem with a case ending
//! each, or none ([`same_name`]). Analysis folds an article's forms of a name into the
//! shortest it writes (the nominative, as a rule), so that its key is the one an
//! article in another language writes (`donald tusk`, `angela merkel`); synthesis
//! does the same across a story's articles. A form no article writes is never made
//! up: an article that says only `Donalda Tuska` keeps that key.
//!
//! The endings are the languages' noun and adjective case endings, folded as keys are
//! (`ą` → `a`, `й` → `и`); a stem keeps three letters or more, two in a name of
//! several words (`Unii Europejskiej`: [`min_stem`]).

use std::collections::BTreeMap;

/// The case endings of a language that declines names, folded.
pub fn case_endings(lang: Option<&str>) -> Option<&'static [&'static str]> {
    match lang? {
        "pl" => Some(POLISH),
        "cs" | "sk" => Some(CZECH_SLOVAK),
        "ru" => Some(RUSSIAN),
        "uk" => Some(UKRAINIAN),
        _ => None,
    }
}

/// The fewest letters a stem keeps, in a name of `words` words: three, or two in a
/// name of several (`Unii Europejskiej`).
pub fn min_stem(words: usize) -> usize {
    if words > 1 {
        2
    } else {
        3
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

/// The stems a folded word may be written on: the word itself, then the word without
/// each of `endings` it ends with, when at least `min_stem` letters are left.
pub fn stems<'a>(
    word: &'a str,
    endings: &'a [&'a str],
    min_stem: usize,
) -> impl Iterator<Item = &'a str> + 'a {
    std::iter::once("")
        .chain(endings.iter().copied())
        .filter(move |e| word.ends_with(e))
        .map(move |e| &word[..word.len() - e.len()])
        .filter(move |stem| stem.chars().count() >= min_stem)
}

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
    // Each stem `a` may be written on; `b` must be that stem and an ending too.
    stems(a, endings, min_stem).any(|stem| {
        b.strip_prefix(stem)
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
/// [`same_word`], with the stems [`min_stem`] allows).
pub fn same_name(a: &str, b: &str, endings: &[&str]) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    let min_stem = min_stem(wa.len());
    wa.len() == wb.len()
        && wa
            .iter()
            .zip(&wb)
            .all(|(x, y)| same_word(x, y, endings, min_stem))
}

/// The groups of `keys` that are one name in several cases: joined where two are
/// [`same_name`], each group's indices in order, the groups in the order of their
/// first; a key with no other form is in none. Only keys of as many words whose first
/// two letters agree are compared (a stem keeps two letters or more), so the work
/// grows with the forms of a name, not with the square of the keys.
pub fn groups(keys: &[&str], endings: &[&str]) -> Vec<Vec<usize>> {
    let mut buckets: BTreeMap<(usize, &str), Vec<usize>> = BTreeMap::new();
    for (i, k) in keys.iter().enumerate() {
        let head = k.char_indices().nth(2).map_or(*k, |(at, _)| &k[..at]);
        buckets
            .entry((k.matches(' ').count(), head))
            .or_default()
            .push(i);
    }
    // Union by the smaller index: `root[i]` leads to the first key of i's group.
    let mut root: Vec<usize> = (0..keys.len()).collect();
    fn find(root: &mut [usize], mut i: usize) -> usize {
        while root[i] != i {
            root[i] = root[root[i]];
            i = root[i];
        }
        i
    }
    for bucket in buckets.values() {
        for (n, &i) in bucket.iter().enumerate() {
            for &j in &bucket[n + 1..] {
                if same_name(keys[i], keys[j], endings) {
                    let (a, b) = (find(&mut root, i), find(&mut root, j));
                    root[a.max(b)] = a.min(b);
                }
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..keys.len() {
        let r = find(&mut root, i);
        by_root.entry(r).or_default().push(i);
    }
    by_root.into_values().filter(|g| g.len() > 1).collect()
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

    #[test]
    fn groups_join_a_names_forms_and_nothing_else() {
        let e = case_endings(Some("pl")).unwrap();
        let keys = [
            "donald tusk",
            "polska",
            "donalda tuska",
            "rosja",
            "polski",
            "donaldem tuskiem",
        ];
        assert_eq!(groups(&keys, e), vec![vec![0, 2, 5], vec![1, 4]]);
        assert!(groups(&["tusk", "duda"], e).is_empty());
    }
}
