//! Line-level rules for page chrome, the way a news engineer writes them.
//!
//! Each rule looks at one line (a paragraph of crawler text, or one block of an HTML
//! page) and says what it is when it is not story text: a photo caption or credit,
//! a line of UI words, a "Related:" link, a typographic rule, a byline, a source-URL
//! line. None of them knows any particular site.

use std::sync::LazyLock;

use regex::Regex;

use crate::outlet;

/// What a non-story line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    Caption,
    Credit,
    Ui,
    Related,
    Rule,
    Url,
    /// Text disguised from filters with look-alike letters of another script.
    Disguised,
}

pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Whether a text has more than `n` words: [`word_count`] `> n`, without counting
/// the words of a long paragraph past the `n + 1`th.
pub fn more_words_than(s: &str, n: usize) -> bool {
    s.split_whitespace().nth(n).is_some()
}

/// Normalises whitespace (including no-break spaces) to single spaces.
///
/// Invisible characters a page uses for layout, not for meaning, are dropped: the soft
/// hyphen (`Ver\u{ad}an\u{ad}stal\u{ad}tung` hyphenates German text in narrow
/// columns), the zero-width space, the word joiner and a stray byte-order mark. The
/// zero-width joiners that shape Indic and Persian words are kept.
pub fn squash(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let before = out.len();
        if before > 0 {
            out.push(' ');
        }
        if word.is_ascii() || !word.contains(INVISIBLE) {
            out.push_str(word);
        } else {
            let start = out.len();
            out.extend(word.chars().filter(|c| !INVISIBLE.contains(c)));
            // A word of invisible characters only is no word.
            if out.len() == start {
                out.truncate(before);
            }
        }
    }
    out
}

const INVISIBLE: [char; 4] = ['\u{ad}', '\u{200b}', '\u{2060}', '\u{feff}'];

/// A line of only punctuation: `___`, `* * *`, `———`.
pub fn is_rule(line: &str) -> bool {
    !line.is_empty() && line.chars().all(|c| !c.is_alphanumeric())
}

/// Phrases that, making up a short line, are interface text and not story.
const UI_PHRASES: &[&str] = &[
    "click to continue reading",
    "continue reading",
    "read more",
    "read the full story",
    "click here",
    "subscribe",
    "subscribe now",
    "sign up",
    "sign in",
    "log in",
    "login",
    "register",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "advertisement",
    "advertising",
    "sponsored",
    "skip to content",
    "skip to main content",
    "follow us",
    "newsletter",
    "sign up for our newsletter",
    "accept cookies",
    "comments",
    "show comments",
    "leave a comment",
    "back to top",
    "menu",
    "search",
    "close",
    "next article",
    "previous article",
    "more stories",
    "recommended",
    "most read",
    "trending",
    "watch",
    "listen",
    "listen to this article",
    "copy link",
    "copied",
    "download the app",
    "open in app",
    "this content is not available",
    "loading",
    "scroll to continue",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "view comments",
    // Labels of the parts around a story: related reading, contents, sources,
    // contact, in the languages of the news we test on.
    "explore further",
    "further reading",
    "related coverage",
    "related content",
    "table of contents",
    "contents",
    "contact",
    "sources",
    "pdf",
    "à découvrir",
    "à lire aussi",
    "lire aussi",
    "mehr themen",
    "ähnliche beiträge",
    "ähnliche artikel",
    "zum weiterlesen",
    "weiterlesen",
    "inhaltsverzeichnis",
    "inhalt",
    "quellen",
    "quellenangaben",
    "kontakt",
    "zusatzinformationen",
    "themen im artikel",
    "leer más",
    "lee también",
    "te puede interesar",
];

/// Substrings that make a token an interface word (`bookmarkicon`, `chevron`).
const UI_STEMS: &[&str] = &[
    "icon",
    "chevron",
    "bookmark",
    "share",
    "menu",
    "search",
    "close",
    "login",
    "logout",
    "signin",
    "signup",
    "expand",
    "compress",
    "download",
    "upload",
    "trash",
    "mute",
    "pause",
    "play",
    "swipe",
    "arrow",
    "button",
    "toggle",
    "facebook",
    "twitter",
    "instagram",
    "youtube",
    "whatsapp",
    "telegram",
    "linkedin",
    "pinterest",
    "reddit",
    "vk",
    "rss",
    "fb",
    "tw",
    "yt",
];

