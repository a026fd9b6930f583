//! HTML pages: metadata from structured data, main text by paragraph density.
//!
//! Metadata, most trusted first: JSON-LD (`NewsArticle` and friends), OpenGraph and
//! the `<meta>` names news CMSs use, `<time datetime>`, then the URL path. The main
//! text: boilerplate subtrees (navigation, headers, footers, asides, forms, figures,
//! and elements whose class or id says comment/share/related/promo...) are skipped;
//! each remaining paragraph scores its parent by its length; the best-scoring
//! container's blocks, minus link-heavy ones and chrome lines, are the body.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use crate::dom::{Dom, Element, ElementRef, Node, NodeId};
use crate::lines::{self, squash};
use crate::parse::{self, decode_references, Page};
use crate::{outlet, published, title, Fields};

/// The page-region tags in [`SKIP_TAGS`]: skipped unless they hold the article.
const REGION_TAGS: &[&str] = &["header", "form"];

const SKIP_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "figure",
    "figcaption",
    "button",
    "select",
    "template",
    "object",
    "video",
    "audio",
    "canvas",
    "head",
];
const BLOCK_TAGS: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "dd",
];

/// Class and id words of page chrome: comments, share bars, related links, ads,
/// consent banners, popups, modals and dialogs, captions and credits, bylines and the
/// author's box.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)comment|share|social|related|recommend|promo|advert|(?-u:\b)ads?(?-u:\b)|sponsor|newsletter|subscribe|cookie|consent|breadcrumb|footer|masthead|caption|credit|byline|paywall|popup|modal|dialog|outbrain|taboola|trending|most-?read|tags|author").unwrap()
});

/// Words that name a place in the layout rather than a kind of content: an element
/// so named is skipped only when it holds what sidebars and menus hold (little text,
/// or mostly links), because themes also use them on the wrappers around the article
/// (`for_sidebar`, `widget-area`, `banner-below`). A `teaser` is a card pointing to
/// another story, but German sites also call an article's lede its teaser.
static LAYOUT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sidebar|widget|banner|navbar|(?-u:\b)nav(?-u:\b)|menu|teaser").unwrap()
});

/// Class words that say an element holds or lays out content: a boilerplate word
/// beside one of these (`content-sidebar-wrap`, `entry-content no-share`,
/// `elementor-widget-wrap`, Spanish `cuerpo-ad`) describes a layout, not a sidebar,
/// a share bar or an ad. The words for body, text and content in the other languages
/// of the news we test on count too.
static CONTENT_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)content|article|body|main|column|entry|story|text|blog|wrap|container|layout|cuerpo|texto|contenido|conteudo|corpo|testo|inhalt|(?:left|right|with|no|has)[-_]?(?:sidebar|share|banner)|(?:sidebar|banner)[-_]?(?:left|right)").unwrap()
});

struct Block {
    /// The element, or for a run of loose text its first node: the block's place in
    /// document order (node ids grow in parse order).
    node: NodeId,
    text: String,
    tag: &'static str,
    link_chars: usize,
    parent: Option<NodeId>,
    grandparent: Option<NodeId>,
    ancestors: Vec<NodeId>,
}

pub(crate) fn extract(html: &str) -> Fields {
    let doc = parse::parse(html);
    let mut f = Fields::default();
    let meta = meta_tags(&doc);
    let ld = json_ld(&doc);
    let get = |keys: &[&str]| keys.iter().find_map(|k| meta.get(*k).cloned());

    // URL.
    let canonical = doc
        .elements("link")
        .filter(|e| attr(e.value(), "rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")))
        .find_map(|e| attr(e.value(), "href"))
        .map(|v| v.trim().to_string())
        .filter(|u| u.starts_with("http"));
    f.url = canonical.or_else(|| get(&["og:url"]).filter(|u| u.starts_with("http")));

    // Title.
    let headings = |s: &str| -> Vec<String> {
        doc.elements(s)
            .map(|e| squash(&e.text().collect::<String>()))
            .filter(|t| !t.is_empty())
            .collect()
    };
    let page_title = doc
        .elements("title")
        .next()
        .map(|e| squash(&e.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let meta_title = get(title::META_TITLES);
    f.title = title::pick(&title::Candidates {
        ld_headline: ld.headline.as_deref(),
        ld_name: ld.name.as_deref(),
        meta: meta_title.as_deref(),
        document: page_title.as_deref(),
        h1: headings("h1"),
        h2: headings("h2"),
    })
    .filter(|t| !t.is_empty());

    // Dates.
    f.published = published::published(html, &doc, &meta, ld.published.as_deref(), &ld.dates);
    f.modified = published::modified(&meta, ld.modified.as_deref());

    // The language the page declares (`<html lang>`, else `Content-Language`): a
    // template's default as often as not, so it only confirms what the text shows.
    f.lang = attr(doc.root_element().value(), "lang")
        .and_then(storyline_model::declared_language)
        .or_else(|| {
            meta.get("content-language")
                .and_then(|v| v.split(',').next())
                .and_then(storyline_model::declared_language)
        });

    // Authors, outlet.
    f.authors = ld.authors.clone();
    f.authors.retain(|a| declared_author(a));
    if f.authors.is_empty() {
        // Dublin Core's creator first, as Readability orders them: a page that
        // bothers with it means it, where `author` is often a template's default.
        if let Some(a) = get(&[
            "dc:creator",
            "dcterm:creator",
            "dc.creator",
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
        ]) {
            if !a.starts_with("http") {
                f.authors = a
                    .split([',', ';'])
                    .map(squash)
                    .filter(|s| !s.is_empty() && declared_author(s))
                    .collect();
            }
        }
    }
    if f.authors.is_empty() {
        f.authors = visible_authors(&doc);
    }
    // A site name that is the article's title is not the site's name (msn.com puts
    // each headline in `application-name`). The document `<title>` may well be the
    // site's name (Quanta's is).
    let not_the_title = |s: &String| {
        f.title
            .as_deref()
            .is_none_or(|t| !t.eq_ignore_ascii_case(&squash(s)))
    };
    f.outlet = ["og:site_name", "application-name"]
        .iter()
        .filter_map(|k| meta.get(*k).cloned())
        .find(not_the_title)
        .or_else(|| ld.publisher.clone())
        .map(|s| without_slogan(&squash(&s), f.url.as_deref()));

    // Body.
    let marked = content_markers(&doc);
    let articles: Vec<ElementRef> = doc.elements("article").collect();
    let mut protected = protected_nodes(&marked);
    // A page region tag never hides the article: an unclosed `<header>` swallows the
    // page (the parser nests everything after it inside), and ASP.NET wraps whole
    // pages in one `<form>`.
    for a in &articles {
        // A teaser card is an `<article>` too; only one with the text of an article
        // (a few paragraphs) opens its region.
        if a.text().map(str::len).sum::<usize>() >= 1_000 {
            protected.extend(a.ancestors().map(|x| x.id()));
        }
    }
    let mut strict = Vec::new();
    let root = doc.elements("body").next().unwrap_or(doc.root_element());
    collect_blocks(root, &protected, false, &mut strict);
    let markers: HashSet<_> = articles
        .iter()
        .copied()
        .chain(marked.iter().copied())
        .map(|e| e.id())
        .collect();
    let strong: Vec<_> = marked.iter().map(|e| e.id()).collect();
    let mut body = main_text(&doc, &strict, &markers, &strong);
    if body.paragraphs.is_empty() {
        // Nothing found: the page may wrap its article in a region or a chrome-named
        // element (a theme's `<aside>`, a `share-zone` around the text).
        let mut loose = Vec::new();
        collect_blocks(root, &protected, true, &mut loose);
        body = main_text(&doc, &loose, &markers, &strong);
    }
    f.paragraphs = match (body.container, body.first) {
        (Some(container), Some(first)) => {
            let mut p = ledes(&doc, container, first, &markers, &body.paragraphs);
            let s = standfirst(&doc, first, &body.paragraphs, &p);
            p.extend(s);
            p.extend(body.paragraphs);
            p
        }
        _ => body.paragraphs,
    };
    // A recipe's ingredients and steps, as the page states them in its structured
    // data, when its text does not hold them: pages lay them out in widgets
    // (ingredient tables, step cards) apart from the text around them.
    if !ld.recipe.is_empty() {
        let text = folded(&f.paragraphs.join(" "));
        let missing: Vec<String> = ld
            .recipe
            .iter()
            .filter(|l| !text.contains(&folded(l)))
            .cloned()
            .collect();
        f.paragraphs.extend(missing);
    }
    f.wire = f
        .authors
        .iter()
        .find_map(|a| outlet::agency(a))
        .or_else(|| {
            f.paragraphs
                .iter()
                .take(2)
                .find_map(|p| outlet::wire_in_line(p))
        })
        .map(str::to_string);
    f
}

/// Class and id words that mark an author's name or a byline (`byline`,
/// `author-name`, `article__author`, `c-byline__author`).
const AUTHOR_WORDS: &[&str] = &[
    "byline", "author", "authors", "autor", "auteur", "autore", "writer", "creator",
];

/// The authors a page shows in its text, for pages whose metadata names none: the
/// first element in document order that is marked as the author (`rel=author`,
/// `itemprop=author`, a class or id word from [`AUTHOR_WORDS`]) and whose text is a
/// byline (`By Jane Doe and John Roe`) or a name, outside comments and lists of other
/// stories; and the names in marked elements beside it (two authors, two links).
/// A site name without the slogan after it, when its first part is the site's
/// domain as written (`Aktuálně.cz - Víte, co se právě děje` on aktualne.cz).
fn without_slogan(site: &str, url: Option<&str>) -> String {
    let Some(domain) = url
        .and_then(outlet::host)
        .and_then(|h| outlet::registered_domain(&h))
    else {
        return site.to_string();
    };
    let first = [" - ", " – ", " — ", " | "]
        .iter()
        .filter_map(|sep| site.split_once(sep).map(|(a, _)| a.trim()))
        .min_by_key(|a| a.len());
    match first {
        Some(name)
            if !name.is_empty() && outlet::name_letters(name) == outlet::name_letters(&domain) =>
        {
            name.to_string()
        }
        _ => site.to_string(),
    }
}

/// Whether an author the page's metadata declares can be shown as one: not a link
/// (`https://…/author/karoherr/#author`, JSON-LD's `@id` put in `name`), not a bare
/// domain (`www.haufe.de`), not a CMS account's placeholder (`admin`, `publisher`).
fn declared_author(name: &str) -> bool {
    const PLACEHOLDERS: &[&str] = &[
        "admin",
        "administrator",
        "publisher",
        "webmaster",
        "editor",
        "author",
        "user",
        "guest",
        "anonymous",
        "anonym",
        "anónimo",
        "anonimo",
        "unknown",
        "null",
        "none",
    ];
    let name = name.trim();
    let domain = !name.contains(char::is_whitespace)
        && name.rsplit_once('.').is_some_and(|(host, tld)| {
            !host.is_empty()
                && (2..=6).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase())
                && (host.starts_with("www.") || tld.len() <= 3)
        });
    !name.starts_with("http")
        && !name.starts_with("www.")
        && !domain
        && !PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(name))
}

