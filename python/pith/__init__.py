"""pith: strip boilerplate from scraped article text.

The same engine, rules and JSON records as the ``pith`` command::

    import pith
    cleaner = pith.Cleaner()
    record = cleaner.clean(text)          # the record `pith --output jsonl` prints
    records = cleaner.clean_many(texts)   # in parallel, GIL released, input order

``pith.datatrove`` holds a datatrove pipeline step (it needs datatrove),
``pith.spark`` a Spark DataFrame helper (it needs pyspark and pyarrow).
Install from a checkout of the repository: ``pip install ./python``.
"""

from __future__ import annotations

import os as _os
from collections.abc import Iterable as _Iterable
from functools import lru_cache as _lru_cache

from pith._pith import CleanError, Cleaner, RuleError, __version__

__all__ = ["CleanError", "Cleaner", "RuleError", "__version__", "shared_cleaner"]


def __dir__() -> list[str]:
    """The public names only (``dir(pith)``)."""
    return sorted(__all__)


def shared_cleaner(
    rules: str | _os.PathLike[str] | _Iterable[str | _os.PathLike[str]] | None = None,
    disable: str | _Iterable[str] | None = None,
    default_rules: bool = True,
    mode: str = "auto",
) -> Cleaner:
    """One ``Cleaner`` per process for these arguments, built on first use.

    Call it inside Spark, Ray or Dask tasks: the rules are loaded and compiled
    once per worker process, not once per task or batch.
    """
    return _shared(_key(rules), _key(disable), default_rules, mode)


@_lru_cache(maxsize=None)
def _shared(rules, disable, default_rules: bool, mode: str) -> Cleaner:
    return Cleaner(rules, disable, default_rules, mode)


def _key(value):
    """A hashable form of a ``rules`` or ``disable`` argument."""
    if value is None or isinstance(value, (str, _os.PathLike)):
        return value if value is None else _os.fspath(value)
    return tuple(_os.fspath(v) for v in value)
