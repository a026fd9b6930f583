//! `storyline explain`: why an article is (or is not) in a story.
//!
//! The article is taken out of its story in memory (nothing is written), then scored
//! as if it arrived now against the events ingest would hold in memory for it: those
//! around its date (for an undated article, around its story's dates, and the stories
//! of any date that share its strongest names: ingest compares an undated article with
//! the dated events of its batch), the recent undated ones, and the story asked about.
//! Shown: the candidates the inverted index and the time window let through (the
//! strongest [`Params::max_candidates`] by the index's partial score), each with its
//! term cosine, entity overlap, time gap and final score, against the join threshold.
//! A story asked about that is not among them is scored alone, and the reason it was
//! not a candidate is given.

use serde::Serialize;
use storyline_cluster::Candidate;
use storyline_store::Store;

#[derive(Debug, Serialize)]
pub struct Explanation {
    pub article: String,
    pub title: Option<String>,
    pub story: String,
    /// Set when the article is a copy: it follows its original without being scored.
    pub copy_of: Option<String>,
    pub undated: bool,
    /// For an undated article whose URL names a month (`2009-02`): the month it is
    /// weighed by.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    pub threshold: f32,
    pub window_days: i64,
    pub candidates: Vec<Scored>,
    /// The story asked about, when it is not among the candidates, and why.
    pub not_a_candidate: Option<String>,
    /// A person's corrections behind where the article is: the moves of it (or of its
    /// original) and the merges into its story, oldest first. When clustering alone
    /// would put it elsewhere, the verdict names them.
    pub corrections: Vec<storyline_store::Correction>,
    pub verdict: String,
}

#[derive(Debug, Serialize)]
pub struct Scored {
    #[serde(flatten)]
    pub candidate: Candidate,
    pub headline: Option<String>,
}

/// For an undated article: its strongest names, and per name the latest stories that
/// hold it in their core, admitted whatever their dates.
const UNDATED_NAMES: usize = 10;
const UNDATED_PER_NAME: usize = 50;

pub fn explain(store: &Store, article: &str, story: Option<&str>) -> anyhow::Result<Explanation> {
    let Some(row) = store.article_for_explain(article)? else {
        anyhow::bail!("no article with id {article:?}");
    };
    let story_asked = match story {
        Some(s) => Some(store.story(s)?.id),
        None => None,
    };
    // The events the article could have joined, as ingest holds them in memory: those
    // around its date (for an undated article, around its story's dates, and those
    // sharing its names), the recent undated ones, and the two stories in question.
    let mut c = crate::ingest::stored_clusterer(store)?;
    let w = c.params().window_days * 86_400;
    let own = store.event_states(std::slice::from_ref(&row.event_id))?;
    let span = match row.published_ts {
        Some(t) => Some((t, t)),
        None => own.first().and_then(|e| Some((e.first_ts?, e.last_ts?))),
    };
    let mut ids = match span {
        Some((lo, hi)) => store.event_ids_between(lo - w, hi + w)?,
        None => Vec::new(),
    };
    ids.extend(store.undated_event_ids(crate::ingest::MAX_UNDATED_EVENTS)?);
    if let Some((from, to)) = row.features.month {
        ids.extend(store.event_ids_between(from - w, to + w)?);
    }
    if row.published_ts.is_none() {
        let keys: Vec<String> = row
            .features
            .entities
            .iter()
            .take(UNDATED_NAMES)
            .map(|e| e.key.clone())
            .collect();
        ids.extend(store.events_with_core_entities(&keys, UNDATED_PER_NAME)?);
    }
    ids.push(row.event_id.clone());
    ids.extend(story_asked.clone());
    ids.sort();
    ids.dedup();
    // The terms it weighs, looked up in the store (not the whole vocabulary).
    let states = store.event_states(&ids)?;
    let unknown = c.unknown_terms(&states, [&row.features]);
    let dfs = store.term_dfs(&unknown)?;
    c.restore_df(dfs);
    c.admit(states);
    let times = store.event_times_except(&row.event_id, article)?;
    let story_survives = c.leave(&row.event_id, &row.features, &times);
    let candidates = c.candidates(row.published_ts, &row.features);
    let month = row
        .features
        .month
        .and_then(|(from, _)| chrono::DateTime::from_timestamp(from, 0))
        .map(|d| d.format("%Y-%m").to_string());
    let threshold = c.params().threshold;
    let window_days = c.params().window_days;
    let scored = candidates
        .into_iter()
        .map(|candidate| {
            Ok(Scored {
                headline: store.headline(&candidate.event)?,
                candidate,
            })
        })
        .collect::<anyhow::Result<Vec<Scored>>>()?;
    let target = story_asked.clone().unwrap_or_else(|| row.event_id.clone());
    let not_a_candidate = if scored.iter().any(|s| s.candidate.event == target) {
        None
    } else if target == row.event_id && !story_survives {
        Some(format!(
            "{target} has no other article: this article opened it"
        ))
    } else {
        let gap = c.event(&target).and_then(|e| e.gap_days(row.published_ts));
        Some(match gap {
            Some(g) if g > window_days as f32 => {
                format!("{target} is {g:.0} days away, outside the {window_days}-day window")
            }
            _ => match c.score_event(row.published_ts, &row.features, &target) {
                Some(alone) => format!(
                    "{target} is not among the {} stories the index ranks highest for this article \
                     (by its strongest terms and entities), so it was not scored in full; \
                     scored alone: cosine {:.3}, entities {:.3}, time {:.2}, score {:.3}",
                    c.params().max_candidates,
                    alone.cosine,
                    alone.entity_overlap,
                    alone.time_fade,
                    alone.score
                ),
                None => format!("{target} is not in memory for this article's dates"),
            },
        })
    };
    let best = scored.first().filter(|s| s.candidate.score >= threshold);
    // Whether clustering alone puts the article where it is.
    let clustering_agrees = match best {
        Some(b) => b.candidate.event == row.event_id,
        None => !story_survives,
    };
    let corrections = corrections_behind(store, article, row.copy_of.as_deref(), &row.event_id)?;
    // Why it is where clustering alone would not put it: a person's correction if one
    // is behind its place, else the stories changed since it arrived.
    let elsewhere = if corrections.is_empty() {
        format!(
            "it is in {} because stories have changed since it arrived",
            row.event_id
        )
    } else {
        let which: Vec<String> = corrections.iter().map(|c| format!("#{}", c.seq)).collect();
        format!(
            "it is in {} by a person's correction ({})",
            row.event_id,
            which.join(", ")
        )
    };
    let verdict = match (&row.copy_of, best) {
        (Some(o), _) => format!("a copy of {o}: it follows its original's story without being scored"),
        (None, Some(b)) if clustering_agrees => {
            format!("joins {} (score {:.3} ≥ threshold {threshold})", b.candidate.event, b.candidate.score)
        }
        (None, Some(b)) => format!(
            "would join {} now (score {:.3}); {elsewhere}",
            b.candidate.event, b.candidate.score
        ),
        (None, None) if clustering_agrees => {
            format!("no candidate reaches the threshold {threshold}: it opens its own story")
        }
        (None, None) => format!(
            "no candidate reaches the threshold {threshold}: it would open its own story; {elsewhere}"
        ),
    };
    Ok(Explanation {
        article: article.to_string(),
        title: row.title,
        story: row.event_id,
        copy_of: row.copy_of,
        undated: row.published_ts.is_none(),
        month,
        threshold,
        window_days,
        candidates: scored,
        not_a_candidate,
        corrections,
        verdict,
    })
}

