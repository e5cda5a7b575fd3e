"""pith.datatrove.PithFilter in a real pipeline: reader → pith → writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, need_module

need_module("datatrove")

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import pith
from pith.datatrove import PithFilter

ARTICLE = "Storm Hits the Coast\n\nThe storm hit the coast on Monday, officials said."
# Blank, not empty: datatrove's readers skip documents whose text is "".
BLANK = ["  \n\n ", "\n", "\t"]


def write_input(corpus_jsonl: Path, folder: Path) -> list[dict]:
    """The corpus plus a few blank documents, split into two files (one per task)."""
    records = [json.loads(line) for line in corpus_jsonl.read_text(encoding="utf-8").splitlines()]
    records += [{"id": f"blank-{i}", "text": text} for i, text in enumerate(BLANK)]
    folder.mkdir()
    half = len(records) // 2
    for name, part in [("a.jsonl", records[:half]), ("b.jsonl", records[half:])]:
        with (folder / name).open("w", encoding="utf-8") as out:
            out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in part)
    return records


def test_pipeline_cleans_every_document_and_counts_the_dropped(corpus_jsonl, tmp_path):
    records = write_input(corpus_jsonl, tmp_path / "in")
    executor = LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(tmp_path / "in")),
            PithFilter(),
            JsonlWriter(str(tmp_path / "out"), compression=None),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    )
    stats = executor.run()

    out = [json.loads(line) for file in sorted((tmp_path / "out").glob("*.jsonl")) for line in file.open()]
    reader, step = (next(s for s in stats.stats if name in s.name) for name in ("Jsonl", "pith"))
    assert reader.stats["documents"].total == len(records)
    assert step.stats["total"].total == len(records)
    assert step.stats["dropped"].total == step.stats["dropped_empty"].total == len(BLANK)
    assert step.stats["forwarded"].total == len(out) == len(records) - len(BLANK)

    cleaner = pith.Cleaner()
    by_id = {r["id"]: r for r in records}
    assert sorted(d["id"] for d in out) == sorted(i for i in by_id if not i.startswith("blank-"))
    for doc in out:
        expected = cleaner.clean(by_id[doc["id"]]["text"])
        assert doc["text"] == expected.pop("text")
        del expected["id"]
        assert doc["metadata"]["pith"] == expected


def test_keeps_empty_documents_when_asked():
    step = PithFilter(drop_empty=False)
    docs = [Document(text="", id="a"), Document(text=ARTICLE, id="b")]
    assert step.filter_batch(docs) == [True, True]
    assert docs[0].metadata["pith"]["flags"] == ["empty"]
    assert (docs[1].metadata["pith"]["title"], docs[1].text) == tuple(ARTICLE.split("\n\n"))
    assert "text" not in docs[1].metadata["pith"] and "id" not in docs[1].metadata["pith"]


def test_can_leave_out_the_removals():
    text = (REPO / "fixtures" / "seeds" / "000.input.txt").read_text()
    kept, left_out = Document(text=text, id="a"), Document(text=text, id="a")
    assert PithFilter().filter(kept) is PithFilter(keep_removed=False).filter(left_out) is True
    assert kept.metadata["pith"].pop("removed")
    assert left_out.metadata["pith"] == kept.metadata["pith"] and left_out.text == kept.text


def test_bad_rules_fail_when_the_pipeline_is_built():
    with pytest.raises(pith.RuleError):
        PithFilter(disable="no.such-rule")
