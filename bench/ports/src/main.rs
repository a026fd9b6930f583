//! Scores one Rust extraction port on the bench: main text (extraction.jsonl), date
//! (dates.jsonl) and title (metadata.jsonl), with the rules of `storyline eval
//! extract`, and its pages per CPU-second on the main-text pages. Pages are decoded
//! with Storyline's own charset detection, so every port reads the same text.
//!
//!   ports <go|rs|smoothie> <bench folder>
//!
//! - `go`: the `trafilatura` crate (a port of go-trafilatura)
//! - `rs`: the `rs-trafilatura` crate
//! - `smoothie`: the `dom_smoothie` crate (a port of Mozilla's Readability)
use std::io::Read;
fn cpu_seconds() -> f64 {
    // user + system time of this process, from /proc (Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: f64 = fields.get(11).and_then(|u| u.parse::<f64>().ok()).unwrap_or(0.0)
        + fields.get(12).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}

fn norm(s: &str) -> String { s.split_whitespace().collect::<Vec<_>>().join(" ") }
fn page(dir: &str, name: &str) -> String {
    let mut b = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(format!("{dir}/{name}")).unwrap()).read_to_end(&mut b).unwrap();
    storyline_read::decode_html(&b, None)
}
fn rows(p: &str) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p).unwrap().lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).unwrap()).collect()
}
struct Out { text: String, title: String, date: Option<String> }
fn run(which: &str, html: &str, url: Option<&str>) -> Out {
    match which {
        "go" => {
            let mut o = trafilatura::Options::default();
            o.original_url = url.and_then(|u| url::Url::parse(u).ok());
            match trafilatura::extract(html, &o) {
                Ok(r) => Out { text: r.content_text, title: r.metadata.title, date: r.metadata.date.map(|d| d.to_string()) },
                Err(_) => Out { text: String::new(), title: String::new(), date: None },
            }
        }
        "rs" => {
            let mut o = rs_trafilatura::Options::default();
            o.url = url.map(|s| s.to_string());
            match rs_trafilatura::extract_with_options(html, &o) {
                Ok(r) => Out { text: r.content_text, title: r.metadata.title.unwrap_or_default(), date: r.metadata.date.map(|d| d.date_naive().to_string()) },
                Err(_) => Out { text: String::new(), title: String::new(), date: None },
            }
        }
        _ => {
            match dom_smoothie::Readability::new(html, url, None).and_then(|mut r| r.parse()) {
                Ok(a) => Out { text: a.text_content.to_string(), title: a.title, date: a.published_time.map(|s| s.chars().take(10).collect()) },
                Err(_) => Out { text: String::new(), title: String::new(), date: None },
            }
        }
    }
}
fn main() {
    let which = std::env::args().nth(1).expect("usage: ports <go|rs|smoothie> <bench folder>");
    let b = std::env::args().nth(2).unwrap_or_else(|| "../shared/bench".to_string());
    let (mut tp, mut fp, mut fnn) = (0, 0, 0);
    let ex = rows(&format!("{b}/extraction.jsonl"));
    let t0 = cpu_seconds();
    for r in &ex {
        let html = page(&format!("{b}/pages"), r["page"].as_str().unwrap());
        let url = r["url"].as_str().filter(|u| u.starts_with("http"));
        let o = run(&which, &html, url);
        let t = norm(&o.text);
        for s in r["with"].as_array().unwrap() { if t.contains(&norm(s.as_str().unwrap())) { tp += 1 } else { fnn += 1 } }
        for s in r["without"].as_array().unwrap() { if t.contains(&norm(s.as_str().unwrap())) { fp += 1 } }
    }
    let el = cpu_seconds() - t0;
    let p = tp as f64 / (tp + fp) as f64; let rc = tp as f64 / (tp + fnn) as f64;
    println!("{which} text P {p:.3} R {rc:.3} F1 {:.3}  {:.0} pages per CPU-second", 2.0*p*rc/(p+rc), ex.len() as f64 / el);
    let ds = rows(&format!("{b}/dates.jsonl"));
    let mut right = 0; let mut ret = 0;
    for r in &ds {
        let html = page(&format!("{b}/pages"), r["page"].as_str().unwrap());
        let o = run(&which, &html, r["url"].as_str());
        if o.date.is_some() { ret += 1 }
        if o.date.as_deref() == r["date"].as_str() { right += 1 }
    }
    println!("{which} dates acc {:.3} returned {ret}", right as f64 / ds.len() as f64);
    let ms = rows(&format!("{b}/metadata.jsonl"));
    let mut ok = 0;
    for r in &ms {
        let html = page(&format!("{b}/metadata"), r["page"].as_str().unwrap());
        let o = run(&which, &html, None);
        if norm(&o.title) == norm(r["title"].as_str().unwrap_or("")) { ok += 1 }
    }
    println!("{which} title exact {:.3}", ok as f64 / ms.len() as f64);
}