/// The stored corrections that may have put the article where it is: the moves of it
/// or of its original (its copies move with it), and the merges whose kept story is
/// the article's story, named as replaying them names it: the story its anchor
/// article is in now, or the recorded id when that article is gone.
fn corrections_behind(
    store: &Store,
    article: &str,
    original: Option<&str>,
    story: &str,
) -> anyhow::Result<Vec<storyline_store::Correction>> {
    let mut out = Vec::new();
    for c in store.corrections()? {
        let behind = match c.kind.as_str() {
            "move" => c
                .article
                .as_deref()
                .is_some_and(|a| a == article || Some(a) == original),
            "merge" => {
                let anchored = match c.anchor.as_deref() {
                    Some(a) => store.article_event(a)?.map(|(event, _)| event),
                    None => None,
                };
                anchored.or_else(|| c.to_event.clone()).as_deref() == Some(story)
            }
            _ => false,
        };
        if behind {
            out.push(c);
        }
    }
    Ok(out)
}

pub fn render(e: &Explanation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  {}",
        e.article,
        e.title.as_deref().unwrap_or("(untitled)")
    );
    let _ = writeln!(out, "in story {}", e.story);
    let edge = storyline_cluster::time_fade(None, true, e.window_days);
    match (&e.month, e.undated) {
        (Some(m), true) => {
            let _ = writeln!(
                out,
                "undated, but its URL names the month {m}: compared with the stories within {} days of that month and undated ones; where in the month it falls is unknown, so each is weighed as at the window's edge (time {edge:.2})",
                e.window_days
            );
        }
        (None, true) => {
            let _ = writeln!(
                out,
                "undated: compared with stories of any time; a dated story's time fit cannot be checked, so it is weighed as at the window's edge (time {edge:.2})"
            );
        }
        _ => {}
    }
    let _ = writeln!(
        out,
        "\n{:<14} {:>7} {:>9} {:>9} {:>6} {:>7}  headline",
        "story", "cosine", "entities", "gap days", "time", "score"
    );
    for s in &e.candidates {
        let c = &s.candidate;
        let _ = writeln!(
            out,
            "{:<14} {:>7.3} {:>9.3} {:>9} {:>6.2} {:>7.3}  {}{}",
            c.event,
            c.cosine,
            c.entity_overlap,
            c.gap_days.map_or("-".to_string(), |g| format!("{g:.1}")),
            c.time_fade,
            c.score,
            s.headline.as_deref().unwrap_or(""),
            if c.event == e.story {
                "  ← its story"
            } else {
                ""
            }
        );
    }
    if e.candidates.is_empty() {
        let _ = writeln!(out, "(no candidate story)");
    }
    if let Some(n) = &e.not_a_candidate {
        let _ = writeln!(out, "\nnot a candidate: {n}");
    }
    if !e.corrections.is_empty() {
        let _ = writeln!(out, "\ncorrections behind its place:");
        for c in &e.corrections {
            let _ = writeln!(out, "  #{:<4} {}", c.seq, crate::show::correction_line(c));
        }
    }
    let _ = writeln!(
        out,
        "\nthreshold {}, window {} days: {}",
        e.threshold, e.window_days, e.verdict
    );
    out
}
