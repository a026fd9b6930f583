//! A tag-soup HTML parser that builds the page's tree ([`crate::dom`]) in one pass.
//!
//! html5ever is a browser-grade parser: it runs the WHATWG tokenizer one character at
//! a time, copies every byte into tendrils, and its tree builder has a rule for every
//! corner of the spec. On the bench that was 43% of the whole extraction's CPU, after
//! a scan that cut script and style bodies out of the page before it. The extractor
//! reads text, a handful of attributes and the nesting of blocks, so this parser keeps
//! the parts of the spec that shape those and drops the rest:
//!
//! - Tokenizing by `memchr` over bytes: text runs, tags with their attributes
//!   (quoted, unquoted, bare), comments, doctypes and bogus comments, and the elements
//!   whose content is not markup (`<script>` with its escape states, `<style>`,
//!   `<title>`, `<textarea>`, ...). Character references are decoded with the WHATWG
//!   table html5ever uses (`markup5ever::data::NAMED_ENTITIES`), with the spec's rules
//!   for attributes and for numeric references (C1 controls, surrogates, range).
//! - Tree construction: the implied `<html>`, `<head>` and `<body>`; `<head>`'s
//!   elements going to the head until the body starts; void elements; the optional
//!   end tags (`<p>` closed by a block, `<li>` by the next `<li>`, `<dd>`/`<dt>`,
//!   `<option>`, table rows and cells, a heading by a heading); end tags closing
//!   through the default, list-item, button and table scopes; an end tag that does
//!   not match stops at a "special" element (`</span>` does not close a `<div>`).
//! - What the extractor never reads is not built: the bodies of style sheets, of
//!   scripts other than JSON data, and of inline SVG drawings ([`keeps_body`]), and
//!   attributes other than the ones it asks for ([`is_kept`]).
//!
//! Left out, because they do not change which text sits in which block: the adoption
//! agency (a misnested `</b>` just leaves the stack; formatting is not reconstructed
//! in the next paragraph), foster parenting of text in tables, implied `<tbody>`,
//! foreign content beyond honouring `/>` inside `<svg>` and `<math>`, the quirks
//! modes, and comments and the doctype, which are not kept in the tree. On the bench
//! the extraction is the same as with html5ever on 1,307 of 1,308 pages; on the other
//! a misnested table no longer hides two paragraphs of the article.

use std::borrow::Cow;

use crate::dom::{Dom, ElementRef, NodeId};

type Handle = NodeId;

/// The element names the extractor looks up in the whole page ([`Page::elements`]).
const INDEXED: [&str; 9] = [
    "meta", "link", "title", "script", "h1", "h2", "article", "time", "body",
];

/// A parsed page: its tree, with the elements the extractor looks up by name
/// noted in document order as the parser made them, so that finding the `<meta>`s
/// or the `<time>`s is not a walk over the whole tree each.
pub(crate) struct Page {
    doc: Dom,
    by_name: [Vec<Handle>; INDEXED.len()],
    itemprop: Vec<Handle>,
}

impl std::ops::Deref for Page {
    type Target = Dom;

    fn deref(&self) -> &Dom {
        &self.doc
    }
}

impl Page {
    /// The page's elements named `name` (one of [`INDEXED`]), in document order.
    pub(crate) fn elements(&self, name: &str) -> impl Iterator<Item = ElementRef<'_>> + '_ {
        let at = INDEXED.iter().position(|n| *n == name);
        debug_assert!(at.is_some(), "the parser does not index <{name}>");
        self.refs(at.map_or(&[][..], |i| &self.by_name[i]))
    }

    /// The page's elements with an `itemprop` attribute, in document order.
    pub(crate) fn with_itemprop(&self) -> impl Iterator<Item = ElementRef<'_>> + '_ {
        self.refs(&self.itemprop)
    }

    fn refs<'a>(&'a self, ids: &'a [Handle]) -> impl Iterator<Item = ElementRef<'a>> + 'a {
        ids.iter()
            .filter_map(|id| self.doc.get(*id).and_then(ElementRef::wrap))
    }
}

/// Parses a whole page into its tree, with its index of elements.
pub(crate) fn parse(html: &str) -> Page {
    let mut b = Builder::new(Dom::new(html.len()));
    tokenize(html, &mut b);
    let Builder {
        dom,
        by_name,
        itemprop,
        ..
    } = b;
    Page {
        doc: dom,
        by_name,
        itemprop,
    }
}

/// Elements with no content and no end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
    )
}

/// The spec's "special" elements: an unmatched end tag stops at them.
fn is_special(name: &str) -> bool {
    is_heading(name)
        || matches!(
            name,
            "address"
                | "applet"
                | "area"
                | "article"
                | "aside"
                | "base"
                | "basefont"
                | "bgsound"
                | "blockquote"
                | "body"
                | "br"
                | "button"
                | "caption"
                | "center"
                | "col"
                | "colgroup"
                | "dd"
                | "details"
                | "dir"
                | "div"
                | "dl"
                | "dt"
                | "embed"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "form"
                | "frame"
                | "frameset"
                | "head"
                | "header"
                | "hgroup"
                | "hr"
                | "html"
                | "iframe"
                | "img"
                | "input"
                | "keygen"
                | "li"
                | "link"
                | "listing"
                | "main"
                | "marquee"
                | "menu"
                | "meta"
                | "nav"
                | "noembed"
                | "noframes"
                | "noscript"
                | "object"
                | "ol"
                | "p"
                | "param"
                | "plaintext"
                | "pre"
                | "script"
                | "search"
                | "section"
                | "select"
                | "source"
                | "style"
                | "summary"
                | "table"
                | "tbody"
                | "td"
                | "template"
                | "textarea"
                | "tfoot"
                | "th"
                | "thead"
                | "title"
                | "tr"
                | "track"
                | "ul"
                | "wbr"
                | "xmp"
        )
}

