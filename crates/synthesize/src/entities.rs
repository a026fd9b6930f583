//! A story's people, places and organisations: the entities of its articles merged
//! across articles (transliterations, lone surnames, acronyms), ranked by salience
//! and given a kind.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use serde::Serialize;
use storyline_analyze::cases::{case_endings, groups as case_groups, min_stem, stems};
use storyline_analyze::{
    capitalises_nouns, entity_key, is_german_role_word, not_name_alone, other_noun_forms,
    short_name, Entity, NounEvidence, GERMAN_MONTHS, MONTH_PARTS, ROLE_WORDS,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Person,
    Place,
    Organisation,
    /// Named events: wars, summits, forums, elections, games.
    Event,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoryEntity {
    pub name: String,
    pub kind: Kind,
    /// Other written forms merged into this entity.
    pub aliases: Vec<String>,
    /// Mean over the story's articles of the entity's salience in each, relative to
    /// that article's most salient entity: 1.0 means central to every article.
    pub salience: f32,
    /// Ids of the articles that name it.
    pub articles: Vec<String>,
}

/// Words whose presence makes a name an organisation.
const ORG_WORDS: &[&str] = &[
    "ministry",
    "coalition",
    "alliance",
    "league",
    "caucus",
    "campaign",
    "movement",
    "society",
    "magazine",
    "consortium",
    "brigade",
    "battalion",
    "department",
    "council",
    "agency",
    "party",
    "times",
    "post",
    "news",
    "press",
    "journal",
    "herald",
    "tribune",
    "guardian",
    "telegraph",
    "university",
    "college",
    "school",
    "institute",
    "bank",
    "company",
    "corp",
    "corporation",
    "inc",
    "group",
    "committee",
    "commission",
    "court",
    "parliament",
    "congress",
    "senate",
    "assembly",
    "army",
    "navy",
    "force",
    "forces",
    "guard",
    "kremlin",
    "house",
    "pentagon",
    "office",
    "service",
    "services",
    "association",
    "union",
    "organization",
    "organisation",
    "federation",
    "foundation",
    "church",
    "police",
    "government",
    "administration",
    "cabinet",
    "board",
    "authority",
    "bureau",
    "fund",
    "reserve",
    "exchange",
    "network",
    "television",
    "tv",
    "radio",
    "club",
    "airlines",
    "airways",
    "motors",
    "foods",
    "industries",
    "holdings",
    "technologies",
    "systems",
    "pharmaceuticals",
    "enterprises",
    "communications",
    "studios",
    "records",
    "inquirer",
    "gazette",
    "chronicle",
    "examiner",
    "observer",
    "magazine",
    "hospital",
    "center",
    "centre",
    "league",
    "front",
    "movement",
    "brigade",
    "command",
    "fleet",
    "workers",
    "system",
    "trust",
    "team",
    "star",
    "enquirer",
    "caller",
    "register",
    "pac",
    "tass",
    "interfax",
    "reuters",
    "xinhua",
    "yonhap",
    "kcna",
    "afp",
    "bloomberg",
    "ria",
    "cnn",
    "bbc",
    "nato",
    "opec",
    "hamas",
    "hezbollah",
    "taliban",
    "wagner",
    "unicef",
    "who",
    "imf",
    // German bodies and their words, as keys (`Landgericht Berlin`, `Kantonspolizei
    // Bern`, `Süddeutsche Zeitung`; `AG` only ending a name, in `kind_of`: `Siemens
    // AG`, not `Texas AG Ken Paxton`); a lone one that German texts use
    // as a noun (`die Polizei`) is dropped with the other nouns.
    "ministerium",
    "kommission",
    "polizei",
    "kantonspolizei",
    "landespolizei",
    "bundespolizei",
    "feuerwehr",
    "berufsfeuerwehr",
    "staatsanwaltschaft",
    "regierung",
    "bundesregierung",
    "landesregierung",
    "partei",
    "verband",
    "verein",
    "gewerkschaft",
    "stiftung",
    "universitat",
    "hochschule",
    "institut",
    "gericht",
    "landgericht",
    "amtsgericht",
    "oberlandesgericht",
    "verwaltungsgericht",
    "bundesverfassungsgericht",
    "bundesgerichtshof",
    "kammer",
    "handwerkskammer",
    "arztekammer",
    "bundestag",
    "bundesrat",
    "landtag",
    "bundeswehr",
    "bundesbank",
    "bundesliga",
    "weltbank",
    "hisbollah",
    "kreml",
    "zeitung",
    "rundschau",
    "kurier",
    "anzeiger",
    "klinik",
    "klinikum",
    "krankenhaus",
    "krankenkasse",
    "sparkasse",
    "volksbank",
    "konzern",
    "gruppe",
    "agentur",
    "nachrichtenagentur",
    "behorde",
    "bundesamt",
    "landesamt",
    "dpa",
    "gmbh",
    // French, Spanish, Portuguese and Italian bodies' words, as keys (`Audiencia
    // Nacional`, `Supremo Tribunal Federal`, `Forças Armadas`, `Polícia Militar`,
    // `Commissione Europea`), which had made people of them.
    "tribunal",
    "tribunale",
    "corte",
    "senado",
    "senato",
    "congreso",
    "congresso",
    "asamblea",
    "assemblee",
    "assemblea",
    "ministerio",
    "ministero",
    "ministere",
    "gobierno",
    "governo",
    "gouvernement",
    "policia",
    "polizia",
    "ejercito",
    "exercito",
    "esercito",
    "armee",
    "armadas",
    "armate",
    "partido",
    "partito",
    "comision",
    "comissao",
    "commissione",
    "consejo",
    "conselho",
    "consiglio",
    "conseil",
    "sindicato",
    "fundacion",
    "fundacao",
    "fondazione",
    "fondation",
    "universidad",
    "universidade",
    "universita",
    "universite",
    "instituto",
    "istituto",
    "agencia",
    "agenzia",
    "agence",
    "federacion",
    "federacao",
    "federazione",
    "asociacion",
    "associacao",
    "associazione",
    "fiscalia",
    "audiencia",
    "defensoria",
    "procuraduria",
    // Polish bodies' words in the nominative and genitive, as keys (`Koalicja
    // Obywatelska`, `Platformy Obywatelskiej`, `Trybunał Konstytucyjny`, `Komisji
    // Europejskiej`), which had made people of them.
    "koalicja",
    "koalicji",
    "partia",
    "partii",
    "platforma",
    "platformy",
    "ministerstwo",
    "ministerstwa",
    "sejm",
    "sejmu",
    "senat",
    "senatu",
    "rada",
    "rady",
    "trybunal",
    "trybunalu",
    "urzad",
    "urzedu",
    "komisja",
    "komisji",
    "instytut",
    "instytutu",
    "fundacja",
    "fundacji",
    "stowarzyszenie",
    "stowarzyszenia",
    "uniwersytet",
    "uniwersytetu",
    "policja",
    "policji",
    "prokuratura",
    "prokuratury",
    "zwiazek",
    "zwiazku",
    "agencja",
    "agencji",
];

/// Last words that make a name a place.
const PLACE_WORDS: &[&str] = &[
    "sea",
    "river",
    "ocean",
    "island",
    "islands",
    "province",
    "region",
    "oblast",
    "coast",
    "mountains",
    "mountain",
    "valley",
    "strait",
    "peninsula",
    "county",
    "city",
    "district",
    "bay",
    "lake",
    "gulf",
    "state",
    "territory",
    "square",
    "street",
    "port",
    "airport",
    "desert",
    "border",
    // Venues and landmarks, where news happens (`Rose Garden`, `Golan Heights`).
    // Not `park`, which ends Western-order Korean names (`Randall Park`) as often,
    // nor `hill` (`Lauryn Hill`).
    "garden",
    "gardens",
    "avenue",
    "boulevard",
    "road",
    "bridge",
    "plaza",
    "stadium",
    "arena",
    "palace",
    "castle",
    "cathedral",
    "station",
    "harbor",
    "harbour",
    "canal",
    "falls",
    "heights",
    "drive",
    "terrace",
    "lane",
    "area",
    "resort",
    "springs",
    "zoo",
    "village",
    "township",
    "borough",
    "neighborhood",
    "neighbourhood",
    "tower",
    "waterways",
    // German (`Hamburger Hafen`, `Berliner Straße`; Swiss `Strasse`). Not `Platz`,
    // as often room as a square (`Menge Platz`).
    "straße",
    "strasse",
    "hafen",
    "flughafen",
    "bahnhof",
    "hauptbahnhof",
];

/// First words that make a name a place (`Fort Lauderdale`, `Lake Berryessa`; German
/// `Stadt Dresden`, `Kanton Bern`, `Landkreis Altenkirchen`, `Hauptstadt Jerusalem`).
const PLACE_FIRST_WORDS: &[&str] = &[
    // French, Spanish, Portuguese and Italian streets, squares, parks and hills
    // (`Avenida Paralela`, `Casa Rosada`, `Cerro Largo`, `Piazza Navona`).
    "avenida",
    "calle",
    "plaza",
    "praca",
    "piazza",
    "rua",
    "parque",
    "parco",
    "cerro",
    "casa",
    "puerto",
    "porto",
    "fort",
    "lake",
    "mount",
    "cape",
    "capitol",
    "stadt",
    "hauptstadt",
    "landeshauptstadt",
    "kanton",
    "kreis",
    "landkreis",
    "region",
    "gemeinde",
    "bezirk",
    "republik",
    "provinz",
    "insel",
    "bundesland",
    "bundesstaat",
];

/// Last words of laws, documents and abstractions, which are no one's name
/// (`Affordable Care Act`, `Fifth Amendment`, `Temporary Protected Status`).
const THING_WORDS: &[&str] = &[
    "act",
    "amendment",
    "address",
    "partnership",
    "status",
    "doctrine",
    "constitution",
    "article",
    "management",
    "responsibility",
    "media",
    "relations",
    // A position, not the person holding it (`Special Counsel`).
    "counsel",
];

/// The parties news names by one word of their own, which is no adjective and no
/// member's: `GOP`, `Labour`, `Tories` (`Republican`, `Democrats`, `Conservative`
/// are said of members as often).
const PARTY_NAMES: &[&str] = &["gop", "labour", "tories"];

/// Parties' adjectives and members: a name they open or end is not a person's
/// (`Republican Iowa`, `California Democrat`).
const PARTY_WORDS: &[&str] = &[
    "republican",
    "republicans",
    "democratic",
    "democrat",
    "democrats",
    "gop",
    "conservative",
    "labour",
    "socialist",
    "communist",
];

/// First words that make a known place's part a place.
const COMPASS: &[&str] = &[
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "greater",
];

/// Words that make a name an event.
const EVENT_WORDS: &[&str] = &[
    "war",
    "summit",
    "forum",
    "conference",
    "olympics",
    "games",
    "cup",
    "election",
    "elections",
    "championship",
    "festival",
    "expo",
    "revolution",
    "crisis",
    "offensive",
];

/// Verbs of speech that follow or precede a person's name.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "noted",
    "wrote",
    "asked",
    "argued",
    "warned",
    "stated",
    "insisted",
    "explained",
    "tweeted",
    "posted",
];

