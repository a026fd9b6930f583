#!/usr/bin/env bash
# Load test of `storyline serve` on loopback: story pages and search over a store of
# 100k articles, while an ingest of 10k more runs beside the server.
#
#   bash bench/load.sh [path/to/shared] [seconds] [warm-up seconds]
#
# Needs wrk (Debian package `wrk`). The corpus is made by bench/make_corpus.py from the
# bench's clustering sets; the store is kept in $STORYLINE_LOAD_DIR (default
# /tmp/storyline-load) and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
secs="${2:-30}"
warm="${3:-60}"
work="${STORYLINE_LOAD_DIR:-/tmp/storyline-load}"
port=18181
mkdir -p "$work"
command -v wrk >/dev/null || { echo "load.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }

cargo build --release -q
bin=target/release/storyline

if [ ! -f "$work/corpus.jsonl" ]; then
  python3 bench/make_corpus.py "$shared/bench/clustering" 110000 > "$work/corpus.jsonl"
  head -n 100000 "$work/corpus.jsonl" > "$work/base.jsonl"
  tail -n 10000 "$work/corpus.jsonl" > "$work/extra.jsonl"
fi
if [ ! -f "$work/store/storyline.db" ]; then
  echo "== ingest 100k articles (once)"
  /usr/bin/time -f "ingest: %e s wall, %U+%S s CPU, %M KB peak" \
    "$bin" --store "$work/store" --quiet ingest "$work/base.jsonl"
fi
# Start from the 100k store each run: the extra articles go in during the test.
rm -rf "$work/run"
cp -r "$work/store" "$work/run"

echo "== search index build (first open)"
/usr/bin/time -f "index: %e s wall" "$bin" --store "$work/run" search "president" --limit 1 >/dev/null

"$bin" --store "$work/run" serve --addr "127.0.0.1:$port" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; kill $ingest 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "serving" "$work/serve.log" && break; sleep 0.2; done

# Paths: 200 story pages (biggest stories) and 200 searches (words of their headlines).
python3 - "$port" > "$work/paths.lua" <<'PY'
import json, sys, urllib.parse, urllib.request, random
port = sys.argv[1]
stories = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stories?sort=biggest&limit=200"))
rng = random.Random(5)
words = [w.strip('.,:;"\'()').lower() for s in stories for w in (s["headline"] or "").split() if len(w) > 5]
paths = [f"/stories/{s['id']}" for s in stories]
paths += ["/search?q=" + urllib.parse.quote_plus(" ".join(rng.sample(words, 2))) for _ in range(200)]
rng.shuffle(paths)
print("local paths = {" + ",".join(json.dumps(p) for p in paths) + "}")
print("local i = 0")
print("request = function() i = i % #paths + 1; return wrk.format('GET', paths[i]) end")
PY

echo "== warm-up: ${warm} s of the same requests (first story pages are synthesised, then cached)"
wrk -t2 -c16 -d"${warm}s" -s "$work/paths.lua" "http://127.0.0.1:$port" | grep -E "Requests/sec|Latency " || true

echo "== ingest of 10k more articles starts beside the server"
"$bin" --store "$work/run" --quiet ingest "$work/extra.jsonl" > "$work/extra.log" 2>&1 &
ingest=$!
sleep 2
echo "== wrk: ${secs}s, 2 threads, 32 connections, story pages and searches"
wrk -t2 -c32 -d"${secs}s" --latency -s "$work/paths.lua" "http://127.0.0.1:$port" | tee "$work/wrk.txt"
if kill -0 $ingest 2>/dev/null; then echo "ingest was still running at the end of the test"; else echo "ingest finished during the test"; fi