/// Start tags that close an open `<p>` (in button scope) before they open.
fn closes_p(name: &str) -> bool {
    is_heading(name)
        || matches!(
            name,
            "address"
                | "article"
                | "aside"
                | "blockquote"
                | "center"
                | "details"
                | "dialog"
                | "dir"
                | "div"
                | "dl"
                | "fieldset"
                | "figcaption"
                | "figure"
                | "footer"
                | "header"
                | "hgroup"
                | "main"
                | "menu"
                | "nav"
                | "ol"
                | "p"
                | "search"
                | "section"
                | "summary"
                | "ul"
                | "pre"
                | "listing"
                | "form"
                | "li"
                | "dd"
                | "dt"
                | "plaintext"
                | "table"
                | "hr"
                | "xmp"
        )
}

fn is_heading(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Elements that belong in `<head>` when they come before the body.
fn is_head_element(name: &str) -> bool {
    matches!(
        name,
        "meta" | "link" | "title" | "base" | "style" | "script" | "noscript" | "template"
    )
}

/// Formatting elements: their end tag may close across blocks (the adoption agency).
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// What the content of an element is, for the tokenizer.
#[derive(Clone, Copy, PartialEq)]
enum Content {
    Markup,
    /// Text up to the matching end tag, character references not decoded.
    Raw,
    /// Text up to the matching end tag, character references decoded.
    Escapable,
    /// Text to the end of the page.
    Plain,
}

fn content_of(name: &str) -> Content {
    match name {
        "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => Content::Raw,
        "title" | "textarea" => Content::Escapable,
        "plaintext" => Content::Plain,
        _ => Content::Markup,
    }
}

/// Which elements bound a scope: an end tag does not look past them.
#[derive(Clone, Copy)]
enum Scope {
    Default,
    ListItem,
    Button,
    Table,
}

fn bounds(scope: Scope, name: &str) -> bool {
    let default = matches!(
        name,
        "applet" | "caption" | "html" | "table" | "td" | "th" | "marquee" | "object" | "template"
    );
    match scope {
        Scope::Default => default,
        Scope::ListItem => default || name == "ol" || name == "ul",
        Scope::Button => default || name == "button",
        Scope::Table => matches!(name, "html" | "table" | "template"),
    }
}

#[derive(PartialEq, PartialOrd, Clone, Copy)]
enum Mode {
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
}

/// An attribute as the tokenizer keeps it: the name (one of [`is_kept`]'s) and the
/// value, decoded.
type Attrs<'a> = Vec<(&'static str, Cow<'a, str>)>;

struct Builder {
    dom: Dom,
    html: Handle,
    head: Option<Handle>,
    body: Option<Handle>,
    mode: Mode,
    /// Open elements below `<body>`, innermost last.
    stack: Vec<Handle>,
    /// How many open elements are `<svg>` or `<math>` (where `/>` closes).
    foreign: usize,
    by_name: [Vec<Handle>; INDEXED.len()],
    itemprop: Vec<Handle>,
}

/// The attributes as the tree takes them.
fn pairs<'a>(attrs: &'a Attrs) -> impl Iterator<Item = (&'static str, &'a str)> + 'a {
    attrs.iter().map(|(n, v)| (*n, &**v))
}

impl Builder {
    fn new(mut dom: Dom) -> Self {
        let html = dom.create_element("html", []);
        dom.append(dom.document(), html);
        Builder {
            dom,
            html,
            head: None,
            body: None,
            mode: Mode::BeforeHead,
            stack: Vec::new(),
            foreign: 0,
            by_name: Default::default(),
            itemprop: Vec::new(),
        }
    }

    fn head(&mut self) -> Handle {
        match self.head {
            Some(h) => h,
            None => {
                let h = self.element("head", &Vec::new());
                self.dom.append(self.html, h);
                self.head = Some(h);
                h
            }
        }
    }

    fn body(&mut self) -> Handle {
        match self.body {
            Some(b) => b,
            None => {
                self.head();
                let b = self.element("body", &Vec::new());
                self.dom.append(self.html, b);
                self.body = Some(b);
                self.mode = Mode::InBody;
                b
            }
        }
    }

    /// A new element, noted in the index.
    fn element(&mut self, name: &str, attrs: &Attrs) -> Handle {
        let has_itemprop = attrs.iter().any(|(n, _)| *n == "itemprop");
        let e = self.dom.create_element(name, pairs(attrs));
        if let Some(i) = INDEXED.iter().position(|n| *n == name) {
            self.by_name[i].push(e);
        }
        if has_itemprop {
            self.itemprop.push(e);
        }
        e
    }

    /// Where content goes now.
    fn current(&mut self) -> Handle {
        match self.stack.last() {
            Some(h) => *h,
            None => self.body(),
        }
    }

    /// The name of the open element at `i` in the stack.
    fn open(&self, i: usize) -> &str {
        self.dom.name(self.stack[i])
    }

    /// Whether the innermost open element is one `want` names.
    fn innermost_is(&self, want: impl Fn(&str) -> bool) -> bool {
        !self.stack.is_empty() && want(self.open(self.stack.len() - 1))
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.mode < Mode::InBody {
            if text.bytes().all(|b| b.is_ascii_whitespace()) {
                return;
            }
            self.body();
        }
        let at = self.current();
        self.dom.append_text(at, text);
    }

