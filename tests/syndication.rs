//! Copies through the real binary: grouping, relations, re-election, takedown.

mod common;

use common::*;
use serde_json::{json, Value};

const STORY: [&str; 6] = [
    "The city council voted on Tuesday to close the old harbour bridge to all traffic after engineers found deep cracks in two of its main supports.",
    "The bridge, which carries about 30,000 vehicles a day, will stay closed for at least six months while the supports are replaced, officials said.",
    "Mayor Anna Lind said the decision was painful but unavoidable, and promised extra ferry services and bus lanes during the closure.",
    "Local businesses on the north shore warned that the closure could cost them a third of their customers over the summer season.",
    "Engineers first raised concerns about the supports in a routine inspection last autumn, according to documents released by the council.",
    "Repair work is expected to start next month, with a budget of 42 million euros approved by the council in the same vote.",
];

fn body(paras: &[&str]) -> String {
    paras.join("\n\n")
}

fn row(id: &str, date: &str, outlet: &str, url: &str, title: &str, text: String) -> String {
    json!({"id": id, "date": date, "outlet": outlet, "url": url, "title": title, "text": text})
        .to_string()
}

fn feed(dir: &std::path::Path, name: &str, rows: &[String]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, rows.join("\n") + "\n").unwrap();
    p.to_string_lossy().to_string()
}

fn groups(store: &std::path::Path) -> Vec<Value> {
    let out = storyline(store)
        .args(["duplicates", "--json"])
        .output()
        .unwrap();
    json(&out).as_array().unwrap().clone()
}

#[test]
fn copies_are_grouped_with_relations_and_folded_in_stories() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    let intro = format!(
        "Readers in our region will feel this closure most.\n\n{}",
        body(&STORY)
    );
    let rows = [
        row("orig", "2024-05-07T09:00:00Z", "Harbour Gazette", "https://gazette.example/bridge", "Council closes harbour bridge", body(&STORY)),
        row("local", "2024-05-07T11:00:00Z", "Valley News", "https://valley.example/a1", "Bridge to shut for six months", intro),
        row("short", "2024-05-07T12:00:00Z", "Metro Post", "https://metro.example/b2", "Harbour bridge closed", body(&STORY[..3])),
        row("update", "2024-05-08T08:00:00Z", "Harbour Gazette", "https://gazette.example/bridge", "Council closes harbour bridge (updated)",
            format!("{}\n\nThe council later said ferries would be free for the first month.", body(&STORY))),
        // Same event, own words: not a copy.
        row("rival", "2024-05-07T10:00:00Z", "Coast Times", "https://coast.example/c3", "Cracks force bridge shutdown",
            "Cracked supports have forced the closure of the harbour bridge, the council decided in a Tuesday vote. Drivers face months of detours. The mayor pledged more ferries. Shop owners fear a lost summer.".to_string()),
    ];
    let (summary, stderr, code) = ingest_json(&store, &[&feed(tmp.path(), "feed.jsonl", &rows)]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["near_copies"], 3, "{summary:#}");
    let g = groups(&store);
    assert_eq!(g.len(), 1, "{g:#?}");
    assert_eq!(g[0]["canonical"]["id"], "orig");
    for key in ["id", "source", "url", "outlet", "published"] {
        assert!(
            g[0]["canonical"].get(key).is_some(),
            "canonical lacks {key}"
        );
    }
    let rel: std::collections::HashMap<String, String> = g[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["relation"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(rel["local"], "near");
    assert_eq!(rel["short"], "truncated");
    assert_eq!(rel["update"], "updated");
    assert!(
        !rel.contains_key("rival"),
        "same event in other words is not a copy"
    );
    let short = g[0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "short")
        .unwrap();
    assert_eq!(short["diff"]["paragraphs_removed"], 3);
    assert_eq!(short["diff"]["headline_changed"], true);
    for key in ["id", "source", "url", "outlet", "relation", "diff"] {
        assert!(short.get(key).is_some(), "copy lacks {key}");
    }
    // One story; copies count as coverage by their outlets; folded in `story`.
    let s = stories(&store);
    let story = s
        .iter()
        .find(|x| {
            x["articles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == "orig")
        })
        .unwrap();
    for outlet in ["Valley News", "Metro Post"] {
        assert!(
            story["outlets"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o == outlet),
            "{outlet} missing"
        );
    }
    let out = storyline(&store)
        .args(["story", story["id"].as_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("└ truncated copy"), "{text}");
    assert!(text.contains("└ near copy"), "{text}");
}

#[test]
fn an_earlier_original_arriving_later_takes_over_and_takedown_reelects() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    let copy = row(
        "copy",
        "2024-05-08T10:00:00Z",
        "Valley News",
        "https://valley.example/x",
        "Bridge shut",
        format!("Our region is affected.\n\n{}", body(&STORY)),
    );
    ingest_json(&store, &[&feed(tmp.path(), "a.jsonl", &[copy])]);
    let orig = row(
        "orig",
        "2024-05-07T09:00:00Z",
        "Harbour Gazette",
        "https://gazette.example/bridge",
        "Council closes harbour bridge",
        body(&STORY),
    );
    let late = row(
        "late",
        "2024-05-09T09:00:00Z",
        "Metro Post",
        "https://metro.example/y",
        "Bridge closed",
        body(&STORY[..4]),
    );
    let (v, stderr, code) = ingest_json(&store, &[&feed(tmp.path(), "b.jsonl", &[orig, late])]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(v["near_copies"], 2, "{v:#}");
    let g = groups(&store);
    assert_eq!(g.len(), 1);
    assert_eq!(
        g[0]["canonical"]["id"], "orig",
        "the earliest published is the original: {g:#?}"
    );
    assert_eq!(g[0]["copies"].as_array().unwrap().len(), 2);

    // Takedown of the original: the earliest copy becomes the original.
    let out = storyline(&store).args(["delete", "orig"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("copy is now the original"));
    let g = groups(&store);
    assert_eq!(g.len(), 1);
    assert_eq!(g[0]["canonical"]["id"], "copy");
    assert_eq!(g[0]["copies"][0]["id"], "late");
    let s = stories(&store);
    assert_eq!(s.len(), 1);
    assert_eq!(s[0]["articles"].as_array().unwrap().len(), 2);
    assert_eq!(
        s[0]["first_published"], "2024-05-08T10:00:00+00:00",
        "the time span shrinks"
    );

    // Deleting everything removes the story; an unknown id is an error and changes nothing.
    let out = storyline(&store).args(["delete", "nope"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no article with id"));
    let out = storyline(&store)
        .args(["delete", "copy", "late"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stories(&store).is_empty());
    assert!(groups(&store).is_empty());
    // And the articles can come back.
    let (v, _, code) = ingest_json(&store, &[&tmp.path().join("b.jsonl").to_string_lossy()]);
    assert_eq!(code, Some(0));
    assert_eq!(v["new"], 1);
    assert_eq!(v["near_copies"], 1);
}