fn visible_authors(doc: &Page) -> Vec<String> {
    let Some(body) = doc.elements("body").next() else {
        return Vec::new();
    };
    let marked = |e: &ElementRef| {
        let v = e.value();
        // `rel` and `itemprop` are lists of tokens (`itemprop="author creator"`).
        let token = |a: &str| {
            attr(v, a).is_some_and(|t| {
                t.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("author"))
            })
        };
        token("rel")
            || token("itemprop")
            || attr(v, "class").is_some_and(|c| has_camel_word(c, AUTHOR_WORDS))
            || attr(v, "id").is_some_and(|c| has_camel_word(c, AUTHOR_WORDS))
    };
    let names_in = |e: ElementRef| -> Vec<String> {
        if matches!(
            e.value().name(),
            "script" | "style" | "meta" | "link" | "img"
        ) {
            return Vec::new();
        }
        let text = squash(&e.text().collect::<Vec<_>>().join(" "));
        // An author's box with a biography is not a byline.
        if text.chars().count() > 120 {
            return Vec::new();
        }
        let text = byline_text(&text);
        let names = match lines::byline(&format!("By {text}")) {
            Some(b) => b.names,
            None => vec![text.to_string()],
        };
        names
            .into_iter()
            .map(|n| undoubled(&n).to_string())
            .filter(|n| outlet::agency(n).is_some() || is_name(n))
            .map(|n| lines::name_case(&n))
            .collect()
    };
    let mut candidates = body
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| marked(e) && !published::in_other_items(*e));
    let Some((first, mut names)) = candidates
        .by_ref()
        .map(|e| (e, names_in(e)))
        .find(|(_, n)| !n.is_empty())
    else {
        return Vec::new();
    };
    // More authors in marked elements right beside the first (`<a rel=author>`
    // twice), with nothing but separators between (`, `, ` and `): a marked element
    // further on under the same parent is another story's byline (a weekly edition's
    // list of articles, each under its own).
    let parent = first.parent().map(|p| p.id());
    let mut last = first;
    for e in candidates {
        if e.ancestors().any(|a| a.id() == last.id()) {
            continue;
        }
        if e.parent().map(|p| p.id()) != parent || !only_separators_between(last, e) {
            break;
        }
        for n in names_in(e) {
            if !names.contains(&n) {
                names.push(n);
            }
        }
        last = e;
    }
    names
}

/// Whether the siblings between `a` and a later sibling `b` hold nothing but a
/// separator between two names: punctuation or one joining word (`and`, `und`,
/// `et`, `y`).
fn only_separators_between(a: ElementRef, b: ElementRef) -> bool {
    let mut between = String::new();
    for n in b.prev_siblings() {
        if n.id() == a.id() {
            let words: Vec<&str> = between
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            return words.len() <= 1
                && words.iter().all(|w| {
                    ["and", "und", "et", "y", "e", "i", "og", "en"]
                        .iter()
                        .any(|s| w.eq_ignore_ascii_case(s))
                });
        }
        between.extend(n.text());
        if between.chars().count() > 12 {
            return false;
        }
    }
    false
}

/// The part of a byline's text that may hold names: before a date or a separator
/// (`Jane Doe | 5 May 2023`, `Jane Doe - Dec 22, 2016`, `Jane Doe @jdoe`), after a
/// label (`Posted by`, `Veröffentlicht von`, `Autor:`), without a leading `By`.
fn byline_text(text: &str) -> &str {
    const LABELS: &[&str] = &[
        "by ",
        "posted by ",
        "written by ",
        "words by ",
        "story by ",
        "von ",
        "eingestellt von ",
        "veröffentlicht von ",
        "geschrieben von ",
        "erstellt von ",
        "verfasst von ",
        "ein beitrag von ",
        "pressemitteilung von ",
        "par ",
        "publié par ",
        "écrit par ",
        "por ",
        "publicado por ",
        "escrito por ",
        "di ",
        "scritto da ",
        "pubblicato da ",
        "door ",
        "geplaatst door ",
    ];
    let mut t = text;
    if let Some(d) = crate::dates::find_date(t) {
        t = &t[..d.start];
    }
    for sep in [" | ", "|", " · ", "·", "•", "@", " - ", " – ", " — "] {
        if let Some(i) = t.find(sep) {
            t = &t[..i];
        }
    }
    // `Autor: Jane Doe`: a label of a word or two before a colon.
    if let Some((label, rest)) = t.split_once(':') {
        if !lines::more_words_than(label, 2) {
            t = rest;
        }
    }
    let lower = t.trim_start().to_lowercase();
    if let Some(l) = LABELS
        .iter()
        .filter(|l| lower.starts_with(*l))
        .max_by_key(|l| l.len())
    {
        // The labels are lowercase ASCII or hold characters that keep their length
        // when lowercased, so the same number of bytes starts the names in `t`.
        let t0 = t.trim_start();
        if t0.is_char_boundary(l.len()) {
            t = &t0[l.len()..];
        }
    }
    t.trim_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c))
}

/// A name written twice in one element (a visible one and a screen reader's):
/// `Jane Doe Jane Doe` is `Jane Doe`.
fn undoubled(name: &str) -> &str {
    let words: Vec<&str> = name.split_whitespace().collect();
    let half = words.len() / 2;
    if words.len().is_multiple_of(2) && half > 0 && words[..half] == words[half..] {
        let end =
            words[half - 1].as_ptr() as usize - name.as_ptr() as usize + words[half - 1].len();
        &name[..end]
    } else {
        name
    }
}

/// Whether a short text is a person's (or a newsroom's) name: two to five words, each
/// capitalised (name particles aside), of letters and the marks names use; not
/// opening with an article, not ending in an initial, and with no word that labels
/// a name or a page element rather than being part of one.
fn is_name(text: &str) -> bool {
    const LABELS: &[&str] = &[
        "by",
        "author",
        "authors",
        "autor",
        "follow",
        "posted",
        "updated",
        "published",
        "more",
        "view",
        "all",
        "alle",
        "articles",
        "artikel",
        "beiträge",
        "inhalte",
        "gesponserte",
        "stories",
        "profile",
        "email",
        "contact",
        "about",
        "über",
        "staff",
        "contributor",
        "editor",
        "writer",
        "reporter",
        "read",
        "share",
        "news",
        "team",
        "redaktion",
        "mitglied",
        "press",
        "presse",
        "publication",
        "publikation",
        "stand",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "montag",
        "dienstag",
        "mittwoch",
        "donnerstag",
        "freitag",
        "samstag",
        "sonntag",
        "mo",
        "di",
        "mi",
        "do",
        "fr",
        "sa",
        "so",
    ];
    const ARTICLES: &[&str] = &[
        "the", "die", "der", "das", "ein", "eine", "la", "le", "les", "el", "los", "las", "un",
        "une", "il", "lo", "het", "de",
    ];
    const PARTICLES: &[&str] = &[
        "de", "da", "di", "del", "della", "der", "den", "van", "von", "du", "le", "la", "bin",
    ];
    let words: Vec<&str> = text.split_whitespace().collect();
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    (2..=5).contains(&words.len())
        && !ARTICLES.iter().any(|a| words[0].eq_ignore_ascii_case(a))
        // An initial ends a name only after a full one (`Joe S.` is a handle).
        && words.last().is_some_and(|w| letters(w) >= 2)
        && words.iter().all(|w| {
            !LABELS.contains(&w.to_lowercase().as_str())
                && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
                && (PARTICLES.contains(w) || w.chars().next().is_some_and(char::is_uppercase))
        })
}

/// An attribute's value.
pub(crate) fn attr<'a>(v: Element<'a>, name: &str) -> Option<&'a str> {
    debug_assert!(
        crate::parse::is_kept(name),
        "the parser does not keep the attribute {name}"
    );
    v.attrs().find(|(n, _)| *n == name).map(|(_, value)| value)
}

pub(crate) fn meta_tags(doc: &Page) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for m in doc.elements("meta") {
        let v = m.value();
        let Some(content) = attr(v, "content").map(str::trim).filter(|c| !c.is_empty()) else {
            continue;
        };
        for key in ["property", "name", "itemprop", "http-equiv"] {
            // One tag may name several properties (`property="dc:title og:title"`).
            for k in attr(v, key).into_iter().flat_map(str::split_whitespace) {
                out.entry(k.to_ascii_lowercase())
                    .or_insert_with(|| content.to_string());
            }
        }
    }
    out
}

#[derive(Default)]
pub(crate) struct LdArticle {
    pub headline: Option<String>,
    pub name: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    /// Every date-like value (`date…`, `uploadDate`) of any JSON-LD object, for
    /// reading a UTC time in the page's own time zone.
    pub dates: Vec<String>,
    /// A `Recipe`'s ingredients, then its steps (section names before their steps).
    pub recipe: Vec<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "LiveBlogPosting",
    "WebPage",
    "Report",
    "ScholarlyArticle",
    "TechArticle",
    "HowTo",
    "Recipe",
    "Review",
    "SocialMediaPosting",
    "DiscussionForumPosting",
];

