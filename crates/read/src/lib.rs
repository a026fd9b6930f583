//! `read`: turns any input into [`RawDoc`]s.
//!
//! Inputs are files, folders (walked recursively), glob patterns and standard input
//! (`-`). Each input's format is detected from its bytes, not its name: gzip by its
//! magic bytes (then looked into again), WARC by its version line, JSON lines by a
//! first line that parses as a JSON object, HTML by its tags, and anything else that
//! is valid UTF-8 text as crawler-saved plain text.
//!
//! A bad record never stops the batch: it is reported as a [`Item::Rejected`] that
//! names the source (file, and line or offset inside it) and the reason, and reading
//! goes on with the next record.

mod decode;
mod inflate;
mod warc;

/// What a sink says after each item: go on, or stop reading (Ctrl-C).
pub type Flow = std::ops::ControlFlow<()>;

/// Hands an item to the sink and returns from the reader if it says stop.
macro_rules! emit {
    ($sink:expr, $item:expr) => {
        if $sink($item).is_break() {
            return Flow::Break(());
        }
    };
}
pub(crate) use emit;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::{Path, PathBuf};

use storyline_model::{Format, Hints, RawDoc};

pub use decode::{decode_html, decode_text};

/// The largest single document (page, text file, JSON line, WARC payload) accepted.
/// Larger ones are rejected: no real article is this big, and a 50 MB "page" is a
/// dump or an attack, not news.
pub const DEFAULT_MAX_DOC_BYTES: usize = 8 * 1024 * 1024;

/// What reading produces, one per record.
#[derive(Debug)]
pub enum Item {
    Doc(RawDoc),
    /// A record that could not be read; `source` names the file and record.
    Rejected {
        source: String,
        reason: String,
    },
    /// A file passed over on purpose while walking a folder (documentation, images,
    /// hidden files) or a WARC record that holds no document (requests, metadata,
    /// images). Not an error.
    Skipped {
        source: String,
        reason: String,
    },
}

/// Options for reading.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub max_doc_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }
}

/// Extensions that, met while walking a folder, mark a file as not article data.
/// Files named explicitly on the command line are always read.
const NOT_ARTICLES: &[&str] = &[
    "md", "markdown", "rst", "adoc", "csv", "tsv", "tsv.gz", "yml", "yaml", "toml", "lock", "py",
    "rs", "js", "ts", "css", "sh", "png", "jpg", "jpeg", "gif", "webp", "svg", "ico", "pdf", "zip",
    "tar", "mp3", "mp4", "woff", "woff2", "ttf", "sqlite", "db",
];

/// Expands the command-line inputs into the list of things to read, in a stable order.
/// Folders are walked recursively and sorted by path; globs are expanded. Problems
/// (a path that does not exist, a glob that matches nothing) come back as items.
pub fn expand_inputs(inputs: &[String]) -> Vec<Result<Input, Item>> {
    let mut out = Vec::new();
    for arg in inputs {
        if arg == "-" {
            out.push(Ok(Input::Stdin));
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            walk_dir(path, &mut out);
        } else if path.exists() {
            out.push(Ok(Input::File(path.to_path_buf())));
        } else if arg.contains(['*', '?', '[']) {
            match glob::glob(arg) {
                Ok(paths) => {
                    let mut matched: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
                    matched.sort();
                    if matched.is_empty() {
                        out.push(Err(rejected(arg, "no file matches this pattern")));
                    }
                    for p in matched {
                        if p.is_dir() {
                            walk_dir(&p, &mut out);
                        } else {
                            out.push(Ok(Input::File(p)));
                        }
                    }
                }
                Err(e) => out.push(Err(rejected(arg, format!("invalid glob pattern: {e}")))),
            }
        } else {
            out.push(Err(rejected(arg, "no such file or folder")));
        }
    }
    out
}

