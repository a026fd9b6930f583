//! `storyline serve` against the real binary on loopback: every endpoint, bad requests,
//! auth, size limits, and escaping of hostile article text in the pages.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::*;
use serde_json::Value;

/// A running server, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(store: &Path, token: Option<&str>) -> Server {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("storyline"));
    cmd.env_remove("STORYLINE_STORE")
        .env_remove("STORYLINE_TOKEN")
        .arg("--store")
        .arg(store)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(t) = token {
        cmd.env("STORYLINE_TOKEN", t);
    }
    let mut child = cmd.spawn().expect("server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .rsplit(' ')
        .next()
        .filter(|u| u.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, base }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn get(s: &Server, path: &str) -> (u16, String) {
    let mut r = agent().get(&format!("{}{path}", s.base)).call().unwrap();
    let status = r.status().as_u16();
    (status, r.body_mut().read_to_string().unwrap())
}

fn get_json(s: &Server, path: &str) -> (u16, Value) {
    let (status, body) = get(s, path);
    let v =
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {body}"));
    (status, v)
}

fn post(s: &Server, body: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = agent()
        .post(&format!("{}/api/articles", s.base))
        .header("Content-Type", "application/json");
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let mut r = req.send(body).unwrap();
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let store = tmp.path().join("store");
    ingest_json(&store, &[seeds().to_str().unwrap()]);
    (tmp, store)
}

#[test]
fn api_endpoints_and_errors() {
    let (_tmp, store) = seeded();
    let s = start(&store, None);

    let (st, list) = get_json(&s, "/api/stories");
    assert_eq!(st, 200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let a = list.iter().find(|x| x["articles"] == 3).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, biggest) = get_json(&s, "/api/stories?sort=biggest&limit=1");
    assert_eq!(biggest[0]["id"], a.as_str());
    let (st, e) = get_json(&s, "/api/stories?sort=sideways");
    assert_eq!((st, e["status"].as_u64()), (400, Some(400)));
    let (_, by_entity) = get_json(&s, "/api/stories?entity=Leif-Eric%20Easley");
    assert_eq!(by_entity.as_array().unwrap().len(), 1);
    assert_eq!(by_entity[0]["id"], a.as_str());

    let (st, story) = get_json(&s, &format!("/api/stories/{}", &a[..6]));
    assert_eq!(st, 200);
    assert_eq!(story["id"], a.as_str());
    assert_eq!(story["timeline"].as_array().unwrap().len(), 3);
    for key in [
        "summary", "entities", "coverage", "claims", "related", "articles",
    ] {
        assert!(story[key].is_array(), "{key}");
    }
    let (st, e) = get_json(&s, "/api/stories/nope");
    assert_eq!(st, 404);
    assert!(e["error"].as_str().unwrap().contains("no story"));

    let art = story["articles"][0]["id"].as_str().unwrap().to_string();
    let (st, one) = get_json(&s, &format!("/api/articles/{art}"));
    assert_eq!(st, 200);
    assert_eq!(one["story"], a.as_str());
    assert!(one["text"].as_str().unwrap().len() > 500);
    assert_eq!(get_json(&s, "/api/articles/nope").0, 404);

    let (st, r) = get_json(&s, "/api/search?q=%22armored+train%22");
    assert_eq!(st, 200);
    assert_eq!(r["stories"][0]["id"], a.as_str());
    assert_eq!(r["total"], 2);
    let (_, r) = get_json(&s, "/api/search?q=Putin&to=2020-01-01");
    assert_eq!(r["total"], 1, "only the 2019 article: {r}");
    let (_, r) = get_json(&s, "/api/search?q=Putin&outlet=The%20Moscow%20Times");
    assert_eq!(r["total"], 1);
    assert_eq!(get_json(&s, "/api/search?q=Kim+AND+(").0, 400);
    assert_eq!(get_json(&s, "/api/search?q=Kim&from=yesterday").0, 400);

    let (st, d) = get_json(&s, "/api/duplicates");
    assert_eq!(st, 200);
    assert!(d.is_array());
    let (st, ex) = get_json(&s, &format!("/api/explain/{art}"));
    assert_eq!(st, 200, "{ex}");
    assert_eq!(get_json(&s, "/api/explain/nope").0, 404);
    assert_eq!(get_json(&s, "/api/nothing-here").0, 404);
    // A query string or path axum cannot read, and a method an endpoint does not take,
    // answer in the same JSON shape as every other error.
    for (path, status, says) in [
        ("/api/stories?limit=many", 400, "limit"),
        ("/api/search?q=Kim&limit=-1", 400, "limit"),
        ("/api/stories/%FF", 400, "UTF-8"),
    ] {
        let (st, e) = get_json(&s, path);
        assert_eq!(
            (st, e["status"].as_u64()),
            (status, Some(u64::from(status))),
            "{path}"
        );
        assert!(e["error"].as_str().unwrap().contains(says), "{path}: {e}");
    }
    let mut r = agent()
        .delete(&format!("{}/api/stories", s.base))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let e: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(e["status"], 405);

    let (st, doc) = get_json(&s, "/openapi.json");
    assert_eq!(st, 200);
    for p in [
        "/api/stories",
        "/api/stories/{id}",
        "/api/articles",
        "/api/search",
        "/api/duplicates",
        "/api/explain/{article}",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} in the OpenAPI document");
    }
    let (st, ui) = get(&s, "/docs/");
    assert_eq!(st, 200);
    assert!(ui.contains("swagger"), "Swagger UI is served");

    // Pages.
    let (st, home) = get(&s, "/");
    assert_eq!(st, 200);
    assert!(home.contains("Kim Jong Un arrives in Russia"));
    let (st, page) = get(&s, &format!("/stories/{a}"));
    assert_eq!(st, 200);
    for want in [
        "2023-09-04",
        "2023-09-05",
        "2023-09-12",
        "inferred",
        "<svg",
        "Coverage",
        "Claims across outlets",
        "one outlet only",
    ] {
        assert!(page.contains(want), "story page shows {want}");
    }
    assert_eq!(get(&s, "/stories/nope").0, 404);
    // Pages answer what they cannot read with an error page, not axum's plain text.
    for (path, status) in [("/?limit=many", 400), ("/stories/%FF", 400)] {
        let (st, page) = get(&s, path);
        assert_eq!(st, status, "{path}");
        assert!(page.contains("<h1>Bad Request</h1>"), "{path}: {page}");
    }
    let (st, sp) = get(&s, "/search?q=Shoigu");
    assert_eq!(st, 200);
    assert!(sp.contains(&format!("/stories/{a}")));
}

