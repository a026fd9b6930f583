#!/usr/bin/env bash
# Near-duplicate detection throughput: Storyline vs datasketch's MinHashLSH, same
# shingles, same number of permutations (128) and the same banding (64 × 2), in one run.
#
#   bash bench/dedup_peers.sh [SHARED_DIR]      (default: ../shared)
#
# Installs datasketch from PyPI into a throwaway virtualenv. Prints both rates in
# documents per CPU-second (signature + LSH query + insert; shingling excluded) and
# their ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo build --release -q
python3 bench/make_syndication.py "$shared/bench/clustering" --seed 7 > "$tmp/set.jsonl"
ours=$(target/release/storyline bench dedup --set "$tmp/set.jsonl" --shingles-out "$tmp/shingles.jsonl" --rounds 5)

python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install -q datasketch
peer=$("$tmp/venv/bin/python" - "$tmp/shingles.jsonl" <<'PY'
import json, sys, time
from datasketch import MinHash, MinHashLSH
docs = [[s.to_bytes(8, "little") for s in json.loads(l)] for l in open(sys.argv[1])]
rounds = 2
t0 = time.process_time()
for r in range(rounds):
    lsh = MinHashLSH(num_perm=128, params=(64, 2))
    for i, sh in enumerate(docs):
        m = MinHash(num_perm=128)
        m.update_batch(sh)
        lsh.query(m)
        lsh.insert(f"{r}-{i}", m)
cpu = time.process_time() - t0
import datasketch
print(json.dumps({"docs": len(docs), "rounds": rounds, "cpu_seconds": cpu,
                  "docs_per_cpu_second": len(docs) * rounds / cpu, "version": datasketch.__version__}))
PY
)
echo "storyline:  $ours"
echo "datasketch: $peer"
python3 - "$ours" "$peer" <<'PY'
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"ratio: {a['docs_per_cpu_second'] / b['docs_per_cpu_second']:.1f}x "
      f"({a['docs_per_cpu_second']:.0f} vs {b['docs_per_cpu_second']:.0f} docs per CPU-second; datasketch {b['version']})")
PY