/// Calls to action that close articles: subscribe, follow us, get the app, join our
/// channel, support our journalism, write to us, comment below; advertising and
/// affiliate disclosures; cookie notices; and the site's rights or licence line. In
/// the languages of the news we test on.
static CALL_TO_ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[^\p{L}\p{N}_])(?:",
        // English
        r"subscribe|subscriber|newsletter|sign up (?:for|here|to)|follow (?:us|the \w+|[\w@]+) on|",
        r"download (?:the|our) [\w ]{0,30}apps?|send us (?:your|a)|support (?:our|independent) journalism|",
        r"to view the full story|become a member|for the latest stories|",
        r"letter to the editor|we want to hear|if you enjoyed (?:reading )?this|keep up with me on|",
        r"(?:instant|immediate online) access|",
        // Advertising and affiliate disclosures
        r"affiliate[- ]links?|advertising disclos|advertising disclaimer|references to products|",
        r"enthält werbung|enthält affiliate|werbung für|",
        // Cookie notices
        r"(?:we use|this (?:site|website) uses|wir verwenden|wir nutzen|nous utilisons|usamos|utilizamos|używamy|korzystamy z) cookies|",
        // German
        r"abonnieren|abonnement|folgen sie uns|lesen sie auch|schon gelesen|weitere beiträge|",
        r"mehr zum thema|könnte (?:sie|dich) auch interessieren|jetzt (?:anmelden|registrieren)|",
        r"unterstützen sie (?:uns|unsere|diese)|gefällt (?:dir|ihnen) unser|ausgabe kaufen|",
        r"in den kommentaren|kommentare (?:geschlossen|zu schreiben)|",
        // Spanish, Portuguese, Italian
        r"suscr[íi]b|s[íi]guenos|únete|subskrypc|canal de (?:telegram|youtube|whatsapp)|hacemos periodismo|",
        r"apoya (?:nuestro|el) periodismo|cancela cuando quieras|assine|iscriviti|",
        // French
        r"abonnez-vous|suivez-nous|créez votre compte|pour lire la suite|pour accéder en illimité|",
        // Rights and licence lines
        r"all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados|",
        r"creative commons|cc[ -]by",
        r")"
    ))
    .unwrap()
});

/// A paragraph that asks the reader to do something (subscribe, follow, download,
/// join): at the end of an article it is the site's, not the story's.
pub fn is_call_to_action(text: &str) -> bool {
    !more_words_than(text, 60) && CALL_TO_ACTION.is_match(text)
}

/// Text written with look-alike letters of another script inside its words (`Yоur
/// соntеnt` with Cyrillic о, с, е): spam and ads disguised from filters. A third of
/// the words, and at least three, mix Latin and Cyrillic letters.
pub fn is_disguised(line: &str) -> bool {
    // Cyrillic letters are two bytes led by 0xD0..=0xD3 in UTF-8.
    if !line.bytes().any(|b| (0xD0..=0xD3).contains(&b)) {
        return false;
    }
    let mut words = 0;
    let mut mixed = 0;
    for w in line.split_whitespace() {
        words += 1;
        let latin = w.chars().any(|c| c.is_ascii_alphabetic());
        let cyrillic = w.chars().any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
        if latin && cyrillic {
            mixed += 1;
        }
    }
    mixed >= 3 && mixed * 3 >= words
}

/// A reading-time note: `4 min read`, `Lesezeit: 3 Minuten`, `11 minut czytania`.
static READING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(?:lesezeit|reading time|temps de lecture|tiempo de lectura)\s*:?\s*)?(?:ca\.\s*)?\d+\s*(?:min(?:ute)?s?|minuten|minut|minutos)\.?(?:\s+(?:read|lesezeit|czytania|de lecture|de lectura|lesen))?$").unwrap()
});

/// A share button's words: `Share on Facebook`, `Partager sur Twitter`, `Compartir
/// en WhatsApp`, `Auf Facebook teilen`, `Condividi su LinkedIn`, `Share via email`.
static SHARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:(?:share|partager|compartir|partilhar|condividi|teilen|udostępnij)",
        r"(?:\s+(?:on|via|sur|par|en|por|no|na|su|auf|per|w))?\s+",
        r"(?:facebook|twitter|x|whatsapp|linkedin|telegram|pinterest|reddit|bluesky|threads|e-?mail|mail|messenger)",
        r"|(?:auf|per)\s+(?:facebook|twitter|x|whatsapp|linkedin|e-?mail)\s+teilen)$"
    ))
    .unwrap()
});

