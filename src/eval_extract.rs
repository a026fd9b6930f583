//! `storyline eval extract`: extraction scored on the bench's real pages.
//!
//! - Main text (`extraction.jsonl`): each `with` snippet found in the output is a true
//!   positive, each missing one a false negative; each `without` snippet found is a
//!   false positive. Summed over pages, whitespace-normalised, as the bench README
//!   scores trafilatura.
//! - Dates (`dates.jsonl`): accuracy = right day / all pages; precision and recall
//!   with "no date" counted as a miss rather than an error.
//! - Metadata (`metadata.jsonl`): title exact match after whitespace normalisation;
//!   site name and byline the same, over the pages whose gold has them.
//! - Speed: pages per CPU-second for the whole extraction (decompression, charset
//!   detection, parsing, body, title, date, metadata), over every page scored. The
//!   one-time setup (the extractor compiles its regular expressions on first use)
//!   is done by extracting the first page once before the timed pages, as
//!   trafilatura's is done when `bench/peers.sh` imports it, before its timer.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use storyline_model::Article;
use storyline_read::Item;

use crate::eval::Prf;

#[derive(Debug, Serialize)]
pub struct TextScore {
    pub pages: usize,
    #[serde(flatten)]
    pub scores: Prf,
}

#[derive(Debug, Serialize)]
pub struct DateScore {
    pub pages: usize,
    pub accuracy: f64,
    #[serde(flatten)]
    pub scores: Prf,
    /// Pages where a date was returned.
    pub returned: usize,
}

#[derive(Debug, Serialize)]
pub struct MetaScore {
    pub pages: usize,
    pub title_exact: f64,
    /// Exact matches / pages whose gold has the field.
    pub site_name_exact: f64,
    pub site_name_pages: usize,
    pub byline_exact: f64,
    /// The byline's names the same: the gold (Readability's visible byline line)
    /// and ours compared without a leading `By`/`Par`/`Von`/`Por`, case and spacing.
    pub byline_names: f64,
    pub byline_pages: usize,
}

#[derive(Debug, Serialize)]
pub struct ExtractReport {
    pub text: TextScore,
    pub dates: DateScore,
    pub metadata: MetaScore,
    pub pages_per_cpu_second: f64,
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A byline's names as a reader compares them: without a leading `By` (`Par`, `Von`,
/// `Por`), in lower case, spacing squashed.
fn byline_names(s: &str) -> String {
    let s = norm(s).to_lowercase();
    ["by ", "par ", "von ", "por "]
        .iter()
        .find_map(|p| s.strip_prefix(p))
        .map(str::to_string)
        .unwrap_or(s)
}

fn rows(path: &Path) -> anyhow::Result<Vec<serde_json::Value>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| format!("{}#line={}", path.display(), i + 1))
        })
        .collect()
}

/// Extracts one page as `storyline extract` would, with the row's URL as a hint.
/// Returns the article and the CPU seconds spent.
fn extract_page(path: &Path, url: Option<&str>, cpu: &mut f64) -> anyhow::Result<Option<Article>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let start = Instant::now();
    let before = crate::eval::cpu_seconds(start);
    let mut out = None;
    let name = path.display().to_string();
    let _ = storyline_read::read_stream(
        &name,
        Box::new(std::io::Cursor::new(bytes)),
        &Default::default(),
        &mut |item| {
            if let Item::Doc(mut d) = item {
                if let Some(u) = url.filter(|u| u.starts_with("http")) {
                    d.hints.url = Some(u.to_string());
                }
                out = Some(storyline_extract::extract(&d));
            }
            ControlFlow::Continue(())
        },
    );
    *cpu += crate::eval::cpu_seconds(start) - before;
    Ok(out)
}

/// The extraction issue's quality targets (speed is a benchmark, not a check).
pub const TARGET_TEXT_F1: f64 = 0.935;
pub const TARGET_TEXT_PRECISION: f64 = 0.92;
pub const TARGET_DATE_ACCURACY: f64 = 0.92;
pub const TARGET_TITLE_EXACT: f64 = 0.95;

impl ExtractReport {
    /// Each quality figure below its target, said as `figure value < target`.
    pub fn below_targets(&self) -> Vec<String> {
        [
            ("main-text F1", self.text.scores.f1, TARGET_TEXT_F1),
            (
                "main-text precision",
                self.text.scores.precision,
                TARGET_TEXT_PRECISION,
            ),
            ("date accuracy", self.dates.accuracy, TARGET_DATE_ACCURACY),
            ("title exact", self.metadata.title_exact, TARGET_TITLE_EXACT),
        ]
        .into_iter()
        .filter(|(_, got, target)| got < target)
        .map(|(what, got, target)| format!("{what} {got:.4} < {target}"))
        .collect()
    }

