//! Helpers shared by the integration tests: they run the real `storyline` binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// The seed articles: `STORYLINE_SEEDS`, else `../shared/seeds` beside the repo.
/// Missing seeds fail the test rather than skip it.
pub fn seeds() -> PathBuf {
    let dir = std::env::var_os("STORYLINE_SEEDS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"));
    assert!(
        dir.join("000_72072f22cab6d14c.txt").exists(),
        "seed articles not found at {} (set STORYLINE_SEEDS)",
        dir.display()
    );
    dir
}

pub fn storyline(store: &Path) -> Command {
    let mut c = Command::cargo_bin("storyline").expect("binary builds");
    c.env_remove("STORYLINE_STORE").arg("--store").arg(store);
    c
}

/// The output of a command that must succeed (the failure shows its stderr).
pub fn ok(out: Output) -> Output {
    assert!(
        out.status.success(),
        "command failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "command failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

pub fn ingest_json(store: &Path, args: &[&str]) -> (serde_json::Value, String, Option<i32>) {
    let out = storyline(store)
        .arg("ingest")
        .arg("--json")
        .args(args)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let v =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    (v, stderr, out.status.code())
}

pub fn stories(store: &Path) -> Vec<serde_json::Value> {
    let out = storyline(store)
        .args(["stories", "--json"])
        .output()
        .expect("runs");
    json(&out).as_array().cloned().expect("an array")
}

/// The file names of a story's articles, sorted.
pub fn files_of(story: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = story["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .map(|a| {
            let s = a["source"].as_str().expect("source");
            Path::new(s)
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_default()
        })
        .collect();
    v.sort();
    v
}
