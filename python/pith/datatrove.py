"""A datatrove pipeline step that cleans documents with pith.

Needs datatrove (``pip install './python[datatrove]'`` from a checkout of
the repository, or ``pip install datatrove regex orjson``)::

    from pith.datatrove import PithFilter
    pipeline = [JsonlReader("in/"), PithFilter(), JsonlWriter("out/")]
"""

from __future__ import annotations

try:
    import datatrove  # noqa: F401
except ModuleNotFoundError as error:
    raise ImportError(
        "pith.datatrove needs datatrove: pip install datatrove regex orjson, "
        "or pip install './python[datatrove]' from a checkout of the pith repository"
    ) from error

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.writers.disk_base import DiskWriter

from pith import Cleaner


class PithFilter(BaseFilter):
    """Cleans each document's text with pith.

    The cleaned body (without the title) replaces ``doc.text``; pith's other
    fields (``title``, ``author``, …, ``removed``, ``stats``, ``flags``) go to
    ``doc.metadata["pith"]``. With ``drop_empty`` a document with nothing
    left (flag ``empty``) is dropped: the stats count it under ``dropped``
    and ``dropped_empty``, and ``exclusion_writer`` can keep it.

    ``keep_removed=False`` leaves out ``removed`` (each removal's rule, lines,
    byte span and text): smaller output, and less work for datatrove's
    writers, which deep-copy the metadata of every document.

    ``rules``, ``disable`` and ``default_rules`` are ``pith.Cleaner``'s; the
    rules are checked here, when the pipeline is built. Documents are cleaned
    ``batch_size`` at a time on ``threads`` threads: datatrove runs one task
    per core already, so the default is one thread per task.
    """

    name = "✂️ pith"

    def __init__(
        self,
        rules=None,
        disable=None,
        default_rules: bool = True,
        drop_empty: bool = True,
        keep_removed: bool = True,
        threads: int = 1,
        batch_size: int = 64,
        exclusion_writer: DiskWriter | None = None,
    ):
        super().__init__(exclusion_writer, batch_size)
        self.cleaner = Cleaner(rules, disable, default_rules)
        self.drop_empty = drop_empty
        self.keep_removed = keep_removed
        self.threads = threads

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        records = self.cleaner.clean_many([doc.text for doc in batch], self.threads)
        return [self._apply(doc, record) for doc, record in zip(batch, records)]

    def _apply(self, doc: Document, record: dict) -> bool | tuple[bool, str]:
        doc.text = record.pop("text")
        del record["id"]
        if not self.keep_removed:
            del record["removed"]
        doc.metadata["pith"] = record
        stats = record["stats"]
        self.stat_update("pith_chars_removed", value=stats["chars_in"] - stats["chars_out"])
        if self.drop_empty and "empty" in record["flags"]:
            return False, "empty"
        return True
