#!/usr/bin/env python3
"""Build a labelled syndication set from real articles, reproducibly.

    python3 bench/make_syndication.py ../shared/bench/clustering --seed 7 > synd.jsonl

Every original article of basil.jsonl and story-chains.jsonl is kept. Each one gets 0
to 3 copies, made by the transformations real syndication applies (a random 2 to 4 of
them per copy):

- a different headline;
- a local intro paragraph added;
- the last paragraphs cut;
- page chrome and photo captions wrapped around;
- two paragraphs swapped;
- typographic quotes and whitespace changed;
- a correction line added.

Output rows: {id, group, event, source, outlet, date, title, text}.
- `group` is the original's id: rows sharing a group are copies of one article, the
  positive pairs.
- `event` is the gold event of BASIL rows. BASIL covers each event from three outlets
  in their own words, so those pairs are hard negatives, never to be grouped.

- `source` is the file the original came from. Story-chains is trade press, where one
  press release is often rewritten by several sites; pairs of story-chains originals
  are therefore not known to be independent. The scorer reports such pairs as
  unlabelled instead of counting them as errors. BASIL originals (their own words, by
  construction) and pairs across the two sources are known negatives.

Only the scorer reads `group`, `event` and `source`; the engine never does.
"""
import argparse
import json
import os
import random

INTROS = [
    "Local officials said they were following the developments closely.",
    "This story was first published by our partners and is republished with permission.",
    "Here is what we know so far, and what it could mean for readers in our area.",
    "The news drew quick reactions from community leaders on Monday.",
    "Residents in the region have been watching the situation for weeks.",
]
CHROME_TOP = ["Advertisement", "Share this article", "Skip to main content", "Sign up for our newsletter"]
CHROME_BOTTOM = ["Related: More coverage of this story", "READ MORE: Latest news", "Advertisement", "Click here to subscribe"]
CAPTIONS = [
    "FILE - Officials speak to reporters outside the building. (AP Photo/Staff, File)",
    "Photo: Getty Images",
    "A view of the scene on Tuesday. © Reuters / Staff",
]
CORRECTIONS = [
    "Correction: An earlier version of this article misstated the date of the meeting.",
    "This article has been updated with additional details.",
]
HEADLINE_PREFIXES = ["UPDATE: ", "WATCH: ", "", "Breaking: ", "Report: "]


def paragraphs(text):
    ps = [p.strip() for p in text.replace("\r", "").split("\n\n") if p.strip()]
    if len(ps) <= 1:
        ps = [p.strip() for p in text.split("\n") if p.strip()]
    return ps


def retitle(title, rnd):
    words = title.split()
    if len(words) > 4 and rnd.random() < 0.5:
        k = rnd.randrange(len(words) - 2)
        words[k], words[k + 1] = words[k + 1], words[k]
    return rnd.choice(HEADLINE_PREFIXES) + " ".join(words)


def typography(p, rnd):
    if rnd.random() < 0.5:
        p = p.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'")
    else:
        p = p.replace('"', "\u201c", 1).replace("'", "\u2019")
    return p.replace(" ", "  ", 3)


def make_copy(orig, rnd, intro):
    ps = paragraphs(orig["text"])
    title = orig.get("title") or ""
    kinds = rnd.sample(["headline", "intro", "cut", "chrome", "swap", "typography", "correction"], rnd.randint(2, 4))
    if "cut" in kinds and len(ps) >= 4:
        keep = max(2, int(len(ps) * rnd.uniform(0.55, 0.9)))
        ps = ps[:keep]
    if "swap" in kinds and len(ps) >= 4:
        k = rnd.randrange(1, len(ps) - 1)
        ps[k], ps[k + 1] = ps[k + 1], ps[k]
    if "typography" in kinds:
        ps = [typography(p, rnd) for p in ps]
    if "intro" in kinds:
        ps = [intro] + ps
    if "correction" in kinds:
        ps = ps + [rnd.choice(CORRECTIONS)]
    if "headline" in kinds:
        title = retitle(title, rnd)
    lines = []
    if "chrome" in kinds:
        lines += [rnd.choice(CHROME_TOP), title, rnd.choice(CAPTIONS)]
        lines += ps
        lines += [rnd.choice(CHROME_BOTTOM)]
    else:
        lines += [title] + ps
    return title, "\n\n".join(lines), kinds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("clustering_dir")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    outlets = ["Daily Courier", "Morning Herald", "Valley News", "Coastal Times", "Metro Post"]
    for name in ["basil.jsonl", "story-chains.jsonl"]:
        with open(os.path.join(args.clustering_dir, name), encoding="utf-8") as f:
            rows = [json.loads(l) for l in f if l.strip()]
        for r in rows:
            base = {"group": r["id"], "event": r.get("event") if name == "basil.jsonl" else None,
                    "source": name.removesuffix(".jsonl")}
            print(json.dumps({**base, "id": r["id"], "outlet": r.get("outlet"), "date": r.get("date"),
                              "title": r.get("title"), "text": (r.get("title") or "") + "\n\n" + r["text"]}))
            n = rnd.choice([0, 1, 1, 2, 3])
            # Sites that add a local intro each write their own.
            intros = rnd.sample(INTROS, n)
            for c in range(n):
                title, text, kinds = make_copy(r, rnd, intros[c])
                print(json.dumps({**base, "id": f"{r['id']}~copy{c}", "outlet": rnd.choice(outlets),
                                  "date": r.get("date"), "title": title, "text": text, "made_by": kinds}))


if __name__ == "__main__":
    main()
