"""Clean JSONL text files on Spark by piping every partition through `pith`.

    spark-submit examples/spark/pipe_job.py INPUT OUTPUT [--pith PATH]

INPUT is JSONL files (a path or glob, compressed or not); OUTPUT is a folder
of JSONL part files, one record per input record, each part file (one
partition) in its input order: the
records `pith --input jsonl --output jsonl` prints, error records included.
Needs only the `pith` binary on every node, at PATH (default: `pith` on the
driver's PATH, which must hold on the executors too); no Python package.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil

from pyspark.sql import SparkSession


def pipe_command(pith: str = "pith") -> str:
    """The command for `rdd.pipe`: pith as a JSONL filter, on one thread
    (Spark runs one task per core) and quiet (no messages in the executors'
    logs; error records are in the output). Its exit code 1 means some
    records became error records, so it counts as success; 2 (bad arguments
    or rules) and 3 (the output could not be written) fail the task."""
    filter_ = shlex.join([pith, "-j1", "-q", "--input", "jsonl", "--output", "jsonl"])
    return shlex.join(["sh", "-c", f"{filter_}; test $? -le 1"])


def clean_jsonl(spark: SparkSession, input_path: str, output_path: str, pith: str = "pith") -> None:
    """Cleans the JSONL files at `input_path` into part files at `output_path`."""
    lines = spark.sparkContext.textFile(input_path)
    # rdd.pipe gives the command an empty environment: pass PATH along.
    env = {"PATH": os.environ.get("PATH", os.defpath)}
    lines.pipe(pipe_command(pith), env=env, checkCode=True).saveAsTextFile(output_path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("--pith", default=shutil.which("pith") or "pith", help="the pith binary on the executors")
    args = parser.parse_args()
    spark = SparkSession.builder.appName("pith-pipe").getOrCreate()
    try:
        clean_jsonl(spark, args.input, args.output, args.pith)
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
