//! WARC files (ISO 28500): `response` and `resource` records become documents.
//!
//! A response record's payload is an HTTP message: its headers are split off, its
//! `Content-Type` charset is honoured, and chunked or gzip transfer coding is undone.
//! Records that hold no document (requests, metadata, images, scripts) are skipped.
//! A record cut short by the end of the file is rejected with its offset; the records
//! before it are kept.

use std::io::{BufRead, Read};

use storyline_model::Hints;

use crate::{emit, rejected, single_doc, Flow, Item, ReadOptions};

pub(crate) fn read_warc(
    name: &str,
    mut reader: impl BufRead,
    opts: &ReadOptions,
    sink: &mut dyn FnMut(Item) -> Flow,
) -> Flow {
    let mut offset: u64 = 0;
    loop {
        // Skip blank lines between records.
        let mut line = Vec::new();
        let start;
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => return Flow::Continue(()),
                Ok(n) => {
                    if line.iter().all(u8::is_ascii_whitespace) {
                        offset += n as u64;
                        continue;
                    }
                    start = offset;
                    offset += n as u64;
                    break;
                }
                Err(e) => {
                    return sink(rejected(
                        format!("{name}@{offset}"),
                        format!("read error: {e}"),
                    ))
                }
            }
        }
        let source = format!("{name}@{start}");
        if !line.starts_with(b"WARC/") {
            return sink(rejected(
                source,
                "not a WARC record header (file corrupt or truncated)",
            ));
        }
        // Record headers.
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            line.clear();
            match reader.read_until(b'\n', &mut line) {
                Ok(0) => {
                    return sink(rejected(
                        source,
                        "truncated WARC record: file ends inside the headers",
                    ))
                }
                Ok(n) => {
                    offset += n as u64;
                    let l = String::from_utf8_lossy(&line);
                    let l = l.trim_end();
                    if l.is_empty() {
                        break;
                    }
                    if let Some((k, v)) = l.split_once(':') {
                        headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
                    }
                }
                Err(e) => {
                    return sink(rejected(
                        source,
                        format!("read error in record headers: {e}"),
                    ))
                }
            }
        }
        let header = |k: &str| {
            headers
                .iter()
                .find(|(hk, _)| hk == k)
                .map(|(_, v)| v.as_str())
        };
        let Some(length) = header("content-length").and_then(|v| v.parse::<u64>().ok()) else {
            return sink(rejected(
                source,
                "WARC record without a valid Content-Length; cannot find the next record",
            ));
        };
        let kind = header("warc-type").unwrap_or("").to_ascii_lowercase();
        let url = header("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string());
        let fetched = header("warc-date").map(str::to_string);
        let record_ctype = header("content-type").unwrap_or("").to_ascii_lowercase();
        let wanted = kind == "response" || kind == "resource";
        if !wanted || length as usize > opts.max_doc_bytes + 64 * 1024 {
            match std::io::copy(&mut (&mut reader).take(length), &mut std::io::sink()) {
                Ok(n) if n == length => {}
                Ok(n) => {
                    return sink(rejected(
                        source,
                        format!(
                            "truncated WARC record: expected {length} bytes, file ends after {n}"
                        ),
                    ))
                }
                Err(e) => return sink(rejected(source, format!("read error: {e}"))),
            }
            offset += length;
            if wanted {
                emit!(
                    sink,
                    rejected(
                        source,
                        format!(
                            "record is over the {} MiB limit for one page",
                            opts.max_doc_bytes / (1024 * 1024)
                        ),
                    )
                );
            } else {
                emit!(
                    sink,
                    Item::Skipped {
                        source,
                        reason: format!("WARC {kind} record"),
                    }
                );
            }
            continue;
        }
        let mut body = Vec::with_capacity(length as usize);
        if let Err(e) = (&mut reader).take(length).read_to_end(&mut body) {
            return sink(rejected(source, format!("read error: {e}")));
        }
        offset += body.len() as u64;
        if (body.len() as u64) < length {
            return sink(rejected(
                source,
                format!(
                    "truncated WARC record: expected {length} bytes, file ends after {}",
                    body.len()
                ),
            ));
        }
        let hints = Hints {
            url,
            fetched,
            ..Hints::default()
        };
        if kind == "response" && record_ctype.contains("application/http") {
            match split_http(&body) {
                Ok(Some((status, ctype, payload))) => {
                    if !(200..300).contains(&status) {
                        emit!(
                            sink,
                            Item::Skipped {
                                source,
                                reason: format!("HTTP status {status}"),
                            }
                        );
                    } else if !is_document_type(&ctype) {
                        emit!(
                            sink,
                            Item::Skipped {
                                source,
                                reason: format!("not a document: {ctype}"),
                            }
                        );
                    } else {
                        let charset = crate::decode::charset_param(&ctype).map(str::to_string);
                        emit!(
                            sink,
                            single_doc(&source, &payload, hints, charset.as_deref())
                        );
                    }
                }
                Ok(None) => emit!(
                    sink,
                    rejected(source, "HTTP response without a header block")
                ),
                Err(reason) => emit!(sink, rejected(source, reason)),
            }
        } else if is_document_type(&record_ctype) || record_ctype.is_empty() {
            let charset = crate::decode::charset_param(&record_ctype).map(str::to_string);
            emit!(sink, single_doc(&source, &body, hints, charset.as_deref()));
        } else {
            emit!(
                sink,
                Item::Skipped {
                    source,
                    reason: format!("not a document: {record_ctype}"),
                }
            );
        }
    }
}

