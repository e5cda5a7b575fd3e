#!/usr/bin/env python3
"""datatrove's own filters, as installed from PyPI, for benchmarking pith
against what a pipeline owner would otherwise run.

Usage: datatrove_filter.py c4|gopher < in.jsonl > out.jsonl

  c4      C4QualityFilter with its defaults: removes lines (no terminal
          punctuation, under 3 words, javascript, policy notices, citation
          marks) and drops pages (lorem ipsum, curly braces, under 5
          sentences). A dropped page is written with an empty text.
  gopher  GopherQualityFilter with its defaults: keeps or drops whole pages
          (word counts and lengths, symbols, bullets, ellipses, stop words).
          A dropped page is written with an empty text.

The records go through datatrove's Document and the filter's own `filter`
method, one at a time, as its pipeline step does; reading and writing use
the same JSONL plumbing as the other peers.
"""
import sys

from datatrove.data import Document
from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter

from jsonl_filter import run


def main():
    kind = sys.argv[1] if len(sys.argv) > 1 else ""
    filters = {"c4": C4QualityFilter, "gopher": GopherQualityFilter}
    if kind not in filters:
        sys.exit("usage: datatrove_filter.py c4|gopher < in.jsonl > out.jsonl")
    step = filters[kind]()
    counter = iter(range(1 << 62))

    def clean_page(text):
        doc = Document(text=text, id=str(next(counter)))
        verdict = step.filter(doc)
        keep = verdict[0] if isinstance(verdict, tuple) else verdict
        return doc.text if keep else ""

    run(clean_page)


if __name__ == "__main__":
    main()