    /// The index in the stack of the innermost open element named `name` within
    /// `scope`, if any.
    fn in_scope(&self, scope: Scope, want: impl Fn(&str) -> bool) -> Option<usize> {
        for i in (0..self.stack.len()).rev() {
            let n = self.open(i);
            if want(n) {
                return Some(i);
            }
            if bounds(scope, n) {
                return None;
            }
        }
        None
    }

    fn pop_through(&mut self, i: usize) {
        for h in self.stack.drain(i..) {
            if matches!(self.dom.name(h), "svg" | "math") {
                self.foreign = self.foreign.saturating_sub(1);
            }
        }
    }

    fn close_p(&mut self) {
        if let Some(i) = self.in_scope(Scope::Button, |n| n == "p") {
            self.pop_through(i);
        }
    }

    /// A start tag; returns how the tokenizer reads what follows it (markup, or the
    /// raw text of the element just opened, which [`Builder::raw_text`] closes).
    fn start(&mut self, name: &str, attrs: &Attrs, self_closing: bool) -> Content {
        match name {
            "html" => {
                self.dom.add_attrs_if_missing(self.html, pairs(attrs));
                return Content::Markup;
            }
            "head" if self.mode == Mode::BeforeHead => {
                self.head();
                self.mode = Mode::InHead;
                return Content::Markup;
            }
            "head" => return Content::Markup,
            "body" => {
                if self.body.is_none() {
                    let b = self.element("body", attrs);
                    self.head();
                    self.dom.append(self.html, b);
                    self.body = Some(b);
                    self.mode = Mode::InBody;
                } else if let Some(b) = self.body {
                    self.dom.add_attrs_if_missing(b, pairs(attrs));
                }
                return Content::Markup;
            }
            _ => {}
        }
        let content = content_of(name);
        if self.mode < Mode::InBody && is_head_element(name) {
            let head = self.head();
            let e = self.element(name, attrs);
            self.dom.append(head, e);
            if content != Content::Markup {
                self.stack.push(e);
            }
            return content;
        }
        self.body();
        self.implied_ends(name);
        let e = self.element(name, attrs);
        let at = self.current();
        self.dom.append(at, e);
        let foreign = name == "svg" || name == "math";
        let closed = is_void(name) || (self_closing && (foreign || self.foreign > 0));
        if !closed {
            if foreign {
                self.foreign += 1;
            }
            self.stack.push(e);
        }
        if closed {
            Content::Markup
        } else {
            content
        }
    }

    /// The end tags a start tag implies.
    fn implied_ends(&mut self, name: &str) {
        match name {
            "li" | "dd" | "dt" => {
                let same: fn(&str) -> bool = if name == "li" {
                    |n| n == "li"
                } else {
                    |n| n == "dd" || n == "dt"
                };
                for i in (0..self.stack.len()).rev() {
                    let n = self.open(i);
                    if same(n) {
                        self.pop_through(i);
                        break;
                    }
                    if is_special(n) && !matches!(n, "address" | "div" | "p") {
                        break;
                    }
                }
            }
            "a" => {
                // A link inside a link: the outer one ends here.
                if let Some(i) = self.in_scope(Scope::Table, |n| n == "a") {
                    self.stack.remove(i);
                }
            }
            "option" | "optgroup" => {
                if self.innermost_is(|n| n == "option") {
                    self.stack.pop();
                }
                if name == "optgroup" && self.innermost_is(|n| n == "optgroup") {
                    self.stack.pop();
                }
            }
            "tr" => {
                if let Some(i) = self.in_scope(Scope::Table, |n| n == "tr") {
                    self.pop_through(i);
                }
            }
            "td" | "th" => {
                if let Some(i) = self.in_scope(Scope::Table, |n| n == "td" || n == "th") {
                    self.pop_through(i);
                }
            }
            "tbody" | "thead" | "tfoot" => {
                if let Some(i) =
                    self.in_scope(Scope::Table, |n| matches!(n, "tbody" | "thead" | "tfoot"))
                {
                    self.pop_through(i);
                }
            }
            "button" => {
                if let Some(i) = self.in_scope(Scope::Default, |n| n == "button") {
                    self.pop_through(i);
                }
            }
            _ => {}
        }
        if closes_p(name) {
            self.close_p();
        }
        if is_heading(name) && self.innermost_is(is_heading) {
            self.stack.pop();
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "html" | "body" => {}
            "head" => {
                if self.mode == Mode::InHead {
                    self.mode = Mode::AfterHead;
                }
            }
            "br" => {
                self.start("br", &Vec::new(), false);
            }
            "p" => self.close_p(),
            "li" => {
                if let Some(i) = self.in_scope(Scope::ListItem, |n| n == "li") {
                    self.pop_through(i);
                }
            }
            _ if is_heading(name) => {
                if let Some(i) = self.in_scope(Scope::Default, is_heading) {
                    self.pop_through(i);
                }
            }
            "table" | "tbody" | "thead" | "tfoot" | "tr" | "td" | "th" | "caption" | "colgroup" => {
                if let Some(i) = self.in_scope(Scope::Table, |n| n == name) {
                    self.pop_through(i);
                }
            }
            _ if is_formatting(name) => {
                // The simple case closes it; across a block, it only leaves the stack.
                if let Some(i) = self.in_scope(Scope::Default, |n| n == name) {
                    if (i + 1..self.stack.len()).any(|j| is_special(self.open(j))) {
                        self.stack.remove(i);
                    } else {
                        self.pop_through(i);
                    }
                }
            }
            _ if is_special(name) => {
                if let Some(i) = self.in_scope(Scope::Default, |n| n == name) {
                    self.pop_through(i);
                }
            }
            _ => {
                for i in (0..self.stack.len()).rev() {
                    let n = self.open(i);
                    if n == name {
                        self.pop_through(i);
                        break;
                    }
                    if is_special(n) {
                        break;
                    }
                }
            }
        }
    }

