//! `storyline delete`: a takedown. The article goes from everywhere: its row,
//! features and signature, its event's centroid, entities and time span (the event
//! goes if it was its only article), the corpus statistics and the links. If it was
//! the original of a duplicate group, the earliest remaining copy is elected in its
//! place.

use storyline_store::Store;

use crate::ingest::{
    admit_states, admit_window, elect, restore_terms, save_changed, stored_clusterer,
};

/// Deletes the articles; returns, for each, the new canonical of its group if one was elected.
pub fn delete(store: &mut Store, ids: &[String]) -> anyhow::Result<Vec<(String, Option<String>)>> {
    let mut clusterer = stored_clusterer(store)?;
    let tx = store.transaction()?;
    let mut out = Vec::new();
    let mut range: Option<(i64, i64)> = None;
    for id in ids {
        let Some(row) = tx.article_for_dedup(id)? else {
            anyhow::bail!("no article with id {id:?}; nothing was deleted");
        };
        let features = tx.features(id)?.unwrap_or_default();
        // An original with copies: hand the group to the earliest copy.
        let mut successor = None;
        if row.copy_of.is_none() {
            let copies: Vec<String> = tx
                .group_members(id)?
                .into_iter()
                .map(|m| m.id)
                .filter(|m| m != id)
                .collect();
            if let Some((first, rest)) = copies.split_first() {
                tx.set_copy(first, None, None, None)?;
                for c in rest {
                    tx.set_copy(c, Some(first), None, None)?;
                }
                // The earliest of them becomes the original; relations and diffs are
                // recomputed against it.
                successor = elect(&tx, first)?;
            }
        }
        // The event, and the events around the article's date for its links.
        if let Some(t) = row.published_ts {
            range = Some(range.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))));
        }
        admit_window(&tx, &mut clusterer, row.published_ts.map(|t| (t, t)), false)?;
        if !clusterer.is_resident(&row.event_id) {
            let states = tx.event_states(std::slice::from_ref(&row.event_id))?;
            admit_states(&tx, &mut clusterer, states)?;
        }
        // Its terms' counts as stored before the deletion takes them down.
        restore_terms(&tx, &mut clusterer, &[], [&features])?;
        tx.delete_article(id, &features)?;
        let times = tx.event_times(&row.event_id)?;
        if !clusterer.leave(&row.event_id, &features, &times) {
            tx.delete_event(&row.event_id)?;
        }
        out.push((id.clone(), successor));
    }
    save_changed(&tx, &mut clusterer, range)?;
    tx.commit()?;
    Ok(out)
}