    pub fn render(&self) -> String {
        let (t, d, m) = (&self.text, &self.dates, &self.metadata);
        format!(
            "main text ({} pages): precision {:.3} recall {:.3} F1 {:.3}\n\
             dates ({} pages): accuracy {:.3}; precision {:.3} recall {:.3} F1 {:.3} ({} returned)\n\
             metadata ({} pages): title exact {:.3}; site name exact {:.3} (of {}); byline exact {:.3}, same names {:.3} (of {})\n\
             speed: {:.0} pages per CPU-second (whole extraction)\n",
            t.pages, t.scores.precision, t.scores.recall, t.scores.f1,
            d.pages, d.accuracy, d.scores.precision, d.scores.recall, d.scores.f1, d.returned,
            m.pages, m.title_exact, m.site_name_exact, m.site_name_pages, m.byline_exact, m.byline_names, m.byline_pages,
            self.pages_per_cpu_second
        )
    }
}

pub fn eval(bench: &Path) -> anyhow::Result<ExtractReport> {
    let mut cpu = 0.0;
    let mut pages = 0usize;

    // Main text.
    let (mut tp, mut fneg, mut fp) = (0usize, 0usize, 0usize);
    let ex = rows(&bench.join("extraction.jsonl"))?;
    if let Some(page) = ex.first().and_then(|r| r["page"].as_str()) {
        // Setup, untimed: see the module's note on speed.
        extract_page(&bench.join("pages").join(page), None, &mut 0.0)?;
    }
    for r in &ex {
        let page = r["page"].as_str().context("extraction row without page")?;
        let a = extract_page(&bench.join("pages").join(page), r["url"].as_str(), &mut cpu)?;
        pages += 1;
        let text = norm(&a.map(|a| a.text).unwrap_or_default());
        for s in r["with"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str())
        {
            if text.contains(&norm(s)) {
                tp += 1;
            } else {
                fneg += 1;
            }
        }
        for s in r["without"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str())
        {
            if text.contains(&norm(s)) {
                fp += 1;
            }
        }
    }
    let text = TextScore {
        pages: ex.len(),
        scores: Prf::from_counts(tp, tp + fp, tp + fneg),
    };

    // Dates.
    let ds = rows(&bench.join("dates.jsonl"))?;
    let (mut right, mut returned) = (0usize, 0usize);
    for r in &ds {
        let page = r["page"].as_str().context("dates row without page")?;
        let a = extract_page(&bench.join("pages").join(page), r["url"].as_str(), &mut cpu)?;
        pages += 1;
        let got = a.and_then(|a| a.published).map(|p| p.at.date().to_string());
        if got.is_some() {
            returned += 1;
        }
        if got.as_deref() == r["date"].as_str() {
            right += 1;
        }
    }
    let dates = DateScore {
        pages: ds.len(),
        accuracy: right as f64 / ds.len().max(1) as f64,
        scores: Prf::from_counts(right, returned, ds.len()),
        returned,
    };

    // Metadata.
    let ms = rows(&bench.join("metadata.jsonl"))?;
    let (mut title_ok, mut site_ok, mut site_n, mut by_ok, mut by_n) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let mut by_names = 0usize;
    for r in &ms {
        let page = r["page"].as_str().context("metadata row without page")?;
        let a = extract_page(&bench.join("metadata").join(page), None, &mut cpu)?;
        pages += 1;
        let same = |gold: &serde_json::Value, got: Option<String>| {
            gold.as_str().map(norm) == got.map(|g| norm(&g))
        };
        if same(&r["title"], a.as_ref().and_then(|a| a.title.clone())) {
            title_ok += 1;
        }
        if r["siteName"].is_string() {
            site_n += 1;
            if same(&r["siteName"], a.as_ref().and_then(|a| a.outlet.clone())) {
                site_ok += 1;
            }
        }
        if r["byline"].is_string() {
            by_n += 1;
            let ours = a.as_ref().map(|a| a.authors.join(", "));
            if same(&r["byline"], ours.clone()) {
                by_ok += 1;
            }
            if r["byline"].as_str().map(byline_names) == ours.as_deref().map(byline_names) {
                by_names += 1;
            }
        }
    }
    let metadata = MetaScore {
        pages: ms.len(),
        title_exact: title_ok as f64 / ms.len().max(1) as f64,
        site_name_exact: site_ok as f64 / site_n.max(1) as f64,
        site_name_pages: site_n,
        byline_exact: by_ok as f64 / by_n.max(1) as f64,
        byline_names: by_names as f64 / by_n.max(1) as f64,
        byline_pages: by_n,
    };
    Ok(ExtractReport {
        text,
        dates,
        metadata,
        pages_per_cpu_second: pages as f64 / cpu.max(1e-9),
    })
}
