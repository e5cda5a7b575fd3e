#!/usr/bin/env python3
"""The best token F1 any line-removal cleaner could reach on a corpus flavour.

For each document, lines are removed one at a time, in order, whenever
removing one raises the document's token F1 against its gold body (the
scorer's own tokens and F1, from ../shared/eval/score.py), passing over the
lines again until none does. This greedy oracle knows the gold; it bounds
what removing whole lines can gain over the unchanged text.

Usage: scripts/line_oracle.py [CORPUS_DIR...] [--flavour page|residue]
(default: ../shared/corpus/dev and ../shared/corpus/web2026, residue).
"""

import argparse
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "..", "..", "shared", "eval")
sys.path.insert(0, EVAL)
from score import prf, read, tokens  # noqa: E402


def oracle_f1(text: str, gold: Counter) -> float:
    """The F1 after greedily removing the lines whose removal raises it."""
    lines = [Counter(tokens(line)) for line in text.split("\n")]
    kept = Counter(tokens(text))
    best = prf(kept, gold)[2]
    gone = [False] * len(lines)
    improved = True
    while improved:
        improved = False
        for k, line in enumerate(lines):
            if gone[k] or not line:
                continue
            trial = kept - line
            f1 = prf(trial, gold)[2]
            if f1 > best + 1e-12:
                kept, best, gone[k], improved = trial, f1, True, True
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = [os.path.join(HERE, "..", "..", "shared", "corpus", c) for c in ("dev", "web2026")]
    ap.add_argument("corpora", nargs="*", default=default)
    ap.add_argument("--flavour", choices=["page", "residue"], default="residue")
    args = ap.parse_args()
    for corpus in args.corpora:
        ids = sorted(n[: -len(".gold.txt")] for n in os.listdir(corpus) if n.endswith(".gold.txt"))
        unchanged, oracle = [], []
        for doc_id in ids:
            gold = Counter(tokens(read(os.path.join(corpus, f"{doc_id}.gold.txt"))))
            text = read(os.path.join(corpus, f"{doc_id}.{args.flavour}.txt"))
            unchanged.append(prf(Counter(tokens(text)), gold)[2])
            oracle.append(oracle_f1(text, gold))
        n = max(len(ids), 1)
        u, o = sum(unchanged) / n, sum(oracle) / n
        name = os.path.basename(os.path.normpath(corpus))
        print(f"{name} {args.flavour}: {len(ids)} documents, unchanged F1 {u:.4f}, line oracle {o:.4f} (+{o - u:.4f})")


if __name__ == "__main__":
    main()
