"""Shared fixtures: the repository, the `pith` binary and the dev corpus.

The corpus lives outside the repository (`../shared/corpus/dev`). When it is
missing, tests that need it fail under CI (`CI=true`) and skip elsewhere.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "dev"


def need(condition: bool, what: str) -> None:
    """Skips the test without `what` (fails under CI, which must have it)."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing (required under CI)")
    pytest.skip(f"{what} is missing")


@pytest.fixture(scope="session")
def pith_bin() -> Path:
    """The `pith` command: $PITH_BIN, else target/release or target/debug."""
    candidates = [os.environ.get("PITH_BIN")] if os.environ.get("PITH_BIN") else [
        REPO / "target" / "release" / "pith",
        REPO / "target" / "debug" / "pith",
    ]
    found = [Path(c) for c in candidates if Path(c).is_file()]
    need(bool(found), "the pith binary (cargo build, or set PITH_BIN)")
    return found[0]


@pytest.fixture(scope="session")
def corpus() -> Path:
    need(CORPUS.is_dir(), f"the dev corpus ({CORPUS})")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_jsonl(corpus: Path, tmp_path_factory) -> Path:
    """The dev corpus's page and residue texts as JSONL: {"id", "text"}."""
    path = tmp_path_factory.mktemp("corpus") / "dev.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for file in sorted(corpus.glob("*.txt")):
            if not file.name.endswith(".gold.txt"):
                record = {"id": file.name, "text": file.read_text(encoding="utf-8")}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def run_cli(pith_bin: Path, *args: str | Path, stdin: bytes | None = None) -> list[str]:
    """Runs `pith ARGS` from the repository root; its output lines."""
    done = subprocess.run(
        [str(pith_bin), *map(str, args)],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8").splitlines()
