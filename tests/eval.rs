//! `storyline eval cluster` on a small labelled set made here.

mod common;

use serde_json::json;

#[test]
fn eval_cluster_scores_files_stream_and_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("clustering");
    std::fs::create_dir(&dir).unwrap();
    let quake = "A strong earthquake struck off the northern coast of Japan on Friday, shaking buildings in Sendai and prompting a brief tsunami warning, the meteorological agency said.";
    let vote = "Lawmakers in Berlin approved the new budget on Friday after a long debate over defence spending and pensions, with the governing coalition holding together.";
    let rows = [
        json!({"id": "q1", "event": "quake", "date": "2024-03-01", "title": "Quake hits northern Japan", "text": quake}),
        json!({"id": "q2", "event": "quake", "date": "2024-03-01", "title": "Earthquake shakes Sendai, tsunami warning lifted", "text": format!("{quake} The warning was lifted within an hour.")}),
        json!({"id": "v1", "event": "vote", "date": "2024-03-01", "title": "German budget passes", "text": vote}),
    ];
    let body: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(dir.join("small.jsonl"), &body).unwrap();
    std::fs::write(dir.join("other.jsonl"), format!("{}\n", json!({"id": "o1", "event": "solo", "date": "2021-01-01", "text": "A lone report about a village fair that drew record crowds and a prize-winning pumpkin."}))).unwrap();
    std::fs::write(
        dir.join("small.pairs.tsv"),
        "id1\tid2\tsame_story\nq1\tq2\t1\nq1\tv1\t0\n",
    )
    .unwrap();
    let out = common::storyline(tmp.path())
        .args(["eval", "cluster", "--json", "--bench"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let v = common::json(&out);
    let small = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "small.jsonl")
        .unwrap();
    assert_eq!(small["articles"], 3);
    assert_eq!(small["gold_events"], 2);
    for key in ["bcubed", "pairwise"] {
        for m in ["precision", "recall", "f1"] {
            assert!(small[key][m].is_number(), "{key}.{m}");
        }
    }
    assert!(small["ari"].is_number());
    assert_eq!(v["stream"]["articles"], 4);
    let pairs = &v["pairs"][0];
    assert_eq!(pairs["pairs"], 2);
    assert_eq!(pairs["positives"], 1);
}
