//! The founding example: `../shared/seeds/EXPECTED.md`, point by point, through the
//! real binary.

mod common;

use std::collections::HashMap;

use common::*;
use serde_json::Value;

fn extracted() -> HashMap<String, Value> {
    let out = storyline(std::path::Path::new("unused"))
        .arg("extract")
        .arg("--json")
        .arg(seeds())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let name = std::path::Path::new(v["source"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            (name, v)
        })
        .collect()
}

/// The raw file's lines after the title that are story text: everything except the
/// lines EXPECTED.md names as noise (and bylines, datelines, repeated title).
fn story_lines(file: &str, title: &str, noise: &[&str]) -> Vec<String> {
    let raw = std::fs::read_to_string(seeds().join(file)).unwrap();
    let lines: Vec<String> = raw
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let start = lines.iter().position(|l| l == title).expect("title line") + 1;
    lines[start..]
        .iter()
        .filter(|l| *l != title && !noise.iter().any(|n| l.contains(n)))
        .cloned()
        .collect()
}

fn paragraphs(v: &Value) -> Vec<String> {
    v["text"]
        .as_str()
        .unwrap()
        .split("\n\n")
        .map(str::to_string)
        .collect()
}

#[test]
fn per_article_fields_match_expected() {
    let x = extracted();
    assert_eq!(
        x.len(),
        4,
        "EXPECTED.md is documentation, not an article: {:?}",
        x.keys()
    );

    let a = &x["000_72072f22cab6d14c.txt"];
    assert_eq!(
        a["title"],
        "North Korea’s Kim Jong Un may meet with Putin in Russia this month, US official says"
    );
    assert_eq!(
        a["published"], "2023-09-04T19:59:00-05:00",
        "7:59 PM CDT, not the crawl date"
    );
    assert_eq!(a["date_source"], "dateline");
    assert_eq!(a["crawled"], "2023-09-05");
    assert_eq!(a["wire"], "AP");
    assert_eq!(
        a["authors"],
        serde_json::json!(["The Associated Press", "Lou Kesten"])
    );

    let b = &x["001_9c3cdb8a7894e004.txt"];
    assert_eq!(b["title"], "Kim Jong-un to meet Putin in Russia – media");
    assert_eq!(b["published"], "2023-09-05T03:09:00");
    assert_eq!(
        b["outlet"],
        Value::Null,
        "outlet unknown from the text alone: no guess"
    );

    let c = &x["002_7b51488d4958bd6d.txt"];
    assert_eq!(
        c["title"],
        "North Korea's Kim Jong Un to Meet Putin in Moscow This Month — Kremlin"
    );
    assert_eq!(c["published"], "2019-04-18");
    assert_eq!(c["outlet"], "The Moscow Times");
    assert_eq!(c["wire"], "Reuters");
    assert_eq!(c["url"], "https://www.themoscowtimes.com/2019/04/18/kim-jong-un-will-meet-putin-this-month-kremlin-a65296");

    let d = &x["003_a5a3234110d7faf1.txt"];
    assert_eq!(
        d["title"],
        "North Korea’s Kim Jong Un arrives in Russia for possible arms talks with Putin"
    );
    assert_eq!(
        d["published"],
        Value::Null,
        "not stated in the text: unknown"
    );
    assert_eq!(d["wire"], Value::Null, "AP style, not named: unknown");
}

#[test]
fn bodies_keep_every_story_sentence_once_in_order_and_no_noise() {
    let x = extracted();
    let cases: [(&str, &[&str], &[&str]); 4] = [
        (
            "000_72072f22cab6d14c.txt",
            &[
                "Who's Hiring?",
                "FILE - A TV screen",
                "Published:",
                "Updated: 48 minutes ago",
                "___",
                "(AP Photo/",
            ],
            &["FILE - ", "Published: ", "___", "By The Associated Press"],
        ),
        (
            "001_9c3cdb8a7894e004.txt",
            &["icon bookmark-bicon", "KCNA / KNS / AFP"],
            &["icon bookmark", "©"],
        ),
        (
            "002_7b51488d4958bd6d.txt",
            &[
                "Kin Cheung / AP / TASS",
                "Related article:",
                "Original url:",
                "themoscowtimes.com",
            ],
            &[
                "Kin Cheung / AP / TASS",
                "Related article:",
                "Original url:",
                "https://",
                "By Reuters",
                "April 18, 2019",
            ],
        ),
        (
            "003_a5a3234110d7faf1.txt",
            &[
                "This post may refer to COVID-19",
                "Centers for Disease Control",
                "Click to continue reading",
            ],
            // The standfirst repeats the lede; the lede is kept.
            &[
                "This post may refer",
                "Centers for Disease Control",
                "Click to continue reading",
                "amid concerns that he is considering aiding",
            ],
        ),
    ];
    for (file, must_not_contain, noise_lines) in cases {
        let v = &x[file];
        let text = v["text"].as_str().unwrap();
        for n in must_not_contain {
            assert!(!text.contains(n), "{file}: noise {n:?} reached the body");
        }
        let title = v["title"].as_str().unwrap();
        assert!(
            !text.contains(title),
            "{file}: the title is repeated in the body"
        );
        let expected = story_lines(file, title, noise_lines);
        assert_eq!(
            paragraphs(v),
            expected,
            "{file}: body is not every story line, in order, once"
        );
    }
}