fn is_document_type(ctype: &str) -> bool {
    let c = ctype.to_ascii_lowercase();
    c.is_empty()
        || c.starts_with("text/html")
        || c.starts_with("application/xhtml")
        || c.starts_with("text/plain")
}

/// Splits an HTTP response into status, content type and decoded payload.
fn split_http(body: &[u8]) -> Result<Option<(u16, String, Vec<u8>)>, String> {
    let Some(end) = find(body, b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| find(body, b"\n\n").map(|i| i + 2))
    else {
        return Ok(None);
    };
    let head = String::from_utf8_lossy(&body[..end]);
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or("HTTP response with no status line")?;
    let mut ctype = String::new();
    let mut chunked = false;
    let mut gzip = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "content-type" => ctype = v.to_string(),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                "content-encoding" => gzip = v.to_ascii_lowercase().contains("gzip"),
                _ => {}
            }
        }
    }
    let mut payload = body[end..].to_vec();
    if chunked {
        payload = dechunk(&payload).ok_or("malformed chunked transfer coding")?;
    }
    if gzip && payload.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&payload[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("corrupt gzip content coding: {e}"))?;
        payload = out;
    }
    Ok(Some((status, ctype, payload)))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let nl = find(data, b"\n")?;
        let size_line = String::from_utf8_lossy(&data[..nl]);
        let size = usize::from_str_radix(size_line.trim().split(';').next()?.trim(), 16).ok()?;
        data = &data[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))
            .unwrap_or(data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn record(kind: &str, uri: &str, payload: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2023-09-05T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
            payload.len()
        )
        .into_bytes();
        r.extend_from_slice(payload);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn run(bytes: Vec<u8>) -> Vec<Item> {
        let mut items = Vec::new();
        let _ = read_warc(
            "x.warc",
            Cursor::new(bytes),
            &ReadOptions::default(),
            &mut |i| {
                items.push(i);
                Flow::Continue(())
            },
        );
        items
    }

    #[test]
    fn response_records_with_charset_and_chunking() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=iso-8859-1\r\n\r\n<html><body><p>caf\xe9</p></body></html>";
        let chunked = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n<html>\r\n9\r\n<p>hi</p>\r\n0\r\n\r\n";
        let image = b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG";
        let mut warc = record("response", "https://a.example/1", page);
        warc.extend(record(
            "request",
            "https://a.example/1",
            b"GET / HTTP/1.1\r\n\r\n",
        ));
        warc.extend(record("response", "https://a.example/2", chunked));
        warc.extend(record("response", "https://a.example/img", image));
        let items = run(warc);
        let docs: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                Item::Doc(d) => Some(d),
                _ => None,
            })
            .collect();
        assert_eq!(docs.len(), 2);
        assert!(docs[0].text.contains("café"));
        assert_eq!(docs[0].hints.url.as_deref(), Some("https://a.example/1"));
        assert_eq!(docs[0].source, "x.warc@0");
        assert_eq!(docs[1].text, "<html><p>hi</p>");
        assert_eq!(
            items
                .iter()
                .filter(|i| matches!(i, Item::Skipped { .. }))
                .count(),
            2
        );
    }

    #[test]
    fn truncated_record_keeps_earlier_ones() {
        let page = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><p>one</p></html>";
        let mut warc = record("response", "https://a.example/1", page);
        let second = record("response", "https://a.example/2", page);
        warc.extend_from_slice(&second[..second.len() - 30]);
        let items = run(warc);
        assert!(matches!(items[0], Item::Doc(_)));
        match &items[1] {
            Item::Rejected { source, reason } => {
                assert!(source.starts_with("x.warc@"));
                assert!(reason.contains("truncated"), "{reason}");
            }
            o => panic!("{o:?}"),
        }
    }
}