/// The first line of a raw HTTP reply. The server answers a refused upload without
/// waiting for its body and may keep the connection open, so read no further.
fn status_line(tcp: &mut std::net::TcpStream) -> String {
    use std::io::Read;
    tcp.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let mut reply = Vec::new();
    let mut buf = [0u8; 256];
    while !reply.windows(2).any(|w| w == b"\r\n") {
        match tcp.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&reply).into_owned()
}

#[test]
fn posting_articles_validates_ingests_and_escapes() {
    let (_tmp, store) = seeded();
    let s = start(&store, None);
    // Bad bodies.
    let (st, e) = post(&s, "not json", None);
    assert_eq!(st, 400);
    assert!(e["error"].as_str().unwrap().contains("not JSON"));
    assert_eq!(post(&s, "[]", None).0, 400);
    assert_eq!(post(&s, "[1, 2]", None).0, 400);
    assert_eq!(post(&s, "\"text\"", None).0, 400);
    // Over the size limit: refused on its Content-Length, before the body is read (a
    // raw request, so the refusal cannot race the client's writing).
    {
        use std::io::Write;
        let addr = s.base.trim_start_matches("http://");
        let mut tcp = std::net::TcpStream::connect(addr).unwrap();
        write!(
            tcp,
            "POST /api/articles HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n[",
            17 * 1024 * 1024
        )
        .unwrap();
        let reply = status_line(&mut tcp);
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    }
    // A chunked body, no declared length, that runs past the limit: cut off with a 413.
    {
        use std::io::Write;
        let addr = s.base.trim_start_matches("http://").to_string();
        let tcp = std::net::TcpStream::connect(&addr).unwrap();
        let mut writer = tcp.try_clone().unwrap();
        let sender = std::thread::spawn(move || {
            let _ = write!(
                writer,
                "POST /api/articles HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            );
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..17 {
                // The server may stop reading once it has refused: that ends the loop.
                if write!(writer, "{:x}\r\n", chunk.len()).is_err()
                    || writer.write_all(&chunk).is_err()
                    || writer.write_all(b"\r\n").is_err()
                {
                    return;
                }
            }
            let _ = writer.write_all(b"0\r\n\r\n");
        });
        let mut tcp = tcp;
        let reply = status_line(&mut tcp);
        let _ = tcp.shutdown(std::net::Shutdown::Both);
        sender.join().unwrap();
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    }
    // A record without text is rejected with its reason, as the CLI does.
    let (st, sum) = post(&s, r#"{"id": "empty", "title": "Nothing"}"#, None);
    assert_eq!(st, 400, "{sum}");
    assert_eq!(sum["rejected"].as_array().unwrap().len(), 1);
    // A hostile article is stored and shown as text.
    let hostile = serde_json::json!([{
        "id": "xss1",
        "url": "javascript:alert(3)",
        "title": "<script>alert(1)</script> Dam breaks upstream",
        "date": "2024-05-01",
        "outlet": "Example News",
        "text": "\"><img src=x onerror=alert(2)> The dam broke on Monday and water reached the valley towns within hours, officials said. Hundreds of residents left their homes as the river rose."
    }]);
    let (st, sum) = post(&s, &hostile.to_string(), None);
    assert_eq!(st, 200, "{sum}");
    assert_eq!(sum["new"], 1);
    let (_, r) = get_json(&s, "/api/search?q=dam");
    let id = r["stories"][0]["id"]
        .as_str()
        .expect("the new article is searchable at once")
        .to_string();
    let (_, page) = get(&s, &format!("/stories/{id}"));
    assert!(!page.contains("<script>alert"), "no raw script tag");
    assert!(!page.contains("<img src=x"), "no raw img tag");
    assert!(!page.contains("javascript:alert"), "no javascript: link");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (_, list) = get(&s, "/");
    assert!(list.contains("&lt;script&gt;") && !list.contains("<script>alert"));
    let (_, sp) = get(&s, "/search?q=%3Cscript%3E");
    assert!(!sp.contains("<script>"));
}

#[test]
fn writes_need_the_token_when_one_is_set() {
    let (_tmp, store) = seeded();
    let s = start(&store, Some("s3cret"));
    let body = r#"{"id": "t1", "title": "Storm", "date": "2024-01-02", "text": "A storm hit the coast on Tuesday, cutting power to thousands of homes, the utility said."}"#;
    assert_eq!(post(&s, body, None).0, 401);
    assert_eq!(post(&s, body, Some("wrong")).0, 401);
    let (st, sum) = post(&s, body, Some("s3cret"));
    assert_eq!(st, 200, "{sum}");
    assert_eq!(sum["new"], 1);
    // Reads stay open.
    assert_eq!(get(&s, "/api/stories").0, 200);
}

#[test]
fn binding_beyond_loopback_needs_a_token() {
    let tmp = tempfile::tempdir().unwrap();
    let out = storyline(&tmp.path().join("store"))
        .env_remove("STORYLINE_TOKEN")
        .args(["serve", "--addr", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a token"));
}

#[test]
fn stories_and_searches_follow_an_ingest_beside_the_server() {
    let (tmp, store) = seeded();
    let s = start(&store, None);
    let (_, list) = get_json(&s, "/api/stories?sort=biggest");
    let a = list[0]["id"].as_str().unwrap().to_string();
    let (_, before) = get_json(&s, &format!("/api/stories/{a}"));
    let n = before["articles"].as_array().unwrap().len();
    let (_, hits) = get_json(&s, "/api/search?q=Shoigu");
    let hits_before = hits["articles"].as_array().unwrap().len();
    // Another process adds an article to story A: a copy of one of its articles.
    let copy = tmp.path().join("copy.jsonl");
    let orig = &before["articles"][0];
    let text = get_json(
        &s,
        &format!("/api/articles/{}", orig["id"].as_str().unwrap()),
    )
    .1["text"]
        .as_str()
        .unwrap()
        .to_string();
    let rec = serde_json::json!({"id": "beside-1", "title": orig["title"], "date": "2023-09-06", "outlet": "Copy Desk", "text": text});
    std::fs::write(&copy, format!("{rec}\n")).unwrap();
    ingest_json(&store, &[copy.to_str().unwrap()]);
    // Every answer meanwhile is whole (the cached page or the fresh one), and the fresh
    // one arrives without any write through the server.
    eventually("the ingest beside the server to show", || {
        let (st, now) = get_json(&s, &format!("/api/stories/{a}"));
        assert_eq!(st, 200);
        let m = now["articles"].as_array().unwrap().len();
        assert!(m == n || m == n + 1, "{m} articles, {n} before");
        let (st, hits) = get_json(&s, "/api/search?q=Shoigu");
        assert_eq!(st, 200);
        let h = hits["articles"].as_array().unwrap().len();
        m == n + 1 && h > hits_before
    });
}

/// Asks `done` every 100 ms until it says yes; fails after 30 s, naming `what` it
/// waited for.
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !done() {
        assert!(
            std::time::Instant::now() < deadline,
            "waited 30 s for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn a_story_page_shows_the_link_a_later_story_made_beside_the_server() {
    // The 2019 summit alone: no related story yet.
    let tmp = tempfile::tempdir().unwrap();
    let (early, late) = (tmp.path().join("2019"), tmp.path().join("2023"));
    for dir in [&early, &late] {
        std::fs::create_dir(dir).unwrap();
    }
    for f in std::fs::read_dir(seeds()).unwrap() {
        let f = f.unwrap().path();
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        if name.ends_with(".txt") {
            let to = if name.starts_with("002_") {
                &early
            } else {
                &late
            };
            std::fs::copy(&f, to.join(name)).unwrap();
        }
    }
    let store = tmp.path().join("store");
    ingest_json(&store, &[early.to_str().unwrap()]);
    let s = start(&store, None);
    let (_, list) = get_json(&s, "/api/stories");
    let b = list[0]["id"].as_str().unwrap().to_string();
    let (_, before) = get_json(&s, &format!("/api/stories/{b}"));
    assert_eq!(before["related"], serde_json::json!([]));
    // Another process stores the 2023 summit. Its event links itself to the 2019 one
    // and saves only itself: the 2019 story's page must still come to show the link.
    ingest_json(&store, &[late.to_str().unwrap()]);
    eventually("the 2019 story to show the 2023 one as related", || {
        let (st, now) = get_json(&s, &format!("/api/stories/{b}"));
        assert_eq!(st, 200);
        assert_eq!(now["articles"].as_array().unwrap().len(), 1);
        let related = now["related"].as_array().unwrap();
        if related.is_empty() {
            return false;
        }
        assert_eq!(related[0]["when"], "after");
        let page = get(&s, &format!("/stories/{b}")).1;
        let other = related[0]["id"].as_str().unwrap();
        assert!(page.contains(&format!("/stories/{other}")), "{page}");
        true
    });
}

#[test]
fn searches_follow_a_merge_beside_the_server() {
    let (_tmp, store) = seeded();
    let s = start(&store, None);
    let story_ids = |v: &Value| -> Vec<String> {
        let mut ids: Vec<String> = v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["story"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let (_, hits) = get_json(&s, "/api/search?q=Putin");
    let before = story_ids(&hits);
    assert_eq!(before.len(), 2, "{hits}");
    assert_eq!(hits["stories"].as_array().unwrap().len(), 2);
    // Another process merges the two stories: the index and its mark stay as they
    // were, but every hit now belongs to the story that absorbed the other.
    ok(storyline(&store)
        .args(["merge", &before[0], &before[1]])
        .output()
        .unwrap());
    eventually(
        "the search to show the merge made beside the server",
        || {
            let (st, hits) = get_json(&s, "/api/search?q=Putin");
            assert_eq!(st, 200);
            let now = story_ids(&hits);
            assert!(now == before || now == [before[0].clone()], "{now:?}");
            if now.len() > 1 {
                return false;
            }
            assert_eq!(hits["stories"].as_array().unwrap().len(), 1);
            true
        },
    );
}