/// A line of interface words: a known UI phrase alone, or a run of tokens most of
/// which are UI words (icon-font names, social buttons) with no sentence in them.
pub fn is_ui(line: &str) -> bool {
    if !more_words_than(line, 10) {
        let lower = line.to_lowercase();
        let bare = lower.trim_matches(|c: char| !c.is_alphanumeric()).trim();
        if !more_words_than(bare, 6)
            && (UI_PHRASES.contains(&bare) || READING_TIME.is_match(bare) || SHARE.is_match(bare))
        {
            return true;
        }
        // Paywall and sign-up prompts: `Subscribe to continue reading`, `Log in to keep
        // reading`.
        if bare.contains("continue reading")
            || bare.contains("keep reading")
            || bare.starts_with("subscribe")
            || bare.starts_with("already a subscriber")
        {
            return true;
        }
    }
    // A sentence is never a line of interface words; checking that first keeps the
    // stem scan off ordinary paragraphs.
    if line.trim_end().ends_with(['.', '!', '?', '”', '"']) || more_words_than(line, 200) {
        return false;
    }
    // Tokens split at spaces, hyphens and underscores; count those holding a UI stem,
    // with one pass of the stems' automaton over the line.
    let spans: Vec<(usize, usize)> = line
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|t| !t.is_empty())
        .map(|t| {
            let start = t.as_ptr() as usize - line.as_ptr() as usize;
            (start, start + t.len())
        })
        .collect();
    if spans.len() < 5 {
        return false;
    }
    let mut ui = 0;
    let mut token = 0;
    let mut counted = usize::MAX;
    for m in UI_STEM.find_iter(line) {
        while token < spans.len() && spans[token].1 <= m.start() {
            token += 1;
        }
        if token < spans.len() && spans[token].0 <= m.start() && counted != token {
            ui += 1;
            counted = token;
        }
    }
    ui * 10 >= spans.len() * 3
}

/// The stems of [`UI_STEMS`] as one case-insensitive automaton.
static UI_STEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i){}", UI_STEMS.join("|"))).unwrap());

static CAPTION_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:FILE(?: PHOTO)?\s*[-–—:]|PHOTO\s*[-–—:]|Photo:|Photograph:|Image:|Picture:|Pictured:|Caption:|Credit:|IMAGE:|Foto:|Bild:|Vergrößern |Enlarge this image)").unwrap()
});
static CREDIT_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:AP|AFP|Reuters|EPA|Getty|Xinhua|Yonhap|Kyodo|KCNA|TASS|Sputnik|Bloomberg|Pool)? ?Photo(?-u:\b)|(?-u:\b)photo(?:graph)? (?:by|credit|courtesy)(?-u:\b)|©|\(c\) |(?-u:\b)Getty Images(?-u:\b)|(?-u:\b)Shutterstock(?-u:\b)|(?-u:\b)Alamy(?-u:\b)|(?-u:\b)Imago(?-u:\b)|(?-u:\b)dpa-Bildfunk(?-u:\b)|(?-u:\b)File Photo(?-u:\b)|\((?i:fotos?|photos?|bild|image|imagen|cr[ée]dits?)\s?:[^)]*\)\s*$|(?-u:\b)(?:Photograph|Photo|Foto|Picture|Image|Bild):\s*[^.!?:]{2,60}$").unwrap()
});

/// Labels, in the languages of the pages we read, that open a picture's caption or
/// credit, or the line naming a text's source: `Titelbild: ...`, `Abbildung 4: ...`,
/// `Crédits photos : ...`, `(Credit: ...)`, `Quelle: dpa`, `Source: Reuters`.
static CAPTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\(?(?:photos?|fotos?|bild|image|imagen|credits?|crédits?(?: photos?)?|titelbild|beitragsbild|headerbild|aufmacherbild|bildquelle|bildnachweis|bildrechte|abbildung(?: \d+)?|abb\.(?: ?\d+)?|quellen?|sources?|fuente)\s?:").unwrap()
});

/// A photo caption or credit, or a source line. Captions start with `FILE -`,
/// `Photo:` or a label from [`CAPTION_LABEL`]; credits name a photographer or agency
/// (`(AP Photo/...)`, `© KCNA / KNS / AFP`, `Getty Images`).
pub fn is_caption(line: &str) -> bool {
    CAPTION_START.is_match(line) || CAPTION_LABEL.is_match(line) || CREDIT_IN.is_match(line)
}

