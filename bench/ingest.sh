#!/usr/bin/env bash
# Ingest throughput and peak memory of the whole pipeline (read → extract → analyze →
# dedup → cluster → link → store), one fresh store per input set.
#
#   bash bench/ingest.sh [SHARED_DIR]     (default: ../shared)
#
# Prints one line per set: articles, wall seconds, CPU seconds, articles per CPU
# second, peak RSS. Each set is run 3 times; the fastest run is reported.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
cargo build --release -q
bin=target/release/storyline
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sets=("seeds:$shared/seeds")
for f in "$shared"/bench/clustering/*.jsonl; do
  [ -e "$f" ] && sets+=("$(basename "$f" .jsonl):$f")
done

printf '%-14s %8s %8s %8s %12s %10s\n' set articles wall_s cpu_s art/cpu_s peak_MiB
for entry in "${sets[@]}"; do
  name=${entry%%:*}; input=${entry#*:}
  best=""
  for run in 1 2 3; do
    rm -rf "$tmp/store"
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$bin" --store "$tmp/store" ingest --json "$input" > "$tmp/summary"
    read -r wall user sys rss < "$tmp/time"
    cpu=$(echo "$user + $sys" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$cpu < $best" | bc -l)" = 1 ]; then
      best=$cpu; best_wall=$wall; best_rss=$rss
    fi
  done
  n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["read"])' "$tmp/summary")
  rate=$(echo "if ($best > 0) $n / $best else 0" | bc -l)
  printf '%-14s %8d %8.2f %8.2f %12.0f %10.1f\n' "$name" "$n" "$best_wall" "$best" "$rate" "$(echo "$best_rss / 1024" | bc -l)"
done