pub(crate) fn json_ld(doc: &Page) -> LdArticle {
    let mut out = LdArticle::default();
    let ld = doc.elements("script").filter(|s| {
        attr(s.value(), "type").is_some_and(|t| t.eq_ignore_ascii_case("application/ld+json"))
    });
    for s in ld {
        let raw: String = s.text().collect();
        let Ok(v) = serde_json::from_str::<serde_json::Value>(unwrap_cdata(&raw)) else {
            continue;
        };
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(a) => stack.extend(a),
                serde_json::Value::Object(o) => {
                    if let Some(g) = o.get("@graph") {
                        stack.push(g.clone());
                    }
                    for (k, v) in &o {
                        if let (true, Some(d)) =
                            (k.starts_with("date") || k == "uploadDate", v.as_str())
                        {
                            out.dates.push(d.to_string());
                        }
                    }
                    let is_article = has_type(&o, |t| ARTICLE_TYPES.contains(&t));
                    // WebPage only fills what a more specific type has not.
                    if !is_article {
                        continue;
                    }
                    let s = |k: &str| {
                        o.get(k)
                            .and_then(|x| x.as_str())
                            .map(|x| decode_references(x).into_owned())
                    };
                    let page = o.get("@type").and_then(|t| t.as_str()) == Some("WebPage");
                    if out.headline.is_none() && out.name.is_none() {
                        out.headline = s("headline");
                        out.name = s("name").filter(|_| !page);
                    }
                    out.published = out.published.take().or_else(|| s("datePublished"));
                    out.modified = out.modified.take().or_else(|| s("dateModified"));
                    if out.authors.is_empty() {
                        out.authors = names(o.get("author"));
                    }
                    if out.publisher.is_none() {
                        out.publisher = names(o.get("publisher")).into_iter().next();
                    }
                    if out.recipe.is_empty() && has_type(&o, |t| t == "Recipe") {
                        let ingredients = o.get("recipeIngredient").or(o.get("ingredients"));
                        recipe_lines(ingredients, &mut out.recipe);
                        recipe_lines(o.get("recipeInstructions"), &mut out.recipe);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Text reduced to its letters and digits, lowercased, without a leading step
/// number (`1.`, `Step 2)`): the same words whatever the layout put around them.
fn folded(s: &str) -> String {
    static STEP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(?:step\s*)?\d{1,2}[.)]\s+").unwrap());
    STEP.replace(s, "")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a JSON-LD object's `@type`, one name or a list, has a name `want` accepts.
fn has_type(o: &serde_json::Map<String, serde_json::Value>, want: impl Fn(&str) -> bool) -> bool {
    match o.get("@type") {
        Some(serde_json::Value::String(t)) => want(t),
        Some(serde_json::Value::Array(ts)) => ts.iter().any(|t| t.as_str().is_some_and(&want)),
        _ => false,
    }
}

/// The lines of a recipe's ingredients or instructions as schema.org writes them: a
/// string (one step per line), a list of strings, `HowToStep`s (`text`), or
/// `HowToSection`s (`name`, then `itemListElement`). Character references and tags
/// the CMS copied in from its HTML are resolved and dropped.
fn recipe_lines(v: Option<&serde_json::Value>, out: &mut Vec<String>) {
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[a-zA-Z][^<>]*>").unwrap());
    let mut push = |s: &str| {
        let line = squash(&TAG.replace_all(&decode_references(s), " "));
        if !line.is_empty() {
            out.push(line);
        }
    };
    match v {
        Some(serde_json::Value::String(s)) => s.lines().for_each(&mut push),
        Some(serde_json::Value::Array(a)) => a.iter().for_each(|x| recipe_lines(Some(x), out)),
        Some(serde_json::Value::Object(o)) => {
            if let Some(items) = o.get("itemListElement") {
                if let Some(name) = o.get("name").and_then(|n| n.as_str()) {
                    push(name);
                }
                recipe_lines(Some(items), out);
            } else if let Some(text) = o.get("text").and_then(|t| t.as_str()) {
                push(text);
            }
        }
        _ => {}
    }
}

/// The JSON inside a script that some CMSs wrap in (even nested) `<![CDATA[ … ]]>`
/// markers, sometimes behind `//` comments.
fn unwrap_cdata(raw: &str) -> &str {
    let mut s = raw.trim();
    loop {
        let t = s.trim_start_matches("//").trim_start();
        match t.strip_prefix("<![CDATA[") {
            Some(rest) => s = rest.trim(),
            None => break,
        }
    }
    loop {
        let t = s
            .strip_suffix("]]>")
            .map(|t| t.trim_end().trim_end_matches("//").trim_end());
        match t {
            Some(rest) => s = rest,
            None => break,
        }
    }
    s
}

/// The names a JSON-LD `author` or `publisher` gives: a string, an object's `name`,
/// or a list of either; character references decoded (`O&#8217;Brien`).
fn names(v: Option<&serde_json::Value>) -> Vec<String> {
    let name = |s: &str| squash(&decode_references(s));
    match v {
        Some(serde_json::Value::String(s)) => vec![name(s)],
        Some(serde_json::Value::Object(o)) => o
            .get("name")
            .and_then(|n| n.as_str())
            .map(|n| vec![name(n)])
            .unwrap_or_default(),
        Some(serde_json::Value::Array(a)) => a.iter().flat_map(|x| names(Some(x))).collect(),
        _ => Vec::new(),
    }
    .into_iter()
    .filter(|n| !n.is_empty())
    .collect()
}

fn is_boilerplate(e: &ElementRef) -> bool {
    let v = e.value();
    let class = attr(v, "class").unwrap_or("");
    let id = attr(v, "id").unwrap_or("");
    let role = attr(v, "role").unwrap_or("");
    if matches!(
        role,
        "navigation" | "banner" | "contentinfo" | "complementary" | "menu"
    ) || attr(v, "hidden").is_some()
        || attr(v, "aria-hidden") == Some("true")
    {
        return true;
    }
    // Hidden by its style (the parser keeps a style only when it hides): popups,
    // forms' messages, toggled tools, formulas' fallbacks. A hidden element that
    // holds much prose is left to the rules below: a paywall or a "read more" hides
    // the rest of the article so.
    if attr(v, "style").is_some() && holds_little_prose(e) {
        return true;
    }
    // Nothing below is said by an element without a class or id.
    if class.trim().is_empty() && id.trim().is_empty() {
        return false;
    }
    // Never skip the page's structure or the element that holds the article itself,
    // whatever its classes say (WordPress puts dozens of classes on <body>, "menu"
    // among them).
    let says_article_body = |s: &str| {
        s.as_bytes()
            .windows(12)
            .any(|w| w.eq_ignore_ascii_case(b"article-body"))
    };
    if matches!(v.name(), "html" | "body" | "article" | "main")
        || role == "main"
        || attr(v, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
        || says_article_body(class)
        || says_article_body(id)
    {
        return false;
    }
    let attrs = format!("{class} {id}");
    if CONTENT_HINT.is_match(&attrs) {
        return false;
    }
    if BOILERPLATE.is_match(&attrs) {
        return true;
    }
    LAYOUT_WORDS.is_match(&attrs) && holds_little_prose(e)
}

/// Little text, or mostly link text: what a sidebar, widget or menu holds.
fn holds_little_prose(e: &ElementRef) -> bool {
    let text: usize = e.text().map(|t| t.trim().chars().count()).sum();
    if text < 500 {
        return true;
    }
    link_chars(*e) * 3 > text
}

/// Elements that hold the article by their own markup (`itemprop=articleBody`, an
/// `article-body` or `entry-content` class or id) and all their ancestors: class
/// names never hide these, whatever layout words (`widget-area`) they carry.
fn protected_nodes(markers: &[ElementRef]) -> HashSet<NodeId> {
    let mut out = HashSet::new();
    for e in markers {
        out.insert(e.id());
        out.extend(e.ancestors().map(|a| a.id()));
    }
    out
}

/// Class and id words that mark the element holding the article's text.
static CONTENT_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"article-body|articleBody|article__body|article-content|entry-content|post-content|post-body|story-body|story-content|article-text").unwrap()
});

/// Elements that say they hold the article's text (`itemprop=articleBody`, a class
/// or id from [`CONTENT_MARKER`]), in one pass over the page.
fn content_markers(doc: &Dom) -> Vec<ElementRef<'_>> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|e| {
            let v = e.value();
            attr(v, "itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody"))
                || attr(v, "class").is_some_and(|c| CONTENT_MARKER.is_match(c))
                || attr(v, "id").is_some_and(|c| CONTENT_MARKER.is_match(c))
        })
        .collect()
}

/// The tags in [`SKIP_TAGS`] that a loose collection enters: page regions that
/// sometimes wrap the whole article (an unclosed `<header>`, an ASP.NET `<form>`, an
/// `<aside>` a theme puts the article in).
const LOOSE_KEEPS: &[&str] = &["header", "form", "aside"];

/// Gathers the text blocks under `e`. The strict collection skips page regions and
/// elements whose class or id names chrome; the loose one, tried when the strict one
/// finds no text at all, enters the regions in [`LOOSE_KEEPS`] and skips a
/// chrome-named element only when it holds little prose.
fn collect_blocks(e: ElementRef, protected: &HashSet<NodeId>, loose: bool, out: &mut Vec<Block>) {
    let name = e.value().name();
    let region = REGION_TAGS.contains(&name);
    let skip = if loose {
        (SKIP_TAGS.contains(&name) && !LOOSE_KEEPS.contains(&name))
            || (is_boilerplate(&e) && holds_little_prose(&e))
    } else {
        (SKIP_TAGS.contains(&name) && !(region && protected.contains(&e.id())))
            || (!protected.contains(&e.id()) && is_boilerplate(&e))
    };
    // The headline is the article's title, not its text.
    if skip || name == "h1" {
        return;
    }
    if let Some(tag) = BLOCK_TAGS.iter().find(|t| **t == name) {
        let has_inner_block = e.descendants().skip(1).any(|d| {
            d.value()
                .as_element()
                .is_some_and(|el| BLOCK_TAGS.contains(&el.name()))
        });
        if !has_inner_block {
            let text = element_text(e);
            if !text.is_empty() {
                let link_chars = link_chars(e);
                let ancestors: Vec<_> = e.ancestors().map(|a| a.id()).collect();
                out.push(Block {
                    node: e.id(),
                    text,
                    tag,
                    link_chars,
                    parent: ancestors.first().copied(),
                    grandparent: ancestors.get(1).copied(),
                    ancestors,
                });
            }
            return;
        }
    }
    // Text written straight into a container, between its blocks (sites that use
    // <div> and <br>, table cells, Blogger posts): each run of text and inline
    // elements up to a line break or a block is a paragraph.
    let mut run = Run::default();
    for c in e.children() {
        match c.value() {
            Node::Text(t) => {
                run.first.get_or_insert(c.id());
                run.text.push_str(t);
            }
            Node::Element(el) => {
                let Some(ce) = ElementRef::wrap(c) else {
                    continue;
                };
                if UNSHOWN_TAGS.contains(&el.name()) {
                    // A script or style between two pieces of a line splits nothing.
                    continue;
                } else if el.name() == "br" {
                    run.flush(e, out);
                } else if INLINE_TAGS.contains(&el.name()) && !has_block_inside(ce) {
                    if SKIP_TAGS.contains(&el.name()) || is_boilerplate(&ce) {
                        continue;
                    }
                    let text = shown_text(ce);
                    run.first.get_or_insert(c.id());
                    if el.name() == "a" {
                        run.link_chars += text.trim().chars().count();
                    } else {
                        run.link_chars += link_chars(ce);
                    }
                    run.text.push_str(&text);
                } else {
                    run.flush(e, out);
                    collect_blocks(ce, protected, loose, out);
                }
            }
            _ => {}
        }
    }
    run.flush(e, out);
}