    /// The text of a raw-text element, and its end.
    fn raw_text(&mut self, text: &str) {
        if let Some(e) = self.stack.pop() {
            if !text.is_empty() {
                self.dom.append_text(e, text);
            }
        }
    }
}

/// The name lowercased (ASCII, as the tokenizer does), borrowed when it already is.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The attributes the extractor reads (through `html::attr`, which asserts in debug
/// builds that it is asked for one of these; no selector of the extractor names an
/// attribute). The parser keeps no other: a third of a page's attributes are styles,
/// image sources, sizes and scripts' handlers, and each kept one costs an allocation.
/// `style` is kept only when it hides the element, as `display:none` whatever it
/// said ([`hides`]).
pub(crate) fn is_kept(name: &str) -> bool {
    kept_name(name).is_some()
}

const KEPT: [&str; 19] = [
    "class",
    "style",
    "id",
    "role",
    "hidden",
    "aria-hidden",
    "itemprop",
    "content",
    "property",
    "name",
    "http-equiv",
    "datetime",
    "pubdate",
    "title",
    "href",
    "rel",
    "lang",
    "type",
    "charset",
];

/// Whether an inline style hides its element (`display:none`, `visibility: hidden`).
/// Each declaration's property is read back from its colon: styles are short and a
/// third of a page's attributes, so no searcher is built for them.
fn hides(style: &str) -> bool {
    let b = style.as_bytes();
    memchr::memchr_iter(b':', b).any(|colon| {
        let property = b[..colon].trim_ascii_end();
        let property = &property[property
            .iter()
            .rposition(|c| matches!(c, b';' | b'{') || is_space(*c))
            .map_or(0, |p| p + 1)..];
        let value = b[colon + 1..].trim_ascii_start();
        let starts = |word: &[u8]| {
            value.len() >= word.len() && value[..word.len()].eq_ignore_ascii_case(word)
        };
        (property.eq_ignore_ascii_case(b"display") && starts(b"none"))
            || (property.eq_ignore_ascii_case(b"visibility") && starts(b"hidden"))
    })
}

/// The attribute's name as the tree keeps it, if [`is_kept`].
fn kept_name(name: &str) -> Option<&'static str> {
    KEPT.iter().find(|k| **k == name).copied()
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Runs over the page, calling the builder for each text run and tag.
fn tokenize(html: &str, b: &mut Builder) {
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_from = 0;
    let mut buf = String::new();
    // One vector for every tag's attributes.
    let mut attrs: Attrs = Vec::new();
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let rest = &bytes[lt + 1..];
        let Some(&first) = rest.first() else {
            break;
        };
        if first.is_ascii_alphabetic() {
            flush_text(b, &html[text_from..lt], &mut buf);
            match start_tag(html, lt + 1, &mut attrs) {
                Some((tag, end)) => {
                    let name = tag.name.clone();
                    let keep = keeps_body(&tag);
                    let content = b.start(&name, &attrs, tag.self_closing);
                    i = end;
                    if !keep && name == "svg" {
                        // The drawing goes; its end tag closes the element.
                        if let Some(close) = svg_end(bytes, i) {
                            i = close;
                        }
                        text_from = i;
                        continue;
                    }
                    // A newline right after these start tags is not content.
                    if matches!(&*name, "pre" | "listing" | "textarea") {
                        if bytes.get(i) == Some(&b'\n') {
                            i += 1;
                        } else if bytes.get(i..i + 2) == Some(b"\r\n") {
                            i += 2;
                        }
                    }
                    if content != Content::Markup {
                        i = raw_content(html, i, &name, content, keep, b, &mut buf);
                    }
                }
                // A tag cut off by the end of the page is dropped.
                None => i = bytes.len(),
            }
            text_from = i;
        } else if first == b'/' {
            flush_text(b, &html[text_from..lt], &mut buf);
            match rest.get(1) {
                Some(c) if c.is_ascii_alphabetic() => match start_tag(html, lt + 2, &mut attrs) {
                    Some((tag, end)) => {
                        b.end(&tag.name);
                        i = end;
                    }
                    None => i = bytes.len(),
                },
                // `</>` is dropped; `</` then anything else is a bogus comment.
                _ => i = skip_past(bytes, lt + 2, b'>'),
            }
            text_from = i;
        } else if first == b'!' {
            flush_text(b, &html[text_from..lt], &mut buf);
            if rest.starts_with(b"!--") {
                let body = lt + 4;
                i = if bytes[body..].starts_with(b">") {
                    body + 1
                } else if bytes[body..].starts_with(b"->") {
                    body + 2
                } else {
                    match memchr::memmem::find(&bytes[body..], b"-->") {
                        Some(e) => body + e + 3,
                        None => bytes.len(),
                    }
                };
            } else {
                i = skip_past(bytes, lt + 2, b'>');
            }
            text_from = i;
        } else if first == b'?' {
            flush_text(b, &html[text_from..lt], &mut buf);
            i = skip_past(bytes, lt + 2, b'>');
            text_from = i;
        } else {
            // A `<` that opens nothing is text.
            i = lt + 1;
        }
    }
    flush_text(b, &html[text_from.min(html.len())..], &mut buf);
}

