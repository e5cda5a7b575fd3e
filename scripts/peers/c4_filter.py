#!/usr/bin/env python3
"""A C4-style line filter (Raffel et al. 2020, section 2.2; the rules of
TensorFlow Datasets' c4_utils), for benchmarking pith against it.

Reads JSONL on stdin ({"text": ...} per line), writes JSONL with the filtered
text. Standard library only. Rules, in C4's order:
  * lines: drop lines that do not end in terminal punctuation (. ! ? or a
    closing quote), have fewer than 3 words, hold a word longer than 1000
    characters, mention "javascript", or read as a cookie/policy notice
    ("terms of use", "privacy policy", "cookie policy", "uses cookies",
    "use of cookies", "use cookies"); strip citation marks ([1], [edit],
    [citation needed]);
  * pages: empty the page when it holds "lorem ipsum" or a curly brace, or
    when fewer than 5 sentences remain.
The bad-words page filter is left out (it needs a word list).
"""
import re

from jsonl_filter import run

TERMINAL = ('.', '!', '?', '"', '\u201d', "'", '\u2019')
POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies",
          "use of cookies", "use cookies")
CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
MIN_WORDS = 3
MAX_WORD = 1000
MIN_SENTENCES = 5


def clean_page(text):
    lower = text.lower()
    if "lorem ipsum" in lower or "{" in text:
        return ""
    kept = []
    for line in text.splitlines():
        line = CITATION.sub("", line.strip())
        if not line.endswith(TERMINAL):
            continue
        words = line.split()
        if len(words) < MIN_WORDS or max(len(w) for w in words) > MAX_WORD:
            continue
        low = line.lower()
        if "javascript" in low or any(p in low for p in POLICY):
            continue
        kept.append(line)
    page = "\n".join(kept)
    if len(SENTENCE_END.findall(page)) < MIN_SENTENCES:
        return ""
    return page


if __name__ == "__main__":
    run(clean_page)
