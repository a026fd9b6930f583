//! Bodies the extractor never reads, removed before the HTML parser sees the page.
//!
//! On the bench's 990 pages, 40% of the bytes are the bodies of `<script>` and `<style>`
//! elements, and 5% are inline `<svg>` drawings. The extractor never reads them from the
//! parsed tree, yet the parser copies every byte into text nodes and builds an element
//! for every path of an icon; worse, a script inside a paragraph used to reach the main
//! text as words (`google_ad_client = …`, `document.write(…)`). This pass finds those
//! bodies with a small scanner that knows as much of the HTML tokenizer as it takes to
//! find them where the parser would: comments, quoted attribute values, and the other
//! elements whose text is not markup (`<title>`, `<textarea>`, `<xmp>`, `<noembed>`,
//! `<noframes>`, `<iframe>`, `<noscript>`, `<plaintext>`). Everything else is copied
//! byte for byte, so the tree is the same, less the bodies.
//!
//! Kept are: scripts of JSON data (JSON-LD, and the `application/json` state some pages
//! print their dates in, which a date element's text may hold); scripts whose attributes
//! hold a character reference (`type="application&#x2F;ld&#x2B;json"` is JSON-LD once
//! decoded); script bodies holding `<!--`, where the tokenizer's escape states decide
//! where the script ends and this scanner does not model them; and self-closing
//! `<script/>` and `<svg/>`. The script-date signal reads the raw page, not the tree.
//! Measured on the bench: the same scores, script text gone from 18 pages' main text,
//! and 5% less CPU for the whole extraction (BENCHMARKS.md).

use std::borrow::Cow;

/// The page with the bodies of its scripts (but JSON data), style sheets and inline
/// SVG drawings removed.
pub(crate) fn strip_unread(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Bytes before `copied` are in `out` (when it exists).
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        let lt = i + off;
        let rest = &bytes[lt + 1..];
        if rest.starts_with(b"!--") {
            // A comment: `-->` ends it; unterminated, it runs to the end of the page.
            match memchr::memmem::find(&rest[3..], b"-->") {
                Some(end) => i = lt + 4 + end + 3,
                None => break,
            }
            continue;
        }
        if rest
            .first()
            .is_some_and(|b| *b == b'!' || *b == b'?' || *b == b'/')
        {
            // A doctype, bogus comment or end tag: `>` ends it.
            match memchr::memchr(b'>', rest) {
                Some(end) => i = lt + 1 + end + 1,
                None => break,
            }
            continue;
        }
        if !rest.first().is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let name_len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let Some(tag_end) = open_tag_end(bytes, lt + 1 + name_len) else {
            break;
        };
        let body = tag_end + 1;
        let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
        if is("plaintext") {
            break;
        }
        let raw = [
            "script", "style", "title", "textarea", "xmp", "noembed", "noframes", "iframe",
            "noscript",
        ]
        .into_iter()
        .find(|n| is(n));
        // `<script … />` and `<svg … />` close themselves inside SVG, where a script
        // body is markup: the scanner cannot tell, so it leaves them and reads on.
        let self_closing = bytes[tag_end - 1] == b'/';
        // Where the body ends, and whether it goes.
        let (close, cut) = match raw {
            _ if self_closing => {
                i = body;
                continue;
            }
            None if is("svg") => match svg_end(bytes, body) {
                Some(close) => (close, true),
                None => {
                    i = body;
                    continue;
                }
            },
            None => {
                i = body;
                continue;
            }
            Some(raw) => {
                let Some(close) = closing_tag(bytes, body, raw) else {
                    break;
                };
                let attrs = &bytes[lt + 1 + name_len..tag_end];
                let cut = match raw {
                    "script" => {
                        !contains_ignore_case(attrs, b"json")
                            && memchr::memchr(b'&', attrs).is_none()
                            && memchr::memmem::find(&bytes[body..close], b"<!--").is_none()
                    }
                    "style" => true,
                    _ => false,
                };
                (close, cut)
            }
        };
        if cut && close > body {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len()));
            out.push_str(&html[copied..body]);
            copied = close;
        }
        i = close;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// The index of the `>` that ends the start tag whose attributes begin at `from`:
/// quoted attribute values may hold `>`.
fn open_tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    let mut after_eq = false;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'>' => return Some(i),
            b'=' => after_eq = true,
            b'"' | b'\'' if after_eq => {
                i += 1 + memchr::memchr(b, &bytes[i + 1..])?;
                after_eq = false;
            }
            _ if b.is_ascii_whitespace() => {}
            _ => after_eq = false,
        }
        i += 1;
    }
    None
}

