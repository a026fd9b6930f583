//! Sentences of an article's main text: split without breaking on abbreviations,
//! stripped of datelines, and told apart from the lines a newsroom adds about the
//! story itself ("contributed to this report", corrections).

/// A sentence of one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentence {
    /// Index of the article in the story's input.
    pub article: usize,
    /// Position in the article's text, from 0.
    pub position: usize,
    pub text: String,
    /// Words in the sentence.
    pub words: usize,
    /// A newsroom note ([`is_newsroom_note`]), not part of the story.
    pub note: bool,
}

/// Words that end with a period without ending a sentence. Not `analyze`'s list of
/// titles before a name (`Mr.`, `Gen.`): that one asks whether the capital after it
/// opens a sentence, and must leave out what often ends one (`Inc.`, `Co.`, `etc.`),
/// which this one, deciding where a sentence may end at all, keeps.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "capt", "cmdr",
    "sgt", "brig", "maj", "adm", "st", "jr", "sr", "rev", "hon", "pres", "vs", "no", "inc", "corp",
    "co", "ltd", "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "approx",
    "est", "dept", "univ", "ave", "blvd", "mt", "ft", "fig", "al", "etc", "e.g", "i.e",
];

/// Splits a text (paragraphs separated by blank lines) into sentences.
pub fn split(article: usize, text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        let para = para.split_whitespace().collect::<Vec<_>>().join(" ");
        for s in split_paragraph(&para) {
            let s = strip_dateline(s).trim();
            if !s.is_empty() {
                out.push(Sentence {
                    article,
                    position: out.len(),
                    words: word_count(s),
                    note: is_newsroom_note(s),
                    text: s.to_string(),
                });
            }
        }
    }
    out
}

/// Splits a paragraph at sentence ends, except inside a quotation that closes later
/// in the paragraph: `"It was the right time. It is not now," Haley said.` is one
/// sentence, so that neither half reaches a summary or a claim with a quotation
/// mark torn off. Curly quotes say which way they face; a straight `"` opens after
/// a space or the paragraph's start and closes elsewhere.
fn split_paragraph(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = p.as_bytes();
    let mut start = 0;
    let mut i = 0;
    // Byte offset where the open quotation closes, if it does in this paragraph.
    let mut quote_closes: Option<usize> = None;
    while i < bytes.len() {
        let c = bytes[i];
        if quote_closes.is_some_and(|end| i >= end) {
            quote_closes = None;
        }
        // `"`, or the lead byte of `“` (0xE2, shared with other punctuation).
        if quote_closes.is_none() && matches!(c, b'"' | 0xE2) {
            if let Some(len) = opening_quote(p, i) {
                quote_closes = closing_quote(p, i + len);
            }
        }
        if matches!(c, b'.' | b'!' | b'?') {
            // Take closing quotes and brackets with the sentence.
            let mut end = i + 1;
            loop {
                let rest = &p[end..];
                if let Some(ch) = rest.chars().next() {
                    if matches!(ch, '"' | '”' | '’' | '\'' | ')' | ']') {
                        end += ch.len_utf8();
                        continue;
                    }
                }
                break;
            }
            let rest = &p[end..];
            let next_starts = rest.starts_with(' ')
                && rest[1..].chars().next().is_some_and(|ch| {
                    ch.is_uppercase() || ch.is_ascii_digit() || matches!(ch, '"' | '“' | '‘' | '(')
                });
            let in_quote = quote_closes.is_some_and(|q| end < q);
            if (next_starts || rest.is_empty())
                && !in_quote
                && !(c == b'.' && is_abbreviation(&p[start..i]))
            {
                out.push(&p[start..end]);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < p.len() {
        out.push(&p[start..]);
    }
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// The length of the opening quotation mark at byte `i`, if one is there: `“`, or a
/// straight `"` at the paragraph's start or after a space or bracket.
fn opening_quote(p: &str, i: usize) -> Option<usize> {
    let rest = &p[i..];
    if rest.starts_with('“') {
        return Some('“'.len_utf8());
    }
    let after_space = || {
        p[..i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '['))
    };
    (rest.starts_with('"') && after_space()).then_some(1)
}

/// Where the quotation opened before byte `from` closes: the byte just past its
/// closing mark (`”`, or a straight `"` not after a space), if within the paragraph.
fn closing_quote(p: &str, from: usize) -> Option<usize> {
    p[from..].char_indices().find_map(|(k, c)| {
        let at = from + k;
        match c {
            '”' => Some(at + c.len_utf8()),
            '"' if !p[..at].ends_with(' ') => Some(at + 1),
            _ => None,
        }
    })
}

/// Whether the word before a period makes it an abbreviation: a listed one, a single
/// letter (an initial), or a dotted acronym (`U.S`).
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '“' || c == '"')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    if ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)) {
        return true;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (letters == 1 && word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || (word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.'))
}

/// Strips a leading dateline: `WASHINGTON (AP) — `, `SEOUL, South Korea (AP) — `,
/// `LONDON (Reuters) - `.
pub fn strip_dateline(s: &str) -> &str {
    for dash in [" — ", " – ", " - "] {
        if let Some(i) = s.find(dash) {
            let head = &s[..i];
            if i <= 60 && is_dateline_head(head) {
                return &s[i + dash.len()..];
            }
        }
    }
    s
}

fn is_dateline_head(head: &str) -> bool {
    let place = head.split(" (").next().unwrap_or(head);
    let first = place.split(',').next().unwrap_or(place);
    let upper_letters = first.chars().filter(|c| c.is_alphabetic()).count();
    upper_letters >= 3
        && first
            .chars()
            .all(|c| !c.is_alphabetic() || c.is_uppercase())
        && (head.contains('(') || place.split(',').count() <= 2)
}

/// Lines about the story rather than of it: credits, corrections, calls to action.
pub fn is_newsroom_note(s: &str) -> bool {
    static NOTES: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    NOTES
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(NEWSROOM_NOTES)
                .expect("fixed patterns build")
        })
        .is_match(s)
}

