#!/usr/bin/env python3
"""Cross-validate pith's body-detection settings on a gold corpus.

The default settings were chosen on ../shared/corpus/dev, so their dev score
is optimistic. This script estimates how much: for each of K folds of the
documents, it picks the best combination of a small settings grid on the
other folds (mean token F1 over both flavours) and scores that choice on the
held-out fold. It prints the dev score of the defaults beside the held-out
score of the fold-wise choices.

Usage: scripts/crossval.py [--corpus DIR] [--folds K] [--pith PATH]
Standard library only; runs `pith eval --json --per-doc` once per setting and flavour.
"""
import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import tempfile

GRID = {
    "earliest_share": [0.3, 0.4, 0.5],
    "barrier_max_words": [8, 12, 16],
    "line_target_words": [10.0, 12.0, 14.0],
    "min_menu_share": [0.25, 0.3, 0.35],
}
FLAVOURS = ("page", "residue")


def evaluate(pith, corpus, settings, flavour):
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write("[settings.shape]\n")
        for key, value in settings.items():
            f.write(f"{key} = {value}\n")
        path = f.name
    try:
        out = subprocess.run(
            [pith, "eval", corpus, "--flavour", flavour, "--json", "--per-doc", "--worst", "0", "--rules", path],
            check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return {d["id"]: d for d in json.loads(out)["documents"]}


def fold_of(doc_id, k):
    return int(hashlib.sha256(("pith-cv:" + doc_id).encode()).hexdigest()[:8], 16) % k


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "dev"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--pith", default=os.path.join(here, "..", "target", "release", "pith"))
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"crossval: no corpus at {args.corpus}")
    combos = [dict(zip(GRID, values)) for values in itertools.product(*GRID.values())]
    results = []
    for n, combo in enumerate(combos, 1):
        print(f"\r{n}/{len(combos)} settings", end="", file=sys.stderr, flush=True)
        results.append({fl: evaluate(args.pith, args.corpus, combo, fl) for fl in FLAVOURS})
    print(file=sys.stderr)
    defaults = {fl: evaluate(args.pith, args.corpus, {}, fl) for fl in FLAVOURS}
    ids = sorted(defaults["page"])
    held_out = {fl: {} for fl in FLAVOURS}
    chosen = []
    for k in range(args.folds):
        train = [i for i in ids if fold_of(i, args.folds) != k]
        test = [i for i in ids if fold_of(i, args.folds) == k]
        best = max(range(len(combos)), key=lambda c: mean(
            results[c][fl][i]["f1"] for fl in FLAVOURS for i in train))
        chosen.append(combos[best])
        for fl in FLAVOURS:
            for i in test:
                held_out[fl][i] = results[best][fl][i]
    print(f"{len(ids)} documents, {args.folds} folds, {len(combos)} settings")
    for fl in FLAVOURS:
        dev = defaults[fl]
        ho = held_out[fl]
        print(f"{fl:8} defaults on dev: P={mean(d['p'] for d in dev.values()):.3f} "
              f"R={mean(d['r'] for d in dev.values()):.3f} F1={mean(d['f1'] for d in dev.values()):.3f}   "
              f"held-out (chosen per fold): P={mean(d['p'] for d in ho.values()):.3f} "
              f"R={mean(d['r'] for d in ho.values()):.3f} F1={mean(d['f1'] for d in ho.values()):.3f}")
    print("settings chosen per fold:")
    for k, combo in enumerate(chosen):
        print(f"  fold {k}: {combo}")


if __name__ == "__main__":
    main()
