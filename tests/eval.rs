//! `storyline eval cluster`, `eval synthesize` and `eval extract`: on small labelled sets made here, and on the bench.

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
    std::fs::write(dir.join("other.jsonl"), format!("{}\n", json!({"id": "o1", "event": "solo", "date": "2021-01-01", "text": "A lone report about a village fair that drew record crowds and a prize-winning pumpkin."}))).unwrap();
    let v = eval_cluster_on(
        tmp.path(),
        "small",
        &rows,
        "id1\tid2\tsame_story\nq1\tq2\t1\nq1\tv1\t0\n",
    );
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

/// Writes `clustering/<name>.jsonl` (the rows) and `<name>.pairs.tsv` under `bench`,
/// and runs `eval cluster --json` on `bench`.
fn eval_cluster_on(
    bench: &std::path::Path,
    name: &str,
    rows: &[serde_json::Value],
    pairs: &str,
) -> serde_json::Value {
    let dir = bench.join("clustering");
    let body: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(dir.join(format!("{name}.jsonl")), body).unwrap();
    std::fs::write(dir.join(format!("{name}.pairs.tsv")), pairs).unwrap();
    let out = common::storyline(bench)
        .args(["eval", "cluster", "--json", "--bench"])
        .arg(bench)
        .output()
        .unwrap();
    common::json(&out)
}

