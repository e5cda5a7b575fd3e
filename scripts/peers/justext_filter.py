#!/usr/bin/env python3
"""jusText over plain text, for benchmarking pith against it.

Reads JSONL on stdin ({"text": ...} per line), writes JSONL with the text
jusText keeps. jusText works on HTML, so each blank-line separated block
becomes a <p> element, as people feed it extractor output. English stop
words (the throughput corpus is mostly English). Needs .venv from
scripts/setup-venv.sh.
"""
import html
import re

import justext

from jsonl_filter import run

STOPLIST = justext.get_stoplist("English")
BLOCKS = re.compile(r"\n\s*\n")


def clean_page(text):
    blocks = [b.strip() for b in BLOCKS.split(text) if b.strip()]
    if not blocks:
        return ""
    page = "<html><body>" + "".join(
        "<p>" + html.escape(b) + "</p>" for b in blocks) + "</body></html>"
    paragraphs = justext.justext(page.encode("utf-8"), STOPLIST, encoding="utf-8")
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


if __name__ == "__main__":
    run(clean_page)
