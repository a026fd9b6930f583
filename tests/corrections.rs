//! A person's corrections (`merge`, `move`) on the seeds, through the real binary:
//! they change the stories, are kept in the store, survive `recluster` and a
//! re-ingest, and bad requests are refused without changing anything.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// A store holding the seeds, ingested successfully.
fn seeded_store() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (v, _, code) = ingest_json(dir.path(), &[seeds().to_str().unwrap()]);
    assert_eq!(code, Some(0), "{v}");
    dir
}

/// The 2019 seed article's id, and the ids of the 2019 and 2023 stories.
fn summits(store: &Path) -> (String, String, String) {
    let all = stories(store);
    assert_eq!(all.len(), 2, "{all:#?}");
    let is_2019 = |s: &Value| {
        s["first_published"]
            .as_str()
            .is_some_and(|d| d.starts_with("2019"))
    };
    let old = all.iter().find(|s| is_2019(s)).expect("the 2019 story");
    let new = all.iter().find(|s| !is_2019(s)).expect("the 2023 story");
    let article = old["articles"][0]["id"].as_str().unwrap().to_string();
    (
        article,
        old["id"].as_str().unwrap().to_string(),
        new["id"].as_str().unwrap().to_string(),
    )
}

fn run(store: &Path, args: &[&str]) -> Value {
    json(&storyline(store).args(args).arg("--json").output().unwrap())
}

fn story_of(store: &Path, article: &str) -> String {
    let all = stories(store);
    all.iter()
        .find(|s| {
            s["articles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == article)
        })
        .map(|s| s["id"].as_str().unwrap().to_string())
        .expect("the article is in a story")
}

fn search_story_of(store: &Path, article: &str) -> String {
    let v = run(store, &["search", "Kim Putin", "--limit", "20"]);
    v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == article)
        .map(|a| a["story"].as_str().unwrap().to_string())
        .expect("the article is found")
}