/// The seeds beside the bench join the one stream, are scored with it, and are
/// checked against their EXPECTED.md; a check that disagrees fails `--check`.
#[test]
fn eval_cluster_puts_the_seeds_in_the_stream_and_checks_them() {
    let tmp = tempfile::tempdir().unwrap();
    let bench = tmp.path().join("bench");
    let clustering = bench.join("clustering");
    let seeds = tmp.path().join("seeds");
    std::fs::create_dir_all(&clustering).unwrap();
    std::fs::create_dir(&seeds).unwrap();
    for entry in std::fs::read_dir(common::seeds()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&path, seeds.join(path.file_name().unwrap())).unwrap();
        }
    }
    let vote = "Lawmakers in Berlin approved the new budget on Friday after a long debate over defence spending and pensions, with the governing coalition holding together.";
    let fair = "A village fair in Somerset drew record crowds on Saturday, and a local grower's pumpkin took first prize at 600 kilograms.";
    std::fs::write(
        clustering.join("small.jsonl"),
        format!(
            "{}\n{}\n",
            json!({"id": "v1", "event": "vote", "date": "2023-09-05", "title": "German budget passes", "text": vote}),
            json!({"id": "f1", "event": "fair", "date": "2023-09-05", "title": "Record pumpkin at village fair", "text": fair}),
        ),
    )
    .unwrap();
    let run = |expected: &str, extra: &[&str]| {
        std::fs::write(seeds.join("EXPECTED.md"), expected).unwrap();
        common::storyline(tmp.path())
            .args(["eval", "cluster", "--json", "--check", "--bench"])
            .arg(&bench)
            .args(extra)
            .output()
            .unwrap()
    };
    let right = "## Stories\n\n- Story A, the 2023 summit: 000, 001 and 003.\n- Story B, the 2019 summit: 002, alone.\n- A and B are linked as related stories.\n";
    let out = run(right, &[]);
    let v = common::json(&out);
    assert_eq!(v["seeds"]["as_expected"], true, "{}", v["seeds"]);
    assert_eq!(v["seeds"]["problems"].as_array().unwrap().len(), 0);
    assert_eq!(
        v["seeds"]["stories"][0]["files"].as_array().unwrap().len(),
        3
    );
    assert_eq!(
        v["stream"]["articles"], 6,
        "two labelled articles and four seeds"
    );
    assert_eq!(v["stream"]["gold_events"], 4);
    assert_eq!(v["stream"]["bcubed"]["f1"], 1.0, "{}", v["stream"]);
    // An EXPECTED.md the engine disagrees with: each difference named, and --check fails.
    let wrong =
        "## Stories\n\n- Story A, wrongly: 000 and 002.\n- Story B, wrongly: 001 and 003.\n";
    let out = run(wrong, &[]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(v["seeds"]["as_expected"], false);
    let problems = v["seeds"]["problems"].to_string();
    assert!(problems.contains("story A is split"), "{problems}");
    assert!(v["stream"]["bcubed"]["f1"].as_f64().unwrap() < 1.0);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("seeds not as EXPECTED.md says"), "{stderr}");
    // --no-seeds leaves them out; a seed EXPECTED.md names and the folder lacks is an error.
    let out = run(wrong, &["--no-seeds"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert!(
        out.status.success(),
        "no target is checked without a stream"
    );
    assert!(v["seeds"].is_null());
    assert_eq!(
        v["stream"],
        serde_json::Value::Null,
        "one labelled file: no stream"
    );
    let out = run("## Stories\n\n- Story A, missing: 000 and 009.\n", &[]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("009"), "{stderr}");
}

/// A story chain's chapters weeks apart are two events the engine links as related:
/// the pair scores count them as one storyline, and not as one story.
#[test]
fn eval_cluster_scores_story_chains_as_storylines() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("clustering");
    std::fs::create_dir(&dir).unwrap();
    let arrives = "Mocean Energy's Blue X wave machine has arrived in Orkney for sea trials at EMEC. Mocean Energy said Blue X will be tested at Scapa Flow before moving to the EMEC site at Billia Croo. Wave Energy Scotland funded Blue X, and EMEC will monitor it in Orkney.";
    let starts = "Mocean Energy's Blue X wave machine has started generating power at EMEC's Billia Croo site in Orkney. After trials in Scapa Flow, Mocean Energy towed Blue X out last week. Wave Energy Scotland, which funded it, welcomed the first power from Blue X at EMEC.";
    let budget = "Lawmakers in Berlin approved the new budget on Friday after a long debate over defence spending and pensions, with the governing coalition holding together.";
    let rows = [
        json!({"id": "c1", "date": "2021-05-18", "title": "Mocean Energy's Blue X arrives in Orkney", "text": arrives}),
        json!({"id": "c2", "date": "2021-06-14", "title": "Blue X wave machine starts generating at EMEC", "text": starts}),
        json!({"id": "b1", "date": "2021-06-14", "title": "German budget passes", "text": budget}),
    ];
    let v = eval_cluster_on(
        tmp.path(),
        "chain",
        &rows,
        "id1\tid2\tsame_story\nc1\tc2\t1\nc1\tb1\t0\nc2\tb1\t0\n",
    );
    let pairs = &v["pairs"][0];
    assert_eq!(pairs["positives"], 1);
    assert_eq!(pairs["scores"]["recall"], 0.0, "{pairs}");
    assert_eq!(pairs["storyline"]["recall"], 1.0, "{pairs}");
    assert_eq!(pairs["storyline"]["precision"], 1.0, "{pairs}");
}