fn skip_past(bytes: &[u8], from: usize, c: u8) -> usize {
    match memchr::memchr(c, bytes.get(from..).unwrap_or_default()) {
        Some(e) => from + e + 1,
        None => bytes.len(),
    }
}

fn flush_text(b: &mut Builder, raw: &str, buf: &mut String) {
    if raw.is_empty() {
        return;
    }
    let text = decoded(raw, false, buf);
    b.text(text);
}

struct Tag<'a> {
    name: Cow<'a, str>,
    self_closing: bool,
    /// The tag's text between its name and its `>`, as written.
    raw_attrs: &'a str,
}

impl Tag<'_> {
    /// Ends in `/>` as written, whatever the attribute syntax says (`<svg a=b/>`).
    fn ends_with_slash(&self) -> bool {
        self.raw_attrs.ends_with('/')
    }
}

/// Reads a tag from its name (at `from`) to its `>`, its kept attributes into
/// `attrs`; returns the tag and the index after it, or `None` when the page ends
/// inside the tag.
fn start_tag<'a>(html: &'a str, from: usize, attrs: &mut Attrs<'a>) -> Option<(Tag<'a>, usize)> {
    let bytes = html.as_bytes();
    let mut i = from;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = lower(&html[from..i]);
    let name_end = i;
    attrs.clear();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let &c = bytes.get(i)?;
        if c == b'>' {
            return Some((
                Tag {
                    name,
                    self_closing,
                    raw_attrs: &html[name_end..i],
                },
                i + 1,
            ));
        }
        if c == b'/' {
            i += 1;
            self_closing = bytes.get(i) == Some(&b'>');
            continue;
        }
        self_closing = false;
        // The name: a leading `=` belongs to it.
        let name_from = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attr_name = lower(&html[name_from..i]);
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            match bytes.get(i)? {
                q @ (b'"' | b'\'') => {
                    let end = i + 1 + memchr::memchr(*q, &bytes[i + 1..])?;
                    value = &html[i + 1..end];
                    i = end + 1;
                }
                _ => {
                    let from = i;
                    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = &html[from..i];
                }
            }
        }
        // An inline style is kept only when it hides the element (a third of a
        // page's attributes are styles; the extractor asks only this of them).
        if attr_name == "style" {
            if hides(value) && !attrs.iter().any(|(n, _)| *n == "style") {
                attrs.push(("style", Cow::Borrowed("display:none")));
            }
            continue;
        }
        // The first of a repeated attribute wins.
        if let Some(kept) = kept_name(&attr_name) {
            if !attrs.iter().any(|(n, _)| *n == kept) {
                attrs.push((kept, decoded_cow(value, true)));
            }
        }
    }
}

/// The content of a raw-text element from `from` to its end tag (or the page's end);
/// returns the index after the end tag.
fn raw_content(
    html: &str,
    from: usize,
    name: &str,
    content: Content,
    keep: bool,
    b: &mut Builder,
    buf: &mut String,
) -> usize {
    let bytes = html.as_bytes();
    let (end, after) = if content == Content::Plain {
        (bytes.len(), bytes.len())
    } else {
        find_end_tag(bytes, from, name)
    };
    let raw = &html[from..end];
    // A script that opens a comment keeps its body: the escape states decided where
    // it ends, and the old scanner could not tell (same text as before).
    let keep = keep || memchr::memmem::find(raw.as_bytes(), b"<!--").is_some();
    let text = if !keep {
        ""
    } else if content == Content::Escapable {
        decoded(raw, false, buf)
    } else if memchr::memchr2(b'\r', b'\0', raw.as_bytes()).is_none() {
        raw
    } else {
        buf.clear();
        newlines_into(raw, buf);
        buf
    };
    b.raw_text(text);
    after
}

/// Whether an element's body goes into the tree. The extractor never reads the
/// bodies of style sheets, of scripts other than JSON data, or of inline SVG
/// drawings: on the bench's 990 pages they are 45% of the bytes, and a script inside
/// a paragraph reached the main text as words (`google_ad_client = …`). Kept are
/// scripts whose attributes say JSON (JSON-LD, the `application/json` state some
/// pages print their dates in) or hold a character reference
/// (`type="application&#x2F;ld&#x2B;json"`), and anything written `<…/>`.
fn keeps_body(tag: &Tag) -> bool {
    if tag.ends_with_slash() {
        return true;
    }
    match &*tag.name {
        "style" | "svg" => false,
        "script" => {
            let attrs = tag.raw_attrs.as_bytes();
            memchr::memchr(b'&', attrs).is_some()
                || attrs.windows(4).any(|w| w.eq_ignore_ascii_case(b"json"))
        }
        _ => true,
    }
}

/// Where the `</svg` that closes an `<svg>` whose body starts at `from` begins:
/// drawings nest.
fn svg_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1;
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + off;
        let r = &bytes[at + 1..];
        if r.len() >= 4 && r[..4].eq_ignore_ascii_case(b"/svg") {
            depth -= 1;
            if depth == 0 {
                return Some(at);
            }
        } else if r.len() >= 3 && r[..3].eq_ignore_ascii_case(b"svg") {
            depth += 1;
        }
        i = at + 1;
    }
    None
}