fn walk_dir(dir: &Path, out: &mut Vec<Result<Input, Item>>) {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let name = e.file_name().to_string_lossy().to_lowercase();
                if NOT_ARTICLES
                    .iter()
                    .any(|ext| name.ends_with(&format!(".{ext}")))
                {
                    out.push(Err(Item::Skipped {
                        source: e.path().display().to_string(),
                        reason:
                            "not an article format (by extension; name the file to read it anyway)"
                                .into(),
                    }));
                } else {
                    out.push(Ok(Input::File(e.into_path())));
                }
            }
            // Links are not followed while walking; one that points at a file is read,
            // one that points nowhere is reported.
            Ok(e) if e.file_type().is_symlink() => match std::fs::metadata(e.path()) {
                Ok(m) if m.is_file() => out.push(Ok(Input::File(e.into_path()))),
                Ok(_) => {}
                Err(err) => out.push(Err(rejected(
                    e.path().display().to_string(),
                    format!("no such file (broken link): {err}"),
                ))),
            },
            Ok(_) => {}
            Err(e) => {
                let source = e
                    .path()
                    .map_or_else(|| dir.display().to_string(), |p| p.display().to_string());
                out.push(Err(rejected(source, format!("cannot read: {e}"))));
            }
        }
    }
}

fn rejected(source: impl Into<String>, reason: impl Into<String>) -> Item {
    Item::Rejected {
        source: source.into(),
        reason: reason.into(),
    }
}

/// One thing to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// Reads one input, handing every record to `sink` as it is read (so a large WARC or
/// JSONL file is never held in memory whole).
pub fn read_input(input: &Input, opts: &ReadOptions, sink: &mut dyn FnMut(Item) -> Flow) -> Flow {
    let name = input.name();
    let reader: Box<dyn Read> = match input {
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::File(p) => match File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => return sink(rejected(&name, format!("cannot open: {e}"))),
        },
    };
    read_stream(&name, reader, opts, sink)
}

/// Reads records from any byte stream; `name` is what rejections and sources call it.
pub fn read_stream(
    name: &str,
    reader: Box<dyn Read + '_>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> Flow,
) -> Flow {
    let (prefix, reader) = match peek(reader, 4096) {
        Ok(x) => x,
        Err(e) => return sink(rejected(name, format!("cannot read: {e}"))),
    };
    if prefix.is_empty() {
        return sink(rejected(name, "empty file"));
    }
    if prefix.starts_with(&[0x1f, 0x8b]) {
        // A gzip file small enough to hold whole (a saved page) is inflated in one
        // call; anything else streams.
        let (head, reader) = match peek(reader, WHOLE_GZIP_MAX) {
            Ok(x) => x,
            Err(e) => return sink(rejected(name, format!("cannot read: {e}"))),
        };
        if head.len() < WHOLE_GZIP_MAX {
            if let Some(bytes) = inflate::whole_member(&head, opts.max_doc_bytes) {
                if bytes.is_empty() {
                    return sink(rejected(name, "empty file (after gzip decompression)"));
                }
                let prefix = &bytes[..bytes.len().min(4096)];
                if !prefix.starts_with(b"WARC/") && !looks_like_jsonl(prefix) {
                    return whole_doc(name, &bytes, opts, sink);
                }
                let prefix = prefix.to_vec();
                return read_plain(name, &prefix, Box::new(Cursor::new(bytes)), opts, sink);
            }
        }
        let gz = flate2::read::MultiGzDecoder::new(reader);
        let (prefix, reader) = match peek(Box::new(gz), 4096) {
            Ok(x) => x,
            Err(e) => return sink(rejected(name, format!("corrupt or truncated gzip: {e}"))),
        };
        if prefix.is_empty() {
            return sink(rejected(name, "empty file (after gzip decompression)"));
        }
        return read_plain(name, &prefix, reader, opts, sink);
    }
    read_plain(name, &prefix, reader, opts, sink)
}

/// Compressed gzip inputs up to this size are read whole and inflated in one call.
const WHOLE_GZIP_MAX: usize = 8 * 1024 * 1024;

