"""Shared fixtures: the repository, the `pith` binary and the dev corpus.

The corpus lives outside the repository (`../shared/corpus/dev`). When it is
missing, tests that need it fail under CI (`CI=true`) and skip elsewhere.
"""

from __future__ import annotations

import importlib
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
    pytest.skip(f"{what} is missing", allow_module_level=True)


def need_module(name: str) -> None:
    """Skips the test module without the Python package `name` (fails under CI)."""
    try:
        importlib.import_module(name)
    except ImportError:
        need(False, f"the Python package {name} (scripts/python-env.sh installs it)")


@pytest.fixture(scope="session")
def pith_bin() -> Path:
    """The `pith` command: $PITH_BIN, else target/debug/pith (`cargo build`)."""
    path = Path(os.environ.get("PITH_BIN") or REPO / "target" / "debug" / "pith")
    need(path.is_file(), f"the pith binary {path} (cargo build, or set PITH_BIN)")
    return path


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
