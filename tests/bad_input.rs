//! Bad input never stops a batch, never corrupts the store, and always says which
//! file and record and why.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;

const GOOD: &str = "Harbour fire destroys fishing fleet overnight\n\nA fire swept through the old harbour overnight, destroying a dozen fishing boats, the coast guard said on Tuesday.\n\nNo one was hurt. Investigators are looking at an electrical fault on one of the trawlers.\n";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn warc_record(uri: &str, html: &str) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}");
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-05-02T10:00:00Z\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http.len()
    )
    .into_bytes();
    r.extend_from_slice(http.as_bytes());
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn page(title: &str, body: &str) -> String {
    format!("<!doctype html><html><head><title>{title}</title><meta property=\"article:published_time\" content=\"2024-05-01T09:00:00Z\"></head><body><article><h1>{title}</h1><p>{body}</p><p>Officials said more details would follow later in the week, according to the statement.</p></article></body></html>")
}

fn reasons(summary: &serde_json::Value) -> Vec<(String, String)> {
    summary["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap().to_string(),
                r["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_kind_of_bad_input_is_rejected_and_the_rest_ingested() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "a_good.txt", GOOD.as_bytes());
    write(&dir, "b_empty.txt", b"");
    write(
        &dir,
        "c_latin1.txt",
        b"Caf\xe9 owners protest new rules\n\nOwners of caf\xe9s marched on Monday.",
    );
    write(
        &dir,
        "d_binary.dat",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
    );
    let gz = gzip(GOOD.replace("Harbour", "Port").as_bytes());
    write(&dir, "e_truncated.txt.gz", &gz[..gz.len() / 2]);
    write(
        &dir,
        "f_good.txt.gz",
        &gzip(GOOD.replace("fishing", "sailing").as_bytes()),
    );
    let jsonl = format!(
        "{}\n{{\"id\": \"j2\", \"text\": broken\n{}\n",
        serde_json::json!({"id": "j1", "title": "Rail strike halts trains", "date": "2024-05-01", "outlet": "Example Times", "text": "Rail workers walked out on Wednesday, halting trains across the country, the union said.", "event": "ignored"}),
        serde_json::json!({"id": "j3", "url": "https://example.org/x"})
    );
    write(&dir, "g_feed.jsonl", jsonl.as_bytes());
    let mut warc = warc_record("https://news.example.com/2024/05/01/bridge", &page("Bridge reopens after repairs", "The old bridge reopened to traffic on Wednesday after two years of repairs, the city said."));
    let second = warc_record("https://news.example.com/2024/05/01/dam", &page("Dam", "x"));
    warc.extend_from_slice(&second[..second.len() - 40]);
    write(&dir, "h_crawl.warc", &warc);
    let mut big = b"<html><body><p>".to_vec();
    big.resize(50 * 1024 * 1024, b'a');
    write(&dir, "i_huge.html", &big);
    std::os::unix::fs::symlink(dir.join("does-not-exist"), dir.join("j_broken_link.txt")).unwrap();

    let store = tmp.path().join("store");
    let (summary, stderr, code) = ingest_json(
        &store,
        &[
            dir.to_str().unwrap(),
            tmp.path().join("missing.txt").to_str().unwrap(),
        ],
    );
    assert_eq!(
        code,
        Some(0),
        "something was ingested, so success: {stderr}"
    );
    let r = reasons(&summary);
    let find = |file: &str| {
        r.iter()
            .find(|(s, _)| s.contains(file))
            .unwrap_or_else(|| panic!("no rejection for {file}: {r:#?}"))
            .clone()
    };
    assert!(find("b_empty.txt").1.contains("empty"));
    assert!(find("c_latin1.txt").1.contains("invalid UTF-8"));
    assert!(find("d_binary.dat").1.contains("binary"));
    assert!(find("e_truncated.txt.gz").1.contains("gzip"));
    let (src, why) = find("g_feed.jsonl#line=2");
    assert!(why.contains("invalid JSON"), "{src}: {why}");
    assert!(find("g_feed.jsonl#line=3")
        .1
        .contains("no `text` or `html`"));
    let (src, why) = find("h_crawl.warc@");
    assert!(why.contains("truncated"), "{src}: {why}");
    assert!(find("i_huge.html").1.contains("limit"));
    assert!(find("j_broken_link.txt").1.contains("no such file"));
    assert!(find("missing.txt").1.contains("no such file"));
    assert_eq!(r.len(), 10, "{r:#?}");
    // One line per rejection on stderr, naming the source and the reason.
    for (source, reason) in &r {
        assert!(
            stderr.contains(&format!("rejected: {source}: {reason}")),
            "{stderr}"
        );
    }
    // The good ones: the text file, the gzip, the JSON line, the WARC's first record.
    // The gzip differs from the text file by one word: a near copy, stored under it.
    assert_eq!(summary["read"], 4, "{summary:#}");
    assert_eq!(summary["new"], 3);
    assert_eq!(summary["near_copies"], 1);
    let s = stories(&store);
    let titles: Vec<&str> = s
        .iter()
        .flat_map(|x| x["articles"].as_array().unwrap())
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(titles.contains(&"Rail strike halts trains"));
    assert!(titles.contains(&"Bridge reopens after repairs"));
    let jsonl_article = s
        .iter()
        .flat_map(|x| x["articles"].as_array().unwrap())
        .find(|a| a["id"] == "j1")
        .expect("the JSONL id is the article id");
    assert!(jsonl_article["source"]
        .as_str()
        .unwrap()
        .ends_with("g_feed.jsonl#line=1"));
    assert_eq!(jsonl_article["outlet"], "Example Times");
    assert_eq!(jsonl_article["published"], "2024-05-01");
    let warc_article = s
        .iter()
        .flat_map(|x| x["articles"].as_array().unwrap())
        .find(|a| a["title"] == "Bridge reopens after repairs")
        .unwrap();
    assert_eq!(
        warc_article["url"],
        "https://news.example.com/2024/05/01/bridge"
    );
    assert_eq!(warc_article["published"], "2024-05-01T09:00:00+00:00");
}

#[test]
fn nothing_ingestable_exits_non_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let empty = write(tmp.path(), "empty.txt", b"");
    let (summary, stderr, code) = ingest_json(&tmp.path().join("s"), &[empty.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(summary["read"], 0);
    assert!(stderr.contains("empty.txt: empty file"), "{stderr}");
}

#[test]
fn stdin_globs_exact_copies_and_html() {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("s");
    let line = serde_json::json!({"id": "w1", "title": "Harbour fire destroys fishing fleet overnight", "text": GOOD, "date": "2024-03-05"}).to_string();
    let out = storyline(&store)
        .args(["ingest", "--json", "-"])
        .write_stdin(format!("{line}\n"))
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["new"], 1);
    // The same story from another site: an exact copy, folded under the original.
    let dir = tmp.path().join("d");
    std::fs::create_dir(&dir).unwrap();
    write(&dir, "copy1.txt", format!("Menu Search\n{GOOD}").as_bytes());
    write(&dir, "other.md", b"# notes, not an article");
    let pattern = format!("{}/*.txt", dir.display());
    let (v, stderr, code) = ingest_json(&store, &[&pattern]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(v["exact_copies"], 1, "{v:#}");
    let s = stories(&store);
    assert_eq!(s.len(), 1);
    let arts = s[0]["articles"].as_array().unwrap();
    assert_eq!(arts.len(), 2);
    assert!(arts.iter().any(|a| a["copy_of"] == "w1"));
    assert_eq!(
        arts.iter().find(|a| a["id"] == "w1").unwrap()["source"],
        "-#line=1"
    );
}

fn big_feed(dir: &Path, n: usize) -> PathBuf {
    let mut s = String::new();
    for i in 0..n {
        let topic = i % 50;
        s.push_str(&serde_json::json!({
            "id": format!("a{i}"),
            "title": format!("Council {topic} votes on budget plan number {i}"),
            "date": format!("2024-0{}-1{}", 1 + topic % 9, i % 10),
            "text": format!("The council of district {topic} voted on a budget plan on Monday. Item {i} was discussed at length by members of committee {topic}, who said the plan would be revised.")
        }).to_string());
        s.push('\n');
    }
    write(dir, "feed.jsonl", s.as_bytes())
}

/// Articles committed so far, or 0 while the store is still being created or is
/// locked by the writer (the poll below must not race the schema migration).
fn committed_so_far(store: &Path) -> i64 {
    rusqlite::Connection::open(store.join("storyline.db"))
        .and_then(|c| c.query_row("SELECT count(*) FROM articles", [], |r| r.get(0)))
        .unwrap_or(0)
}

fn count_articles(store: &Path) -> (i64, i64, String) {
    let c = rusqlite::Connection::open(store.join("storyline.db")).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    let distinct: i64 = c
        .query_row("SELECT count(DISTINCT id) FROM articles", [], |r| r.get(0))
        .unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (n, distinct, check)
}

/// Kill the ingest part-way (SIGINT, then SIGKILL) and run it again: the store is
/// intact and ends with every article exactly once.
#[test]
fn interrupted_or_killed_ingest_leaves_a_sound_store() {
    let tmp = tempfile::tempdir().unwrap();
    let feed = big_feed(tmp.path(), 3_000);
    let bin = assert_cmd::cargo::cargo_bin("storyline");
    for signal in ["-INT", "-KILL"] {
        let store = tmp.path().join(format!("store{signal}"));
        let mut child = std::process::Command::new(&bin)
            .arg("--store")
            .arg(&store)
            .args(["ingest", "--quiet", "--batch-size", "100"])
            .arg(&feed)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the first chunk is committed, then interrupt.
        let db = store.join("storyline.db");
        for _ in 0..600 {
            if db.exists() && committed_so_far(&store) > 0 {
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = std::process::Command::new("kill")
            .arg(signal)
            .arg(child.id().to_string())
            .status();
        let mut stderr = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
        let status = child.wait().unwrap();
        if signal == "-INT" {
            assert!(matches!(status.code(), Some(130) | Some(0)), "{status:?}");
            // Even quiet, and with stderr no terminal, an interruption says so.
            assert_eq!(
                status.code() == Some(130),
                stderr.contains("interrupted: what was read"),
                "{stderr}"
            );
        }
        let (n, distinct, check) = count_articles(&store);
        assert_eq!(check, "ok");
        assert_eq!(n, distinct);
        assert!(n <= 3_000);
        let (v, stderr, code) = ingest_json(&store, &[feed.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{stderr}");
        // The feed is templated, so most of it is near copies; all of it is stored once.
        assert_eq!(v["read"].as_i64().unwrap(), 3_000);
        let (n, distinct, check) = count_articles(&store);
        assert_eq!((n, distinct, check.as_str()), (3_000, 3_000, "ok"));
    }
}