/// An element's text as a paragraph: whitespace squashed, leaked markup removed.
fn element_text(e: ElementRef) -> String {
    leaked_markup_removed(squash(&shown_text(e)))
}

/// Elements whose content is never shown as text: code, styles, templates.
const UNSHOWN_TAGS: &[&str] = &["script", "style", "noscript", "template"];

/// The text below an element that a reader sees: without the content of scripts and
/// styles inside it (an ad slot's `<div>` holds only its `googletag.cmd.push(…)`
/// script, and was read as a paragraph).
fn shown_text(e: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut walk = e.descendants();
    while let Some(n) = walk.next() {
        match n.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(el) if UNSHOWN_TAGS.contains(&el.name()) => walk.skip_below(n.id()),
            _ => {}
        }
    }
    out
}

/// Text with the markup that leaked into it removed: a page that escapes its embeds
/// (`&lt;img src=...&gt;`), or an element whose content the parser keeps as text,
/// shows tags to the reader; their attributes (alt texts, iframe titles) are not the
/// story.
fn leaked_markup_removed(text: String) -> String {
    static TAG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"</?(?:img|iframe|a|div|span|p|br|script|figure|video|source|picture|blockquote)(?:\s[^<>]*)?/?>").unwrap()
    });
    if !text.contains('<') {
        return text;
    }
    squash(&TAG.replace_all(&text, " "))
}

/// Elements that flow inside a line of text.
const INLINE_TAGS: &[&str] = &[
    "a", "span", "b", "strong", "i", "em", "u", "s", "small", "big", "font", "abbr", "cite",
    "code", "mark", "q", "sub", "sup", "time", "label", "tt", "var", "kbd", "dfn", "ins", "del",
    "bdi", "bdo", "wbr", "nobr", "img",
];

fn has_block_inside(e: ElementRef) -> bool {
    e.descendants().skip(1).any(|d| {
        d.value().as_element().is_some_and(|el| {
            !INLINE_TAGS.contains(&el.name())
                && el.name() != "br"
                && !UNSHOWN_TAGS.contains(&el.name())
        })
    })
}

/// The characters of link text under an element (a link inside a link counts twice,
/// as a walk over each `<a>` below it counts them).
fn link_chars(e: ElementRef) -> usize {
    e.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .filter(|a| a.value().name() == "a")
        .map(|a| a.text().map(|t| t.trim().chars().count()).sum::<usize>())
        .sum()
}

const MIN_RUN: usize = 50;

/// Text and inline elements gathered between two line breaks or blocks.
#[derive(Default)]
struct Run {
    first: Option<NodeId>,
    text: String,
    link_chars: usize,
}

impl Run {
    fn flush(&mut self, container: ElementRef, out: &mut Vec<Block>) {
        let text = leaked_markup_removed(squash(&std::mem::take(&mut self.text)));
        let link_chars = std::mem::take(&mut self.link_chars);
        let node = self.first.take().unwrap_or(container.id());
        if text.chars().count() < MIN_RUN {
            return;
        }
        let ancestors: Vec<_> = std::iter::once(container.id())
            .chain(container.ancestors().map(|a| a.id()))
            .collect();
        out.push(Block {
            node,
            text,
            tag: "p",
            link_chars,
            parent: Some(container.id()),
            grandparent: ancestors.get(1).copied(),
            ancestors,
        });
    }
}

/// Class-name words (whole parts of a class, split at `-`, `_` and spaces) that mark an
/// article's lede, deck or standfirst: `article-lead`, `entry-excerpt`,
/// `article__deck`, `tb-article-intro`, `article-subheadline`.
const LEDE_WORDS: &[&str] = &[
    "lede",
    "lead",
    "deck",
    "dek",
    "intro",
    "excerpt",
    "standfirst",
    "summary",
    "subheadline",
    "subhead",
    "subtitle",
    "abstract",
    "chapeau",
    "chapo",
    "sapo",
];

fn is_lede(e: &ElementRef) -> bool {
    attr(e.value(), "class").is_some_and(|c| has_word(c, LEDE_WORDS))
}

/// Whether a class or id value holds one of `words` as a word of its own, split at
/// spaces, hyphens and underscores, in any case (`c-byline__author` holds `author`).
fn has_word(value: &str, words: &[&str]) -> bool {
    class_words(value).any(|w| words.iter().any(|l| w.eq_ignore_ascii_case(l)))
}

/// The words of a class or id value: split at spaces, hyphens and underscores.
fn class_words(value: &str) -> impl Iterator<Item = &str> {
    value.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
}

/// [`has_word`], and also split at a capital after a small letter, as camel-cased
/// names are written (`FeatureByline` holds `byline`, `authorName` holds `author`).
/// Used for the author's marks only: lede marks split so (`LeadVideoWrapper`, a video
/// player's) brought page chrome into the text of a few bench pages. Every element's
/// class is asked, so nothing is allocated.
fn has_camel_word(value: &str, words: &[&str]) -> bool {
    let is = |part: &str| words.iter().any(|l| part.eq_ignore_ascii_case(l));
    class_words(value).any(|w| {
        if is(w) {
            return true;
        }
        // Cut before an ASCII capital that follows an ASCII small letter (a
        // character boundary on both sides).
        let b = w.as_bytes();
        let mut start = 0;
        for i in 1..=b.len() {
            if i == b.len() || (b[i - 1].is_ascii_lowercase() && b[i].is_ascii_uppercase()) {
                if is(&w[start..i]) {
                    return true;
                }
                start = i;
            }
        }
        false
    })
}

/// A heading right after the headline (`<h1>` then `<h2>`): the deck.
fn is_deck(e: &ElementRef) -> bool {
    e.value().name() == "h2"
        && e.prev_siblings()
            .find_map(ElementRef::wrap)
            .is_some_and(|p| p.value().name() == "h1")
}

/// The lede above the body: elements the page marks as lede, deck or standfirst
/// ([`LEDE_WORDS`]) inside the article (the nearest `<article>`, `<main>` or marked
/// element around the body's container) and before the body's first paragraph. They
/// often sit in the article's `<header>`, which the body's search skips.
fn ledes(
    doc: &Dom,
    container: NodeId,
    first: NodeId,
    markers: &HashSet<NodeId>,
    body: &[String],
) -> Vec<String> {
    let Some(start) = doc.get(container).and_then(ElementRef::wrap) else {
        return Vec::new();
    };
    let up = || std::iter::once(start).chain(start.ancestors().filter_map(ElementRef::wrap));
    let Some(scope) = up()
        .find(|e| {
            matches!(e.value().name(), "article" | "main")
                || attr(e.value(), "role") == Some("main")
        })
        .or_else(|| up().filter(|e| markers.contains(&e.id())).last())
    else {
        return Vec::new();
    };
    let above_first: HashSet<_> = doc
        .get(first)
        .map(|n| n.ancestors().map(|a| a.id()).collect())
        .unwrap_or_default();
    let mut taken: Vec<NodeId> = Vec::new();
    let mut out = Vec::new();
    for e in scope.descendants().filter_map(ElementRef::wrap) {
        if e.id() >= first {
            break;
        }
        if above_first.contains(&e.id())
            || !(is_lede(&e) || is_deck(&e))
            || e.ancestors().any(|a| taken.contains(&a.id()))
            || in_chrome(e, scope, |a| {
                let name = a.value().name();
                (SKIP_TAGS.contains(&name) && !REGION_TAGS.contains(&name)) || is_boilerplate(a)
            })
        {
            continue;
        }
        let text = element_text(e);
        let len = text.chars().count();
        if !(30..=1_000).contains(&len)
            || link_chars(e) * 2 > len
            || lines::noise(&text).is_some()
            || body
                .iter()
                .chain(&out)
                .any(|p| p.contains(&text) || text.contains(p.as_str()))
        {
            continue;
        }
        taken.push(e.id());
        out.push(text);
    }
    out
}

/// Whether `e`, or an element between it and `scope`, is chrome by `is_chrome`.
fn in_chrome(e: ElementRef, scope: ElementRef, is_chrome: impl Fn(&ElementRef) -> bool) -> bool {
    std::iter::once(e)
        .chain(
            e.ancestors()
                .take_while(|a| a.id() != scope.id())
                .filter_map(ElementRef::wrap),
        )
        .any(|a| is_chrome(&a))
}

/// How many paragraphs a standfirst may have.
const STANDFIRST_MAX: usize = 3;

/// The standfirst: the paragraphs between the headline (the first `<h1>` above the
/// body) and the body's first paragraph, often in the article's `<header>`, which
/// the body's search skips. They are prose: not a byline, a dateline, a caption, a
/// call to action or page chrome, and never inside a form, a modal or other chrome.
/// At most [`STANDFIRST_MAX`] are taken.
fn standfirst(doc: &Page, first: NodeId, body: &[String], taken: &[String]) -> Vec<String> {
    let Some(h1) = doc
        .elements("h1")
        .find(|h| h.id() < first && h.text().any(|t| !t.trim().is_empty()))
    else {
        return Vec::new();
    };
    let Some(first) = doc.get(first) else {
        return Vec::new();
    };
    let above_h1: HashSet<_> = h1.ancestors().map(|a| a.id()).collect();
    let Some(scope) = first
        .ancestors()
        .find(|a| above_h1.contains(&a.id()))
        .and_then(ElementRef::wrap)
    else {
        return Vec::new();
    };
    let chrome = |a: &ElementRef| {
        let name = a.value().name();
        (SKIP_TAGS.contains(&name) && name != "header")
            || is_boilerplate(a)
            || (name == "article" && {
                let attrs = format!(
                    "{} {}",
                    attr(a.value(), "class").unwrap_or(""),
                    attr(a.value(), "id").unwrap_or("")
                );
                !CONTENT_HINT.is_match(&attrs) && BOILERPLATE.is_match(&attrs)
            })
    };
    let mut out: Vec<String> = Vec::new();
    for e in scope.descendants().filter_map(ElementRef::wrap) {
        if e.id() <= h1.id() {
            continue;
        }
        if e.id() >= first.id() || out.len() == STANDFIRST_MAX {
            break;
        }
        if !(e.value().name() == "p" || is_lede(&e)) || in_chrome(e, scope, chrome) {
            continue;
        }
        let text = element_text(e);
        let len = text.chars().count();
        if !(30..=1_000).contains(&len)
            || link_chars(e) * 2 > len
            || lines::noise(&text).is_some()
            || lines::is_call_to_action(&text)
            || lines::byline_shaped(&text)
            || (!lines::more_words_than(&text, 20) && crate::dates::find_date(&text).is_some())
            || body
                .iter()
                .chain(taken)
                .chain(&out)
                .any(|p| p.contains(&text) || text.contains(p.as_str()))
        {
            continue;
        }
        out.push(text);
    }
    out
}