/// Where the end tag `</name` of a raw-text element starts, and the index after its
/// `>`, or the end of the page for both.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> (usize, usize) {
    if name == "script" {
        return script_end(bytes, from);
    }
    let needle = [b"</", name.as_bytes()].concat();
    let mut i = from;
    while let Some(lt) = find_ci(bytes, i, &needle) {
        let after_name = lt + needle.len();
        if ends_name(bytes, after_name) {
            return (lt, skip_past(bytes, after_name, b'>'));
        }
        i = after_name;
    }
    (bytes.len(), bytes.len())
}

/// Whether a tag name ends at `at`: space, `/`, `>` or the end of the page.
fn ends_name(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at)
        .is_none_or(|&c| is_space(c) || c == b'/' || c == b'>')
}

/// The end of a script, with the tokenizer's escape states: after `<!--`, a
/// `<script` starts a stretch where `</script>` does not end the script; `-->` ends
/// both the stretch and the comment, and `</script>` ends the stretch only.
fn script_end(bytes: &[u8], from: usize) -> (usize, usize) {
    #[derive(PartialEq)]
    enum State {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = State::Data;
    let mut i = from;
    while let Some(off) = memchr::memchr2(b'<', b'-', bytes.get(i..).unwrap_or_default()) {
        let at = i + off;
        let rest = &bytes[at..];
        i = at + 1;
        if rest.starts_with(b"-->") {
            if state != State::Data {
                state = State::Data;
                i = at + 3;
            }
        } else if rest.starts_with(b"<!--") {
            if state == State::Data {
                state = State::Escaped;
            }
            i = at + 4;
        } else if rest.len() >= 8 && rest[..8].eq_ignore_ascii_case(b"</script") {
            if !ends_name(bytes, at + 8) {
                continue;
            }
            if state == State::DoubleEscaped {
                state = State::Escaped;
                i = at + 8;
                continue;
            }
            if at + 8 >= bytes.len() {
                return (at, bytes.len());
            }
            return (at, skip_past(bytes, at + 8, b'>'));
        } else if rest.len() >= 7
            && rest[..7].eq_ignore_ascii_case(b"<script")
            && state == State::Escaped
            && ends_name(bytes, at + 7)
        {
            state = State::DoubleEscaped;
            i = at + 7;
        }
    }
    (bytes.len(), bytes.len())
}

/// The first case-insensitive occurrence of an ASCII `needle` from `from`.
fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memchr(b'<', bytes.get(i..)?) {
        let at = i + off;
        if bytes.len() >= at + needle.len()
            && bytes[at..at + needle.len()].eq_ignore_ascii_case(needle)
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// `\r\n` and `\r` become `\n`, and NUL is dropped, as the tokenizer's input stream
/// preprocessing does.
fn newlines_into(s: &str, out: &mut String) {
    if memchr::memchr2(b'\r', b'\0', s.as_bytes()).is_none() {
        out.push_str(s);
        return;
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\0' => {}
            c => out.push(c),
        }
    }
}

/// The text with its character references decoded and its newlines normalised: the
/// text itself when it has nothing to change (most runs and attribute values), else
/// `buf` filled.
fn decoded<'a>(s: &'a str, in_attr: bool, buf: &'a mut String) -> &'a str {
    if !needs_decoding(s) {
        return s;
    }
    decode_into(s, in_attr, buf);
    buf
}

/// [`decoded`], owning the text only when it changed.
fn decoded_cow(s: &str, in_attr: bool) -> Cow<'_, str> {
    if !needs_decoding(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    decode_into(s, in_attr, &mut out);
    Cow::Owned(out)
}

/// Character references decoded as in an attribute value: for strings written from
/// HTML and carried outside it, as JSON-LD's `headline` (`Arnault&#8217;s`) is.
pub(crate) fn decode_references(s: &str) -> Cow<'_, str> {
    decoded_cow(s, true)
}

fn needs_decoding(s: &str) -> bool {
    memchr::memchr3(b'&', b'\r', b'\0', s.as_bytes()).is_some()
}

/// Decodes character references into `out` (cleared first). In an attribute value a
/// named reference without its `;` is left alone before `=` or an alphanumeric.
fn decode_into(s: &str, in_attr: bool, out: &mut String) {
    out.clear();
    let bytes = s.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'&', &bytes[i..]) {
        let amp = i + off;
        newlines_into(&s[copied..amp], out);
        copied = amp;
        i = amp + 1;
        if let Some((chars, len)) = reference(&bytes[amp + 1..], in_attr) {
            out.extend(chars.into_iter().flatten());
            i = amp + 1 + len;
            copied = i;
        }
    }
    newlines_into(&s[copied..], out);
}

