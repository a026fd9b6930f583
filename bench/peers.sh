#!/usr/bin/env bash
# Extraction peers side by side: trafilatura (main text with metadata) and htmldate
# (publication date), installed from PyPI into a throwaway virtualenv, scored on the
# same bench pages with the same rules as `storyline eval extract`, in the same run.
#
# Speed on a shared machine moves by a tenth or more from one run to the next, so the
# two sides take turns: ROUNDS rounds, each one `storyline eval extract` and one timed
# trafilatura pass over the 990 extraction pages. The ratio printed last is the median
# of Storyline's rounds over the median of trafilatura's; every round is printed too.
#
#   bash bench/peers.sh [SHARED_DIR]      (default: ../shared; ROUNDS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
bench="$shared/bench"
rounds="${ROUNDS:-3}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo build --release -q
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q "trafilatura==2.3.1" htmldate lxml_html_clean

cat > "$tmp/peers.py" <<'PY'
import gzip, json, sys, time
import trafilatura, htmldate

bench, what = sys.argv[1], sys.argv[2]
norm = lambda s: " ".join((s or "").split())
rows = lambda name: [json.loads(l) for l in open(f"{bench}/{name}") if l.strip()]
page = lambda sub, name: gzip.open(f"{bench}/{sub}/{name}").read()

def traf():
    """Main text, with metadata, timed as the whole extraction."""
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
    cpu = time.process_time() - t0
    p, rc = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"precision": p, "recall": rc, "f1": 2 * p * rc / (p + rc), "pages_per_cpu_second": len(ex) / cpu,
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

if what == "trafilatura":
    print(json.dumps(traf()))
else:
    print(json.dumps({"htmldate_extensive": dates(True), "htmldate_fast": dates(False),
                      "htmldate_extensive_original_date": dates(True, True),
                      "htmldate_version": htmldate.__version__}, indent=1))
PY

for i in $(seq "$rounds"); do
    echo "== round $i"
    target/release/storyline eval extract --bench "$bench" --json > "$tmp/ours-$i.json"
    "$tmp/venv/bin/python" "$tmp/peers.py" "$bench" trafilatura > "$tmp/traf-$i.json"
    python3 - "$tmp/ours-$i.json" "$tmp/traf-$i.json" <<'PY'
import json, sys
o, t = (json.load(open(p)) for p in sys.argv[1:])
print(f"storyline {o['pages_per_cpu_second']:.0f}, trafilatura {t['pages_per_cpu_second']:.1f} pages per CPU-second: "
      f"{o['pages_per_cpu_second'] / t['pages_per_cpu_second']:.1f}x")
PY
done

echo "== storyline (round 1)"
cat "$tmp/ours-1.json"
echo "== htmldate"
"$tmp/venv/bin/python" "$tmp/peers.py" "$bench" htmldate > "$tmp/htmldate.json"
cat "$tmp/htmldate.json"

echo "== summary"
python3 - "$tmp" "$rounds" <<'PY'
import json, statistics, sys
tmp, n = sys.argv[1], int(sys.argv[2])
ours = [json.load(open(f"{tmp}/ours-{i}.json")) for i in range(1, n + 1)]
traf = [json.load(open(f"{tmp}/traf-{i}.json")) for i in range(1, n + 1)]
hd = json.load(open(f"{tmp}/htmldate.json"))
o, t = ours[0], traf[0]
# Quality does not depend on the round; say so if it ever does.
for other in ours[1:]:
    assert other["text"] == o["text"] and other["dates"] == o["dates"], "storyline's quality moved between rounds"
print(f"main-text F1: storyline {o['text']['f1']:.3f} vs trafilatura {t['f1']:.3f} (trafilatura {t['version']})")
print(f"date accuracy: storyline {o['dates']['accuracy']:.3f} vs htmldate extensive {hd['htmldate_extensive']['accuracy']:.3f}, "
      f"extensive with original_date {hd['htmldate_extensive_original_date']['accuracy']:.3f}")
ms = statistics.median(r["pages_per_cpu_second"] for r in ours)
mt = statistics.median(r["pages_per_cpu_second"] for r in traf)
print("speed, whole extraction, rounds: " + ", ".join(
    f"{a['pages_per_cpu_second']:.0f}/{b['pages_per_cpu_second']:.1f}" for a, b in zip(ours, traf)))
print(f"speed, whole extraction, medians of {n} rounds: storyline {ms:.0f} vs trafilatura {mt:.1f} "
      f"pages per CPU-second: {ms / mt:.1f}x")
PY
