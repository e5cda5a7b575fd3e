"""The JSONL plumbing the benchmark peers share: read records on stdin,
replace each "text" with what the filter keeps, write them to stdout."""
import json
import sys


def run(clean_page):
    out = sys.stdout
    for raw in sys.stdin:
        if not raw.strip():
            continue
        record = json.loads(raw)
        record["text"] = clean_page(record.get("text", ""))
        out.write(json.dumps(record, ensure_ascii=False))
        out.write("\n")