fn read_plain(
    name: &str,
    prefix: &[u8],
    reader: Box<dyn Read + '_>,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> Flow,
) -> Flow {
    if prefix.starts_with(b"WARC/") {
        return warc::read_warc(
            name,
            BufReader::with_capacity(64 * 1024, reader),
            opts,
            sink,
        );
    }
    if looks_like_jsonl(prefix) {
        return read_jsonl(
            name,
            BufReader::with_capacity(64 * 1024, reader),
            opts,
            sink,
        );
    }
    // A single document: read it whole, but never more than the limit allows. A
    // news page is tens to hundreds of KiB: starting there saves most of the copies
    // a vector growing from empty makes.
    let mut bytes = Vec::with_capacity(128 * 1024);
    let limit = opts.max_doc_bytes as u64 + 1;
    if let Err(e) = reader.take(limit).read_to_end(&mut bytes) {
        let what = if e.kind() == io::ErrorKind::InvalidInput || e.to_string().contains("gzip") {
            "corrupt or truncated gzip"
        } else {
            "read error"
        };
        return sink(rejected(name, format!("{what}: {e}")));
    }
    whole_doc(name, &bytes, opts, sink)
}

/// One document read whole: rejected over the size limit, else detected and decoded.
fn whole_doc(
    name: &str,
    bytes: &[u8],
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> Flow,
) -> Flow {
    if bytes.len() > opts.max_doc_bytes {
        return sink(rejected(
            name,
            format!(
                "document is over the {} MiB limit for one page",
                opts.max_doc_bytes / (1024 * 1024)
            ),
        ));
    }
    sink(single_doc(name, bytes, Hints::default(), None))
}

/// Detects HTML or text in one document's bytes and decodes it.
fn single_doc(source: &str, bytes: &[u8], hints: Hints, http_charset: Option<&str>) -> Item {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return rejected(source, "empty document");
    }
    if is_binary(bytes) {
        return rejected(source, "binary data, not text, HTML, JSON lines or WARC");
    }
    let record_hash = hash_bytes(bytes);
    let (format, text) = if looks_like_html(bytes) {
        (Format::Html, decode_html(bytes, http_charset))
    } else {
        match decode_text(bytes, http_charset) {
            Ok(t) => (Format::Text, t),
            Err(reason) => return rejected(source, reason),
        }
    };
    Item::Doc(RawDoc {
        source: source.to_string(),
        format,
        text,
        hints,
        record_hash,
    })
}

/// A short, stable content hash (64 bits of BLAKE3, hex).
pub fn hash_bytes(bytes: &[u8]) -> String {
    let h = blake3::hash(bytes);
    h.to_hex()[..16].to_string()
}

fn peek<'a>(mut reader: Box<dyn Read + 'a>, n: usize) -> io::Result<(Vec<u8>, Box<dyn Read + 'a>)> {
    let mut prefix = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut prefix)?;
    let rest: Box<dyn Read + 'a> = Box::new(Cursor::new(prefix.clone()).chain(reader));
    Ok((prefix, rest))
}

fn is_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    control * 20 > sample.len()
}

fn skip_bom_ws(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

fn looks_like_jsonl(prefix: &[u8]) -> bool {
    skip_bom_ws(prefix).first() == Some(&b'{')
}

/// How far a document that opens with a tag is searched for the tags of a page: a
/// page may open with a long inline `<style>` or `<script>` block before its `<html>`.
const HTML_SNIFF: usize = 64 * 1024;

/// Tags that make a document that opens with a tag an HTML page.
const PAGE_TAGS: &[&[u8]] = &[
    b"<html",
    b"<!doctype html",
    b"<head",
    b"<body",
    b"<meta",
    b"<title",
    b"<div",
    b"<p>",
    b"<article",
];

fn looks_like_html(bytes: &[u8]) -> bool {
    let starts_with_tag = skip_bom_ws(&bytes[..bytes.len().min(4096)]).first() == Some(&b'<');
    let window = if starts_with_tag { HTML_SNIFF } else { 4096 };
    let head = skip_bom_ws(&bytes[..bytes.len().min(window)]);
    // Each `<` is tried against the tags, case-insensitively, in place: most pages
    // name one in their first bytes, and nothing is copied.
    let tag_at = |i: usize, tags: &[&[u8]]| {
        tags.iter().any(|t| {
            head.get(i..i + t.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(t))
        })
    };
    let mut opens = head
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'<')
        .map(|(i, _)| i);
    if starts_with_tag {
        return opens.any(|i| tag_at(i, PAGE_TAGS));
    }
    let opens: Vec<usize> = opens.collect();
    opens.iter().any(|&i| tag_at(i, &[b"<html"])) && opens.iter().any(|&i| tag_at(i, &[b"</"]))
}