/// How many characters of prose a climbing step must add for each character of chrome.
const CLIMB_RATIO: usize = 4;

/// Climbs from the chosen container to the ancestors whose added blocks are mostly
/// prose: an article split over sibling wrappers (page builders put each text column
/// in its own wrapper) is taken whole. A step that adds less than [`CLIMB_RATIO`]
/// times as much prose as chrome (link lists, teaser grids, short lines) stops the
/// climb, and so does the element the page marks as its article (`<article>`,
/// `articleBody`): what lies outside it is the page's, not the article's.
fn climb(blocks: &[Block], start: NodeId, markers: &HashSet<NodeId>) -> NodeId {
    if markers.contains(&start) {
        return start;
    }
    let Some(chain) = blocks.iter().find_map(|b| {
        let i = b.ancestors.iter().position(|a| *a == start)?;
        Some(b.ancestors[i..].to_vec())
    }) else {
        return start;
    };
    let weigh = |node: NodeId| -> (usize, usize) {
        let mut good = 0;
        let mut bad = 0;
        for b in blocks.iter().filter(|b| b.ancestors.contains(&node)) {
            let len = b.text.chars().count();
            if b.tag == "p" && len >= 25 && b.link_chars * 2 <= len {
                good += len;
                bad += b.link_chars;
            } else if b.link_chars * 2 > len || len < 25 {
                bad += len;
            }
        }
        (good, bad)
    };
    let (mut good, mut bad) = weigh(start);
    let mut best = start;
    // The page itself (its last two ancestors: <body>, <html>) is never the container.
    for &a in chain.iter().skip(1).take(chain.len().saturating_sub(3)) {
        let (g, b) = weigh(a);
        let (dg, db) = (g - good, b - bad);
        if dg + db == 0 {
            continue;
        }
        if dg < CLIMB_RATIO * db || dg == 0 {
            break;
        }
        best = a;
        if markers.contains(&a) {
            break;
        }
        good = g;
        bad = b;
    }
    best
}

/// How much prose (characters of link-light paragraphs and list items) an element
/// like the container must hold to be taken as another part of the article.
const TWIN_PROSE: usize = 200;

/// Elements with the container's tag and class in the same article (the same
/// nearest `<article>` or hAtom `hentry` around both, or none around either) or in
/// an item without a heading: the other parts of an article a page splits into like
/// pieces, such as slides or a body in two sections around an ad box, and the other
/// posts of a forum thread. The next post of a blog index has its own title.
fn twins(doc: &Dom, container: NodeId) -> Vec<NodeId> {
    let Some(e) = doc.get(container).and_then(ElementRef::wrap) else {
        return Vec::new();
    };
    let Some(class) = attr(e.value(), "class").filter(|c| !c.trim().is_empty()) else {
        return Vec::new();
    };
    let item = |x: ElementRef| {
        std::iter::once(x)
            .chain(x.ancestors().filter_map(ElementRef::wrap))
            .find(|a| {
                a.value().name() == "article"
                    || attr(a.value(), "class")
                        .is_some_and(|c| c.split_whitespace().any(|w| w == "hentry"))
            })
            .map(|a| a.id())
    };
    let own = item(e);
    // Another item without a heading of its own is a reply in a thread, a piece of
    // one conversation; a post in a list has its title.
    let untitled = |i: Option<NodeId>| {
        i.and_then(|i| doc.get(i))
            .and_then(ElementRef::wrap)
            .is_some_and(|o| {
                !o.descendants()
                    .skip(1)
                    .filter_map(ElementRef::wrap)
                    .any(|h| matches!(h.value().name(), "h1" | "h2" | "h3"))
            })
    };
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .filter(|d| {
            d.id() != container
                && d.value().name() == e.value().name()
                && attr(d.value(), "class") == Some(class)
                && {
                    let other = item(*d);
                    other == own || untitled(other)
                }
        })
        .map(|d| d.id())
        .collect()
}

/// How long a paragraph that is mostly link text must be, and end like a sentence,
/// to be kept as prose.
const LINKED_PROSE: usize = 150;

/// How many of an article's last paragraphs are checked for calls to action.
const TAIL: usize = 3;

/// The main text, with the container it was found in and the first kept block.
#[derive(Default)]
struct Body {
    paragraphs: Vec<String>,
    container: Option<NodeId>,
    first: Option<NodeId>,
}

