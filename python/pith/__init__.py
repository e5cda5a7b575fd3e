"""pith: strip boilerplate from scraped article text.

The same engine, rules and JSON records as the ``pith`` command::

    import pith
    cleaner = pith.Cleaner()
    record = cleaner.clean(text)          # the record `pith --output jsonl` prints
    records = cleaner.clean_many(texts)   # in parallel, GIL released, input order

``pith.datatrove`` holds a datatrove pipeline step (it needs datatrove).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache

from pith._pith import CleanError, Cleaner, RuleError

__all__ = ["CleanError", "Cleaner", "RuleError", "shared_cleaner"]


def shared_cleaner(
    rules: str | os.PathLike[str] | Iterable[str | os.PathLike[str]] | None = None,
    disable: str | Iterable[str] | None = None,
    default_rules: bool = True,
) -> Cleaner:
    """One ``Cleaner`` per process for these arguments, built on first use.

    Call it inside Spark, Ray or Dask tasks: the rules are loaded and compiled
    once per worker process, not once per task or batch.
    """
    return _shared(_key(rules), _key(disable), default_rules)


@lru_cache(maxsize=None)
def _shared(rules, disable, default_rules: bool) -> Cleaner:
    return Cleaner(rules, disable, default_rules)


def _key(value):
    """A hashable form of a ``rules`` or ``disable`` argument."""
    if value is None or isinstance(value, (str, os.PathLike)):
        return value if value is None else os.fspath(value)
    return tuple(os.fspath(v) for v in value)
