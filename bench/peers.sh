#!/usr/bin/env bash
# Extraction peers side by side: trafilatura (main text with metadata) and htmldate
# (publication date), installed from PyPI into a throwaway virtualenv, scored on the
# same bench pages with the same rules as `storyline eval extract`, in the same run.
#
#   bash bench/peers.sh [SHARED_DIR]      (default: ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
bench="$shared/bench"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo build --release -q
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "trafilatura==2.3.1" htmldate lxml_html_clean

echo "== storyline"
target/release/storyline eval extract --bench "$bench" --json > "$tmp/ours.json"
cat "$tmp/ours.json"

echo "== peers"
"$tmp/venv/bin/python" - "$bench" "$tmp/ours.json" <<'PY'
import gzip, json, sys, time
import trafilatura, htmldate

bench, ours_path = sys.argv[1], sys.argv[2]
norm = lambda s: " ".join((s or "").split())
rows = lambda name: [json.loads(l) for l in open(f"{bench}/{name}") if l.strip()]
page = lambda sub, name: gzip.open(f"{bench}/{sub}/{name}").read()

# Main text, with metadata, timed as the whole extraction.
tp = fp = fn = 0
ex = rows("extraction.jsonl")
t0 = time.process_time()
for r in ex:
    url = r["url"] if r["url"].startswith("http") else None
    out = trafilatura.extract(page("pages", r["page"]), url=url, with_metadata=True, output_format="json") or "{}"
    text = norm(json.loads(out).get("text"))
    for s in r["with"]:
        if norm(s) in text: tp += 1
        else: fn += 1
    for s in r["without"]:
        if norm(s) in text: fp += 1
traf_cpu = time.process_time() - t0
p, rc = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
traf = {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc), "pages_per_cpu_second": len(ex) / traf_cpu,
        "version": trafilatura.__version__}

def dates(extensive, original=False):
    right = returned = 0
    ds = rows("dates.jsonl")
    t0 = time.process_time()
    for r in ds:
        d = htmldate.find_date(page("pages", r["page"]), url=r["url"], extensive_search=extensive, original_date=original)
        if d: returned += 1
        if d == r["date"]: right += 1
    cpu = time.process_time() - t0
    return {"accuracy": right / len(ds), "returned": returned, "pages_per_cpu_second": len(ds) / cpu}

peers = {"trafilatura": traf, "htmldate_extensive": dates(True), "htmldate_fast": dates(False),
         "htmldate_extensive_original_date": dates(True, True),
         "htmldate_version": htmldate.__version__}
print(json.dumps(peers, indent=1))
ours = json.load(open(ours_path))
print(f"main-text F1: storyline {ours['text']['f1']:.3f} vs trafilatura {traf['f1']:.3f}")
print(f"date accuracy: storyline {ours['dates']['accuracy']:.3f} vs htmldate extensive {peers['htmldate_extensive']['accuracy']:.3f}, "
      f"extensive with original_date {peers['htmldate_extensive_original_date']['accuracy']:.3f}")
print(f"speed, whole extraction: storyline {ours['pages_per_cpu_second']:.0f} vs trafilatura {traf['pages_per_cpu_second']:.1f} "
      f"pages per CPU-second: {ours['pages_per_cpu_second'] / traf['pages_per_cpu_second']:.1f}x")
PY