/// A bare credit: names separated by slashes, ending in agencies
/// (`Kim Jong Un Kin Cheung / AP / TASS`), with no sentence in it.
pub fn is_credit(line: &str) -> bool {
    let parts: Vec<&str> = line.split(" / ").map(str::trim).collect();
    if parts.len() < 2 || line.ends_with('.') || more_words_than(line, 16) {
        return false;
    }
    let last = parts[parts.len() - 1];
    outlet::agency(last).is_some()
        || matches!(
            last,
            "KNS"
                | "EPA"
                | "EPA-EFE"
                | "Pool"
                | "Sputnik"
                | "KCNA"
                | "Getty"
                | "AP Photo"
                | "Scanpix"
                | "ANP"
                | "Imago"
        )
}

static RELATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:related(?: articles?| stories| content| coverage| news)?|read more|read also|also read|see also|more on this|more from [^:]{1,30}|recommended|watch|listen|more|explainer|opinion|related video|weiterlesen|lesen sie auch|mehr zum thema|(?:à )?lire aussi|voir aussi|te puede interesar|le puede interesar|lee también|leer más|leia também|veja também|leggi anche)\s*[:|»>]").unwrap()
});

/// A pointer to another article (`Related article: ...`, `READ MORE: ...`).
pub fn is_related(line: &str) -> bool {
    RELATED.is_match(line)
}

static URL_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:https?://|www\.)\S+$").unwrap());
static SOURCE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:original (?:url|article|link|source)|source(?: url| link)?|article url|url|link|permalink|canonical(?: url)?)\s*:\s*(?P<url>https?://\S+)?\s*$").unwrap()
});

/// A line that is only a URL.
pub fn is_url(line: &str) -> bool {
    URL_LINE.is_match(line)
}

/// A source line such as `Original url:` (the URL may be on the same line or the next).
/// Returns `Some(Some(url))`, or `Some(None)` when the URL follows on the next line.
pub fn source_label(line: &str) -> Option<Option<String>> {
    let c = SOURCE_LABEL.captures(line)?;
    Some(c.name("url").map(|m| m.as_str().to_string()))
}

/// Classifies a line as page chrome, or `None` when it may be story text.
pub fn noise(line: &str) -> Option<Noise> {
    if is_rule(line) {
        Some(Noise::Rule)
    } else if is_url(line) || source_label(line).is_some() {
        Some(Noise::Url)
    } else if is_related(line) {
        Some(Noise::Related)
    } else if is_caption(line) {
        Some(Noise::Caption)
    } else if is_credit(line) {
        Some(Noise::Credit)
    } else if is_ui(line) {
        Some(Noise::Ui)
    } else if is_disguised(line) {
        Some(Noise::Disguised)
    } else {
        None
    }
}

/// A byline's opening and its names: `By`, `Written by`, `Posted by`, `Von`, `Par`,
/// `Author:`. Read by [`byline`], and by crawler text's bylines with their date.
pub(crate) static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:(?:(?:written|story|words|text|posted|published)\s+)?by|von|par|por|di|authors?:)\s+(?P<names>\S.*)$",
    )
    .unwrap()
});
/// The words that name a byline's position (`Staff Writer`, `Senior Correspondent`).
const POSITION: &str =
    r"(?:[A-Z]\w+\s+)*(?:writer|correspondent|reporter|editor|staff|contributor|columnist)";
/// A position opening a byline part (`Staff writer Jane Doe`).
static ROLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^(?:the\s+)?{POSITION}\s+")).unwrap());
/// A byline part that is only a position (`Staff Writer`, `Senior Correspondent`).
static ROLE_ALONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^{POSITION}s?$")).unwrap());

/// A short line that opens like a byline (`By Jane Slaughter on Thu, Nov 9`,
/// `Por Laura Jordán / Javier Urbina`), whether or not its names parse.
pub fn byline_shaped(line: &str) -> bool {
    static NAME_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:by|von|par|por|di)\s+\p{Lu}[\p{L}.'-]*\s+\p{Lu}").unwrap()
    });
    byline(line).is_some() || (!more_words_than(line, 14) && NAME_FIRST.is_match(line.trim()))
}

/// A parsed byline: the names in order, and the wire agency a name is affiliated
/// with (`By MARK ALLEN Associated Press`: Mark Allen, of AP).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Byline {
    pub names: Vec<String>,
    pub agency: Option<&'static str>,
}

/// Lower-case particles that belong inside names (`Peter de Wit`, `Ursula von der Leyen`).
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "le", "la", "al", "el",
    "bin", "ibn", "ter", "ten", "y", "dos", "das",
];

