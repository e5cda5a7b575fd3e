"""The package as a user meets it: its version, its names, its messages."""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import pytest

import pith

ROOT = Path(__file__).resolve().parents[2]


def test_version_is_the_crate_version():
    cargo = (ROOT / "Cargo.toml").read_text()
    version = re.search(r'^version = "([^"]+)"', cargo, re.MULTILINE).group(1)
    assert pith.__version__ == version


def test_dir_shows_the_public_names_only():
    assert dir(pith) == sorted(["CleanError", "Cleaner", "RuleError", "__version__", "shared_cleaner"])
    for name in pith.__all__:
        assert hasattr(pith, name)


@pytest.mark.parametrize(
    ("module", "missing"),
    [("pith.spark", "pyarrow"), ("pith.spark", "pyspark.sql"), ("pith.datatrove", "datatrove")],
)
def test_a_missing_optional_dependency_names_an_install_command_that_works(monkeypatch, module, missing):
    # None in sys.modules makes `import missing` raise ImportError.
    monkeypatch.setitem(sys.modules, missing, None)
    monkeypatch.delitem(sys.modules, module, raising=False)
    with pytest.raises(ImportError) as raised:
        importlib.import_module(module)
    message = str(raised.value)
    assert missing.split(".")[0] in message
    assert "pip install" in message and "./python[" in message
    assert "pith-clean[" not in message  # not on the registry yet


def test_install_hints_in_docs_name_the_repository_not_the_registry():
    for path in [ROOT / "README.md", *(ROOT / "python" / "pith").glob("*.py")]:
        assert "pip install 'pith-clean" not in path.read_text(), path
