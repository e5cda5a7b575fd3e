"""The Spark examples on local[2]: records in == records out, and the CLI's output."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import REPO, need, need_module, run_cli

need_module("pyspark")

from pyspark.sql import SparkSession

EXAMPLES = REPO / "examples" / "spark"


def example(name: str):
    """Imports examples/spark/NAME.py."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def spark():
    need(shutil.which("java") is not None, "java (Spark needs a JRE)")
    # The Python workers must be this interpreter, which has pith installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("pith-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def input_dir(corpus_jsonl, tmp_path_factory) -> Path:
    """The dev corpus with a passthrough field, as two JSONL files (two partitions)."""
    folder = tmp_path_factory.mktemp("spark-in")
    lines = corpus_jsonl.read_text(encoding="utf-8").splitlines()
    records = [{"id": r["id"], "url": f"https://example.org/{r['id']}", "text": r["text"]} for r in map(json.loads, lines)]
    half = len(records) // 2
    for name, part in [("a.jsonl", records[:half]), ("b.jsonl", records[half:])]:
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cli_lines(input_dir, pith_bin) -> dict[str, str]:
    """The command line's output for the input, by record id."""
    lines = run_cli(pith_bin, "--input", "jsonl", "--output", "jsonl", *sorted(input_dir.glob("*.jsonl")))
    return {json.loads(line)["id"]: line for line in lines}


def read_parts(folder: Path) -> list[str]:
    return [line for part in sorted(folder.glob("part-*")) for line in part.read_text(encoding="utf-8").splitlines()]


def test_rdd_pipe_gives_the_cli_output(spark, input_dir, cli_lines, pith_bin, tmp_path):
    out = tmp_path / "pipe-out"
    example("pipe_job").clean_jsonl(spark, str(input_dir), str(out), str(pith_bin))
    lines = read_parts(out)
    assert len(lines) == len(cli_lines) >= 200
    assert {json.loads(line)["id"]: line for line in lines} == cli_lines
    # Input order is kept within each part file (one partition: a split of
    # an input file); the part files follow Spark's partition order.
    position = {record_id: i for i, record_id in enumerate(cli_lines)}
    for part in sorted(out.glob("part-*")):
        ids = [json.loads(line)["id"] for line in part.read_text(encoding="utf-8").splitlines()]
        at = [position[i] for i in ids]
        assert at == sorted(at) and len(set(at)) == len(at), part


def test_each_piped_pith_runs_on_one_thread_quietly():
    command = example("pipe_job").pipe_command("pith")
    assert "pith -j1 -q --input jsonl --output jsonl" in command


def test_rdd_pipe_fails_on_bad_rules(spark, input_dir, tmp_path):
    module = example("pipe_job")
    command = module.pipe_command("pith").replace("--input", "--rules /no/such/file --input")
    rdd = spark.sparkContext.textFile(str(input_dir))
    with pytest.raises(Exception, match="PIPE_FUNCTION_EXITED|exited"):
        rdd.pipe(command, env={"PATH": os.environ["PATH"]}, checkCode=True).count()


def test_dataframe_job_gives_the_cli_records(spark, input_dir, cli_lines, tmp_path):
    out = tmp_path / "df-out"
    example("dataframe_job").clean_jsonl(spark, str(input_dir), str(out))
    records = [json.loads(line) for line in read_parts(out)]
    assert len(records) == len(cli_lines) >= 200
    assert {r["id"]: r for r in records} == {i: json.loads(line) for i, line in cli_lines.items()}


def test_dataframe_keeps_rows_without_text(spark):
    from pith.spark import clean_dataframe

    df = spark.createDataFrame([("a", "Storm Hits the Coast\n\nThe storm hit on Monday."), ("b", None)], "id string, text string")
    rows = {row["id"]: row for row in clean_dataframe(df).collect()}
    assert rows["a"]["title"] == "Storm Hits the Coast" and rows["a"]["stats"]["lines_in"] == 3
    assert rows["b"]["text"] is None and rows["b"]["stats"] is None and rows["b"]["flags"] is None


def test_dataframe_rejects_bad_rules_and_columns_on_the_driver(spark):
    from pith import RuleError
    from pith.spark import clean_dataframe

    df = spark.createDataFrame([("a", 1)], "id string, text long")
    with pytest.raises(RuleError):
        clean_dataframe(df, disable="no.such-rule")
    with pytest.raises(TypeError, match="must be a string column"):
        clean_dataframe(df)