fn places() -> &'static HashSet<String> {
    static P: OnceLock<HashSet<String>> = OnceLock::new();
    P.get_or_init(|| {
        include_str!("../data/places.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| compact(&entity_key(l)))
            .collect()
    })
}

/// Whether a name is a known place.
pub fn is_place(name: &str) -> bool {
    places().contains(&compact(&entity_key(name)))
}

/// Whether a name of up to three words is a known place in another case of a
/// language that declines names (`endings`, see `storyline_analyze::cases`): each
/// word as written, or its stem with a nominative's ending (`Rosji` → `Rosja`,
/// `Moskwie` → `Moskwa`, `Stanach Zjednoczonych` → `Stany Zjednoczone`, `Londynie`
/// → `Londyn`).
fn declined_place(name: &str, endings: &[&str]) -> bool {
    const NOMINATIVE: &[&str] = &["", "a", "ia", "y", "e", "o", "i"];
    let key = entity_key(name);
    let words: Vec<&str> = key.split(' ').collect();
    if words.len() > 3 {
        return false;
    }
    let min_stem = min_stem(words.len());
    let forms: Vec<Vec<String>> = words
        .iter()
        .map(|w| {
            let mut v = vec![w.to_string()];
            // The stems with an ending taken off (the word itself is one too).
            for stem in stems(w, endings, min_stem).filter(|s| s.len() < w.len()) {
                v.extend(NOMINATIVE.iter().map(|f| format!("{stem}{f}")));
            }
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    // Every combination of the words' forms, as a key.
    let mut keys = vec![String::new()];
    for f in &forms {
        keys = keys
            .iter()
            .flat_map(|k| {
                f.iter().map(move |w| {
                    if k.is_empty() {
                        w.clone()
                    } else {
                        format!("{k} {w}")
                    }
                })
            })
            .collect();
    }
    keys.iter().any(|k| places().contains(k))
}

/// `u s` → `us`: dotted abbreviations and their plain spelling are one key.
fn compact(key: &str) -> String {
    if key.contains(' ') && key.split(' ').all(|w| w.chars().count() == 1) {
        key.replace(' ', "")
    } else {
        key.to_string()
    }
}

#[derive(Default)]
struct Agg {
    forms: HashMap<String, u32>,
    salience: f32,
    articles: BTreeSet<usize>,
}

/// Merges the entities of a story's articles. `entities[i]` and `texts[i]` belong to
/// the article with id `ids[i]`. `german_nouns` holds the keys of the words the
/// store's German texts write as lone nouns ([`crate::Lexicon`]).
pub fn merge(
    ids: &[&str],
    entities: &[&[Entity]],
    texts: &[&str],
    langs: &[Option<&str>],
    german_nouns: &HashSet<String>,
) -> Vec<StoryEntity> {
    let mut agg: HashMap<String, Agg> = HashMap::new();
    for (a, ents) in entities.iter().enumerate() {
        let top = ents
            .iter()
            .map(Entity::salience)
            .fold(0.0f32, f32::max)
            .max(1.0);
        for e in ents.iter() {
            let g = agg.entry(compact(&e.key)).or_default();
            *g.forms.entry(e.name.clone()).or_default() += e.mentions;
            g.salience += e.salience() / top;
            g.articles.insert(a);
        }
    }
    let keys: Vec<String> = {
        let mut k: Vec<String> = agg.keys().cloned().collect();
        k.sort_by(|a, b| {
            agg[b]
                .salience
                .total_cmp(&agg[a].salience)
                .then_with(|| a.cmp(b))
        });
        k
    };
    // Union-find over keys, the root always the fuller name.
    let mut parent: HashMap<String, String> = keys.iter().map(|k| (k.clone(), k.clone())).collect();
    fn find(parent: &HashMap<String, String>, k: &str) -> String {
        let mut k = k.to_string();
        while parent[&k] != k {
            k = parent[&k].clone();
        }
        k
    }
    let multi: Vec<&String> = keys.iter().filter(|k| k.contains(' ')).collect();
    // Transliterations: same surname, first names one or two edits apart. Only names
    // of as many words with the same last word are compared.
    let mut by_surname: HashMap<(usize, &str), Vec<&String>> = HashMap::new();
    for m in &multi {
        let n = m.split(' ').count();
        by_surname
            .entry((n, m.rsplit(' ').next().unwrap_or("")))
            .or_default()
            .push(m);
    }
    for bucket in by_surname.values() {
        for (i, a) in bucket.iter().enumerate() {
            for b in &bucket[i + 1..] {
                if transliterations(a, b) {
                    let (ra, rb) = (find(&parent, a), find(&parent, b));
                    if ra != rb {
                        parent.insert(rb, ra);
                    }
                }
            }
        }
    }
    // In a story told in a language that declines names, one name in two cases is
    // one name across its articles (`Polska` in one, `Polski` in another; see
    // `storyline_analyze::cases`), under the shorter form, the nominative as a rule.
    // Only names of as many words whose first two letters agree are compared (a
    // stem is two letters or more).
    let declines = langs.iter().find_map(|l| case_endings(*l));
    if let Some(endings) = declines {
        let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
        let rank: HashMap<&str, usize> = refs.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        for g in case_groups(&refs, endings) {
            // The shortest root stays; on a tie, the more salient (`keys` order).
            let mut roots: Vec<String> = g.iter().map(|&i| find(&parent, refs[i])).collect();
            roots.sort_by_key(|r| (r.chars().count(), rank[r.as_str()]));
            roots.dedup();
            for r in &roots[1..] {
                parent.insert(r.clone(), roots[0].clone());
            }
        }
    }
    // A person's name with a middle name or initial and the same name without it are
    // one person when the story writes both (`Robert S. Mueller`, `Robert Mueller`;
    // `Hillary Rodham Clinton`), unless two longer names share the short form
    // (`George W. Bush` and `George H. W. Bush`: either may be the text's `George
    // Bush`). The longer name stays the root.
    let present: HashSet<&str> = keys.iter().map(String::as_str).collect();
    let mut by_short: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for m in &multi {
        let Some(short) = short_name(m) else { continue };
        if present.contains(short.as_str()) && kind_of(m, &[], &HashSet::new()) == Kind::Person {
            by_short.entry(short).or_default().push(m);
        }
    }
    for (short, longs) in &by_short {
        if let [long] = longs[..] {
            let (rl, rs) = (find(&parent, long), find(&parent, short));
            if rl != rs {
                parent.insert(rs, rl);
            }
        }
    }
    // A person's name with words before it that the story also writes without them
    // is that person (`Special Counsel Robert Mueller`, `Charger Vincent Jackson`):
    // the words before are a title or a qualifier that the article's names kept.
    for m in multi.iter().filter(|m| m.matches(' ').count() >= 2) {
        let words: Vec<&str> = m.split(' ').collect();
        let target = (1..words.len() - 1)
            .map(|i| words[i..].join(" "))
            .find(|t| {
                present.contains(t.as_str()) && kind_of(t, &[], &HashSet::new()) == Kind::Person
            });
        if let Some(t) = target {
            let (rt, rm) = (find(&parent, &t), find(&parent, m));
            if rt != rm {
                parent.insert(rm, rt);
            }
        }
    }
    // Lone names and acronyms fold into the most salient full name they stand for.
    // Full names by their first word, last word and initials, most salient first.
    let mut by_part: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in multi.iter().enumerate() {
        let words: Vec<&str> = m.split(' ').collect();
        // A lone word is a shortening of a person's name ("Shoigu", "Kim"), not of an
        // organisation's ("National" is not the National Security Council).
        if kind_of(m, &[], &HashSet::new()) == Kind::Person {
            by_part.entry(words[0].to_string()).or_default().push(i);
            if let Some(last) = words.last().filter(|l| **l != words[0]) {
                by_part.entry(last.to_string()).or_default().push(i);
            }
        }
        by_initials.entry(initials(&words)).or_default().push(i);
    }
    for k in keys.iter().filter(|k| !k.contains(' ')) {
        // A place alone ("Korea") is not a part of a longer name ("North Korea").
        let place = places().contains(k.as_str());
        let acronym = agg[k].forms.keys().any(|f| {
            f.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        });
        // An acronym is no part of a compound written as one word (`THW` of
        // `THW-Leben`, `SPD` of `SPD-Chef`), though a surname is of a double-barrelled
        // one (`Karrenbauer` of `Kramp-Karrenbauer`).
        let part = if place { None } else { by_part.get(k.as_str()) };
        let abbr = if acronym {
            by_initials.get(k.as_str())
        } else {
            None
        };
        let target = part
            .into_iter()
            .flatten()
            .filter(|&&i| !acronym || agg[multi[i]].forms.keys().any(|f| f.contains(' ')))
            .chain(abbr.into_iter().flatten())
            .min()
            .map(|&i| multi[i]);
        if let Some(t) = target {
            let root = find(&parent, t);
            parent.insert(k.clone(), root);
        }
    }
    let mut groups: HashMap<String, Vec<&String>> = HashMap::new();
    for k in &keys {
        groups.entry(find(&parent, k)).or_default().push(k);
    }
    // The words of the names (`Police`, `Non-party`, `Help`, `Menu`), in lower case:
    // which of them the texts also write so.
    let name_words: HashSet<String> = agg
        .values()
        .flat_map(|g| g.forms.keys())
        .flat_map(|f| f.split_whitespace())
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let Evidence {
        cues,
        speakers,
        lower,
    } = evidence(texts, &name_words);
    // What the story's German texts say of their capitalised words.
    // Whether the story is told in a Romance language (one of its articles is).
    let romance = langs
        .iter()
        .any(|l| matches!(l, Some("fr" | "es" | "it" | "pt" | "ca")));
    let german: Vec<NounEvidence> = texts
        .iter()
        .zip(langs)
        .filter(|(_, lang)| capitalises_nouns(**lang))
        .map(|(t, _)| NounEvidence::of(t))
        .collect();
    let n = entities.len().max(1) as f32;
    let mut out: Vec<StoryEntity> = groups
        .into_iter()
        .map(|(root, members)| {
            let mut salience = 0.0;
            let mut articles = BTreeSet::new();
            let mut forms: HashMap<&str, u32> = HashMap::new();
            for m in &members {
                let g = &agg[m.as_str()];
                salience += g.salience;
                articles.extend(g.articles.iter().copied());
                for (f, c) in &g.forms {
                    *forms.entry(f.as_str()).or_default() += c;
                }
            }
            let name = agg[&root]
                .forms
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|f| f.0.clone())
                .unwrap_or_default();
            let mut aliases: Vec<String> = forms
                .keys()
                .filter(|f| **f != name)
                .map(|f| f.to_string())
                .collect();
            aliases.sort();
            let mut kind = kind_of(&name, &aliases, &cues);
            // A known place in another case (`Rosji`, `Wielkiej Brytanii`).
            if kind != Kind::Place && declines.is_some_and(|e| declined_place(&name, e)) {
                kind = Kind::Place;
            }
            // In a story told in French, Spanish, Italian or Portuguese, an article
            // opens no one's name: a body's, a place's or a thing's (`El País`, `La
            // Poste`, `L’Arabia Saudita`), or a common noun opening a sentence (`La
            // Ejecutiva`, `El Plan`); unless it is a surname holding the article
            // (`Marine Le Pen`). Elsewhere the same words open names (`Le Minh Hung`,
            // Vietnamese; `Lo Kin-hei`, Cantonese).
            if kind == Kind::Person
                && romance
                && name
                    .split_whitespace()
                    .next()
                    .is_some_and(opens_with_article)
                && !surname_with_article(&name, texts)
            {
                kind = Kind::Other;
            }
            // Every word a word the story's texts write in lower case: common words
            // in title case (`Additional Information`, `Help Menu`, `Falling Man`),
            // not a person's names, which are seldom all common words.
            if kind == Kind::Person && all_written_lower(&name, &lower) {
                kind = Kind::Other;
            }
            if kind == Kind::Person
                && !german.is_empty()
                && !german_person(&name, &german, german_nouns, &speakers)
            {
                kind = Kind::Other;
            }
            StoryEntity {
                kind,
                aliases,
                salience: ((salience / n) * 1000.0).round() / 1000.0,
                articles: articles.into_iter().map(|a| ids[a].to_string()).collect(),
                name,
            }
        })
        .collect();
    // Lone words that are common words, not names; acronyms and names of more than
    // one word are never dropped here.
    //
    // A capitalised common word (`About 100 people`, `Officers said`, `Police
    // said`): a single word, with no other written form, that the story's texts
    // also write in lower case, unless it is a known place. (`Police said` makes
    // `Police` a speaker, so speech cues cannot vouch for a name here.)
    //
    // In a story told in German, a lone word that is no known place or person is a
    // noun when some German text of the store writes it as one, right after an
    // article (`die Ängste`): German capitalises its nouns, and a text that opens a
    // sentence with one (`Ängste plagen …`) cannot tell it from a name by itself.
    // So is a lone body's word (`Polizei`, `Regierung`): the bodies German names
    // with one word are written with an article too, and are kept as names (`die
    // Bundeswehr`; names German writes with an article, and acronyms, are not
    // counted as nouns). A name written in capitals is an acronym's, or a title's
    // (`NATO`, `SPIEGEL`, `BILD`), though texts write `die Nato`, `der Spiegel`.
    let in_german = !german.is_empty();
    out.retain(|e| {
        let single = !e.name.contains(char::is_whitespace);
        let acronym = e
            .name
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        if !single || acronym {
            return true;
        }
        let lower_case_word =
            e.kind != Kind::Place && e.aliases.is_empty() && lower.contains(&e.name.to_lowercase());
        let german_noun = in_german
            && matches!(e.kind, Kind::Other | Kind::Organisation)
            && store_noun(&e.name, german_nouns);
        !(lower_case_word || german_noun)
    });
    out.sort_by(|a, b| {
        b.salience
            .total_cmp(&a.salience)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

fn initials(words: &[&str]) -> String {
    words
        .iter()
        .filter(|w| !matches!(**w, "of" | "the" | "and" | "for"))
        .filter_map(|w| w.chars().next())
        .collect()
}

/// `sergei shoigu` / `sergey shoigu`; `aleksandr matsegora` / `alexander matsegora`.
fn transliterations(a: &str, b: &str) -> bool {
    let (wa, wb): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    if wa.len() != wb.len() || wa.last() != wb.last() || a == b {
        return false;
    }
    wa.iter().zip(&wb).all(|(x, y)| {
        x == y
            || (x.chars().next() == y.chars().next()
                && x.chars().count() >= 4
                && y.chars().count() >= 4
                && levenshtein(x, y) <= 2 + usize::from(x.len().max(y.len()) >= 8))
    })
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// German verbs of speech as they attribute a quotation, after it and its comma
/// (`„…“, sagte Rauch`; `…, betonte Gesundheitsminister Rauch`): the speaker
/// follows the verb, after a role word if there is one. Singular forms only, and
/// only after a comma or a closing quotation mark, where a headline's verb and its
/// object (`Merkel sagt Nein`, `schreibt Geschichte`) never stand.
/// Verbs that take an object as readily (`erklärt Preise`, `schreibt Bücher`,
/// `warnt Bürger`) are not here.
const GERMAN_SPEECH: &[&str] = &[
    "sagte",
    "sagt",
    "erklärte",
    "betonte",
    "betont",
    "meinte",
    "meint",
    "ergänzte",
    "ergänzt",
    "erläuterte",
    "unterstrich",
    "versicherte",
];

/// What the story's words say of its names, read in one pass over the texts.
struct Evidence {
    /// Words that stand next to a verb of speech or after a role word somewhere in
    /// the story's texts: `Easley said`, `said Easley`, `spokesperson Peskov`; and
    /// the `speakers`.
    cues: HashSet<String>,
    /// The last word of each speaker's name German attributions give (`„…“,
    /// sagte Rauch`, `sagte Johannes Rauch am Montag`: `Rauch`; see
    /// [`GERMAN_SPEECH`]).
    speakers: HashSet<String>,
    /// The words of the names (`name_words`) the texts also write in lower case.
    lower: HashSet<String>,
}

fn evidence(texts: &[&str], name_words: &HashSet<String>) -> Evidence {
    let mut cues = HashSet::new();
    let mut speakers = HashSet::new();
    let mut lower = HashSet::new();
    for t in texts {
        let raw: Vec<&str> = t.split_whitespace().collect();
        let words: Vec<&str> = raw
            .iter()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .collect();
        for (i, w) in words.iter().enumerate() {
            // The verb and the words up to the speaker with no punctuation between
            // (`sagt: „Maschinen …`, `sagte Loriot, der …` are no attributions of
            // `Maschinen`; a speaker's own name may end a sentence).
            if i > 0
                && raw[i - 1].ends_with([',', '“', '"', '«', '»'])
                && raw[i] == *w
                && GERMAN_SPEECH.contains(w)
            {
                let role = |w: &str| is_german_role_word(w) || FORMS_OF_ADDRESS.contains(&w);
                // The name as said (up to three words past the roles), to its last
                // word: the surname a person's name ends with.
                let surname = (i + 1..(i + 5).min(words.len()))
                    .take_while(|&j| {
                        raw[j].starts_with(words[j]) && (j == i + 1 || raw[j - 1] == words[j - 1])
                    })
                    .map(|j| words[j])
                    .skip_while(|w| role(w))
                    .take_while(|w| w.starts_with(char::is_uppercase) && !role(w))
                    .take(3)
                    .last();
                if let Some(surname) = surname {
                    cues.insert(surname.to_string());
                    speakers.insert(surname.to_string());
                }
            }
            let first = w.chars().next().unwrap_or(' ');
            if first.is_lowercase() && name_words.contains(*w) {
                lower.insert(w.to_string());
            }
            let speech = first.is_lowercase() && SPEECH.contains(w);
            let role = w.starts_with("spokes")
                || (first.is_uppercase() && (w.starts_with("Spokes") || ROLE_WORDS.contains(w)));
            let capitalised = |w: &&&str| w.chars().next().is_some_and(char::is_uppercase);
            if speech && i > 0 && capitalised(&&words[i - 1]) {
                cues.insert(words[i - 1].to_string());
            }
            if speech || role {
                if let Some(next) = words.get(i + 1).filter(capitalised) {
                    cues.insert(next.to_string());
                }
            }
        }
    }
    Evidence {
        cues,
        speakers,
        lower,
    }
}

/// Whether a name the typer calls a person's is one, by what German texts say of
/// its words. German capitalises every noun, so a run of capitalised words is as
/// often a noun phrase (`Welche Drohne`, `Innere Zufriedenheit`, `Staat Israel`) as
/// a name.
///
/// - A form of address opens a person's name, whatever the texts do with the word
///   (`Frau Merkel`, though `die Frau` is common); a month's beginning, middle or
///   end is a date (`Ende März`).
/// - A name whose every word the store's German texts write as a lone noun
///   (`german_nouns`, see [`crate::Lexicon`]), or is a place, is a noun phrase
///   (`Maßnahmen Wirkung`, `Staat Israel`, `Kontrolle Ägyptens`). Every word,
///   not any: in a large store a given name is a noun in some text (`ins Mark`,
///   `einem Kai`) or written with an article in speech (`der Alfred`, `die Anna`),
///   and many surnames are nouns (`der Jäger`), but seldom both words of a name;
///   when they are (`Johannes Rauch`: `der Johannes`, `der Rauch`), an attribution
///   naming a speaker by the name's last word says it is a name (`„…“, sagte
///   Rauch`; `speakers`, see [`GERMAN_SPEECH`]), and that word is no common word
///   either.
/// - A word the story's own texts write after an article or in lower case (`die
///   Drohne`, `innere`) is a common word, and a person's names are not. Common words
///   may open a name as a role does (`Unionschef Friedrich Merz`): what follows them
///   is then the name, if it is two words or more.
fn german_person(
    name: &str,
    german: &[NounEvidence],
    german_nouns: &HashSet<String>,
    speakers: &HashSet<String>,
) -> bool {
    let words: Vec<&str> = name
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    if words.len() >= 2 && FORMS_OF_ADDRESS.contains(&words[0]) {
        return true;
    }

    if let [when, month, ..] = words[..] {
        if MONTH_PARTS.contains(&when) && GERMAN_MONTHS.contains(&month) {
            return false;
        }
    }
    // A place's genitive too (`Ägyptens`); a hyphenated compound as a whole
    // (`das Make-up`) or by its parts (`Corona-Niveau`; a double-barrelled surname's
    // parts are seldom both nouns, `Stark-Watzinger`).
    let noun_or_place =
        |w: &str| store_noun(w, german_nouns) || is_place(w) || is_place(w.trim_end_matches('s'));
    let nouns_or_places =
        |w: &&str| noun_or_place(w) || w.split('-').filter(|p| !p.is_empty()).all(noun_or_place);
    // Unless German attributions name a speaker by the word it ends with (`„…“,
    // sagte Rauch`): nouns do not speak, people do.
    let speaker = words.last().is_some_and(|w| speakers.contains(*w));
    if words.iter().all(nouns_or_places) && !speaker {
        return false;
    }
    // A speaker is no common word, though a relative pronoun may stand before it
    // as an article would (`der Fraktion, der Gauland vorsitzt`).
    let common = |w: &&str| !speakers.contains(*w) && german.iter().any(|e| e.is_common(w));
    match words.iter().rposition(common) {
        None => true,
        Some(i) => words.len() - (i + 1) >= 2,
    }
}

/// Whether some German text of the store writes a word as a lone noun
/// (`german_nouns`, see [`crate::Lexicon`]), in this form or in another of its cases
/// and numbers: `Getränken` opening a sentence, `die Getränke` elsewhere (see
/// [`other_noun_forms`]). A place is not matched by another form, nor is a form
/// that names one (`Deutschlands`, `das Deutschland von heute`).
fn store_noun(word: &str, german_nouns: &HashSet<String>) -> bool {
    let key = entity_key(word);
    german_nouns.contains(&key)
        || (!german_nouns.is_empty()
            && !is_place(word)
            && other_noun_forms(&key)
                .iter()
                .any(|f| german_nouns.contains(f) && !is_place(f)))
}

/// What opens the names of sports clubs and unions, as written: football's
/// `FC`, `SC`, `SV`, `AC`, `AS`, German clubs' `VfB`, `VfL`, `TSV`, `FSV`, `TSG`,
/// `RB`, and the German unions' `IG` (`IG Metall`).
const CLUB_PREFIXES: &[&str] = &[
    "FC", "SC", "SV", "AC", "AS", "VfB", "VfL", "TSV", "FSV", "TSG", "RB", "IG",
];

/// Whether a name's first word is a French, Spanish, Italian or Portuguese article
/// (`El`, `La`, `Les`, `Gli`, `L’` joined to the next word).
fn opens_with_article(word: &str) -> bool {
    const ARTICLES: &[&str] = &[
        "El", "La", "Le", "Les", "Los", "Las", "Lo", "Il", "Gli", "Os",
    ];
    ARTICLES.contains(&word)
        || ["L'", "L’"].iter().any(|a| {
            word.strip_prefix(a)
                .is_some_and(|rest| rest.starts_with(char::is_uppercase))
        })
}

/// Whether a name an article opens is a surname that holds the article (`Le Pen`,
/// `Le Maire`, `La Russa`): some text writes a given name right before it (`Marine
/// Le Pen`), as no text does before a paper's or a place's name (`Le Monde`, `La
/// Moneda`). Analysis folds `Marine Le Pen` into the `Le Pen` an article also
/// writes alone, so the story's texts are where the given name is seen.
fn surname_with_article(name: &str, texts: &[&str]) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if !(2..=3).contains(&words.len()) || !opens_with_article(words[0]) {
        return false;
    }
    texts.iter().any(|t| {
        t.match_indices(name).any(|(at, _)| {
            let before = t[..at].trim_end_matches(' ');
            before.len() + 1 == at
                && before
                    .rsplit(char::is_whitespace)
                    .next()
                    .is_some_and(|w| w.len() >= 2 && is_given_name_shape(w))
        })
    })
}

/// A word shaped as a given name: a capital and lower-case letters (`Marine`,
/// `Jean-Marie`), not a sentence's punctuation or an acronym.
fn is_given_name_shape(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_lowercase() || c == '-')
        && !opens_with_article(w)
        && !not_name_alone(w)
}

/// Whether every word of a name of two words or more is one the story's texts also
/// write in lower case (`lower`, as [`evidence`] collects it).
fn all_written_lower(name: &str, lower: &HashSet<String>) -> bool {
    name.split_whitespace().nth(1).is_some()
        && name
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .all(|w| lower.contains(&w))
}

/// German forms of address, which open a person's name.
const FORMS_OF_ADDRESS: &[&str] = &["Herr", "Herrn", "Frau", "Dr", "Prof"];

fn kind_of(name: &str, aliases: &[String], cues: &HashSet<String>) -> Kind {
    if is_place(name) || aliases.iter().any(|a| is_place(a)) {
        return Kind::Place;
    }
    let key = entity_key(name);
    let words: Vec<&str> = key.split(' ').collect();
    let last = *words.last().unwrap_or(&"");
    if words.iter().any(|w| ORG_WORDS.contains(w)) || (words.len() > 1 && last == "ag") {
        return Kind::Organisation;
    }
    if words.iter().any(|w| EVENT_WORDS.contains(w)) {
        return Kind::Event;
    }
    if words.len() > 1 && (PLACE_WORDS.contains(&last) || PLACE_FIRST_WORDS.contains(&words[0])) {
        return Kind::Place;
    }
    // A party named by its own one word (`GOP`, `Labour`, `Tories`) is the body;
    // the same words after another are its members (`Iowa GOP`).
    if let [word] = words[..] {
        if PARTY_NAMES.contains(&word) {
            return Kind::Organisation;
        }
    }
    // A party's member or members (`California Democrat`, `Top Republicans`), a
    // law or an abstraction: not a person.
    if PARTY_WORDS.contains(&last) || THING_WORDS.contains(&last) {
        return Kind::Other;
    }
    // A part of a known place: `Northeast Philadelphia`, `Southern Iran`.
    if words.len() > 1 && COMPASS.contains(&words[0]) && is_place(&words[1..].join(" ")) {
        return Kind::Place;
    }
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        return Kind::Organisation;
    }
    let words_written: Vec<&str> = name.split_whitespace().collect();
    // A person's name is written in letters (`Covid-19`, `Athlet*innen` are not).
    let lettered = name
        .chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace() || matches!(c, '-' | '\'' | '’' | '.'));
    // An acronym of three letters or more opens no one's name: a body's does
    // (`NBC Philadelphia`, `ABC Sports`, `BASF Coatings`). Initials are two letters
    // (`AJ Butler`) or dotted (`J.R. Smith`).
    let opens_with_acronym = words_written.len() > 1 && {
        let first = words_written[0];
        first.chars().count() >= 3 && first.chars().all(|c| c.is_uppercase())
    };
    // A sports club's or a union's letters opening the name (`FC Bayern`, `VfB
    // Stuttgart`, `AC Milan`, `IG Metall`): two letters, which would otherwise be
    // a person's initials.
    if opens_with_acronym || (words_written.len() > 1 && CLUB_PREFIXES.contains(&words_written[0]))
    {
        return Kind::Organisation;
    }
    // One written word joined by a hyphen after an acronym, a capital letter or a
    // prefix is a thing, not a person's name (`US-Produktion`, `QR-Code`, `EU-Satelliten`,
    // `E-Mobilität`, `T-Shirt`, `Ex-Klub`, `Co-Gründer`); a double-barrelled surname is not so joined (`Stark-Watzinger`,
    // `Ocasio-Cortez`).
    if let [word] = words_written[..] {
        if let Some((head, _)) = word.split_once('-') {
            // A capital letter alone counts: `E-Mobilität`, `U-Bahn`, `T-Shirt`.
            let acronym = !head.is_empty() && head.chars().all(|c| c.is_uppercase());
            const PREFIXES: &[&str] = &["Ex", "Co", "Anti", "Pro", "Non", "Pre", "Post", "Neo"];
            // A part in lower case is a compound's, not a surname's (`Hors-série`,
            // `Know-how`, `All-time-Klassiker`; `Ocasio-Cortez`, `Layne-Clark`),
            // unless it is a particle between capitalised parts, as in French
            // surnames and places (`Chevassus-au-Louis`, `Aulnay-sous-Bois`,
            // `Côtes-d’Armor`).
            const PARTICLES: &[&str] = &[
                "de", "du", "des", "en", "sur", "sous", "au", "aux", "la", "le", "les", "lès",
                "di", "da", "del", "do", "dos", "das", "y", "et", "under", "upon", "on", "am",
                "an", "im",
            ];
            let particle = |p: &str| {
                PARTICLES.contains(&p)
                    || ["d'", "d’", "l'", "l’"].iter().any(|e| {
                        p.strip_prefix(e)
                            .is_some_and(|r| r.starts_with(char::is_uppercase))
                    })
            };
            let parts: Vec<&str> = word.split('-').collect();
            let lower_part = parts[1..]
                .iter()
                .any(|p| p.starts_with(char::is_lowercase) && !particle(p))
                || parts.last().is_some_and(|p| PARTICLES.contains(p));
            if acronym || PREFIXES.contains(&head) || lower_part {
                return Kind::Other;
            }
        }
    }
    // English's article opens no one's name (`The Drew Barrymore Show`); the
    // Romance ones are weighed where the story's language is known (`merge`).
    if words_written.len() > 1 && words_written[0] == "The" {
        return Kind::Other;
    }
    // A party's adjective opens no one's name (`Republican Iowa` from `the Republican
    // Iowa caucuses`, `Democratic Senate`).
    if (2..=4).contains(&words.len()) && lettered && !PARTY_WORDS.contains(&words[0]) {
        return Kind::Person;
    }
    if words_written.len() == 1 && cues.contains(words_written[0]) {
        // A brand's inner capital (`HuffPost said`, `BuzzFeed reported`), unlike a
        // surname's after its particle (`McCain`, `DeSantis`, `LaBolt`, `O’Neil`).
        if brand_cased(words_written[0]) {
            return Kind::Organisation;
        }
        return Kind::Person;
    }
    Kind::Other
}

/// Whether one word is capitalised inside as brands are (`HuffPost`, `WikiLeaks`)
/// and surnames are not: an inner capital letter after something other than a
/// surname's particle.
fn brand_cased(word: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O", "D", "Fitz",
    ];
    let Some((i, _)) = word.char_indices().skip(1).find(|(_, c)| c.is_uppercase()) else {
        return false;
    };
    let before = word[..i].trim_end_matches(['\'', '’']);
    !PARTICLES.contains(&before)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ent(key: &str, name: &str, mentions: u32) -> Entity {
        Entity {
            key: key.into(),
            name: name.into(),
            mentions,
            in_title: false,
        }
    }

    #[test]
    fn aliases_merge_across_articles() {
        let a = vec![
            ent("sergei shoigu", "Sergei Shoigu", 3),
            ent("kim jong un", "Kim Jong Un", 5),
            ent("us", "US", 2),
        ];
        let b = vec![
            ent("sergey shoigu", "Sergey Shoigu", 2),
            ent("kim jong un", "Kim Jong-un", 4),
            ent("shoigu", "Shoigu", 1),
            ent("united states", "United States", 1),
            ent("u s", "U.S.", 1),
        ];
        let out = merge(
            &["a", "b"],
            &[&a, &b],
            &["Sergei Shoigu said so.", "Shoigu said no."],
            &[None, None],
            &HashSet::new(),
        );
        let names: Vec<&str> = out.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names.len(), 3, "{out:#?}");
        let shoigu = out.iter().find(|e| e.name == "Sergei Shoigu").unwrap();
        assert_eq!(shoigu.aliases, vec!["Sergey Shoigu", "Shoigu"]);
        assert_eq!(shoigu.kind, Kind::Person);
        assert_eq!(shoigu.articles, vec!["a", "b"]);
        let kim = out.iter().find(|e| e.name.starts_with("Kim")).unwrap();
        assert_eq!(kim.aliases.len(), 1);
        let us = out.iter().find(|e| e.name == "United States").unwrap();
        assert_eq!(us.kind, Kind::Place);
        assert!(us.aliases.contains(&"US".to_string()) && us.aliases.contains(&"U.S.".to_string()));
    }

    #[test]
    fn an_acronym_is_no_part_of_a_compound_but_a_surname_is() {
        let a = vec![
            ent("thw", "THW", 3),
            ent("thw leben", "THW-Leben", 2),
            ent("kramp karrenbauer", "Kramp-Karrenbauer", 2),
            ent("karrenbauer", "Karrenbauer", 1),
            ent("spd", "SPD", 2),
            ent("spd chef", "SPD Chef", 1),
        ];
        let out = merge(
            &["a"],
            &[&a],
            &["Das THW hilft. Kramp-Karrenbauer kam."],
            &[Some("de")],
            &HashSet::new(),
        );
        let aliases = |name: &str| {
            out.iter()
                .find(|e| e.name == name)
                .unwrap_or_else(|| panic!("{name}: {out:#?}"))
                .aliases
                .clone()
        };
        assert!(aliases("THW").is_empty(), "{out:#?}");
        assert_eq!(aliases("Kramp-Karrenbauer"), ["Karrenbauer"]);
        // Written with a space, the acronym's name still takes it (`SPD Chef` is a
        // person-shaped name here, whatever it means).
        assert!(out.iter().all(|e| e.name != "SPD"), "{out:#?}");
    }

    #[test]
    fn a_middle_name_or_initial_folds_unless_two_names_share_the_short_form() {
        let a = vec![
            ent("robert s mueller", "Robert S. Mueller", 3),
            ent("hillary rodham clinton", "Hillary Rodham Clinton", 2),
            ent("george w bush", "George W. Bush", 2),
        ];
        let b = vec![
            ent("robert mueller", "Robert Mueller", 4),
            ent("hillary clinton", "Hillary Clinton", 5),
            ent("george h w bush", "George H. W. Bush", 1),
            ent("george bush", "George Bush", 1),
        ];
        let out = merge(
            &["a", "b"],
            &[&a, &b],
            &["", ""],
            &[None, None],
            &HashSet::new(),
        );
        let group = |n: &str| {
            out.iter()
                .find(|e| e.name == n || e.aliases.iter().any(|x| x == n))
                .map(|e| e.name.clone())
        };
        assert_eq!(
            group("Robert Mueller"),
            group("Robert S. Mueller"),
            "{out:#?}"
        );
        assert_eq!(group("Hillary Clinton"), group("Hillary Rodham Clinton"));
        // Two Bushes share `George Bush`: all three stay apart.
        let bushes: HashSet<Option<String>> =
            ["George W. Bush", "George H. W. Bush", "George Bush"]
                .iter()
                .map(|n| group(n))
                .collect();
        assert_eq!(bushes.len(), 3, "{out:#?}");
        // A title the article kept before a name the story also writes alone.
        let c = vec![ent(
            "special counsel robert mueller",
            "Special Counsel Robert Mueller",
            1,
        )];
        let out = merge(
            &["a", "b", "c"],
            &[&a, &b, &c],
            &["", "", ""],
            &[None, None, None],
            &HashSet::new(),
        );
        let m = out.iter().find(|e| e.name == "Robert S. Mueller").unwrap();
        assert!(
            m.aliases
                .contains(&"Special Counsel Robert Mueller".to_string()),
            "{out:#?}"
        );
    }

    #[test]
    fn kinds() {
        let cues: HashSet<String> = ["Easley".to_string()].into();
        let k = |n: &str| kind_of(n, &[], &cues);
        assert_eq!(k("Vladivostok"), Kind::Place);
        // Countries and cities as French and Spanish news name them.
        assert_eq!(k("Estados Unidos"), Kind::Place);
        assert_eq!(k("Allemagne"), Kind::Place);
        assert_eq!(k("Côte d’Ivoire"), Kind::Place);
        assert_eq!(k("Nueva York"), Kind::Place);
        assert_eq!(k("Pacific Coast"), Kind::Place);
        assert_eq!(k("National Security Council"), Kind::Organisation);
        assert_eq!(k("Workers’ Party of Korea"), Kind::Organisation);
        assert_eq!(k("KCNA"), Kind::Organisation);
        assert_eq!(k("Eastern Economic Forum"), Kind::Event);
        assert_eq!(k("Korean War"), Kind::Event);
        assert_eq!(k("Adrienne Watson"), Kind::Person);
        assert_eq!(k("Easley"), Kind::Person);
        assert_eq!(k("Interfax"), Kind::Organisation);
        assert_eq!(k("Ewha"), Kind::Other);
        assert_eq!(k("Kraft Foods"), Kind::Organisation);
        assert_eq!(k("Republican Jewish Coalition"), Kind::Organisation);
        assert_eq!(k("National Rifle Association"), Kind::Organisation);
        assert_eq!(k("Obama Campaign"), Kind::Organisation);
        assert_eq!(k("Philadelphia Inquirer"), Kind::Organisation);
        assert_eq!(k("Northeast Philadelphia"), Kind::Place);
        assert_eq!(k("Southern Iran"), Kind::Place);
        assert_eq!(k("North Carolina"), Kind::Place);
        assert_eq!(k("Republican Iowa"), Kind::Other);
        assert_eq!(k("Covid-19"), Kind::Other);
        assert_eq!(k("California Democrat"), Kind::Other);
        assert_eq!(k("Democrats"), Kind::Other);
        assert_eq!(k("GOP"), Kind::Organisation);
        assert_eq!(k("Hors-série"), Kind::Other);
        assert_eq!(k("Know-how"), Kind::Other);
        assert_eq!(k("Layne-Clark"), Kind::Person);
        assert_eq!(k("Chevassus-au-Louis"), Kind::Person);
        assert_ne!(k("Val-d’Oise"), Kind::Other);
        assert_eq!(k("El Ejército"), Kind::Organisation);
        assert_eq!(k("Audiencia Nacional"), Kind::Organisation);
        assert_eq!(k("Supremo Tribunal Federal"), Kind::Organisation);
        assert_eq!(k("Forças Armadas"), Kind::Organisation);
        for polish in [
            "Koalicja Obywatelska",
            "Platformy Obywatelskiej",
            "Trybunał Konstytucyjny",
            "Komisji Europejskiej",
        ] {
            assert_eq!(k(polish), Kind::Organisation, "{polish}");
        }
        assert_eq!(k("Avenida Paralela"), Kind::Place);
        assert_eq!(k("Casa Bianca"), Kind::Place);
        assert_eq!(k("The Drew Barrymore Show"), Kind::Other);
        assert_eq!(k("Marine Le Pen"), Kind::Person);
        // A surname holding an article, known by the given name a text writes
        // before it; a paper's name has none.
        let texts = ["Marine Le Pen a parlé. Selon Le Monde, Le Pen a promis."];
        assert!(surname_with_article("Le Pen", &texts));
        assert!(!surname_with_article("Le Monde", &texts));
        assert!(!surname_with_article("Marine Le Pen", &texts));
        assert_eq!(k("Labour"), Kind::Organisation);
        assert_eq!(k("Iowa GOP"), Kind::Other);
        assert_eq!(k("Affordable Care Act"), Kind::Other);
        assert_eq!(k("Fort Lauderdale"), Kind::Place);
        assert_eq!(k("Trump Tower"), Kind::Place);
        assert_eq!(k("Indianapolis Star"), Kind::Organisation);
        assert_eq!(k("Capitol Hill"), Kind::Place);
        assert_eq!(k("Special Counsel"), Kind::Other);
        let cues: HashSet<String> = ["HuffPost", "McCain", "DeSantis", "O’Neil", "Haley"]
            .map(String::from)
            .into();
        for (name, kind) in [
            ("HuffPost", Kind::Organisation),
            ("McCain", Kind::Person),
            ("DeSantis", Kind::Person),
            ("O’Neil", Kind::Person),
            ("Haley", Kind::Person),
        ] {
            assert_eq!(kind_of(name, &[], &cues), kind, "{name}");
        }
        assert_eq!(k("Athlet*innen"), Kind::Other);
        assert_eq!(k("Jean-Paul O’Neil Jr."), Kind::Person);
        assert_eq!(k("United Auto Workers"), Kind::Organisation);
        assert_eq!(k("Dumpton Park Drive"), Kind::Place);
        assert_eq!(k("Bay Area"), Kind::Place);
        assert_eq!(k("Rose Garden"), Kind::Place);
        assert_eq!(k("Madison Square Garden"), Kind::Place);
        assert_eq!(k("Golan Heights"), Kind::Place);
        assert_eq!(k("Lauryn Hill"), Kind::Person);
        // A body's acronym opens the name; initials open a person's.
        assert_eq!(k("NBC Philadelphia"), Kind::Organisation);
        assert_eq!(k("AJ Butler"), Kind::Person);
        // Two letters that open a club's or a union's name are no initials.
        assert_eq!(k("FC Bayern"), Kind::Organisation);
        assert_eq!(k("VfB Stuttgart"), Kind::Organisation);
        assert_eq!(k("IG Metall"), Kind::Organisation);
        // German bodies by their words.
        for body in [
            "Landgericht Berlin",
            "Kantonspolizei Bern",
            "Süddeutsche Zeitung",
            "Siemens AG",
            "Bundeswehr",
        ] {
            assert_eq!(k(body), Kind::Organisation, "{body}");
        }
        assert_eq!(k("J.R. Smith"), Kind::Person);
        // A hyphen after an acronym or a prefix joins a thing; a double-barrelled
        // surname is a person's.
        assert_eq!(k("US-Produktion"), Kind::Other);
        assert_eq!(k("Ex-Klub"), Kind::Other);
        assert_eq!(k("E-Mobilität"), Kind::Other);
        assert_eq!(k("U-Bahn"), Kind::Other);
        assert_eq!(k("Ocasio-Cortez"), Kind::Person);
        assert_eq!(k("Randall Park"), Kind::Person);
        // German places by their first or last word.
        for place in [
            "Stadt Dresden",
            "Kanton Bern",
            "Hamburger Hafen",
            "Berliner Straße",
        ] {
            assert_eq!(k(place), Kind::Place, "{place}");
        }
        // An attorney general, not a company.
        assert_eq!(k("AG Ken Paxton"), Kind::Person);
        // Places by their German names.
        for place in [
            "Deutschland",
            "München",
            "Nordrhein-Westfalen",
            "Moskau",
            "Wien",
        ] {
            assert_eq!(k(place), Kind::Place, "{place}");
        }
    }

    #[test]
    fn capitalised_common_words_are_not_names() {
        let text = "About 100 people were in the plant. Police said the woman, Yvonne Hiller, had been suspended. Officers arrived minutes later, and police took her into custody. Hiller said nothing; the officers found a gun. It was about 8:30 p.m. Non-party observers, and other non-party groups, watched.";
        let ents = [
            ent("yvonne hiller", "Yvonne Hiller", 2),
            ent("hiller", "Hiller", 2),
            ent("about", "About", 1),
            ent("police", "Police", 1),
            ent("officers", "Officers", 1),
            ent("non party", "Non-party", 1),
            ent("philadelphia", "Philadelphia", 1),
        ];
        let names: Vec<String> = merge(&["a"], &[&ents], &[text], &[None], &HashSet::new())
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert!(names.contains(&"Yvonne Hiller".to_string()), "{names:?}");
        assert!(names.contains(&"Philadelphia".to_string()), "{names:?}");
        for common in ["About", "Police", "Officers", "Non-party"] {
            assert!(!names.contains(&common.to_string()), "{names:?}");
        }
    }

    /// The names and kinds one article's entities merge into, by name.
    fn kinds_of(
        ents: &[Entity],
        text: &str,
        lang: Option<&str>,
        german_nouns: &HashSet<String>,
    ) -> Vec<(String, Kind)> {
        let mut v: Vec<(String, Kind)> = merge(&["a"], &[ents], &[text], &[lang], german_nouns)
            .into_iter()
            .map(|e| (e.name, e.kind))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    #[test]
    fn german_noun_phrases_are_not_people() {
        let text = "Welche Drohne ist die beste? Die Drohne fliegt weit, sagte \
                    Unionschef Friedrich Merz. Innere Ruhe hilft, innere Ruhe vor allem. \
                    Ein Foto, das Adolf Hitler zeigt. Die Ruhe kam zurück.";
        let ents = [
            ent("welche drohne", "Welche Drohne", 1),
            ent("innere ruhe", "Innere Ruhe", 1),
            ent("unionschef friedrich merz", "Unionschef Friedrich Merz", 1),
            ent("adolf hitler", "Adolf Hitler", 1),
        ];
        let kinds = |lang| kinds_of(&ents, text, lang, &HashSet::new());
        let person = |n: &str| (n.to_string(), Kind::Person);
        let other = |n: &str| (n.to_string(), Kind::Other);
        // A word the German text writes after an article or in lower case is a
        // common word: no person's name holds one, but a role may open a name.
        assert_eq!(
            kinds(Some("de")),
            vec![
                person("Adolf Hitler"),
                other("Innere Ruhe"),
                person("Unionschef Friedrich Merz"),
                other("Welche Drohne"),
            ]
        );
        // Other languages are not read so.
        assert!(kinds(Some("en")).iter().all(|(_, k)| *k == Kind::Person));
    }

    #[test]
    fn the_nouns_the_stores_german_texts_write_are_not_names() {
        // `Ängste` opens a sentence: this text cannot tell it from a name, but
        // another German text of the store writes `die Ängste`.
        let text = "Ängste plagen die Stadt. Hauptstadt Jerusalem bleibt ruhig, sagte Frau \
                    Merkel Ende März. Kontrolle Ägyptens sei nötig. Mark Zuckerberg schweigt. \
                    Corona-Niveau erreicht, sagte Bettina Stark-Watzinger. Make-up hilft. Siemens auch. Polizei und \
                    NATO waren da.";
        let ents = [
            ent("angste", "Ängste", 2),
            ent("hauptstadt jerusalem", "Hauptstadt Jerusalem", 1),
            ent("kontrolle agyptens", "Kontrolle Ägyptens", 1),
            ent("corona niveau", "Corona-Niveau", 1),
            ent("make up", "Make-up", 1),
            ent("bettina stark watzinger", "Bettina Stark-Watzinger", 1),
            ent("frau merkel", "Frau Merkel", 1),
            ent("ende marz", "Ende März", 1),
            ent("mark zuckerberg", "Mark Zuckerberg", 1),
            ent("siemens", "Siemens", 1),
            ent("polizei", "Polizei", 1),
            ent("nato", "NATO", 1),
        ];
        // Nouns of the store's German texts (`ins Mark` too, and `die Frau`; `die
        // Nato` is not counted, but a text's `die nato` might be).
        let nouns: HashSet<String> = [
            "angste",
            "hauptstadt",
            "kontrolle",
            "corona",
            "niveau",
            "make up",
            "mark",
            "frau",
            "ende",
            "polizei",
            "nato",
        ]
        .map(String::from)
        .into();
        let kinds = |lang, nouns: &HashSet<String>| kinds_of(&ents, text, lang, nouns);
        let person = |n: &str| (n.to_string(), Kind::Person);
        let other = |n: &str| (n.to_string(), Kind::Other);
        assert_eq!(
            kinds(Some("de"), &nouns),
            vec![
                // A double-barrelled surname is not two nouns.
                person("Bettina Stark-Watzinger"),
                // A compound of two nouns.
                other("Corona-Niveau"),
                // A date.
                other("Ende März"),
                // A form of address opens a name.
                person("Frau Merkel"),
                // A place by its first word.
                ("Hauptstadt Jerusalem".to_string(), Kind::Place),
                // Every word a noun or a place (here a place's genitive): a noun
                // phrase.
                other("Kontrolle Ägyptens"),
                // One word a noun (`ins Mark`): still a name.
                person("Mark Zuckerberg"),
                // Written in capitals: an acronym.
                ("NATO".to_string(), Kind::Organisation),
                // A lone word no German text writes as a noun stays; `Ängste` goes,
                // and so does a lone body's word (`Polizei`).
                other("Siemens"),
            ]
        );
        // Without the store's nouns, `Ängste` stays and `Kontrolle Ägyptens` is
        // typed as the story's own texts allow.
        let alone = kinds(Some("de"), &HashSet::new());
        assert!(alone.contains(&other("Ängste")), "{alone:?}");
        assert!(alone.contains(&person("Kontrolle Ägyptens")), "{alone:?}");
        // Other languages are not read so.
        let english = kinds(Some("en"), &nouns);
        assert!(english.contains(&other("Ängste")), "{english:?}");
    }

    #[test]
    fn a_name_in_two_cases_is_one_name_across_a_polish_storys_articles() {
        let one = [
            ent("donalda tuska", "Donalda Tuska", 2),
            ent("polski", "Polski", 1),
        ];
        let two = [
            ent("donald tusk", "Donald Tusk", 1),
            ent("polska", "Polska", 2),
            ent("jaroslaw kaczynski", "Jarosław Kaczyński", 1),
            ent("marta kaczynska", "Marta Kaczyńska", 1),
        ];
        let texts = ["Wiec Donalda Tuska w Polski.", "Donald Tusk i Polska."];
        let names = |langs: [Option<&str>; 2]| -> Vec<(String, Vec<String>)> {
            let mut v: Vec<(String, Vec<String>)> =
                merge(&["a", "b"], &[&one, &two], &texts, &langs, &HashSet::new())
                    .into_iter()
                    .map(|e| (e.name, e.aliases))
                    .collect();
            v.sort();
            v
        };
        let polish = names([Some("pl"), Some("pl")]);
        let find = |n: &str| polish.iter().find(|(name, _)| name == n).cloned();
        assert_eq!(
            find("Donald Tusk"),
            Some(("Donald Tusk".to_string(), vec!["Donalda Tuska".to_string()])),
            "{polish:?}"
        );
        assert_eq!(
            find("Polska"),
            Some(("Polska".to_string(), vec!["Polski".to_string()])),
            "{polish:?}"
        );
        assert!(find("Jarosław Kaczyński").is_some(), "{polish:?}");
        let polish_kinds = kinds_of(
            &[
                ent("rosji", "Rosji", 2),
                ent("wielkiej brytanii", "Wielkiej Brytanii", 1),
                ent("stanach zjednoczonych", "Stanach Zjednoczonych", 1),
                ent("marii", "Marii", 1),
            ],
            "W Rosji i Wielkiej Brytanii, w Stanach Zjednoczonych. Marii nie było. Rosji.",
            Some("pl"),
            &HashSet::new(),
        );
        for place in ["Rosji", "Wielkiej Brytanii", "Stanach Zjednoczonych"] {
            assert!(
                polish_kinds.contains(&(place.to_string(), Kind::Place)),
                "{polish_kinds:?}"
            );
        }
        assert!(
            !polish_kinds.contains(&("Marii".to_string(), Kind::Place)),
            "{polish_kinds:?}"
        );
        assert!(find("Marta Kaczyńska").is_some(), "{polish:?}");
        // A story in a language that does not decline names keeps them apart.
        let english = names([Some("en"), Some("en")]);
        assert!(
            english.iter().any(|(n, _)| n == "Donalda Tuska"),
            "{english:?}"
        );
    }

    #[test]
    fn a_speaker_german_attributions_name_is_a_person_though_the_store_writes_nouns() {
        // The store writes both of Johannes Rauch's words as nouns (`der Johannes`
        // in speech, `der Rauch`), and this text writes `dieser Gauland` (a
        // pronoun). Attributions name them as speakers; nouns do not speak.
        let text = "„Das ist wichtig“, sagte Johannes Rauch (Grüne). Er schwor dieser \
                    Gauland die Treue. Es fehlt Geld, betonte Alexander Gauland. Der Fall Gauland \
                    bleibt offen. Rauch Wolken ziehen auf. Die Experten sagt: „Maschinen \
                    helfen.“ Die Ruhe kam, meinte Gesundheitsminister Rauch.";
        let ents = [
            ent("johannes rauch", "Johannes Rauch", 2),
            ent("alexander gauland", "Alexander Gauland", 1),
            ent("fall gauland", "Fall Gauland", 1),
            ent("rauch wolken", "Rauch Wolken", 1),
            ent("maschinen", "Maschinen", 1),
            ent("grune", "Grüne", 1),
        ];
        let nouns: HashSet<String> = ["johannes", "rauch", "wolken", "fall", "maschinen"]
            .map(String::from)
            .into();
        let person = |n: &str| (n.to_string(), Kind::Person);
        let other = |n: &str| (n.to_string(), Kind::Other);
        let kinds = kinds_of(&ents, text, Some("de"), &nouns);
        assert!(kinds.contains(&person("Johannes Rauch")), "{kinds:?}");
        assert!(kinds.contains(&person("Alexander Gauland")), "{kinds:?}");
        // A party after the name is no part of it.
        assert!(kinds.contains(&other("Grüne")), "{kinds:?}");
        // A common word before the speaker's name still makes a noun phrase, and a
        // speaker's word with a noun after it is no person (`Rauch Wolken`).
        assert!(kinds.contains(&other("Fall Gauland")), "{kinds:?}");
        assert!(kinds.contains(&other("Rauch Wolken")), "{kinds:?}");
        // `sagt:` opens a quotation: `Maschinen` is no speaker, and goes as a noun.
        assert!(kinds.iter().all(|(n, _)| n != "Maschinen"), "{kinds:?}");
        // Without the attributions, the store's nouns decide.
        let plain = "Johannes Rauch kam. Er schwor dieser Gauland die Treue. Alexander \
                     Gauland kam.";
        let kinds = kinds_of(&ents[..2], plain, Some("de"), &nouns);
        assert_eq!(
            kinds,
            vec![other("Alexander Gauland"), other("Johannes Rauch")]
        );
    }

    #[test]
    fn a_noun_the_store_writes_in_another_form_is_not_a_name() {
        // Each word opens a sentence or stands undetermined: the text cannot tell
        // them from names. The store's German texts write other forms of them as
        // lone nouns: `die Getränke`, `die Menge`, `des Bundestags`, `das
        // Deutschland von heute`, `die Coin`.
        let text = "Getränken wird Zucker zugesetzt. Deutschlands Wirtschaft wächst. \
                    Bundestag tagt. Mengen Kohlendioxid entweichen. Co gründet. Siemens \
                    auch.";
        let ents = [
            ent("getranken", "Getränken", 1),
            ent("deutschlands", "Deutschlands", 1),
            ent("bundestag", "Bundestag", 1),
            ent("mengen kohlendioxid", "Mengen Kohlendioxid", 1),
            ent("co", "Co", 1),
            ent("siemens", "Siemens", 1),
        ];
        let nouns: HashSet<String> = [
            "getranke",
            "menge",
            "kohlendioxid",
            "bundestags",
            "deutschland",
            "coin",
        ]
        .map(String::from)
        .into();
        let kinds = |nouns: &HashSet<String>| kinds_of(&ents, text, Some("de"), nouns);
        let names = |nouns: &HashSet<String>| -> Vec<String> {
            kinds(nouns).into_iter().map(|(n, _)| n).collect()
        };
        assert_eq!(
            names(&nouns),
            // `Getränken` goes; a place's genitive, a name German writes with an
            // article (in any of its forms) and a word too short to tell by its
            // ending stay.
            [
                "Bundestag",
                "Co",
                "Deutschlands",
                "Mengen Kohlendioxid",
                "Siemens"
            ]
        );
        // A name whose every word the store writes as a noun, in some form, is a
        // noun phrase, not a person.
        assert!(kinds(&nouns).contains(&("Mengen Kohlendioxid".to_string(), Kind::Other)));
        // With the store's nouns in these forms only, as before.
        let alone = kinds(&HashSet::new());
        assert!(
            alone.contains(&("Getränken".to_string(), Kind::Other)),
            "{alone:?}"
        );
        assert!(
            alone.contains(&("Mengen Kohlendioxid".to_string(), Kind::Person)),
            "{alone:?}"
        );
    }

    #[test]
    fn an_article_opens_no_persons_name_in_a_romance_story() {
        let text = "El País informa. Marine Le Pen habló; Le Pen insistió. Le Minh Hung \
                    visitó Hanoi.";
        let ents = [
            ent("el pais", "El País", 1),
            ent("le pen", "Le Pen", 2),
            ent("le minh hung", "Le Minh Hung", 1),
        ];
        let kinds = |lang| kinds_of(&ents, text, lang, &HashSet::new());
        // Told in Spanish: a paper's name is no person's; a surname holding the
        // article, known by the given name before it, is.
        let es = kinds(Some("es"));
        assert!(es.contains(&("El País".to_string(), Kind::Other)), "{es:?}");
        assert!(es.contains(&("Le Pen".to_string(), Kind::Person)), "{es:?}");
        // Told in English, the same words open names (a Vietnamese surname).
        let en = kinds(Some("en"));
        assert!(
            en.contains(&("Le Minh Hung".to_string(), Kind::Person)),
            "{en:?}"
        );
    }

    #[test]
    fn a_name_of_words_the_texts_write_in_lower_case_is_no_person() {
        let text = "Open the Help Menu for help. The menu lists the items. Rachel White \
                    said the white paint had dried.";
        let ents = [
            ent("help menu", "Help Menu", 1),
            ent("rachel white", "Rachel White", 1),
        ];
        let kinds = kinds_of(&ents, text, Some("en"), &HashSet::new());
        assert_eq!(
            kinds,
            vec![
                ("Help Menu".to_string(), Kind::Other),
                ("Rachel White".to_string(), Kind::Person),
            ]
        );
    }

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("sergei", "sergey"), 1);
        assert!(transliterations(
            "aleksandr matsegora",
            "alexander matsegora"
        ));
        assert!(!transliterations("john kirby", "jane kirby"));
    }
}
