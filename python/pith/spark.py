"""Clean a Spark DataFrame with pith: ``clean_dataframe(df)``.

Needs pyspark, pyarrow and pandas (``pip install './python[spark]'`` from a
checkout of the repository, or ``pip install pyspark pyarrow 'pandas<3'``),
and this package installed on every executor::

    from pith.spark import clean_dataframe
    df = spark.read.schema("id string, text string").json("crawl/*.jsonl")
    clean_dataframe(df).write.json("clean/", ignoreNullFields=False)

The rows are the command line's JSONL records (``pith --input jsonl
--output jsonl``): the input's columns, in order, with the text column
holding the cleaned body, then pith's fields that the input lacks. A row
whose text is null keeps its columns and gets null pith fields.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator

try:
    import pyarrow as pa
    from pyspark.sql import DataFrame
    from pyspark.sql.pandas.types import to_arrow_schema
    from pyspark.sql.types import ArrayType, DataType, LongType, StringType, StructField, StructType
except ImportError as error:
    raise ImportError(
        f"pith.spark needs pyspark, pyarrow and pandas ({error.name or error} is missing): "
        "pip install pyspark pyarrow 'pandas<3', or pip install './python[spark]' "
        "from a checkout of the pith repository"
    ) from error

from pith import shared_cleaner
from pith.records import Record


def clean_dataframe(
    df: DataFrame,
    text_field: str = "text",
    rules=None,
    disable=None,
    default_rules: bool = True,
    threads: int = 1,
) -> DataFrame:
    """``df`` with its ``text_field`` cleaned and pith's fields added.

    ``rules``, ``disable`` and ``default_rules`` are ``pith.Cleaner``'s and
    are checked here, on the driver; each executor's Python worker builds its
    cleaner once (``pith.shared_cleaner``). Spark runs one task per core, so
    each task cleans on ``threads=1`` thread; raise it with
    ``spark.task.cpus``.
    """
    shared_cleaner(rules, disable, default_rules)
    if not isinstance(df.schema[text_field].dataType, StringType):
        raise TypeError(f"column {text_field!r} must be a string column, not {df.schema[text_field].dataType}")
    pith_fields = [f for f in _spark_type(Record).fields if f.name != "text" and f.name not in df.columns]
    schema = StructType(df.schema.fields + pith_fields)
    arrow_schema = to_arrow_schema(schema)

    def clean_batches(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        cleaner = shared_cleaner(rules, disable, default_rules)
        for batch in batches:
            rows = batch.to_pylist()
            present = [i for i, row in enumerate(rows) if row[text_field] is not None]
            records = cleaner.clean_many([rows[i][text_field] for i in present], threads)
            for i, record in zip(present, records):
                _merge(rows[i], record, text_field)
            yield pa.RecordBatch.from_pylist(rows, schema=arrow_schema)

    return df.mapInArrow(clean_batches, schema)


def _merge(row: dict, record: dict, text_field: str) -> None:
    """Makes ``row`` the command line's JSONL record: the cleaned body in the
    text field, then pith's fields, never overwriting the input's."""
    row[text_field] = record.pop("text")
    for key, value in record.items():
        row.setdefault(key, value)


def _spark_type(hint) -> DataType:
    """The Spark type of a field declared in ``pith.records``."""
    if typing.is_typeddict(hint):
        fields = typing.get_type_hints(hint).items()
        return StructType([StructField(name, _spark_type(h)) for name, h in fields])
    if typing.get_origin(hint) is list:
        return ArrayType(_spark_type(typing.get_args(hint)[0]))
    if hint in (int, int | None):
        return LongType()
    if hint in (str, str | None) or typing.get_origin(hint) is typing.Literal:
        return StringType()
    raise TypeError(f"no Spark type for {hint!r}")
