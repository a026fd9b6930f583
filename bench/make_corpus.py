#!/usr/bin/env python3
"""Makes a large JSON-lines corpus for load and scale tests from the bench's labelled
clustering sets (real news text), without copying them into the repository.

Each cycle re-issues every source article under a new id, 30 days after the previous
cycle. After the first cycle, an article keeps about half of its paragraphs and takes
the others from another article of the sets, so that it is not a copy of its earlier
issues (copies would be folded, not stored as articles). Cycles are further apart than
the clustering window, so each cycle makes stories of its own.

    python3 bench/make_corpus.py ../shared/bench/clustering 100000 > corpus.jsonl
"""
import datetime as dt
import glob
import json
import random
import sys


def main():
    folder, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(11)
    src = []
    for path in sorted(glob.glob(f"{folder}/*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d.get("text") and d.get("date"):
                    src.append(d)
    out = sys.stdout
    for i in range(n):
        s = src[i % len(src)]
        cycle = i // len(src)
        day = dt.date.fromisoformat(s["date"][:10]) + dt.timedelta(days=30 * cycle)
        paras = [p for p in s["text"].split("\n") if p.strip()]
        if cycle:
            other = [p for p in rng.choice(src)["text"].split("\n") if p.strip()]
            keep = paras[: max(1, len(paras) // 2)]
            paras = keep + other[len(other) // 2 :] + [f"(Issue {cycle} of this report.)"]
        rec = {
            "id": f"load-{i}",
            "date": day.isoformat(),
            "outlet": s.get("outlet") or "wire",
            "title": s.get("title") or paras[0][:90],
            "text": "\n\n".join(paras),
        }
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
