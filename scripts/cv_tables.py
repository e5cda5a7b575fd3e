#!/usr/bin/env python3
"""Markdown tables of a cross-validation report (`pith train --cv --report FILE`).

Usage: scripts/cv_tables.py REPORT.json

Prints, from the held-out documents of the report: token F1 per corpus and
flavour against the unchanged input, by page type and by language, the share
of documents whose recall pith lowered by more than 0.05, and the metadata
accuracy (title, author, published) of web2026's page text. Standard library only.
"""
import json
import sys
from collections import defaultdict


def mean(xs):
    return sum(xs) / len(xs) if xs else 0.0


def rows(docs, key):
    groups = defaultdict(list)
    for d in docs:
        groups[(d["corpus"], d["flavour"], key(d))].append(d)
    return groups


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    docs = report["documents"]
    print("| corpus | flavour | docs | unchanged F1 | pith P | pith R | pith F1 | delta | recall lowered > 0.05 |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (corpus, flavour, _), ds in sorted(rows(docs, lambda d: "all").items()):
        f1 = mean([d["score"]["f1"] for d in ds])
        u = mean([d["unchanged"]["f1"] for d in ds])
        lowered = mean([1.0 if d["score"]["r"] < d["unchanged"]["r"] - 0.05 else 0.0 for d in ds])
        print(f"| {corpus} | {flavour} | {len(ds)} | {u:.3f} | {mean([d['score']['p'] for d in ds]):.3f} | "
              f"{mean([d['score']['r'] for d in ds]):.3f} | **{f1:.3f}** | {f1 - u:+.3f} | {100 * lowered:.1f}% |")
    print()
    print("| page type (web2026) | docs | page: unchanged → pith | residue: unchanged → pith (delta) |")
    print("| --- | ---: | --- | --- |")
    by_type = rows([d for d in docs if d["corpus"] == "web2026"], lambda d: d["page_type"])
    for t in sorted({k[2] for k in by_type}):
        page = by_type.get(("web2026", "page", t), [])
        res = by_type.get(("web2026", "residue", t), [])
        pu, pf = mean([d["unchanged"]["f1"] for d in page]), mean([d["score"]["f1"] for d in page])
        ru, rf = mean([d["unchanged"]["f1"] for d in res]), mean([d["score"]["f1"] for d in res])
        print(f"| {t} | {len(page)} | {pu:.3f} → {pf:.3f} | {ru:.3f} → {rf:.3f} ({rf - ru:+.3f}) |")
    print()
    print("| language | corpus | docs | page F1 | residue F1 (unchanged) |")
    print("| --- | --- | ---: | ---: | --- |")
    by_lang = rows(docs, lambda d: d["language"])
    for corpus, lang in sorted({(k[0], k[2]) for k in by_lang}):
        page = by_lang.get((corpus, "page", lang), [])
        res = by_lang.get((corpus, "residue", lang), [])
        print(f"| {lang} | {corpus} | {len(page)} | {mean([d['score']['f1'] for d in page]):.3f} | "
              f"{mean([d['score']['f1'] for d in res]):.3f} ({mean([d['unchanged']['f1'] for d in res]):.3f}) |")
    print()
    print("| web2026 | title | author | published | `with` snippets kept | `without` snippets dropped |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for flavour in ("page", "residue"):
        ds = [d for d in docs if d["corpus"] == "web2026" and d["flavour"] == flavour and d.get("meta")]
        out = []
        for field in ("title", "author", "published"):
            known = [d["meta"][field] for d in ds if d["meta"][field] is not None]
            out.append(f"{mean([1.0 if k else 0.0 for k in known]):.3f} ({len(known)})")
        kept = sum(d["meta"]["kept"][0] for d in ds) / max(1, sum(d["meta"]["kept"][1] for d in ds))
        dropped = sum(d["meta"]["dropped"][0] for d in ds) / max(1, sum(d["meta"]["dropped"][1] for d in ds))
        print(f"| {flavour} | {' | '.join(out)} | {kept:.3f} | {dropped:.3f} |")


if __name__ == "__main__":
    main()
