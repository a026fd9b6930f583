//! `storyline search` through the real binary: BM25 ranking with phrases and filters,
//! story-level results, and an index that follows the store (new articles, takedowns,
//! a deleted index folder).

mod common;

use common::*;

fn search(store: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let mut a = vec!["search", "--json"];
    a.extend_from_slice(args);
    json(&storyline(store).args(&a).output().unwrap())
}

/// Outlets spell foreign names with and without accents: either spelling finds both.
#[test]
fn accents_do_not_split_a_name() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let input = tmp.path().join("storm.jsonl");
    std::fs::write(
        &input,
        concat!(
            r#"{"id": "storm-1", "title": "Storm Ciarán brings record winds", "date": "2023-11-02", "text": "Storm Ciarán brought record winds to Brittany overnight, and hundreds of thousands of homes lost power, the grid operator said."}"#,
            "\n",
            r#"{"id": "storm-2", "title": "Tempête Ciaran : des rafales record", "date": "2023-11-02", "text": "La tempête Ciaran a balayé la Bretagne dans la nuit, avec des rafales record et des coupures de courant, selon Enedis."}"#,
            "\n"
        ),
    )
    .unwrap();
    ingest_json(&store, &[input.to_str().unwrap()]);
    for q in ["Ciaran", "Ciarán", "CIARAN"] {
        assert_eq!(search(&store, &[q])["total"], 2, "{q}");
    }
    assert_eq!(search(&store, &["Tempete"])["total"], 1);
}

#[test]
fn search_follows_the_store() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ingest_json(&store, &[seeds().to_str().unwrap()]);
    let r = search(&store, &["\"armored train\""]);
    assert_eq!(r["total"], 2);
    assert_eq!(r["stories"].as_array().unwrap().len(), 1);
    assert_eq!(r["stories"][0]["matches"], 2);
    // Filters: date range, outlet, language, entity.
    assert_eq!(search(&store, &["Putin", "--to", "2019-12-31"])["total"], 1);
    // Days are UTC: 000 (19:59 CDT on 4 Sep) is 5 Sep in UTC; 003 is undated.
    assert_eq!(
        search(&store, &["Putin", "--from", "2023-09-05"])["total"],
        2
    );
    assert_eq!(
        search(&store, &["Putin", "--from", "2023-09-06"])["total"],
        0
    );
    assert_eq!(
        search(&store, &["Putin", "--outlet", "the moscow times"])["total"],
        1
    );
    assert_eq!(search(&store, &["Putin", "--lang", "de"])["total"], 0);
    assert_eq!(
        search(&store, &["", "--entity", "Leif-Eric Easley"])["total"],
        1
    );
    // Apostrophes are words' edges, not syntax.
    assert!(search(&store, &["Russia's war"])["total"].as_u64().unwrap() >= 1);
    // Stemming: "arrives" finds "arrived".
    assert!(search(&store, &["arrives"])["total"].as_u64().unwrap() >= 1);
    // A bad query and a bad date are clear errors.
    let out = storyline(&store)
        .args(["search", "Kim AND ("])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read the query"));
    let out = storyline(&store)
        .args(["search", "Kim", "--from", "May"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a date"));

    // A new article is found on the next search.
    let file = tmp.path().join("new.jsonl");
    std::fs::write(&file, "{\"id\": \"n1\", \"date\": \"2024-02-01\", \"title\": \"Volcano erupts near Reykjavik\", \"text\": \"A volcano erupted near Reykjavik on Thursday, sending lava toward a fishing town, officials said.\"}\n").unwrap();
    ingest_json(&store, &[file.to_str().unwrap()]);
    let r = search(&store, &["volcano"]);
    assert_eq!(r["total"], 1);
    let id = r["articles"][0]["id"].as_str().unwrap().to_string();
    // A takedown: the index no longer matches the store and is rebuilt without it.
    let out = storyline(&store).args(["delete", &id]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(search(&store, &["volcano"])["total"], 0);
    assert_eq!(search(&store, &["\"armored train\""])["total"], 2);
    // A missing index is rebuilt from SQLite.
    std::fs::remove_dir_all(store.join("index")).unwrap();
    assert_eq!(search(&store, &["\"armored train\""])["total"], 2);
}