#[test]
fn eval_synthesize_scores_summaries_and_labelled_claims() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("clustering");
    std::fs::create_dir(&dir).unwrap();
    let quote =
        "“We will rebuild every home that the river took from us,” the mayor said on Monday.";
    let rows = [
        json!({"id": "f1", "event": "flood", "date": "2024-05-01", "outlet": "one", "url": "https://one.example/flood", "title": "River floods the old town",
               "text": format!("The river burst its banks overnight and flooded the old town, forcing hundreds of families from their homes. {quote} Rescue boats worked through the night in the lower streets.")}),
        json!({"id": "f2", "event": "flood", "date": "2024-05-01", "outlet": "two", "url": "https://two.example/news/flood", "title": "Mayor vows to rebuild after flood",
               "text": format!("Hundreds of families were evacuated after floodwater swept through the old town on Sunday night. {quote} Insurers said the damage would run into millions of euros.")}),
    ];
    let body: String = rows.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(dir.join("basil.jsonl"), &body).unwrap();
    let run = |labels: &std::path::Path| {
        common::storyline(tmp.path())
            .args(["eval", "synthesize", "--json", "--sample", "5", "--bench"])
            .arg(tmp.path())
            .arg("--labels")
            .arg(labels)
            .output()
            .unwrap()
    };
    // Without labels: the pair to label is listed.
    let v = common::json(&run(&tmp.path().join("none.tsv")));
    assert_eq!(v["stories"], 1);
    assert_eq!(v["articles"], 2);
    assert_eq!(v["summary_multi_outlet"], 1.0);
    assert!(v["claims_cross_outlet"].as_u64().unwrap() >= 1);
    assert_eq!(v["labelled"], 0);
    assert!(v["claim_precision"].is_null());
    let sample = v["unlabelled_sample"].as_array().unwrap();
    let mayor = sample
        .iter()
        .find(|p| p["a"].as_str().unwrap().contains("rebuild"))
        .expect("the shared quote is a cross-outlet claim");
    // Labelled wrong, the pair counts against precision.
    let labels = tmp.path().join("labels.tsv");
    std::fs::write(
        &labels,
        format!("# ours\n{}\t0\tnote\n", mayor["key"].as_str().unwrap()),
    )
    .unwrap();
    let v = common::json(&run(&labels));
    assert_eq!(v["labelled"], 1);
    assert_eq!(v["claim_precision"], 0.0);
    // A malformed label file is a clear error naming the file and line.
    std::fs::write(&labels, "abc\tmaybe\n").unwrap();
    let out = run(&labels);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("labels.tsv") && err.contains("line 1"),
        "{err}"
    );
}

/// The bench's labelled clustering sets: beside `seeds` in `../shared`.
fn bench_clustering() -> std::path::PathBuf {
    let dir = common::seeds().join("../bench/clustering");
    assert!(
        dir.join("basil.jsonl").exists(),
        "bench clustering sets not found at {}",
        dir.display()
    );
    dir
}