fn main_text(
    doc: &Dom,
    blocks: &[Block],
    markers: &HashSet<NodeId>,
    strong_markers: &[NodeId],
) -> Body {
    let mut score: HashMap<NodeId, f64> = HashMap::new();
    for b in blocks.iter().filter(|b| b.tag == "p") {
        let len = b.text.chars().count();
        if len < 25 || b.link_chars * 2 > len {
            continue;
        }
        let s = len as f64;
        if let Some(p) = b.parent {
            *score.entry(p).or_default() += s;
        }
        if let Some(g) = b.grandparent {
            *score.entry(g).or_default() += s / 2.0;
        }
    }
    let Some((&best, _)) = score
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
    else {
        return Body::default();
    };
    // The densest container is often one part of the article (the body under a lede,
    // the text beside a fact box). When the page marks the element that holds its
    // article (`<article>`, `itemprop=articleBody`, `entry-content`, ...) around it,
    // that element is the container.
    let best = blocks
        .iter()
        .find_map(|b| {
            let i = b.ancestors.iter().position(|a| *a == best)?;
            Some(
                b.ancestors[i..]
                    .iter()
                    .find(|a| markers.contains(a))
                    .copied()
                    .unwrap_or(best),
            )
        })
        .unwrap_or(best);
    // A page that marks its article body (`itemprop=articleBody`, `entry-content`,
    // ...) is believed when that element holds a fair share of the page's prose, even
    // if a denser block sits elsewhere (a comment thread, a list of long teasers).
    let text_under = |node: NodeId, tags: &[&str]| -> usize {
        blocks
            .iter()
            .filter(|b| {
                tags.contains(&b.tag)
                    && b.link_chars * 2 <= b.text.len()
                    && b.ancestors.contains(&node)
            })
            .map(|b| b.text.chars().count())
            .sum()
    };
    let prose_under = |node: NodeId| text_under(node, &["p"]);
    let best = match strong_markers.iter().map(|&m| (prose_under(m), m)).max() {
        Some((prose, m)) if prose * 2 >= prose_under(best) && prose >= 200 => m,
        _ => best,
    };
    // Articles are often split across sibling containers (lede block, body block,
    // a block after an inline ad). Besides everything under the best container, take
    // the substantial, link-light paragraphs under its parent.
    let parent = blocks.iter().find_map(|b| {
        let i = b.ancestors.iter().position(|a| *a == best)?;
        b.ancestors.get(i + 1).copied()
    });
    // An article split over sibling wrappers several levels down (page builders give
    // each text column its own) is gathered from the highest ancestor whose added
    // blocks are mostly prose.
    let region = climb(blocks, best, markers);
    let parent = if region == best { parent } else { Some(region) };
    let in_sibling = |b: &Block| {
        let len = b.text.chars().count();
        b.tag == "p"
            && len >= 80
            && b.link_chars * 4 < len
            && parent.is_some_and(|p| b.ancestors.contains(&p))
    };
    let mut seen = std::collections::HashSet::new();
    // A short line that introduces the links after it ("Lesen Sie auch:", "More on
    // this story", "Das könnte Sie interessieren") is part of that list, not the text.
    let link_heavy = |b: &Block| b.link_chars * 2 > b.text.chars().count();
    let introduces_links = |i: usize| {
        let b = &blocks[i];
        let short = b.text.chars().count() <= 80;
        let heading = matches!(b.tag, "h2" | "h3" | "h4" | "h5" | "h6");
        let lead_in = heading || b.text.trim_end().ends_with(':');
        short && lead_in && blocks.get(i + 1).is_some_and(link_heavy)
    };
    let twins: Vec<_> = twins(doc, best)
        .into_iter()
        // A piece may be a list (the steps of a how-to): its items count.
        .filter(|&t| text_under(t, &["p", "li"]) >= TWIN_PROSE)
        .collect();
    let mut kept: Vec<&Block> = blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| !introduces_links(*i))
        .map(|(_, b)| b)
        .filter(|b| {
            b.ancestors.contains(&best)
                || in_sibling(b)
                || twins.iter().any(|t| b.ancestors.contains(t))
        })
        .filter(|b| {
            let len = b.text.chars().count();
            // A long sentence dense with links (an encyclopedia's, a blogger's) is
            // still prose; a list of links is not.
            let linked_prose = b.tag == "p"
                && len >= LINKED_PROSE
                && b.link_chars * 4 < len * 3
                && b.text
                    .trim_end()
                    .ends_with(['.', '!', '?', '"', '”', '»', '“']);
            // A line that is only a date (`Aktualisiert am 19.02.2020`) is the
            // page's metadata, read by the date stage, not the story's text.
            (b.link_chars * 2 <= len || linked_prose)
                && lines::noise(&b.text).is_none()
                && crate::text::dateline(&b.text).is_none()
        })
        .filter(|b| b.tag != "li" || lines::more_words_than(&b.text, 3))
        .filter(|b| seen.insert(b.text.to_lowercase()))
        .collect();
    // The tail of an article: calls to action among its last paragraphs (subscribe,
    // follow us, get the app) are the site's; then a heading or lead-in with nothing
    // of the text after it closes the article and opens what follows it (related
    // stories, tags, a comment form).
    let tail = kept.len().saturating_sub(TAIL);
    let mut i = kept.len();
    while i > 0 {
        i -= 1;
        let short = !lines::more_words_than(&kept[i].text, 25);
        if (i >= tail || short) && lines::is_call_to_action(&kept[i].text) {
            kept.remove(i);
        }
    }
    while kept.last().is_some_and(|b| {
        let heading = matches!(b.tag, "h2" | "h3" | "h4" | "h5" | "h6");
        b.text.chars().count() <= 80 && (heading || b.text.trim_end().ends_with(':'))
    }) {
        kept.pop();
    }
    Body {
        first: kept.first().map(|b| b.node),
        paragraphs: kept.into_iter().map(|b| b.text.clone()).collect(),
        container: Some(best),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head>
<title>Quake shakes Japan | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-01-02T08:30:00+09:00">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Quake shakes northern Japan","datePublished":"2024-01-01T23:30:00+09:00","author":[{"@type":"Person","name":"Jane Doe"}],"publisher":{"@type":"Organization","name":"Example News"}}</script>
<link rel="canonical" href="https://news.example.com/2024/01/01/quake">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Quake shakes northern Japan</h1>
<figure><img src="x.jpg"><figcaption>Rescuers search rubble. (AP Photo/Someone)</figcaption></figure>
<p>TOKYO (AP) — A strong earthquake shook northern Japan on Monday, toppling buildings and cutting power to thousands of homes.</p>
<p>Officials said there was no tsunami risk, but warned of aftershocks in the coming days.</p>
<div class="share-bar"><p>Share this article on social media and tell your friends about it today</p></div>
<p>The quake struck at a depth of 10 kilometres, the meteorological agency said.</p>
</article>
<div class="comments"><p>Great article, thanks for writing this, I really enjoyed reading it!</p></div>
<footer><p>Copyright Example News 2024. All rights reserved worldwide and forever.</p></footer>
</body></html>"#;

    #[test]
    fn visible_bylines_name_the_authors_metadata_does_not() {
        let body = "<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in its supports.</p>";
        let authors = |head: &str, byline: &str| {
            extract(&format!(
                "<html><head>{head}</head><body><article><h1>Bridge shut</h1>{byline}{body}</article></body></html>"
            ))
            .authors
        };
        assert_eq!(
            authors("", r#"<a rel="author" href="/a/jd">Jane Doe</a>"#),
            ["Jane Doe"]
        );
        // A byline with its date and separators; names in capitals are recased.
        assert_eq!(
            authors(
                "",
                r#"<div class="c-byline">By JANE DOE and John Roe | May 5, 2023 11:30 pm</div>"#
            ),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(
            authors(
                "",
                r#"<p class="byline">Dan Goodin - Dec 22, 2016 11:30 pm UTC</p>"#
            ),
            ["Dan Goodin"]
        );
        // Labels before the names, in several languages.
        assert_eq!(
            authors(
                "",
                r#"<span class="entry-author">Veröffentlicht von Chris Jung</span>"#
            ),
            ["Chris Jung"]
        );
        assert_eq!(
            authors("", r#"<span class="autor">Autor: Georg Holzer</span>"#),
            ["Georg Holzer"]
        );
        // Two authors, each in a marked element beside the other.
        assert_eq!(
            authors(
                "",
                r#"<div><span class="author-name">Daniel Braun</span>, <span class="author-name">Davor Pasoski</span></div>"#
            ),
            ["Daniel Braun", "Davor Pasoski"]
        );
        // Separated by `and`, or in camel-cased classes.
        assert_eq!(
            authors(
                "",
                r#"<p><a class="authorLink">Daniel Braun</a> and <a class="authorLink">Davor Pasoski</a></p>"#
            ),
            ["Daniel Braun", "Davor Pasoski"]
        );
        // A marked element further on under the same parent is another story's
        // byline (a weekly edition lists its articles, each with its own).
        assert_eq!(
            authors(
                "",
                &format!(
                    r#"<div class="FeatureByline">By <b>Nathan Willis</b><br>March 25, 2015</div>{body}<h2>Mapping with QGIS</h2><div class="FeatureByline">By <b>Jonathan Corbet</b></div>"#
                )
            ),
            ["Nathan Willis"]
        );
        // The element marked as the author may hold more than the name: the marked
        // element inside it does.
        assert_eq!(
            authors(
                "",
                r#"<div class="author-box">Julia Deutsch Alle Artikel <a rel="author">Julia Deutsch</a></div>"#
            ),
            ["Julia Deutsch"]
        );
        // What is not a name is no author: labels, handles, initials, a biography.
        assert!(authors("", r#"<div class="author">Alle Artikel</div>"#).is_empty());
        assert!(authors("", r#"<div class="author">Über Steffi</div>"#).is_empty());
        assert!(authors("", r#"<div class="author">Joe S.</div>"#).is_empty());
        assert!(authors("", r#"<div class="author">admin</div>"#).is_empty());
        let bio = "Jane Doe has covered city hall for the Example Herald since 2009 and before that wrote about schools and the courts.";
        assert!(authors("", &format!(r#"<div class="author-bio">{bio}</div>"#)).is_empty());
        // A comment's author is the commenter's, not the article's.
        assert!(authors(
            "",
            r#"<div class="comments"><span class="comment-author">Troll Person</span></div>"#
        )
        .is_empty());
        // The page's metadata, when it names the authors, comes first.
        assert_eq!(
            authors(
                r#"<meta name="author" content="Ann Poe">"#,
                r#"<a rel="author">Jane Doe</a>"#
            ),
            ["Ann Poe"]
        );
    }

    #[test]
    fn metadata_and_main_text() {
        let f = extract(PAGE);
        assert_eq!(f.title.as_deref(), Some("Quake shakes northern Japan"));
        assert_eq!(
            f.published.unwrap().at.to_iso(),
            "2024-01-01T23:30:00+09:00"
        );
        assert_eq!(f.authors, vec!["Jane Doe"]);
        assert_eq!(f.outlet.as_deref(), Some("Example News"));
        assert_eq!(
            f.url.as_deref(),
            Some("https://news.example.com/2024/01/01/quake")
        );
        assert_eq!(f.wire.as_deref(), Some("AP"));
        assert_eq!(f.paragraphs.len(), 3, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("TOKYO (AP)"));
        assert!(!f.paragraphs.iter().any(|p| p.contains("Share this")
            || p.contains("Great article")
            || p.contains("Copyright")));
    }

    #[test]
    fn body_classes_never_hide_the_page() {
        let page = r#"<html><body class="single-post has-menu sidebar-left"><div role="main" class="content">
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
</div><div class="sidebar"><p>Most read stories of the week in one place for all our readers.</p></div></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
    }

    #[test]
    fn content_markers_protect_their_ancestors() {
        let page = r#"<html><body><div class="widget-area-group"><div class="widget-area">
<div id="article-body"><p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p></div>
</div></div><div class="widget-area"><p>Subscribe to our newsletter for the best stories every single morning.</p></div></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("The council voted"));
    }

    #[test]
    fn layout_classes_are_not_boilerplate() {
        let page = r#"<html><body><div class="content-sidebar-wrap"><div class="entry no-share">
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
</div><div class="sidebar"><p>Most read stories of the week in one place for all our readers.</p></div></div></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        // Spanish: the article's body (`cuerpo`) beside an ad-slot word.
        let page = r#"<html><body><div class="cuerpo-articulo"><div class="cuerpo-ad">
<p>El Mandatario se reunirá en Punta Arenas con las autoridades locales, y luego viajará a Puerto Natales.</p>
<p>Es su segunda visita a regiones desde que asumió el cargo, informó el gobierno este miércoles.</p>
</div></div></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
    }

    #[test]
    fn layout_words_skip_link_lists_but_not_prose() {
        let prose = "The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in two of its main supports, officials said. ".repeat(5);
        let more = "Repairs will take six months and cost 42 million euros, and ferries will run every twenty minutes until the bridge reopens, the mayor said. ".repeat(5);
        let links: String = (0..12)
            .map(|i| {
                format!(
                    "<li><a href=\"/s{i}\">Another story number {i} you may like to read</a></li>"
                )
            })
            .collect();
        let page = format!(
            r#"<html><body><section class="l-section for_sidebar"><div class="col"><p>{prose}</p><p>{more}</p></div>
<div class="sidebar"><ul>{links}</ul><p>Follow our coverage of local politics every single day of the week.</p></div></section></body></html>"#
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(!f
            .paragraphs
            .iter()
            .any(|p| p.contains("Follow our coverage")));
    }

    #[test]
    fn an_article_in_like_pieces_is_taken_whole_but_not_the_next_post() {
        let part = |topic: &str| {
            format!("<p>The council discussed {topic} on Tuesday evening, and after a long debate the members agreed on a plan that the mayor will present to residents next month.</p><p>Opponents said the plan about {topic} came too late and would cost more than the city can afford this year.</p>")
        };
        // A slideshow: each slide holds its part of the article in a like wrapper
        // that the page marks as the article's body, with an ad box between them.
        let slides = format!(
            r#"<html><body><article><h1>Five things the council decided</h1>
<div class="slide"><div class="entry-content">{}</div></div>
<div class="ad-box"><p>Advertisement: the best mattress deals of the season are here, shop now and save big.</p></div>
<div class="slide"><div class="entry-content">{}</div></div>
<div class="slide"><div class="entry-content">{}</div></div>
<div class="slide"><div class="entry-content"><ul><li>Close the bridge to cars and lorries from the first of March, with a detour signed through the port and the ring road.</li><li>Run a ferry every twenty minutes from six in the morning until midnight, every day of the week.</li></ul></div></div>
</article></body></html>"#,
            part("the harbour bridge"),
            part("the new school"),
            part("the bus lanes")
        );
        let f = extract(&slides);
        assert_eq!(f.paragraphs.len(), 8, "{:?}", f.paragraphs);
        assert!(f.paragraphs[5].contains("bus lanes"));
        assert!(f.paragraphs[7].starts_with("Run a ferry"));
        assert!(!f.paragraphs.iter().any(|p| p.contains("mattress")));
        // A list of posts: the next post's body, in a like wrapper but in its own
        // `<article>` (or hAtom `hentry`), is not a piece of the first.
        let posts = r#"<html><body><main>
<article><h2>One</h2><div class="the-content" id="a"><p>One.</p></div><div class="the-content" id="b"><p>Two.</p></div></article>
<article><h2>Three</h2><div class="the-content" id="c"><p>Three.</p></div></article>
<div class="hentry"><h2>Four</h2><div class="the-content" id="d"><p>Four.</p></div></div></main></body></html>"#;
        // The `id`s of the twins of the element with id `of`.
        let twin_ids = |page: &str, of: &str| -> Vec<String> {
            let doc = crate::parse::parse(page);
            let e = doc.select(&format!("#{of}"))[0];
            twins(&doc, e.id())
                .into_iter()
                .filter_map(|t| doc.get(t).and_then(ElementRef::wrap))
                .filter_map(|t| attr(t.value(), "id").map(str::to_string))
                .collect()
        };
        assert_eq!(twin_ids(posts, "a"), ["b"]);
        assert!(twin_ids(posts, "c").is_empty());
        // The replies of a forum thread have no titles: one conversation.
        let thread = r#"<html><body><main><h1>Cat will not eat</h1>
<article class="message"><div class="message-body" id="a"><p>First.</p></div></article>
<article class="message"><div class="message-body" id="b"><p>Reply.</p></div></article>
</main></body></html>"#;
        assert_eq!(twin_ids(thread, "a"), ["b"]);
    }

    #[test]
    fn scripts_and_styles_inside_a_block_are_not_its_text() {
        let page = r#"<html><body><article><h1>Bridge shut</h1>
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in its supports.</p>
<div class="field--name-body"><div id="div-gpt-ad-1"><script type="7c64-text/javascript">
<!--//--><![CDATA[// ><!--
googletag.cmd.push(function() { googletag.display('div-gpt-ad-1'); });
//--><!]]>
</script></div></div>
<div>Ferries will run every twenty minutes from Monday while the bridge is shut, the transport office said.<style>.x{color:red}</style> <span>Tickets are free.<script>track()</script></span><noscript>Please enable JavaScript to see the map.</noscript></div>
<p>The mayor said repairs would take at least six months and cost the city several million dollars in all.</p>
</article></body></html>"#;
        let text = extract(page).paragraphs.join("\n");
        for code in [
            "googletag",
            "CDATA",
            "color:red",
            "track()",
            "enable JavaScript",
        ] {
            assert!(!text.contains(code), "{code} in {text}");
        }
        assert!(
            text.contains("the transport office said. Tickets are free."),
            "{text}"
        );
        assert!(text.contains("deep cracks"), "{text}");
    }

    #[test]
    fn an_element_its_style_hides_is_chrome_unless_it_holds_the_rest_of_the_article() {
        let lead = "<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in its supports.</p>\
<p>The mayor said repairs would take at least six months and cost the city several million dollars in all.</p>";
        let rest: String = (0..4)
            .map(|i| format!("<p>Paragraph {i} of the rest: ferries will run every twenty minutes from Monday while the bridge is shut, the transport office said.</p>"))
            .collect();
        let page = |hidden: &str| {
            extract(&format!(
                "<html><body><article><h1>Bridge shut</h1>{lead}{hidden}</article></body></html>"
            ))
            .paragraphs
            .join("\n")
        };
        // A form's message, a notice: hidden until something happens, never read.
        for style in [
            "display:none",
            "DISPLAY : None;",
            "color:red; visibility: hidden",
        ] {
            let text = page(&format!(
                r#"<div style="{style}"><p>Your request could not be sent: please give your surname.</p></div>"#
            ));
            assert!(!text.contains("surname"), "{style}: {text}");
            assert!(text.contains("deep cracks"), "{text}");
        }
        // A style that shows the element hides nothing.
        let text = page(
            r#"<div style="display:block"><p>Tickets for the ferries are free until the bridge opens again.</p></div>"#,
        );
        assert!(text.contains("Tickets for the ferries"), "{text}");
        // A paywall hides the rest of the article so: it stays.
        let text = page(&format!(
            r#"<div class="more-text" style="display: none">{rest}</div>"#
        ));
        assert!(text.contains("Paragraph 3 of the rest"), "{text}");
    }

    #[test]
    fn the_standfirst_under_the_headline_is_kept_without_byline_date_or_chrome() {
        let page = r#"<html><body><main><header class="entry-header"><h1>Harbour bridge to close for six months</h1>
<p class="text-xl">Engineers found deep cracks in two of the supports, and the city says repairs cannot wait for spring.</p>
<p>By Jane Slaughter on Thu, Nov 9, 2023 at 4:00 am</p>
<p>Published March 3, 2024, 10:15 local time</p>
<p>The council met on Tuesday. (Foto: Stadt Nordhausen)</p>
<p>Subscribe to our newsletter to get the best stories every morning.</p>
</header>
<article class="login-modal"><p>Please fill in every required field marked with a star before you continue.</p></article>
<div class="dialog" id="privacy"><div class="dialog__text"><p>How we collect your information: we store the pages you visit and the links you follow on this site.</p></div></div>
<div class="article-body"><p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p></div>
</main></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 3, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("Engineers found deep cracks"));
        assert!(f.paragraphs[1].starts_with("The council voted"));
    }

    #[test]
    fn a_page_whose_article_sits_in_a_region_or_chrome_named_wrapper_still_has_text() {
        let first = "The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in two of its main supports. ".repeat(3);
        let second = "The bridge will stay closed for six months while the supports are replaced, and ferries will run every twenty minutes, officials said. ".repeat(3);
        let page = format!(
            r#"<html><body><header><a href="/">Home</a></header>
<aside class="direct-content"><div class="share-zone"><div class="share-buttons"><a href="/fb">Share on Facebook</a></div>
<p>{first}</p><p>{second}</p></div></aside>
<footer><p>Copyright Example News 2024. All rights reserved worldwide and forever.</p></footer></body></html>"#
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("The council voted"));
    }

    #[test]
    fn the_author_box_under_an_article_is_not_its_text() {
        let page = r#"<html><body><article><div class="entry">
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
<section class="post-author"><div class="post-author-bio"><p>Jane Doe studied journalism in Leeds before she joined the paper, where she covers the city council.</p></div></section>
</div></article></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
    }

    #[test]
    fn a_long_sentence_dense_with_links_is_prose_but_a_link_list_is_not() {
        let page = r#"<html><body><article>
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The <a href="/a">harbour bridge</a>, built in <a href="/b">1932 by the Dorman Long company</a>, carries <a href="/c">the coastal railway</a> and two lanes of the A12 trunk road across <a href="/d">the estuary of the River Wend</a>.</p>
<p><a href="/e">Ferry timetable changes from Monday for all routes across the estuary and beyond</a></p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
</article></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 3, "{:?}", f.paragraphs);
        assert!(f.paragraphs[1].starts_with("The harbour bridge, built in 1932"));
    }

    #[test]
    fn markup_leaked_into_text_is_removed() {
        let page = r#"<html><body><article>
<p>&lt;img class="aligncenter" src="https://example.com/bridge.jpg" alt="the bridge at dusk" /&gt;</p>
<p>&lt;img src="/wa.png" alt="WhatsApp"&gt; The council voted on Tuesday to close the harbour bridge after engineers found cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
</article></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("The council voted"));
    }

    #[test]
    fn the_headline_and_teaser_cards_are_not_the_text() {
        let page = r#"<html><body><main><h1>The harbour bridge will close for six months after engineers found cracks</h1>
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
<div class="c-teaser"><p>Ferries will run every twenty minutes from Monday, the port says.</p><a href="/ferries">Read more</a></div>
</main></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("The council voted"));
    }

    #[test]
    fn a_marked_article_body_beats_a_denser_block_elsewhere() {
        let body = "The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in two supports. ".repeat(2);
        let more = "Repairs will take six months, and ferries will run every twenty minutes until it reopens, the mayor said. ".repeat(2);
        let teaser = "In other news from around the region this week, readers wrote in about parking, schools, the weather and the price of bread at the market. ".repeat(2);
        let page = format!(
            r#"<html><body><div class="story"><div itemprop="articleBody"><p>{body}</p><p>{more}</p></div></div>
<div class="stream"><p>{teaser}</p><p>{teaser}</p></div></body></html>"#
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("The council voted"));
    }

    #[test]
    fn the_tail_of_an_article_loses_calls_to_action_and_lead_ins() {
        let page = r#"<html><body><article>
<p>The council voted on Tuesday to close the harbour bridge after engineers found deep cracks.</p>
<p>The bridge will stay closed for six months while the supports are replaced, officials said.</p>
<h3>Lesen Sie auch:</h3>
<ul><li><a href="/a">Ferry timetable changes from Monday for all routes</a></li>
<li><a href="/b">What the closure means for commuters in the city</a></li></ul>
<p>Ferries will run every twenty minutes until the bridge reopens, the mayor said on Wednesday.</p>
<p>Follow us on Twitter and Instagram @harbournews for the latest updates.</p>
<p>Subscribe to our newsletter to get the best stories every morning.</p>
<p>Aktualisiert am 19.02.2020</p>
<p>© 2024 Harbour News. All rights reserved.</p>
<h2>More from the city</h2>
</article></body></html>"#;
        let f = extract(page);
        assert_eq!(f.paragraphs.len(), 3, "{:?}", f.paragraphs);
        assert!(f.paragraphs[2].starts_with("Ferries will run"));
        // A story about subscribers keeps its paragraphs: long ones are never calls
        // to action, and short ones only when they ask the reader to do something.
        // (A short paragraph that quotes a call to action mid-article is lost: two
        // such snippets on the bench, against eight prompts removed.)
        let story = "Newspaper subscriber numbers rose for the third year in a row, the publishers' association said on Monday, as readers paid for local reporting and newsletters grew across the country despite the rising cost of paper and delivery in rural areas.";
        let page = format!(
            "<html><body><article><p>{story}</p><p>Subscription sales rose by a fifth, the association's chair said.</p><p>The chair said growth would slow next year as prices rise.</p><p>Smaller papers will merge their print editions, she added.</p><p>Two titles will close in the spring.</p></article></body></html>"
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 5, "{:?}", f.paragraphs);
        // A short paywall prompt in the middle goes too.
        let page = format!(
            "<html><body><article><p>{story}</p><p>To view the full story, please subscribe to Harbour News.</p><p>The chair said growth would slow next year as prices rise.</p><p>Smaller papers will merge their print editions, she added.</p><p>Two titles will close in the spring.</p><p>Readers will be told by letter.</p></article></body></html>"
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 5, "{:?}", f.paragraphs);
        assert!(!f.paragraphs.iter().any(|p| p.contains("full story")));
    }

    #[test]
    fn a_header_or_form_around_the_article_does_not_hide_it() {
        let para = "The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in two of its main supports, officials said. ".repeat(4);
        let more = "Repairs will take six months and cost 42 million euros, and ferries will run every twenty minutes until the bridge reopens, the mayor said. ".repeat(4);
        // The `<header>` is never closed: the parser puts the whole page inside it.
        let page = format!(
            r#"<html><body><header id="branding"><div class="logo"><a href="/">Harbour News</a></div>
<article class="teaser"><p>Breaking: ferry strike called off at the last minute, union says.</p></article>
<div id="wrap"><article class="page"><h1>Bridge closes</h1><p>{para}</p><p>{more}</p></article></div></body></html>"#
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 2, "{:?}", f.paragraphs);
        // ASP.NET pages wrap everything in one form.
        let page = format!(
            r#"<html><body><form id="form1" method="post"><div class="main"><article><p>{para}</p><p>{more}</p></article></div></form></body></html>"#
        );
        assert_eq!(extract(&page).paragraphs.len(), 2);
        // A closed header and a search form keep being skipped.
        let page = format!(
            r#"<html><body><header><p>Harbour News, the city's paper since 1901, every day of the week.</p></header>
<form><p>Search our archive of stories from the harbour and the city since 1901.</p></form><article><p>{para}</p></article></body></html>"#
        );
        assert_eq!(extract(&page).paragraphs.len(), 1);
    }

    #[test]
    fn an_article_split_over_page_builder_columns_is_taken_whole() {
        let column = |text: &str| {
            format!(
                r#"<div class="vc_column_text"><div class="wpb_wrapper"><p>{text}</p></div></div>"#
            )
        };
        let first = column(&"The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in two supports. ".repeat(3));
        let second = column(&"Repairs will take six months and cost 42 million euros, the mayor told reporters outside the town hall. ".repeat(4));
        let third = column("Ferries will run every twenty minutes until the bridge reopens, the harbour master said on Wednesday.");
        let teasers: String = (0..8)
            .map(|i| format!(r#"<div class="card"><h3><a href="/s{i}">Another story number {i} from the harbour you may like</a></h3></div>"#))
            .collect();
        let page = format!(
            r#"<html><body><div class="row"><div class="post_content">{first}<div class="tip"><p>Tip: the ferry timetable is posted at every pier and on the harbour office's noticeboard.</p></div>{second}{third}</div>
<div class="grid"><p>More from the harbour</p>{teasers}</div></div></body></html>"#
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 4, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("The council voted"));
        assert!(f.paragraphs[3].starts_with("Ferries will run"));
        assert!(!f.paragraphs.iter().any(|p| p.contains("Another story")));
    }

    #[test]
    fn the_lede_and_deck_above_the_body_are_kept() {
        let body = "The council voted on Tuesday to close the harbour bridge after engineers found deep cracks in two supports. ".repeat(3);
        let more = "Repairs will take six months and cost 42 million euros, the mayor told reporters outside the town hall. ".repeat(3);
        let page = format!(
            r#"<html><body><main><div class="teaser"><a href="/x">Ferry strike called off at the last minute, union says today</a></div>
<article><header><hgroup><h1>Bridge closes</h1><h2>Cracks in two supports force a six-month closure of the harbour crossing</h2></hgroup>
<p class="byline">By Jane Doe</p><div class="article-lead"><p>Commuters face long detours from Monday, when the city shuts its busiest bridge.</p></div></header>
<div class="entry-content"><p>{body}</p><p>{more}</p></div></article></main></body></html>"#
        );
        let f = extract(&page);
        assert_eq!(f.paragraphs.len(), 4, "{:?}", f.paragraphs);
        assert!(f.paragraphs[0].starts_with("Cracks in two supports"));
        assert!(f.paragraphs[1].starts_with("Commuters face"));
        assert!(f.paragraphs[2].starts_with("The council voted"));
    }

    #[test]
    fn json_ld_how_to_and_recipe_pages_are_dated() {
        let page = r#"<html><head><script type="application/ld+json">{"@type":"HowTo","name":"Sew a round tablecloth","datePublished":"2022-01-10T22:06:08Z"}</script></head><body><p>Measure the table first.</p></body></html>"#;
        assert_eq!(
            extract(page).published.unwrap().at.date().to_string(),
            "2022-01-10"
        );
    }

    #[test]
    fn a_recipe_gets_the_ingredients_and_steps_its_structured_data_states() {
        let ld = r#"{"@context":"https://schema.org","@type":["Recipe"],"name":"Plum cake",
            "recipeIngredient":["500 g plums","3 eggs","Sugar &amp; cinnamon"],
            "recipeInstructions":[{"@type":"HowToSection","name":"For the dough","itemListElement":[
                {"@type":"HowToStep","text":"1. Beat the eggs with the sugar until pale and thick."},
                {"@type":"HowToStep","text":"Fold in the flour and <b>spread</b> the dough in the tin."}]}]}"#;
        let page = format!(
            r#"<html><head><script type="application/ld+json">{ld}</script></head><body>
            <div class="ingredients-widget"><table><tr><td>500 g</td><td>plums</td></tr></table></div>
            <article><p>This plum cake is what my grandmother baked every September, when the trees in her garden gave more fruit than we could eat.</p>
            <p>Beat the eggs with the sugar until pale and thick. It takes a good five minutes with a mixer.</p></article></body></html>"#
        );
        let text = extract(&page).paragraphs;
        assert_eq!(
            text[2..],
            [
                "500 g plums",
                "3 eggs",
                "Sugar & cinnamon",
                "For the dough",
                "Fold in the flour and spread the dough in the tin."
            ],
            "{text:#?}"
        );
        // The step the text already holds, numbered or not, is not repeated.
        assert_eq!(
            text.iter().filter(|p| p.contains("Beat the eggs")).count(),
            1,
            "{text:#?}"
        );
        // A page with no text of its own still gets its recipe.
        let bare = format!(
            r#"<html><head><script type="application/ld+json">{ld}</script></head><body><div id="app"></div></body></html>"#
        );
        assert_eq!(extract(&bare).paragraphs.len(), 6);
    }

    #[test]
    fn json_ld_inside_cdata() {
        let page = r#"<html><head><title>Other - Site</title><script type="application/ld+json">
  <![CDATA[
    <![CDATA[ {"@type":"NewsArticle","headline":"Harbour bridge closes for repairs","datePublished":"2023-06-07T20:54:26Z"} ]]>
  ]]></script></head><body><p>The council voted on Tuesday to close the harbour bridge.</p></body></html>"#;
        let f = extract(page);
        assert_eq!(
            f.title.as_deref(),
            Some("Harbour bridge closes for repairs")
        );
        assert_eq!(f.published.unwrap().at.date().to_string(), "2023-06-07");
    }

    #[test]
    fn a_site_name_loses_its_slogan_after_the_domain() {
        let url = Some("https://zpravy.aktualne.cz/sport/west-ham/r~1/");
        assert_eq!(
            without_slogan("Aktuálně.cz - Víte, co se právě děje", url),
            "Aktuálně.cz"
        );
        // A name that is not the domain keeps what follows it.
        assert_eq!(
            without_slogan("Literatur & Film // Lesen & Hören", url),
            "Literatur & Film // Lesen & Hören"
        );
        assert_eq!(
            without_slogan("Die Zeit - Nachrichten", Some("https://www.zeit.de/x")),
            "Die Zeit - Nachrichten"
        );
        assert_eq!(
            without_slogan("Aktuálně.cz - Víte", None),
            "Aktuálně.cz - Víte"
        );
    }

    /// Links, domains and placeholders in the metadata are not authors.
    #[test]
    fn declared_authors_that_are_not_names() {
        for bad in [
            "https://frolleinherr.com/author/karoherr/#author",
            "www.haufe.de",
            "tennisnet.com",
            "24horas.cl",
            "LAOLA1.at",
            "publisher",
            "Admin",
            "anónimo",
        ] {
            assert!(!declared_author(bad), "{bad}");
        }
        for good in [
            "Jane Doe",
            "christian.stadtfeld",
            "Staff and news service reports",
            "AFP",
            "dpa",
            "J.R. Smith",
            "Bradley M. Kuhn (http://ebb.org/bkuhn/)",
        ] {
            assert!(declared_author(good), "{good}");
        }
        let page = r#"<html><head><title>x</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour bridge closes","author":[{"@type":"Person","name":"https://example.org/author/jd/#author"},{"@type":"Person","name":"Jane Doe"}]}</script><meta name="author" content="admin"></head><body><p>The council voted on Tuesday to close the harbour bridge for repairs until spring.</p></body></html>"#;
        assert_eq!(extract(page).authors, ["Jane Doe"]);
    }

    /// Dublin Core's creator comes before a template's `author`.
    #[test]
    fn dublin_core_creator_before_author() {
        let page = r#"<html><head><title>Harbour bridge closes</title><meta name="author" content="Site Admin"><meta property="dc:creator twitter:site_name" content="Jane Doe"></head><body><p>The council voted on Tuesday to close the harbour bridge for repairs until spring.</p></body></html>"#;
        assert_eq!(extract(page).authors, ["Jane Doe"]);
    }

    /// msn.com writes each headline into `application-name`: not the outlet.
    #[test]
    fn a_site_name_that_is_the_title_is_not_the_outlet() {
        let page = r#"<html><head><title>UK university student halls too full to be safe, experts warn</title><meta name="application-name" content="UK university student halls too full to be safe, experts warn"></head><body><p>Student halls in three cities hold more residents than their fire plans allow, engineers told the inquiry on Monday.</p></body></html>"#;
        assert_eq!(extract(page).outlet, None);
        let page = page.replace("<title>", r#"<meta property="og:site_name" content="UK university student halls too full to be safe, experts warn"><meta name="application-name" content="MSN"><title>"#);
        assert_eq!(extract(&page).outlet.as_deref(), Some("MSN"));
    }

    /// A CMS writes JSON-LD from its HTML-escaped fields: the references are decoded,
    /// as they would be in the page's own markup.
    #[test]
    fn json_ld_character_references_are_decoded() {
        let page = r#"<html><head><title>x</title><script type="application/ld+json">{"@type":"NewsArticle","headline":"Bernard Arnault&#8217;s LVMH gives the Louvre &#x24;16M &amp; more","author":[{"@type":"Person","name":"Siobh&aacute;n O&#8217;Brien"}],"publisher":{"@type":"Organization","name":"Fish &amp; Hook"}}</script></head><body><p>The luxury group will help the museum buy a Chardin still life, its seventh national treasure purchase.</p></body></html>"#;
        let f = extract(page);
        assert_eq!(
            f.title.as_deref(),
            Some("Bernard Arnault’s LVMH gives the Louvre $16M & more")
        );
        assert_eq!(f.authors, ["Siobhán O’Brien"]);
        // A lone ampersand is text, not a reference.
        assert_eq!(decode_references("Q&A &amp;c"), "Q&A &c");
    }
}
