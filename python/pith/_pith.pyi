import os
from collections.abc import Iterable
from typing import Literal

from pith.records import Record

__version__: str
"""The version of pith (the Rust crate) this package was built from."""

_Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
_Text = str | bytes

class RuleError(ValueError):
    """A rule file, a rule or a ``disable`` pattern is wrong (the command line's message)."""

class CleanError(RuntimeError):
    """Cleaning a document failed: a bug in pith, never a property of the input."""

class Cleaner:
    """A reusable, thread-safe article cleaner.

    ``rules``: rule files or folders to add (like ``--rules``); ``disable``:
    rule or pass ids or globs to turn off (like ``--disable``; one that
    matches nothing is an error); ``default_rules=False`` starts from no rules
    (like ``--no-default-rules``); ``mode`` is ``"auto"`` (the model tells
    a whole page from an extracted article), ``"page"`` or ``"article"``
    (like ``--mode``). Raises ``RuleError`` with the command
    line's message. Build one and reuse it: building compiles every rule.
    Pickles as its arguments (the rule files are read again on unpickling).
    """

    def __init__(
        self,
        rules: _Paths | None = None,
        disable: str | Iterable[str] | None = None,
        default_rules: bool = True,
        mode: Literal["auto", "page", "article"] = "auto",
    ) -> None: ...
    def clean(self, text: _Text, id: str | None = None) -> Record:
        """The record ``pith --output jsonl`` prints for this article.

        ``bytes`` are decoded as UTF-8 like the command line decodes files:
        invalid sequences become U+FFFD and the record is flagged
        ``invalid_utf8``; so are unpaired surrogates in a ``str``. Any other
        type raises ``TypeError``.
        """
    def clean_json(self, text: _Text, id: str | None = None) -> str:
        """The JSON line ``pith --output jsonl`` prints for this article, byte for byte."""
    def clean_many(
        self,
        texts: Iterable[_Text],
        threads: int | None = None,
        *,
        ids: list[str | None] | None = None,
    ) -> list[Record]:
        """``clean`` for each text, on ``threads`` threads (default: one per
        core) with the GIL released; records in input order. ``ids`` gives
        each record's ``id``. A text of the wrong type raises ``TypeError``
        naming its index before any is cleaned."""