/// Per-file BCubed F1 of `eval cluster` on a folder holding `clustering/`.
fn bcubed_by_file(bench: &std::path::Path) -> std::collections::BTreeMap<String, f64> {
    let out = common::storyline(bench)
        .args(["eval", "cluster", "--json", "--bench"])
        .arg(bench)
        .output()
        .unwrap();
    let v = common::json(&out);
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["bcubed"]["f1"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn clustering_barely_depends_on_the_order_within_a_day() {
    let src = bench_clustering();
    let sets = ["basil.jsonl", "ecbplus-dev.jsonl"];
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, seed: Option<u64>| {
        let dir = tmp.path().join(name).join("clustering");
        std::fs::create_dir_all(&dir).unwrap();
        for set in sets {
            let text = std::fs::read_to_string(src.join(set)).unwrap();
            let mut lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            if let Some(seed) = seed {
                // Shuffle within each day (undated articles form one group), keeping
                // the days in order: a deterministic Fisher-Yates per day.
                let day = |l: &str| {
                    let v: serde_json::Value = serde_json::from_str(l).unwrap();
                    v["date"]
                        .as_str()
                        .unwrap_or("")
                        .chars()
                        .take(10)
                        .collect::<String>()
                };
                lines.sort_by_key(|l| day(l));
                let mut state = seed;
                let mut next = move |n: usize| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (state >> 33) as usize % n
                };
                let mut start = 0;
                while start < lines.len() {
                    let d = day(lines[start]);
                    let end = start + lines[start..].iter().take_while(|l| day(l) == d).count();
                    for i in (start + 1..end).rev() {
                        let j = start + next(i - start + 1);
                        lines.swap(i, j);
                    }
                    start = end;
                }
            }
            let body: String = lines.iter().map(|l| format!("{l}\n")).collect();
            std::fs::write(dir.join(set), body).unwrap();
        }
        tmp.path().join(name)
    };
    let base = bcubed_by_file(&write("base", None));
    for seed in [1, 2] {
        let shuffled = bcubed_by_file(&write(&format!("shuffled{seed}"), Some(seed)));
        for set in sets {
            let (a, b) = (base[set], shuffled[set]);
            assert!(
                (a - b).abs() < 0.01,
                "{set}: BCubed F1 {a:.4} in file order, {b:.4} shuffled within days (seed {seed})"
            );
        }
    }
}

#[test]
fn bench_cluster_runs_a_generated_stream_with_bounded_memory() {
    let bench = bench_clustering().join("..");
    let tmp = tempfile::tempdir().unwrap();
    let out = common::storyline(tmp.path())
        .args([
            "bench",
            "cluster",
            "--articles",
            "6000",
            "--days",
            "60",
            "--json",
            "--bench",
        ])
        .arg(&bench)
        .output()
        .unwrap();
    let v = common::json(&out);
    assert_eq!(v["articles"], 6000);
    assert!(v["instances"].as_u64().unwrap() > 166, "{v}");
    let f1 = v["bcubed_f1"].as_f64().unwrap();
    assert!(f1 > 0.3 && f1 <= 1.0, "{v}");
    // Events leave memory with the window: far fewer resident than created.
    let resident = v["max_resident_events"].as_u64().unwrap();
    assert!(
        resident > 0 && resident < v["stories"].as_u64().unwrap(),
        "{v}"
    );
    assert!(!v["segments"].as_array().unwrap().is_empty());
}

/// Extraction on the bench's real pages holds what it has reached: raise these
/// floors with every gain, never lower them. Main-text F1 (0.935), title (0.95), date
/// accuracy (0.92) and main-text precision (0.92) meet the targets: their
/// floors are the targets or above. `--check` fails exactly when a figure in the
/// report is below the targets, and names it.
#[test]
fn extraction_on_the_bench_holds_its_floor() {
    let bench = bench_clustering().join("..");
    let out = common::storyline(&bench)
        .args(["eval", "extract", "--json", "--check", "--bench"])
        .arg(&bench)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let f1 = v["text"]["f1"].as_f64().unwrap();
    let precision = v["text"]["precision"].as_f64().unwrap();
    let dates = v["dates"]["accuracy"].as_f64().unwrap();
    let title = v["metadata"]["title_exact"].as_f64().unwrap();
    assert!(f1 >= 0.935, "main-text F1 {f1}");
    assert!(precision >= 0.94, "main-text precision {precision}");
    assert!(dates >= 0.92, "date accuracy {dates}");
    assert!(title >= 0.95, "title exact {title}");
    let below = f1 < 0.935 || precision < 0.92 || dates < 0.92 || title < 0.95;
    assert_eq!(out.status.success(), !below, "--check exit status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if f1 < 0.935 {
        assert!(stderr.contains("main-text F1"), "{stderr}");
    }
    if dates < 0.92 {
        assert!(stderr.contains("date accuracy"), "{stderr}");
    }
}

/// What the clustering reaches on the labelled sets today, held as a floor (the
/// issue's targets, 0.96 / 0.95 / 0.95, are not met yet; `--check` says so), with
/// the seeds in the one stream exactly as their EXPECTED.md says.
#[test]
fn clustering_on_the_bench_holds_its_floor() {
    let bench = bench_clustering().join("..");
    let out = common::storyline(&bench)
        .args(["eval", "cluster", "--json", "--check", "--bench"])
        .arg(&bench)
        .arg("--seeds")
        .arg(common::seeds())
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let f1 = |name: &str| {
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .map(|f| f["bcubed"]["f1"].as_f64().unwrap())
            .unwrap_or_else(|| panic!("{name} scored"))
    };
    let (basil, ecb) = (f1("basil.jsonl"), f1("ecbplus-dev.jsonl"));
    let stream = v["stream"]["bcubed"]["f1"].as_f64().unwrap();
    assert!(basil >= 0.97, "basil {basil}");
    assert!(ecb >= 0.92, "ecbplus-dev {ecb}");
    assert!(stream >= 0.935, "one stream {stream}");
    // The seeds beside the bench are in the stream, exactly as EXPECTED.md says.
    assert_eq!(
        v["stream"]["articles"], 1076,
        "both labelled sets and the four seeds"
    );
    assert_eq!(v["seeds"]["as_expected"], true, "{}", v["seeds"]);
    let below = basil < 0.96 || ecb < 0.95 || stream < 0.95;
    assert_eq!(out.status.success(), !below, "--check exit status");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if ecb < 0.95 {
        assert!(stderr.contains("ecbplus-dev.jsonl BCubed F1"), "{stderr}");
    }
    if basil < 0.96 {
        assert!(stderr.contains("basil.jsonl"), "{stderr}");
    }
}

/// What the store says about events after ingest (with its second looks, which move
/// articles between events at the end of each batch) and after `recluster`: every
/// article's event exists and holds it, an event's count and time span are those of
/// its articles, no event is empty, and copies sit in their original's event.
#[test]
fn events_agree_with_their_articles_after_ingest_and_recluster() {
    let src = bench_clustering();
    let tmp = tempfile::tempdir().unwrap();
    let mut rows = Vec::new();
    for file in ["basil.jsonl", "ecbplus-dev.jsonl"] {
        let text = std::fs::read_to_string(src.join(file)).unwrap();
        rows.extend(text.lines().map(str::to_string));
    }
    // ECB+ is undated: give its articles one of nine days, so that the events they
    // make have spans for a move to change.
    for (i, line) in rows.iter_mut().enumerate() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["date"].is_null() {
            v["date"] = format!("2015-03-{:02}", 1 + i % 9).into();
            *line = v.to_string();
        }
    }
    // Copies of forty BASIL articles under another outlet.
    let copies: Vec<String> = rows[..40]
        .iter()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = format!("{}-copy", v["id"].as_str().unwrap());
            v["id"] = id.clone().into();
            v["outlet"] = "copydesk".into();
            v["url"] = format!("https://copydesk.example/{id}").into();
            v.to_string()
        })
        .collect();
    rows.extend(copies);
    let feed = tmp.path().join("feed.jsonl");
    std::fs::write(&feed, rows.join("\n") + "\n").unwrap();
    let store = tmp.path().join("s");
    let (summary, stderr, code) =
        common::ingest_json(&store, &["--batch-size", "150", feed.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(summary["duplicates"].as_u64().unwrap() >= 40, "{summary:#}");
    assert!(summary["moved_late"].as_u64().unwrap() > 0, "{summary:#}");
    eprintln!("{summary}");

    let check = |when: &str| {
        let db = rusqlite::Connection::open(store.join("storyline.db")).unwrap();
        let q = |sql: &str| -> i64 { db.query_row(sql, [], |r| r.get(0)).unwrap() };
        assert_eq!(
            q("SELECT COUNT(*) FROM articles"),
            rows.len() as i64,
            "{when}"
        );
        let homeless = q("SELECT COUNT(*) FROM articles a
             WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = a.event_id)");
        assert_eq!(homeless, 0, "{when}: articles whose event is not stored");
        let empty = q("SELECT COUNT(*) FROM events e
             WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.event_id = e.id)");
        assert_eq!(empty, 0, "{when}: events without articles");
        let wrong = q("SELECT COUNT(*) FROM events e JOIN (
                 SELECT event_id, COUNT(*) n, MIN(published_ts) lo, MAX(published_ts) hi
                 FROM articles GROUP BY event_id) a ON a.event_id = e.id
             WHERE e.articles != a.n
                OR e.first_ts IS NOT a.lo
                OR e.last_ts IS NOT a.hi");
        assert_eq!(
            wrong, 0,
            "{when}: events whose count or span is not their articles'"
        );
        let apart = q(
            "SELECT COUNT(*) FROM articles c JOIN articles o ON o.id = c.copy_of
             WHERE c.event_id != o.event_id",
        );
        assert_eq!(apart, 0, "{when}: copies outside their original's event");
        assert!(q("SELECT COUNT(*) FROM articles WHERE copy_of IS NOT NULL") >= 40);
    };
    check("after ingest");
    let out = common::storyline(&store).arg("recluster").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    check("after recluster");
}