/// Where the end tag `</name` that closes a raw-text element opening at `from` begins.
fn closing_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut i = from;
    while let Some(off) = memchr::memmem::find(&bytes[i..], b"</") {
        let at = i + off;
        let after = at + 2 + name.len();
        if bytes.len() >= after
            && bytes[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(after)
                .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        {
            return Some(at);
        }
        i = at + 2;
    }
    None
}

/// Where the `</svg` that closes an `<svg>` whose body starts at `from` begins: SVG
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

fn contains_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::strip_unread as strip;

    #[test]
    fn script_and_style_bodies_go_json_ld_stays() {
        let page = r#"<head><STYLE>p { color: red }</STYLE><script src="a.js"></script><script type="application/ld+json">{"headline":"Kept"}</script></head><body><p>Text</p><script>var a = "<p>not markup</p>";</script></body>"#;
        assert_eq!(
            strip(page),
            r#"<head><STYLE></STYLE><script src="a.js"></script><script type="application/ld+json">{"headline":"Kept"}</script></head><body><p>Text</p><script></script></body>"#
        );
    }

    #[test]
    fn scripts_where_the_parser_would_not_see_one_are_left_alone() {
        for page in [
            // In a comment, an attribute value, a title, a textarea.
            "<!-- <script>a</script> --><p>x</p>",
            r#"<div data-x="<script>a</script>"><p>x</p></div>"#,
            "<noscript><script>a</script></noscript>",
            // JSON data, and a type spelled with character references.
            r#"<div class="dates"><script type="application/json">{"publishedDate":"2016-11-04"}</script></div>"#,
            r#"<script type="application&#x2F;ld&#x2B;json">{"headline":"Kept"}</script>"#,
            "<title><script>a</script></title>",
            "<textarea><style>a</style></textarea>",
            // A script whose body opens a comment: the tokenizer's escape states decide.
            "<script><!-- document.write('<script>x</script>') --></script><p>y</p>",
            // No scripts at all; a script never closed.
            "<p>a < b</p>",
            "<p>x</p><script>var a",
        ] {
            assert_eq!(strip(page), page, "{page}");
        }
    }

    #[test]
    fn a_script_name_is_matched_whole_and_a_quoted_gt_does_not_end_the_tag() {
        assert_eq!(strip("<scripts>a</scripts>"), "<scripts>a</scripts>");
        assert_eq!(
            strip(r#"<script data-x="a>b">c</script ><p>d</p>"#),
            r#"<script data-x="a>b"></script ><p>d</p>"#
        );
        // A self-closing script (foreign content: MathML, SVG) has no body to remove.
        assert_eq!(
            strip("<math><script href='a.js'/></math><p>b</p><script>c</script>"),
            "<math><script href='a.js'/></math><p>b</p><script></script>"
        );
        // An SVG drawing goes, nested ones with it; an `<svg/>` has no body.
        assert_eq!(
            strip(
                r#"<p>Share<svg viewBox="0 0 9 9"><title>Comments</title><svg><path d="M0 0"/></svg><g/></svg> now</p><svg/><p>x</p>"#
            ),
            r#"<p>Share<svg viewBox="0 0 9 9"></svg> now</p><svg/><p>x</p>"#
        );
        // `</scripts>` does not close a script; `</SCRIPT>` does.
        assert_eq!(
            strip("<script>a</scripts>b</SCRIPT>c"),
            "<script></SCRIPT>c"
        );
    }
    #[test]
    fn any_text_comes_through_with_spans_cut_out_and_never_panics() {
        // Pieces of markup, broken and whole, glued in pseudo-random order.
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
            "<!doctype html>",
            "<textarea>",
            "</textarea>",
            "<scripts>",
            "x",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut cut = 0;
        for _ in 0..2_000 {
            let mut page = String::new();
            for _ in 0..40 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                page.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let out = strip(&page);
            // Only removals: what comes out is the page with spans cut out of it.
            let mut rest = page.bytes();
            assert!(
                out.bytes().all(|b| rest.any(|p| p == b)),
                "{page:?} -> {out:?}"
            );
            cut += usize::from(out.len() < page.len());
        }
        assert!(cut > 100, "the pieces must make bodies to cut: {cut}");
    }
}
