"""Clean a JSONL dataset with a PySpark DataFrame job over the pith Python package.

    spark-submit examples/spark/dataframe_job.py INPUT OUTPUT [--text-field NAME]

INPUT is JSONL files (path or glob); OUTPUT is a folder of JSONL part files
holding the records `pith --input jsonl --output jsonl` would print (a row
whose text is null keeps its columns and gets null pith fields). The work is
`pith.spark.clean_dataframe`: `mapInArrow` over Arrow batches, one
`pith.Cleaner` per executor Python worker. Every executor needs the package:
`pip install ./python` in its image or environment.
"""

from __future__ import annotations

import argparse

from pyspark.sql import SparkSession

from pith.spark import clean_dataframe


def clean_jsonl(spark: SparkSession, input_path: str, output_path: str, text_field: str = "text") -> None:
    """Cleans the JSONL files at `input_path` into part files at `output_path`."""
    df = spark.read.json(input_path)
    # Keep null fields: pith's records always carry every key.
    clean_dataframe(df, text_field).write.json(output_path, ignoreNullFields=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--text-field", default="text")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("pith-dataframe").getOrCreate()
    try:
        clean_jsonl(spark, args.input, args.output, args.text_field)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