#[test]
fn quiet_corrections_print_nothing_but_what_json_asks() {
    let dir = seeded_store();
    let store = dir.path();
    let (a2019, s2019, s2023) = summits(store);
    let quiet = |args: &[&str]| {
        let out = storyline(store).arg("-q").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let silent = (String::new(), String::new());
    assert_eq!(quiet(&["merge", &s2023, &s2019]), silent);
    assert_eq!(quiet(&["recluster"]), silent);
    // The correction was made, and replayed, quietly.
    assert_eq!(stories(store).len(), 1);
    assert_eq!(quiet(&["move", &a2019, "new"]), silent);
    assert_eq!(stories(store).len(), 2);
    // `--json` still answers under `-q`.
    let (out, _) = quiet(&["recluster", "--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["stories"], 2, "{v}");
}

#[test]
fn merge_and_move_are_kept_and_survive_reclustering() {
    let dir = seeded_store();
    let store = dir.path();
    let seeds = seeds();
    let (a2019, s2019, s2023) = summits(store);
    // Search builds its index now, so the regroup below must make it stale.
    assert_eq!(search_story_of(store, &a2019), s2019);

    // Merge: one story under the first id; the second id resolves to it.
    let m = run(store, &["merge", &s2023, &s2019]);
    assert_eq!(m["story"], s2023.as_str());
    assert_eq!(m["articles_moved"], 1);
    let all = stories(store);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["articles"].as_array().unwrap().len(), 4);
    assert_eq!(all[0]["first_published"], "2019-04-18");
    let via_old = run(store, &["story", &s2019]);
    assert_eq!(via_old["id"], s2023.as_str());
    assert_eq!(search_story_of(store, &a2019), s2023);
    let c = run(store, &["corrections"]);
    assert_eq!(c.as_array().unwrap().len(), 1);
    assert_eq!(c[0]["kind"], "merge");
    // `explain` says clustering alone would give the 2019 article a story of its own,
    // and that a person's merge put it where it is; the 2023 articles are where
    // clustering puts them, with the merge into their story listed.
    let e = run(store, &["explain", &a2019]);
    assert_eq!(e["story"], s2023.as_str());
    assert_eq!(e["corrections"][0]["kind"], "merge", "{e:#}");
    let verdict = e["verdict"].as_str().unwrap();
    assert!(verdict.contains("it would open its own story"), "{verdict}");
    assert!(
        verdict.ends_with(&format!("it is in {s2023} by a person's correction (#1)")),
        "{verdict}"
    );
    let text =
        String::from_utf8(ok(storyline(store).args(["explain", &a2019]).output().unwrap()).stdout)
            .unwrap();
    assert!(
        text.contains(&format!("#1    merged story {s2019} into {s2023}")),
        "{text}"
    );

    // Re-clustering alone would split them again; the merge is replayed.
    let r = run(store, &["recluster"]);
    assert_eq!(r["articles"], 4);
    assert_eq!(r["corrections_applied"], 1);
    assert_eq!(stories(store).len(), 1);

    // Move the 2019 article back out, to a story of its own.
    let mv = run(store, &["move", &a2019, "new"]);
    assert_eq!(mv["new_story"], true);
    let moved_to = mv["to"].as_str().unwrap().to_string();
    assert_eq!(story_of(store, &a2019), moved_to);
    assert_eq!(stories(store).len(), 2);
    assert_eq!(search_story_of(store, &a2019), moved_to);
    // The 2023 story's span no longer reaches back to 2019.
    let s = run(store, &["story", &s2023]);
    assert!(s["first_published"].as_str().unwrap().starts_with("2023"));
    // The storyline link between the two summits is there again.
    let related = s["related"].as_array().expect("related stories");
    assert!(
        related.iter().any(|r| r["id"] == moved_to.as_str()),
        "{related:#?}"
    );

    // Both corrections survive re-clustering, with the same story ids.
    let r = run(store, &["recluster"]);
    assert_eq!(r["corrections_applied"], 2, "{r}");
    assert_eq!(stories(store).len(), 2);
    assert_eq!(story_of(store, &a2019), moved_to);
    let others: Vec<String> = stories(store)
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert!(others.contains(&s2023), "{others:?}");

    // And an ingest of the same files again changes nothing.
    let (v, _, _) = ingest_json(store, &[seeds.to_str().unwrap()]);
    assert_eq!(v["new"], 0, "{v}");
    assert_eq!(story_of(store, &a2019), moved_to);
    assert_eq!(stories(store).len(), 2);
    assert_eq!(run(store, &["corrections"]).as_array().unwrap().len(), 2);

    // `explain` sees the corrected grouping: alone in its story, as clustering alone
    // would have it too, so the verdict needs no correction; the move is listed.
    let e = run(store, &["explain", &a2019]);
    assert_eq!(e["story"], moved_to.as_str(), "{e:#}");
    let kinds: Vec<&str> = e["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["move"], "{e:#}");
    assert!(
        !e["verdict"].as_str().unwrap().contains("correction"),
        "{e:#}"
    );
}

#[test]
fn bad_corrections_are_refused_and_change_nothing() {
    let dir = seeded_store();
    let store = dir.path();
    let (a2019, s2019, s2023) = summits(store);
    let before = stories(store);
    let refused = |args: &[&str], says: &str| {
        let out = storyline(store).args(args).output().unwrap();
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    };
    refused(&["move", "nosuchid", "new"], "nosuchid");
    refused(&["move", &a2019, "enosuchstory"], "enosuchstory");
    refused(&["move", &a2019, &s2019], "already in story");
    refused(&["move", &a2019, "new"], "whole of story");
    refused(&["merge", &s2023, &s2023], "already one story");
    refused(&["merge", &s2023, "enosuchstory"], "enosuchstory");
    assert_eq!(stories(store), before);
    assert_eq!(run(store, &["corrections"]).as_array().unwrap().len(), 0);
}

/// `recluster` clusters with this version's analysis: an article whose stored
/// features an older version wrote otherwise (here, emptied) is analysed again from
/// its stored title and text, and rejoins its story; a second run finds nothing to
/// redo.
#[test]
fn recluster_analyses_again_what_an_older_version_stored() {
    let dir = seeded_store();
    let store = dir.path();
    let before = stories(store);
    let (_, _, s2023) = summits(store);
    let article = before
        .iter()
        .find(|s| s["id"] == s2023.as_str())
        .and_then(|s| s["articles"].as_array())
        .map(|a| a[1]["id"].as_str().unwrap().to_string())
        .expect("a second article in the 2023 story");
    {
        let db = rusqlite::Connection::open(store.join("storyline.db")).unwrap();
        let n = db
            .execute(
                "UPDATE features SET terms = '[]', entities = '[]' WHERE article_id = ?1",
                [&article],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let r = run(store, &["recluster"]);
    assert_eq!(r["reanalyzed"], 1, "{r}");
    assert_eq!(
        story_of(store, &article),
        s2023,
        "the article rejoined its story"
    );
    assert_eq!(stories(store), before);
    let r = run(store, &["recluster"]);
    assert_eq!(r["reanalyzed"], 0, "{r}");
}