/// The character reference after an `&`: the one or two characters it stands for,
/// and how many bytes it spans.
fn reference(after: &[u8], in_attr: bool) -> Option<([Option<char>; 2], usize)> {
    if after.first() == Some(&b'#') {
        let hex = matches!(after.get(1), Some(b'x' | b'X'));
        let from = if hex { 2 } else { 1 };
        let mut i = from;
        let mut value: u32 = 0;
        while let Some(&c) = after.get(i) {
            let d = match c {
                b'0'..=b'9' => u32::from(c - b'0'),
                b'a'..=b'f' if hex => u32::from(c - b'a' + 10),
                b'A'..=b'F' if hex => u32::from(c - b'A' + 10),
                _ => break,
            };
            value = value
                .saturating_mul(if hex { 16 } else { 10 })
                .saturating_add(d);
            i += 1;
        }
        if i == from {
            return None;
        }
        if after.get(i) == Some(&b';') {
            i += 1;
        }
        let c = match value {
            0 => '\u{fffd}',
            0x80..=0x9f => markup5ever::data::C1_REPLACEMENTS[(value - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
            v => char::from_u32(v).unwrap_or('\u{fffd}'),
        };
        return Some(([Some(c), None], i));
    }
    // Named: the longest name in the table that the text starts with.
    let mut best: Option<(u32, u32, usize)> = None;
    let mut i = 0;
    while i < after.len() && i < 40 {
        let c = after[i];
        if !(c.is_ascii_alphanumeric() || c == b';') {
            break;
        }
        i += 1;
        let key = std::str::from_utf8(&after[..i]).ok()?;
        match markup5ever::data::NAMED_ENTITIES.get(key) {
            None => break,
            Some(&(c1, c2)) => {
                if c1 != 0 {
                    best = Some((c1, c2, i));
                }
            }
        }
        if c == b';' {
            break;
        }
    }
    let (c1, c2, len) = best?;
    if in_attr && after[len - 1] != b';' {
        if let Some(&n) = after.get(len) {
            if n == b'=' || n.is_ascii_alphanumeric() {
                return None;
            }
        }
    }
    let second = (c2 != 0).then(|| char::from_u32(c2)).flatten();
    Some(([char::from_u32(c1), second], len))
}

#[cfg(test)]
mod tests {
    use super::*;
    fn texts(doc: &Dom, css: &str) -> Vec<String> {
        doc.select(css)
            .into_iter()
            .map(|e| e.text().collect::<String>())
            .collect()
    }

    #[test]
    fn builds_the_implied_document() {
        let doc = parse("<title>A &amp; B</title><meta name=x content='1'><p>One<p>Two");
        assert_eq!(texts(&doc, "head > title"), ["A & B"]);
        assert_eq!(texts(&doc, "head > meta[name=x][content='1']").len(), 1);
        assert_eq!(texts(&doc, "body > p"), ["One", "Two"]);
    }

    #[test]
    fn optional_end_tags_close_where_a_browser_closes_them() {
        let doc = parse("<ul><li>a<li>b<ul><li>c</ul><li>d</ul><dl><dt>t<dd>u<dt>v</dl>");
        assert_eq!(texts(&doc, "body > ul > li"), ["a", "bc", "d"]);
        assert_eq!(texts(&doc, "dl > dt"), ["t", "v"]);
        assert_eq!(texts(&doc, "dl > dd"), ["u"]);
        let doc = parse("<p>lede<div>block</div><h2>x<h3>y</h3>");
        assert_eq!(texts(&doc, "body > p"), ["lede"]);
        assert_eq!(texts(&doc, "body > div"), ["block"]);
        assert_eq!(texts(&doc, "body > h3"), ["y"]);
        let doc = parse("<table><tr><td>1<td>2<tr><td>3</table>");
        assert_eq!(texts(&doc, "tr"), ["12", "3"]);
    }

    #[test]
    fn an_unmatched_end_tag_stops_at_a_block() {
        let doc = parse("<div><span>a<div>b</span>c</div>d</div>e");
        assert_eq!(texts(&doc, "body > div"), ["abcd"]);
        assert_eq!(texts(&doc, "body > div > span > div"), ["bc"]);
        // A misnested `</b>` leaves the stack; the paragraph stays open.
        let doc = parse("<b>x<p>y</b>z</p>w");
        assert_eq!(texts(&doc, "p"), ["yz"]);
    }

    #[test]
    fn raw_text_is_not_markup() {
        // The script's text holds `</p>` and `<b`: neither is markup. (The body
        // is kept here because the type says JSON.)
        let doc =
            parse("<p>a<script type=json>if (a<b) x = '</p>';</script>b</p><style>p{}</STYLE >c");
        assert_eq!(texts(&doc, "p"), ["aif (a<b) x = '</p>';b"]);
        assert_eq!(texts(&doc, "script"), ["if (a<b) x = '</p>';"]);
        assert_eq!(texts(&doc, "body"), ["aif (a<b) x = '</p>';bc"]);
        let doc = parse("<script><!-- <script>x</script> y </script><p>z");
        assert_eq!(texts(&doc, "p"), ["z"]);
        // `-->` leaves the double-escaped stretch: the next `</script>` ends it.
        let doc = parse("<script>a<!--[if IE]><script>b<\\/script><![endif]-->c</script><p>z");
        assert_eq!(
            texts(&doc, "script"),
            ["a<!--[if IE]><script>b<\\/script><![endif]-->c"]
        );
        assert_eq!(texts(&doc, "p"), ["z"]);
        let doc = parse("<script><!--x--></script><p>z");
        assert_eq!(texts(&doc, "p"), ["z"]);
        let doc = parse("<textarea>\n&lt;b&gt;</textarea><pre>\nkept\n</pre>");
        assert_eq!(texts(&doc, "textarea"), ["<b>"]);
        assert_eq!(texts(&doc, "pre"), ["kept\n"]);
    }

    #[test]
    fn character_references_follow_the_spec() {
        let mut out = String::new();
        decode_into(
            "&amp;&lt;x&gt &copy2 &#65;&#x42;&#X43 &#150; &#0; &nosuch; &",
            false,
            &mut out,
        );
        assert_eq!(out, "&<x> ©2 ABC – \u{fffd} &nosuch; &");
        decode_into("?a=1&copy=2&amp;b", true, &mut out);
        assert_eq!(out, "?a=1&copy=2&b");
        decode_into("a\r\nb\rc", false, &mut out);
        assert_eq!(out, "a\nb\nc");
    }

    #[test]
    fn attributes_in_every_syntax() {
        let doc = parse(
            r#"<DIV Class="x y" id=main title='q"s' hidden NAME = v style="color:red">t</div><a href=/x?a=1&amp;b=2 href=/no>l</a>"#,
        );
        let div = doc.select("div")[0];
        let attr = |name: &str| {
            div.value()
                .attrs()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v)
        };
        assert_eq!(attr("class"), Some("x y"));
        assert_eq!(attr("id"), Some("main"));
        assert_eq!(attr("title"), Some("q\"s"));
        assert_eq!(attr("hidden"), Some(""));
        assert_eq!(attr("name"), Some("v"));
        // Attributes the extractor never reads are not kept.
        assert_eq!(attr("style"), None);
        let a = doc.select("a")[0];
        assert_eq!(
            a.value().attrs().collect::<Vec<_>>(),
            [("href", "/x?a=1&b=2")]
        );
    }

    #[test]
    fn comments_doctypes_and_stray_brackets() {
        let doc = parse("<!DOCTYPE html><!-- <p>no</p> --><p>a < b <!--> c<? pi ?></x> d</p><p>e");
        assert_eq!(texts(&doc, "p"), ["a < b  c d", "e"]);
        // A tag cut off by the end of the page is dropped.
        let doc = parse("<p>a</p><div class=\"x");
        assert_eq!(texts(&doc, "body"), ["a"]);
    }

    #[test]
    fn any_cut_of_a_page_parses() {
        let page = "<!DOCTYPE html><html lang=en><head><title>T &amp; é</title>\
            <script>x<!--<script>y</script>--></script><meta content=\"a\" name=b></head>\
            <body><p class='x'>Ünïcode &eacute &#x1F600; <b>b<i>i</b></i><!-- c -->\
            <textarea>\r\n&lt;</textarea><svg/><table><tr><td>1</table></body></html>";
        for (at, _) in page.char_indices() {
            let doc = parse(&page[..at]);
            assert!(doc.root_element().value().name() == "html");
        }
        let whole = parse(page);
        // The newline after `<textarea>` is not content; a table closes the paragraph.
        assert_eq!(texts(&whole, "p"), ["Ünïcode é 😀 bi<"]);
        assert_eq!(texts(&whole, "body > table td"), ["1"]);
    }

    #[test]
    fn unread_bodies_are_not_built_json_data_is() {
        let doc = parse(
            r#"<head><STYLE>p { color: red }</STYLE><script src="a.js">x()</script><script type="application/ld+json">{"headline":"Kept"}</script></head><body><p>Text<script>var a = "<p>not markup</p>";</script></p>"#,
        );
        assert_eq!(texts(&doc, "style"), [""]);
        assert_eq!(texts(&doc, "script"), ["", r#"{"headline":"Kept"}"#, ""]);
        assert_eq!(texts(&doc, "p"), ["Text"]);
        // JSON data, a type spelled with character references, a body that opens a
        // comment, and `<script/>`: kept.
        for (page, kept) in [
            (
                r#"<div class="dates"><script type="application/json">{"publishedDate":"2016-11-04"}</script></div>"#,
                r#"{"publishedDate":"2016-11-04"}"#,
            ),
            (
                r#"<script type="application&#x2F;ld&#x2B;json">{"headline":"Kept"}</script>"#,
                r#"{"headline":"Kept"}"#,
            ),
            ("<script><!-- w('<p>') --></script>", "<!-- w('<p>') -->"),
            ("<script src=a.js/>x</script>", "x"),
        ] {
            assert_eq!(texts(&parse(page), "script"), [kept], "{page}");
        }
        // Where a tag is not a tag (a comment, an attribute, a title), nothing goes.
        let doc = parse(
            r#"<!-- <style>a</style> --><title><script>t</script></title><div data-x="<style>"><p>x</p></div>"#,
        );
        assert_eq!(texts(&doc, "title"), ["<script>t</script>"]);
        assert_eq!(texts(&doc, "p"), ["x"]);
        // An SVG drawing goes, nested ones with it; `<svg/>` has no body.
        let doc = parse(
            r#"<p>Share<svg viewBox="0 0 9 9"><title>Comments</title><svg><path d="M0 0"/></svg><g/></svg> now</p><svg/><p>x</p>"#,
        );
        assert_eq!(texts(&doc, "p"), ["Share now", "x"]);
        assert_eq!(texts(&doc, "title").len(), 0);
    }

    #[test]
    fn pieces_of_markup_in_any_order_parse() {
        let pieces = [
            "<",
            ">",
            "</",
            "<!--",
            "-->",
            "<script>",
            "</script>",
            "<style>",
            "</style",
            "<svg>",
            "</svg>",
            "<svg/>",
            "<title>",
            "</title>",
            "\"",
            "'",
            "=",
            " ",
            "/",
            "<p>",
            "é",
            "日本",
            "<script type='application/json'>",
            "&#x2F;",
            "&amp",
            "<!doctype html>",
            "<textarea>",
            "</textarea>",
            "<li>",
            "<table>",
            "<td>",
            "x",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2_000 {
            let mut page = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                page.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let doc = parse(&page);
            assert_eq!(doc.root_element().value().name(), "html", "{page:?}");
        }
    }

    #[test]
    fn self_closing_counts_only_in_svg() {
        let doc = parse("<div/><p>in</p><math><mi/><mo>+</mo></math><p>out</p>");
        assert_eq!(texts(&doc, "div > p"), ["in", "out"]);
        assert_eq!(texts(&doc, "math > mo"), ["+"]);
    }
}
