//! Charset detection and decoding.
//!
//! Order of evidence, as browsers use it: a byte-order mark, then the HTTP
//! `Content-Type` charset (from a WARC response), then `<meta charset>` or
//! `<meta http-equiv="Content-Type">` in the first bytes of an HTML page. An HTML
//! page with no declaration that is not valid UTF-8 is decoded as windows-1252, the
//! web's default. Plain text with no declaration must be UTF-8: anything else is
//! rejected rather than guessed.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

fn from_bom(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes)
}

fn by_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())
}

/// Finds `charset=...` in a Content-Type value or a meta tag.
pub(crate) fn charset_param(s: &str) -> Option<&str> {
    let lower = s.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = s[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let end = rest
        .find(|c: char| {
            c == '"' || c == '\'' || c == ';' || c == '>' || c == '/' || c.is_whitespace()
        })
        .unwrap_or(rest.len());
    let value = &rest[..end];
    (!value.is_empty()).then_some(value)
}

fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let text = String::from_utf8_lossy(head);
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<meta") {
        let start = from + i;
        let end = lower[start..].find('>').map_or(lower.len(), |e| start + e);
        if let Some(enc) = charset_param(&text[start..end]).and_then(by_label) {
            return Some(enc);
        }
        from = end;
    }
    None
}

/// Decodes an HTML page's bytes, never failing: undecodable bytes become U+FFFD.
pub fn decode_html(bytes: &[u8], http_charset: Option<&str>) -> String {
    if let Some((enc, bom_len)) = from_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    let declared = http_charset
        .and_then(by_label)
        .or_else(|| meta_charset(bytes));
    let enc = match declared {
        // A page that declares UTF-16 in a meta tag cannot be; the spec says UTF-8.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// Decodes plain text: a BOM or declared charset if there is one, else strict UTF-8.
pub fn decode_text(bytes: &[u8], http_charset: Option<&str>) -> Result<String, String> {
    if let Some((enc, bom_len)) = from_bom(bytes) {
        return Ok(enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned());
    }
    if let Some(enc) = http_charset.and_then(by_label) {
        return Ok(enc.decode_without_bom_handling(bytes).0.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte {} (plain text must be UTF-8 or carry a byte-order mark)",
            e.valid_up_to()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_and_http_charsets() {
        let latin = b"<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>";
        assert!(decode_html(latin, None).contains("café"));
        let equiv = b"<html><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><p>\xcf\xf3\xf2\xe8\xed</p>";
        assert!(decode_html(equiv, None).contains("Путин"));
        assert!(decode_html(b"<p>caf\xe9</p>", Some("latin1")).contains("café"));
        // Undeclared and not UTF-8: the web's default.
        assert!(decode_html(b"<p>caf\xe9</p>", None).contains("café"));
    }

    #[test]
    fn charset_param_forms() {
        assert_eq!(charset_param("text/html; charset=UTF-8"), Some("UTF-8"));
        assert_eq!(
            charset_param("text/html; charset=\"koi8-r\""),
            Some("koi8-r")
        );
        assert_eq!(charset_param("text/html"), None);
    }
}