/// A byline: `By The Associated Press and LOU KESTEN`, `By Reuters`,
/// `By Jane Doe, John Roe and Ann Poe`, `By MARK ALLEN Associated Press`.
pub fn byline(line: &str) -> Option<Byline> {
    let line = line.trim();
    if more_words_than(line, 14) || line.ends_with('.') && !line.ends_with(" Jr.") {
        return None;
    }
    let c = BYLINE.captures(line)?;
    let names_part = c["names"].split(['|', '•']).next().unwrap_or("");
    let mut out = Byline::default();
    // `AND` in a byline in capitals splits as `and` does.
    static AND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r",?\s+(?:and|AND)\s+").unwrap());
    // Where a name reports from (`Jane Doe in London`), and a social handle.
    static PLACE_OR_HANDLE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s+in\s+\p{Lu}[\p{L}.'’ -]*$|\s+@\w+").unwrap());
    for raw in AND
        .split(names_part)
        .flat_map(|p| p.split(','))
        .flat_map(|p| p.split(" & "))
        .flat_map(|p| p.split(" / "))
    {
        if ROLE_ALONE.is_match(raw.trim()) {
            continue;
        }
        let raw = PLACE_OR_HANDLE.replace_all(raw.trim(), "");
        let raw = ROLE.replace(raw.trim(), "");
        let mut raw = raw.trim().to_string();
        if raw.is_empty() {
            continue;
        }
        // A name followed by its agency: `MARK ALLEN Associated Press`.
        if let Some((name, agency)) = outlet::trailing_agency(&raw) {
            out.agency = Some(agency);
            raw = name.to_string();
        }
        // Names start with a capital letter (particles aside) and are short; anything
        // else means this is a sentence that happens to start with "By".
        let words: Vec<&str> = raw.split_whitespace().collect();
        let name_like = |w: &&str| {
            NAME_PARTICLES.contains(w)
                || w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
        };
        if words.len() > 5
            || !words.iter().all(name_like)
            || words.first().is_none_or(|w| NAME_PARTICLES.contains(w))
        {
            return None;
        }
        out.names.push(name_case(&raw));
    }
    (!out.names.is_empty()).then_some(out)
}