/// What newsroom notes say, in any case.
const NEWSROOM_NOTES: &[&str] = &[
    "contributed to this",
    "contributed reporting",
    "an earlier version of this",
    "this story has been",
    "this article has been",
    "this story was",
    "this article was",
    "correction:",
    "follow us on",
    "sign up for",
    "subscribe to",
    "click here",
    "read more:",
    "related:",
    "all rights reserved",
    "reporting by",
    "editing by",
    "writing by",
];

/// Words in a sentence.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<String> {
        split(0, t).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn abbreviations_initials_and_quotes() {
        let s = texts("WASHINGTON (AP) — The U.S. Defense Department said so. Brig. Gen. Pat Ryder spoke on Sept. 4. “We remain concerned,” he added. Then J. Smith left!\n\nA new paragraph.");
        assert_eq!(
            s,
            vec![
                "The U.S. Defense Department said so.",
                "Brig. Gen. Pat Ryder spoke on Sept. 4.",
                "“We remain concerned,” he added.",
                "Then J. Smith left!",
                "A new paragraph."
            ]
        );
    }

    #[test]
    fn a_quotation_is_not_torn() {
        let s = texts("\"Trump was the right president at the right time. I don't think he's the right president now,\" Haley said. She left.");
        assert_eq!(
            s,
            vec![
                "\"Trump was the right president at the right time. I don't think he's the right president now,\" Haley said.",
                "She left."
            ]
        );
        let s = texts("“We will rebuild. Every home,” the mayor said. Insurers were not sure.");
        assert_eq!(s.len(), 2, "{s:?}");
        // A quotation that does not close in its paragraph does not hold it together.
        let s = texts("He said: “We will rebuild. Every home will stand. The river will not win.");
        assert_eq!(s.len(), 3, "{s:?}");
    }

    #[test]
    fn quote_ends_sentence() {
        let s = texts("He said it was “a warm send-off.” The agency did not say.");
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].ends_with('”'));
    }

    #[test]
    fn datelines() {
        assert_eq!(
            strip_dateline("SEOUL, South Korea (AP) — Kim left."),
            "Kim left."
        );
        assert_eq!(
            strip_dateline("LONDON (Reuters) - Prices rose."),
            "Prices rose."
        );
        assert_eq!(
            strip_dateline("Kim Jong Un – the leader – left."),
            "Kim Jong Un – the leader – left."
        );
    }

    #[test]
    fn notes() {
        assert!(is_newsroom_note(
            "AP Diplomatic Writer Matthew Lee in Washington contributed to this story."
        ));
        assert!(is_newsroom_note(
            "An earlier version of this story quoted an NSC spokeswoman."
        ));
        assert!(!is_newsroom_note("Kim left Pyongyang by train on Sunday."));
    }
}