#[test]
fn stories_links_idempotence_and_stable_ids() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let seeds = seeds();
    let (summary, stderr, code) = ingest_json(&store, &[seeds.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(summary["read"], 4);
    assert_eq!(summary["new"], 4);
    assert_eq!(summary["rejected"].as_array().unwrap().len(), 0);
    assert_eq!(summary["stories_created"], 2);

    let s = stories(&store);
    assert_eq!(s.len(), 2, "two stories: {s:#?}");
    let a = s.iter().find(|x| files_of(x).len() == 3).expect("story A");
    let b = s.iter().find(|x| files_of(x).len() == 1).expect("story B");
    assert_eq!(
        files_of(a),
        [
            "000_72072f22cab6d14c.txt",
            "001_9c3cdb8a7894e004.txt",
            "003_a5a3234110d7faf1.txt"
        ]
    );
    assert_eq!(files_of(b), ["002_7b51488d4958bd6d.txt"]);
    assert_eq!(a["first_published"], "2023-09-04T19:59:00-05:00");
    assert_eq!(a["last_published"], "2023-09-05T03:09:00");
    assert_eq!(b["first_published"], "2019-04-18");
    for art in a["articles"]
        .as_array()
        .unwrap()
        .iter()
        .chain(b["articles"].as_array().unwrap())
    {
        for key in ["id", "source", "url", "title", "published", "outlet"] {
            assert!(art.get(key).is_some(), "article field {key} missing: {art}");
        }
    }

    // Linked, B before A, for the shared actors and place.
    let ra = a["related"].as_array().unwrap();
    assert_eq!(ra.len(), 1);
    assert_eq!(ra[0]["id"], b["id"]);
    assert_eq!(ra[0]["when"], "before");
    let reason = ra[0]["reason"].as_str().unwrap();
    for name in ["Kim Jong Un", "Vladimir Putin", "Vladivostok"] {
        assert!(reason.contains(name), "reason {reason:?} lacks {name}");
    }
    let rb = b["related"].as_array().unwrap();
    assert_eq!(rb.len(), 1);
    assert_eq!(rb[0]["id"], a["id"]);
    assert_eq!(rb[0]["when"], "after");

    // Re-ingesting adds nothing.
    let (again, _, code) = ingest_json(&store, &[seeds.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert_eq!(again["new"], 0);
    assert_eq!(again["already_stored"], 4);
    assert_eq!(stories(&store), s);

    // The same ids in a fresh store, and when the articles arrive in two batches.
    let fresh = tmp.path().join("fresh");
    ingest_json(&fresh, &[seeds.to_str().unwrap()]);
    let ids = |v: &[Value]| {
        let mut x: Vec<String> = v
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        x.sort();
        x
    };
    assert_eq!(ids(&stories(&fresh)), ids(&s));
    let split = tmp.path().join("split");
    let f = |n: &str| seeds.join(n).to_string_lossy().to_string();
    ingest_json(
        &split,
        &[
            &f("002_7b51488d4958bd6d.txt"),
            &f("000_72072f22cab6d14c.txt"),
        ],
    );
    let (later, _, _) = ingest_json(
        &split,
        &[
            &f("001_9c3cdb8a7894e004.txt"),
            &f("003_a5a3234110d7faf1.txt"),
        ],
    );
    assert_eq!(
        later["stories_created"], 0,
        "later articles extend existing stories"
    );
    assert_eq!(ids(&stories(&split)), ids(&s));
}

#[test]
fn story_command_shows_one_story() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ingest_json(&store, &[seeds().to_str().unwrap()]);
    let s = stories(&store);
    let a = s.iter().find(|x| files_of(x).len() == 3).unwrap();
    let id = a["id"].as_str().unwrap();
    // By a unique prefix, plain text.
    let out = storyline(&store)
        .args(["story", &id[..6]])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Kim Jong-un to meet Putin in Russia – media"));
    assert!(
        text.contains("date unknown"),
        "003's unknown date is said, not hidden"
    );
    assert!(text.contains("Related stories"));
    // JSON, by full id; the store from the environment.
    let out = assert_cmd::Command::cargo_bin("storyline")
        .unwrap()
        .env("STORYLINE_STORE", &store)
        .args(["story", id, "--json"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["id"], id);
    assert_eq!(v["articles"].as_array().unwrap().len(), 3);
    // A story with no related stories still has its headline (it is loaded for the
    // story itself, not only for the ends of its links).
    let lone = tmp.path().join("lone.jsonl");
    std::fs::write(
        &lone,
        r#"{"id": "lone-1", "title": "Bridge closes after crack found", "date": "2024-06-03", "text": "Engineers closed the old river bridge on Monday after inspectors found a long crack in one of its steel beams, the city said."}"#,
    )
    .unwrap();
    ingest_json(&store, &[lone.to_str().unwrap()]);
    let listed = stories(&store);
    let bridge = listed
        .iter()
        .find(|x| x["headline"] == "Bridge closes after crack found")
        .expect("the lone article's story is listed with its headline");
    let out = storyline(&store)
        .args(["story", bridge["id"].as_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["headline"], "Bridge closes after crack found");
    assert_eq!(v["related"].as_array().map_or(0, |r| r.len()), 0);
    // A story's headline does not carry the site name its article's title ends
    // with; the article keeps its title as given.
    let ferry = tmp.path().join("ferry.jsonl");
    std::fs::write(
        &ferry,
        r#"{"id": "ferry-1", "title": "Ferry runs aground off Skerry Point - The Harbour Times", "url": "https://www.harbourtimes.co.uk/news/ferry-aground", "date": "2024-07-09", "text": "A passenger ferry ran aground off Skerry Point on Tuesday morning and all ninety passengers were taken ashore by lifeboat crews, the coastguard said."}"#,
    )
    .unwrap();
    ingest_json(&store, &[ferry.to_str().unwrap()]);
    let listed = stories(&store);
    let story = listed
        .iter()
        .find(|x| x["headline"] == "Ferry runs aground off Skerry Point")
        .expect("the headline without the site's name");
    let out = storyline(&store)
        .args(["story", story["id"].as_str().unwrap(), "--json"])
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(
        v["articles"][0]["title"],
        "Ferry runs aground off Skerry Point - The Harbour Times"
    );
    // An unknown id is a clear error.
    let out = storyline(&store).args(["story", "nope"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no story with id"));
}

#[test]
fn explain_says_why_each_summit_is_its_own_story() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ingest_json(&store, &[seeds().to_str().unwrap()]);
    let s = stories(&store);
    let a = s.iter().find(|x| files_of(x).len() == 3).unwrap();
    let b = s.iter().find(|x| files_of(x).len() == 1).unwrap();
    let id_of = |story: &Value, file: &str| {
        story["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["source"].as_str().unwrap().ends_with(file))
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // 003 is undated: asked about the 2019 story, both summits are scored on content
    // alone; 2023 scores higher.
    let undated = id_of(a, "003_a5a3234110d7faf1.txt");
    let v = json(
        &storyline(&store)
            .args(["explain", &undated, b["id"].as_str().unwrap(), "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["undated"], true);
    let c = v["candidates"].as_array().unwrap();
    assert_eq!(c.len(), 2, "{v:#}");
    assert_eq!(c[0]["event"], a["id"]);
    assert_eq!(c[1]["event"], b["id"]);
    for f in ["cosine", "entity_overlap", "score"] {
        assert!(
            c[0][f].as_f64().unwrap() > c[1][f].as_f64().unwrap() || f == "entity_overlap",
            "{f}: {v:#}"
        );
    }
    assert!(v["verdict"].as_str().unwrap().starts_with("joins"));
    // 002 against story A: four years away, outside the window.
    let old = id_of(b, "002_7b51488d4958bd6d.txt");
    let out = storyline(&store)
        .args(["explain", &old, a["id"].as_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("outside the 10-day window"), "{text}");
}

#[test]
fn explain_scores_a_story_asked_about_that_was_not_a_candidate() {
    // Two stories of the same day with no word or name in common: neither is a
    // candidate for the other's article, and asked about, it is scored alone.
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let feed = tmp.path().join("feed.jsonl");
    let lines = [
        serde_json::json!({"id": "fire", "title": "Warehouse blaze in Oakport", "date": "2024-05-01",
            "text": "Flames gutted a timber warehouse beside Oakport harbour overnight. Firefighters battled smoke until dawn, and investigators suspect arson."}),
        serde_json::json!({"id": "match", "title": "Riverton clinch league title", "date": "2024-05-01",
            "text": "Riverton United clinched their first championship with a late penalty. Supporters celebrated on pitch while coach Mira Olsen praised her squad."}),
    ];
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&feed, text.join("\n") + "\n").unwrap();
    ingest_json(&store, &[feed.to_str().unwrap()]);
    let s = stories(&store);
    assert_eq!(s.len(), 2, "{s:#?}");
    let story_of = |article: &str| {
        s.iter()
            .find(|x| {
                x["articles"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["id"] == article)
            })
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let v = json(
        &storyline(&store)
            .args(["explain", "fire", &story_of("match"), "--json"])
            .output()
            .unwrap(),
    );
    let why = v["not_a_candidate"].as_str().expect("not a candidate");
    assert!(why.contains("not among the 8 stories"), "{why}");
    assert!(
        why.contains("scored alone: cosine 0.000, entities 0.000, time 1.00, score 0.000"),
        "{why}"
    );
    assert!(v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["event"] != story_of("match").as_str()));
}

#[test]
fn explain_shows_an_undated_article_the_dated_stories_that_share_its_names() {
    // Ingest compares an undated article with the dated stories of its batch; explain
    // shows them too, though the article's own story has no date to look around.
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    let feed = tmp.path().join("feed.jsonl");
    let fire = "Flames gutted a timber warehouse beside Oakport harbour overnight. Mayor Lena Park thanked the Oakport Fire Brigade, and investigators suspect arson.";
    let lines = [
        serde_json::json!({"id": "fire1", "title": "Warehouse blaze in Oakport", "date": "2024-05-01", "text": fire}),
        serde_json::json!({"id": "fire2", "title": "Oakport warehouse fire was arson, brigade says", "date": "2024-05-02",
            "text": format!("{fire} The Oakport Fire Brigade said on Thursday the blaze was set deliberately.")}),
        serde_json::json!({"id": "library", "title": "Oakport opens its new library",
            "text": "Mayor Lena Park opened the new Oakport library with a reading for children. Lena Park said the library would stay open late on weekdays."}),
    ];
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    std::fs::write(&feed, text.join("\n") + "\n").unwrap();
    ingest_json(&store, &[feed.to_str().unwrap()]);
    let s = stories(&store);
    assert_eq!(s.len(), 2, "{s:#?}");
    let fire_story = s
        .iter()
        .find(|x| x["articles"].as_array().unwrap().len() == 2)
        .unwrap()["id"]
        .clone();
    let v = json(
        &storyline(&store)
            .args(["explain", "library", "--json"])
            .output()
            .unwrap(),
    );
    assert_eq!(v["undated"], true);
    let fire_candidate = v["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["event"] == fire_story)
        .unwrap_or_else(|| panic!("the dated fire story is a candidate: {v:#}"));
    // Weighed at the window's edge, it stays below the threshold.
    assert_eq!(fire_candidate["time_fade"], 0.7, "{v:#}");
    assert!(fire_candidate["score"].as_f64().unwrap() < 0.25, "{v:#}");
    assert!(
        v["verdict"]
            .as_str()
            .unwrap()
            .contains("opens its own story"),
        "{v:#}"
    );
}

/// The ingest summary goes to stderr when stderr is no terminal too (a scheduled
/// ingest's log says what it did); `-q` leaves stdout and stderr empty.
#[test]
fn ingest_says_what_it_did_unless_quiet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(storyline(&tmp.path().join("loud"))
        .arg("ingest")
        .arg(seeds())
        .output()
        .unwrap());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("read 4, new 4, "), "{stderr}");
    assert!(stderr.contains("stories touched 2 (2 new)"), "{stderr}");
    assert!(out.stdout.is_empty());
    let out = ok(storyline(&tmp.path().join("quiet"))
        .args(["-q", "ingest"])
        .arg(seeds())
        .output()
        .unwrap());
    assert_eq!(
        (out.stdout.as_slice(), out.stderr.as_slice()),
        (&b""[..], &b""[..])
    );
}
