//! Crawler-saved text in many outlets' conventions (our own sentences), each file in
//! `tests/fixtures/crawler/` beside an `.expected.json` stating what extraction must
//! find: title, publication date (ISO, or null when the text does not say), crawl
//! date, authors, wire, lines the body keeps, and chrome it must drop.

mod common;

use std::path::Path;

use serde_json::Value;

#[test]
fn every_fixture_extracts_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crawler");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the corpus is missing: {}", dir.display());
    let mut failures = Vec::new();
    for txt in &files {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(txt.with_extension("expected.json")).unwrap(),
        )
        .unwrap();
        let out = common::storyline(Path::new("unused"))
            .args(["extract", "--json"])
            .arg(txt)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}: {}",
            txt.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        let name = txt.file_name().unwrap().to_string_lossy().to_string();
        // The language comes with its confidence, or neither is said.
        match (got["lang"].as_str(), got["lang_confidence"].as_f64()) {
            (Some(_), Some(c)) if c > 0.0 && c <= 1.0 => {}
            (None, None) => {}
            (l, c) => failures.push(format!("{name}: lang {l:?} with confidence {c:?}")),
        }
        for field in ["title", "published", "authors", "wire", "crawled"] {
            if let Some(want) = expected.get(field) {
                if &got[field] != want {
                    failures.push(format!(
                        "{name}: {field} is {} but should be {want}",
                        got[field]
                    ));
                }
            }
        }
        let text = got["text"].as_str().unwrap_or("");
        for keep in expected["keeps"].as_array().into_iter().flatten() {
            if !text.contains(keep.as_str().unwrap()) {
                failures.push(format!("{name}: the body lost {keep}"));
            }
        }
        for drop in expected["drops"].as_array().into_iter().flatten() {
            if text.contains(drop.as_str().unwrap()) {
                failures.push(format!("{name}: chrome {drop} reached the body"));
            }
        }
        // Every paragraph once.
        let paras: Vec<&str> = text.split("\n\n").collect();
        let unique: std::collections::HashSet<&&str> = paras.iter().collect();
        if unique.len() != paras.len() {
            failures.push(format!("{name}: a paragraph is repeated"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An undated article whose URL names a month (`/2009/02/slug`) is weighed by that
/// month in clustering, and `explain` says so; one without stays undated.
#[test]
fn a_url_month_dates_an_undated_article_to_within_a_month() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    // Three reports of one arrest in their own words (copies would follow their
    // original without being scored).
    let dated = "San Diego Chargers nose tackle Jamal Williams was arrested on suspicion of drunk driving early Monday, the California Highway Patrol said.\n\nWilliams, 32, was stopped on Interstate 15 and booked into county jail. The Chargers said they were aware of the arrest.";
    let blog = "Chargers lineman Jamal Williams got picked up by the California Highway Patrol for DUI on Monday morning.\n\nThe CHP stopped Williams on Interstate 15 and he was booked into jail, then released. The team says it knows about the arrest.";
    let forum = "Jamal Williams of the Chargers was booked for drunk driving after the Highway Patrol pulled him over on Interstate 15.\n\nWilliams was later released from county jail. Another DUI arrest for a San Diego Chargers player.";
    let lines = [
        serde_json::json!({"id": "dated", "url": "http://news.example/2009/02/03/williams-dui", "date": "2009-02-03", "title": "Chargers' Jamal Williams arrested on DUI suspicion", "text": dated}),
        serde_json::json!({"id": "month", "url": "http://blog.example/blog/2009/02/chargers_jamal_williams_arrested.html", "title": "Chargers Jamal Williams arrested for DUI", "text": blog}),
        serde_json::json!({"id": "none", "url": "http://forum.example/viewtopic.php?t=25677", "title": "Jamal Williams arrested", "text": forum}),
    ];
    // The dated report first; then, in another run whose dated article is years
    // away, the one dated to a month must still find it.
    // (The store's latest news, which the second run starts from, is years away too.)
    let later = serde_json::json!({"id": "later", "date": "2023-09-05", "title": "Kim Jong Un arrives in Russia", "text": "North Korean leader Kim Jong Un arrived in Vladivostok by armoured train on Tuesday for talks with Vladimir Putin."});
    let later2 = serde_json::json!({"id": "later2", "date": "2023-09-06", "title": "Wildfire forces evacuations in Greece", "text": "Firefighters battled a wildfire near Athens on Wednesday as strong winds pushed the flames towards villages."});
    for (name, batch) in [
        ("first.jsonl", vec![&lines[0], &later]),
        ("second.jsonl", vec![&later2, &lines[1], &lines[2]]),
    ] {
        let input = dir.path().join(name);
        std::fs::write(
            &input,
            batch.iter().map(|l| format!("{l}\n")).collect::<String>(),
        )
        .unwrap();
        common::ok(
            common::storyline(&store)
                .args(["-q", "ingest"])
                .arg(&input)
                .output()
                .unwrap(),
        );
    }
    let explain = |id: &str| {
        common::json(
            &common::storyline(&store)
                .args(["explain", "--json", id])
                .output()
                .unwrap(),
        )
    };
    let m = explain("month");
    assert_eq!(m["undated"], true, "{m}");
    assert_eq!(m["month"], "2009-02", "{m}");
    let cands = m["candidates"].as_array().unwrap();
    assert!(!cands.is_empty(), "{m}");
    for c in cands {
        assert!((c["time_fade"].as_f64().unwrap() - 0.7).abs() < 1e-6, "{c}");
    }
    let text = String::from_utf8(
        common::ok(
            common::storyline(&store)
                .args(["explain", "month"])
                .output()
                .unwrap(),
        )
        .stdout,
    )
    .unwrap();
    assert!(text.contains("its URL names the month 2009-02"), "{text}");
    assert_eq!(m["story"], explain("dated")["story"], "{m}");
    let n = explain("none");
    assert_eq!(n["undated"], true);
    assert!(n.get("month").is_none(), "{n}");
    // A store from before URL months were kept: re-clustering reads them from the
    // stored URLs.
    let db = rusqlite::Connection::open(store.join("storyline.db")).unwrap();
    db.execute("UPDATE features SET month_from = NULL, month_to = NULL", [])
        .unwrap();
    drop(db);
    assert!(explain("month").get("month").is_none());
    // Re-clustering keeps the month.
    common::ok(
        common::storyline(&store)
            .args(["-q", "recluster"])
            .output()
            .unwrap(),
    );
    let m = explain("month");
    assert_eq!(m["month"], "2009-02", "{m}");
    assert_eq!(m["story"], explain("dated")["story"], "{m}");
}