/// `LOU KESTEN` → `Lou Kesten`; names already in mixed case are kept as written.
/// Agency names and initials in capitals (`AP`, `AFP`, `CNN`) are kept too.
pub fn name_case(name: &str) -> String {
    // One short word in capitals is an organisation's initials (`CNN`, `NPR`, `KTLA`).
    let initials =
        (2..=5).contains(&name.chars().count()) && name.chars().all(|c| c.is_ascii_uppercase());
    if initials || outlet::agency(name).is_some() || name.chars().any(|c| c.is_lowercase()) {
        return name.to_string();
    }
    name.split_whitespace()
        .map(|w| {
            let mut out = String::new();
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = matches!(c, '-' | '\'' | '’' | '.');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Repairs what word tokenisers do to the parts of a line that carry metadata, as
/// research corpora print them (ECB+, Penn Treebank style):
///
/// - a URL line: `http: / / www. example. com / 2013 / 09 / 18 / story` is the URL
///   with spaces put around its punctuation; a URL has no spaces, so all are removed;
/// - a time of day: `18: 50`, `GMT+02: 00`, `7: 15 a. m.` become `18:50`, `GMT+02:00`,
///   `7:15 a.m.`;
/// - a numeric date: `05 / 02 / 2013`, `2012 - 04 - 04`, `2012. 08. 08` become
///   `05/02/2013`, `2012-04-04`, `2012.08.08`;
///
/// so that datelines read as they were written. These patterns are repaired in any
/// line; nothing else is touched (a ` - ` between words may be a dash the writer
/// typed).
///
/// Every line of crawler text passes here, so a line goes on unchanged, uncopied and
/// unsearched unless a digit stands right before one of the split forms (or the line
/// holds a split `a. m.`): most prose has `. ` and ` - ` but none of these.
pub fn untokenise(line: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    static REPAIRS: LazyLock<[(Regex, &str); 8]> = LazyLock::new(|| {
        [
            // Hours, minutes and seconds first (`2: 48: 40`), then hours and minutes;
            // not `2: 100`.
            (r"(\d): (\d\d): (\d\d)(\D|$)", "$1:$2:$3$4"),
            (r"(\d): (\d\d)(\D|$)", "$1:$2$3"),
            // A zone's offset cut after one digit of its minutes (`GMT+01: 0`).
            (r"((?:GMT|UTC)[+-]\d{1,2}): (\d)$", "$1:$2"),
            // A time with a dot before a zone or a.m./p.m. (`08. 23 BST`, `11. 30 p. m.`).
            (
                r"(?-u:\b)(\d{1,2})\. (\d\d) (BST|GMT|UTC|CET|CEST|[ECMP][SD]T|ET|IST|[ap]\.)",
                "$1.$2 $3",
            ),
            (r"(?i)\b([ap])\. (m)\.", "$1.$2."),
            (r"\b(\d{1,2}) / (\d{1,2}) / (\d\d(?:\d\d)?)\b", "$1/$2/$3"),
            (r"\b((?:19|20)\d\d) - (\d\d) - (\d\d)\b", "$1-$2-$3"),
            (r"\b((?:19|20)\d\d)\. (\d\d)\. (\d\d)\b", "$1.$2.$3"),
        ]
        .map(|(re, to)| (Regex::new(re).unwrap(), to))
    });
    if is_url_like(line) {
        return line.split_whitespace().collect::<String>().into();
    }
    if !split_after_digit(line.as_bytes()) && !line.contains(". m.") && !line.contains(". M.") {
        return line.into();
    }
    let mut out = Cow::Borrowed(line);
    for (re, to) in REPAIRS.iter() {
        if let Cow::Owned(s) = re.replace_all(&out, *to) {
            out = Cow::Owned(s);
        }
    }
    out
}

/// Whether a digit is followed by a tokeniser's split: `: `, `. `, ` / ` or ` - `.
fn split_after_digit(b: &[u8]) -> bool {
    b.windows(4).any(|w| {
        w[0].is_ascii_digit()
            && matches!(&w[1..], [b':' | b'.', b' ', _] | [b' ', b'/' | b'-', b' '])
    })
}

/// A URL as tokenised corpora print it (`http: / / www. example. com / ...`).
pub fn is_url_like(line: &str) -> bool {
    static TOKENISED_URL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^https?\s*:\s*/\s*/").unwrap());
    TOKENISED_URL.is_match(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_words_than_agrees_with_counting() {
        for text in [
            "",
            "  ",
            "one",
            "one two",
            " one  two\tthree\n",
            "a b c d e f g h",
        ] {
            for n in 0..10 {
                assert_eq!(
                    more_words_than(text, n),
                    word_count(text) > n,
                    "{text:?} {n}"
                );
            }
        }
    }

    #[test]
    fn untokenised_urls_and_times() {
        assert_eq!(
            untokenise("http: / / www. thelocal. fr / 20130909 / ram - raiders - hit - paris"),
            "http://www.thelocal.fr/20130909/ram-raiders-hit-paris"
        );
        assert_eq!(
            untokenise("Published: 09 Sep 2013 11: 25 GMT+02: 00"),
            "Published: 09 Sep 2013 11:25 GMT+02:00"
        );
        assert_eq!(
            untokenise("Posted on November 15, 2011 6: 07: 15 PM GMT+01: 0"),
            "Posted on November 15, 2011 6:07:15 PM GMT+01:0"
        );
        assert_eq!(
            untokenise("7: 15 a. m. Dec. 7, 2009"),
            "7:15 a.m. Dec. 7, 2009"
        );
        assert_eq!(
            untokenise("updated 12 / 19 / 2005 2: 48: 40 PM ET"),
            "updated 12/19/2005 2:48:40 PM ET"
        );
        assert_eq!(
            untokenise("Thursday 29 July 2004 08. 23 BST"),
            "Thursday 29 July 2004 08.23 BST"
        );
        assert_eq!(untokenise("They won 2: 100 times"), "They won 2: 100 times");
        // Prose keeps its colons and dashes.
        let prose = "The ministry said: 12 people died in a multi - car crash.";
        assert_eq!(untokenise(prose), prose);
        assert!(matches!(
            untokenise("Nothing to repair here"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn squash_drops_invisible_layout_characters() {
        assert_eq!(
            squash("Schon im Mit\u{ad}tel\u{ad}al\u{ad}ter  war\u{a0}der \u{200b} Wein"),
            "Schon im Mittelalter war der Wein"
        );
        // The zero-width non-joiner shapes Persian words: it stays.
        assert_eq!(squash("می\u{200c}خواهم"), "می\u{200c}خواهم");
        assert_eq!(squash("\u{feff} a \u{ad}\u{200b} b\n\tc \u{200b}"), "a b c");
        assert_eq!(squash("x"), "x");
        assert_eq!(squash("  "), "");
    }

    #[test]
    fn caption_credit_and_source_labels() {
        for line in [
            "Titelbild: Someone/Agency/picture-alliance",
            "Abbildung 4: klassische Schwachschicht im Profil.",
            "Crédits photos : Agence",
            "(Credit: Jane Doe / Grist)",
            "Quelle: Landesregierung",
            "Photo : YONHAP News",
            "Source: Reuters",
            "Zur Einweihung wurde ein kleiner Wald gepflanzt (Foto: Stadt Nordhausen)",
            "Golf im TV: die Turniere im Überblick. (Photo: Getty)",
        ] {
            assert!(is_caption(line), "{line}");
        }
        for line in [
            "Sources said the talks would resume on Monday.",
            "Photographers gathered outside the court.",
            "Quellenangaben fehlen in dem Bericht, sagte sie.",
            "Der Bericht (Foto: siehe oben) nennt keine Quellen.",
        ] {
            assert!(!is_caption(line), "{line}");
        }
    }

    #[test]
    fn captions_and_credits() {
        assert!(is_caption("FILE - A TV screen shows file images of U.S. President Joe Biden, left, and North Korean leader..."));
        // The zoom button's label opens the caption it sits on.
        assert!(is_caption(
            "Vergrößern Eine kleine runde Aussparung für die Kamera im Display."
        ));
        assert!(is_caption(
            "Seoul, South Korea. (AP Photo/Ahn Young-joon, File)"
        ));
        assert!(is_caption("North Korean leader Kim Jong-un in Vladivostok, Russia, on April 25, 2019. ©  KCNA / KNS / AFP"));
        // A caption that ends in its credit.
        assert!(is_caption(
            "Dockers on a picket line on Monday. Photograph: Tom Baker/Reuters"
        ));
        assert!(is_caption(
            "Die neue Buslinie am Hauptbahnhof. Foto: Stadtwerke"
        ));
        assert!(!is_caption(
            "The photo: a dock worker on the picket line, which went viral, was fake."
        ));
        assert!(is_credit("Kim Jong Un Kin Cheung / AP / TASS"));
        assert!(!is_credit(
            "He said the talks were going well / AP reported."
        ));
        assert!(!is_caption(
            "Kim received a photo album from Putin, the agency said."
        ));
    }

    #[test]
    fn text_disguised_with_look_alike_letters() {
        // Cyrillic о, с, е, і, ѕ inside Latin words.
        assert!(is_disguised(
            "Y\u{43e}ur \u{441}\u{43e}nt\u{435}nt \u{456}\u{455} d\u{435}l\u{456}v\u{435}r\u{435}d \u{456}n\u{455}tantly to thousands of users"
        ));
        assert!(!is_disguised(
            "Путин встретился с Kim Jong Un во Владивостоке."
        ));
        assert!(!is_disguised(
            "The council voted on Tuesday to close the bridge."
        ));
    }

    #[test]
    fn calls_to_action_and_disclosures() {
        for line in [
            "Subscribe to our newsletter to get the best stories every morning.",
            "Siguenos en Telegram, Instagram, Facebook y Twitter",
            "Submit your letter to the editor via this form.",
            "This post contains references to products from one or more of our advertisers.",
            "*Werbung. Dieser Beitrag enthält Werbung für eine Modemarke.",
            "Anzeige, enthält Affiliate Links",
            "Verraten Sie gerne in den Kommentaren: Wie feiern Sie?",
            "Unterstützen Sie diese Form des Journalismus.",
            "Pour accéder en illimité à nos articles, abonnez-vous.",
            "Zapraszamy też do subskrypcji naszego kanału.",
            "Szanowny Czytelniku, korzystamy z cookies.",
            "The advertising disclaimer below does not apply to this article.",
        ] {
            assert!(is_call_to_action(line), "{line}");
        }
        for line in [
            "The council voted on Tuesday to close the harbour bridge.",
            "The company's affiliate in Spain reported higher sales.",
            "Die Polizei sucht Zeugen, die den Unfall beobachtet haben.",
        ] {
            assert!(!is_call_to_action(line), "{line}");
        }
    }

    #[test]
    fn ui_lines() {
        assert!(is_ui("Click to continue reading"));
        assert!(is_ui("ADVERTISEMENT"));
        assert!(is_ui("4 Min Read"));
        assert!(is_ui("Lesezeit: 3 Minuten"));
        assert!(is_ui("11 minut czytania"));
        assert!(is_ui("Zum Weiterlesen:"));
        assert!(is_ui("Explore further"));
        assert!(!is_ui("4 minutes later the police arrived."));
        assert!(is_ui("Subscribe to continue reading"));
        assert!(is_ui("Subscribe now"));
        assert!(is_ui("icon bookmark-bicon bookmarkicon cameraicon checkicon chevron downicon chevron lefticon closeicon"));
        assert!(!is_ui(
            "Share prices fell sharply on Monday as investors weighed the news."
        ));
        assert!(!is_ui("Kim plans to visit a Russian naval base."));
        // Share buttons in several languages.
        for l in [
            "Share on Facebook",
            "Partager sur Facebook",
            "Compartir en Twitter",
            "Condividi su WhatsApp",
            "Auf Facebook teilen",
            "Share via email",
        ] {
            assert!(is_ui(l), "{l}");
        }
        assert!(!is_ui("Share prices on Facebook"));
    }

    #[test]
    fn related_rules_urls() {
        assert!(is_related("Related article: 'No Idea,' Says Russian Vodka Boss Whose Supply Was Bound for North Korea"));
        assert!(is_related("READ MORE: Putin arrives in Vladivostok"));
        assert!(!is_related("Related talks are expected next week."));
        assert!(is_related(
            "Lire aussi : Les entrepôts du port bientôt rénovés"
        ));
        assert!(is_related("Te puede interesar: Las claves del invierno"));
        assert!(is_related("Leggi anche: il porto riapre"));
        assert!(is_rule("___"));
        assert!(is_rule("* * *"));
        assert_eq!(source_label("Original url:"), Some(None));
        assert_eq!(
            source_label("Source: https://example.com/a"),
            Some(Some("https://example.com/a".into()))
        );
        assert_eq!(source_label("Source: the Kremlin said"), None);
    }

    #[test]
    fn bylines() {
        assert_eq!(
            byline("By The Associated Press and LOU KESTEN")
                .unwrap()
                .names,
            vec!["The Associated Press", "Lou Kesten"]
        );
        assert_eq!(byline("By Reuters").unwrap().names, vec!["Reuters"]);
        let b = byline("By MARK ALLEN Associated Press").unwrap();
        assert_eq!(
            (b.names, b.agency),
            (vec!["Mark Allen".to_string()], Some("AP"))
        );
        assert_eq!(
            byline("By Maria Jansen and Peter de Wit").unwrap().names,
            vec!["Maria Jansen", "Peter de Wit"]
        );
        assert_eq!(
            byline("By Jane Doe, John Roe and Ann Poe").unwrap().names,
            vec!["Jane Doe", "John Roe", "Ann Poe"]
        );
        let names = |l: &str| byline(l).map(|b| b.names);
        assert_eq!(
            names("By Jane Doe, Staff Writer"),
            Some(vec!["Jane Doe".into()])
        );
        assert_eq!(names("Written by Jane Doe"), Some(vec!["Jane Doe".into()]));
        assert_eq!(
            names("Story by Jane Doe • Photos by John Smith"),
            Some(vec!["Jane Doe".into()])
        );
        assert_eq!(names("Author: Jane Doe"), Some(vec!["Jane Doe".into()]));
        assert_eq!(names("Posted by Jane Doe"), Some(vec!["Jane Doe".into()]));
        assert_eq!(names("Posted by admin"), None);
        assert_eq!(
            names("Por Laura Jordán / Javier Urbina"),
            Some(vec!["Laura Jordán".into(), "Javier Urbina".into()])
        );
        // Capitals' AND, where a name reports from, a handle, an outlet's initials.
        assert_eq!(
            names("BY JANE DOE AND JOHN SMITH"),
            Some(vec!["Jane Doe".into(), "John Smith".into()])
        );
        assert_eq!(
            names("By Jane Doe in Washington and John Smith in Moscow"),
            Some(vec!["Jane Doe".into(), "John Smith".into()])
        );
        assert_eq!(names("By Jane Doe @janedoe"), Some(vec!["Jane Doe".into()]));
        assert_eq!(
            names("By Jane Doe, CNN"),
            Some(vec!["Jane Doe".into(), "CNN".into()])
        );
        assert_eq!(names("Written by hand, the notes were lost."), None);
        assert_eq!(byline("By late Monday the talks had collapsed."), None);
        assert_eq!(byline("By then, it was too late"), None);
        // Shaped like a byline, though the names do not parse.
        assert!(byline_shaped(
            "By Jane Slaughter on Thu, Nov 9, 2023 at 4:00 am"
        ));
        assert!(byline_shaped("Por Laura Jordán / Javier Urbina"));
        assert!(!byline_shaped("By then, it was too late"));
        assert!(!byline_shaped("By late Monday the talks had collapsed."));
        assert!(!byline_shaped(
            "Von der Leyen sagte am Montag, die Gespräche gingen weiter."
        ));
    }
}