/// The JSON line fields Storyline reads; extra fields are ignored.
fn read_jsonl(
    name: &str,
    reader: impl BufRead,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> Flow,
) -> Flow {
    for (i, line) in reader.split(b'\n').enumerate() {
        let source = format!("{name}#line={}", i + 1);
        let line = match line {
            Ok(l) => l,
            Err(e) => return sink(rejected(&source, format!("read error: {e}"))),
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if line.len() > opts.max_doc_bytes {
            emit!(
                sink,
                rejected(
                    &source,
                    format!(
                        "line is over the {} MiB limit",
                        opts.max_doc_bytes / (1024 * 1024)
                    )
                )
            );
            continue;
        }
        emit!(sink, jsonl_record(&source, &line));
    }
    Flow::Continue(())
}

fn jsonl_record(source: &str, line: &[u8]) -> Item {
    let value: serde_json::Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => {
            let why = if std::str::from_utf8(line).is_err() {
                "invalid UTF-8"
            } else {
                "invalid JSON"
            };
            return rejected(source, format!("{why}: {e}"));
        }
    };
    let Some(obj) = value.as_object() else {
        return rejected(source, "not a JSON object");
    };
    let field = |k: &str| -> Option<String> {
        match obj.get(k)? {
            serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let hints = Hints {
        id: field("id"),
        url: field("url"),
        title: field("title"),
        date: field("date"),
        outlet: field("outlet"),
        fetched: field("fetched"),
        lang: field("lang"),
    };
    let record_hash = hash_bytes(line);
    let (format, text) = match (field("html"), field("text")) {
        (Some(h), _) => (Format::Html, h),
        (None, Some(t)) => (Format::Text, t),
        (None, None) => return rejected(source, "no `text` or `html` field"),
    };
    Item::Doc(RawDoc {
        source: source.to_string(),
        format,
        text,
        hints,
        record_hash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_bytes(bytes: &[u8]) -> Vec<Item> {
        let mut items = Vec::new();
        let _ = read_stream(
            "mem",
            Box::new(Cursor::new(bytes.to_vec())),
            &ReadOptions::default(),
            &mut |i| {
                items.push(i);
                Flow::Continue(())
            },
        );
        items
    }

    fn reason(item: &Item) -> &str {
        match item {
            Item::Rejected { reason, .. } => reason,
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn detects_text_html_jsonl() {
        match &read_bytes(b"Some headline\n\nA paragraph.")[0] {
            Item::Doc(d) => assert_eq!(d.format, Format::Text),
            o => panic!("{o:?}"),
        }
        match &read_bytes(b"<!DOCTYPE html><html><p>x</p></html>")[0] {
            Item::Doc(d) => assert_eq!(d.format, Format::Html),
            o => panic!("{o:?}"),
        }
        // A page that opens with 10 KB of inline CSS before its <head>.
        let css = format!(
            "<style>\n{}</style>\n<!DOCTYPE html><html><head><title>t</title></head><body><p>x</p></body></html>",
            "  .grid { display: grid; gap: 10px; }\n".repeat(300)
        );
        match &read_bytes(css.as_bytes())[0] {
            Item::Doc(d) => assert_eq!(d.format, Format::Html),
            o => panic!("{o:?}"),
        }
        let items = read_bytes(
            b"{\"id\":\"a\",\"text\":\"t\",\"event\":\"x\",\"fetched\":\"2013-07-08\",\"lang\":\"pt-BR\"}\n{bad\n{\"title\":\"t\"}\n",
        );
        assert_eq!(items.len(), 3);
        match &items[0] {
            Item::Doc(d) => {
                assert_eq!(d.hints.id.as_deref(), Some("a"));
                assert_eq!(d.hints.fetched.as_deref(), Some("2013-07-08"));
                assert_eq!(d.hints.lang.as_deref(), Some("pt-BR"));
                assert_eq!(d.source, "mem#line=1");
            }
            o => panic!("{o:?}"),
        }
        assert!(reason(&items[1]).starts_with("invalid JSON"));
        assert!(reason(&items[2]).contains("no `text` or `html`"));
    }

    #[test]
    fn rejects_empty_binary_and_bad_utf8() {
        assert_eq!(reason(&read_bytes(b"")[0]), "empty file");
        assert!(reason(&read_bytes(b"\x00\x01\x02PNG\x00\x00")[0]).starts_with("binary"));
        assert!(
            reason(&read_bytes(b"caf\xe9 au lait, a plain text line")[0]).contains("invalid UTF-8")
        );
    }

    #[test]
    fn gzip_and_truncated_gzip() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let mut enc = GzEncoder::new(Vec::new(), Compression::default());
        enc.write_all(
            "Headline here\n\nBody text that is long enough to matter. "
                .repeat(200)
                .as_bytes(),
        )
        .unwrap();
        let gz = enc.finish().unwrap();
        assert!(matches!(&read_bytes(&gz)[0], Item::Doc(_)));
        let cut = &gz[..gz.len() / 2];
        assert!(
            reason(&read_bytes(cut)[0]).contains("gzip"),
            "{:?}",
            read_bytes(cut)
        );
    }

    #[test]
    fn gzip_read_whole_or_streamed_gives_the_same_records() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let gzip = |data: &[u8]| {
            let mut enc = GzEncoder::new(Vec::new(), Compression::default());
            enc.write_all(data).unwrap();
            enc.finish().unwrap()
        };
        let text = |item: &Item| match item {
            Item::Doc(d) => d.text.clone(),
            other => panic!("not a document: {other:?}"),
        };
        // JSON lines in one member: every record.
        let jsonl = "{\"title\":\"One\",\"text\":\"First body.\"}\n{\"title\":\"Two\",\"text\":\"Second body.\"}\n";
        let items = read_bytes(&gzip(jsonl.as_bytes()));
        assert_eq!(items.len(), 2, "{items:?}");
        assert!(items.iter().all(|i| matches!(i, Item::Doc(_))));
        // Two members (`cat a.gz b.gz`) of the same size: one document of both.
        let page = "Headline here\n\nBody text that is long enough to matter.\n";
        let two = [gzip(page.as_bytes()), gzip(page.as_bytes())].concat();
        let items = read_bytes(&two);
        assert_eq!(items.len(), 1);
        assert_eq!(text(&items[0]).matches("Body text").count(), 2);
        // An empty member, and a page over the size limit, are rejected as before.
        assert!(reason(&read_bytes(&gzip(b""))[0]).contains("empty"));
        let opts = ReadOptions {
            max_doc_bytes: 1000,
        };
        let mut items = Vec::new();
        let _ = read_stream(
            "big.gz",
            Box::new(Cursor::new(gzip(&[b'a'; 5000]))),
            &opts,
            &mut |i| {
                items.push(i);
                Flow::Continue(())
            },
        );
        assert!(reason(&items[0]).contains("limit"), "{items:?}");
    }

    #[test]
    fn oversized_document_is_rejected() {
        let opts = ReadOptions {
            max_doc_bytes: 1000,
        };
        let mut items = Vec::new();
        let _ = read_stream(
            "big",
            Box::new(Cursor::new(vec![b'a'; 5000])),
            &opts,
            &mut |i| {
                items.push(i);
                Flow::Continue(())
            },
        );
        assert!(reason(&items[0]).contains("limit"));
    }
}
