#!/usr/bin/env python3
"""Throughput of pith's Python paths against the CLI, on one JSONL file.

    .venv/bin/python scripts/bench_python.py [--size-mb 100] [--runs 3]

Needs scripts/python-env.sh (the venv and the wheel), `cargo build --release`
(the CLI) and java (Spark). Builds the JSONL file with
../shared/eval/make_throughput_corpus.py and writes everything under /tmp.
Each path reads the same records and produces every output record; the
table gives the best of --runs wall-clock times (all runs are printed too)
and the load average before each path.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
PITH = REPO / "target" / "release" / "pith"
RECORDS = 0  # lines in the input file, set by main()


class TreeCpu:
    """CPU seconds used by this process and all its descendants (the CLI,
    datatrove's workers, Spark's JVM and Python workers) while it is active.

    /proc is sampled every 0.2 s and each process (pid and start time)
    counts its own user and system time as last seen, so processes that end
    unreaped still count (short of their last 0.2 s); processes living less
    than that are missed."""

    def __init__(self) -> None:
        self.first: dict[tuple[int, int], int] = {}
        self.last: dict[tuple[int, int], int] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeCpu:
        self.first = self._sample()
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join()
        self.last.update(self._sample())

    def seconds(self) -> float:
        used = sum(ticks - self.first.get(key, 0) for key, ticks in self.last.items())
        return used / os.sysconf("SC_CLK_TCK")

    def _watch(self) -> None:
        while not self.done.wait(0.2):
            self.last.update(self._sample())

    @staticmethod
    def _sample() -> dict[tuple[int, int], int]:
        procs = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                # After the name: state, ppid, ..., utime, stime (fields 14, 15), ..., starttime (22).
                procs[int(entry.name)] = (int(fields[1]), int(fields[19]), int(fields[11]) + int(fields[12]))
        tree, frontier = {}, [os.getpid()]
        while frontier:
            pid = frontier.pop()
            if pid in procs:
                _, start, ticks = procs[pid]
                tree[(pid, start)] = ticks
                frontier.extend(child for child, (ppid, _, _) in procs.items() if ppid == pid)
        return tree


def timed(fn) -> tuple[float, float, tuple[float, float] | None]:
    """Wall-clock and CPU seconds of fn(), and what fn() returns (the wall
    and CPU seconds of its core part, if it says)."""
    with TreeCpu() as cpu:
        start = time.perf_counter()
        part = fn()
        wall = time.perf_counter() - start
    return wall, cpu.seconds(), part


def cli(src: Path, work: Path, threads: int | None) -> None:
    command = [str(PITH), "--input", "jsonl", "--output", "jsonl", "--quiet"]
    if threads is not None:
        command += ["--threads", str(threads)]
    with src.open("rb") as stdin, (work / "cli.jsonl").open("wb") as stdout:
        subprocess.run(command, stdin=stdin, stdout=stdout, check=True)


def clean_many(src: Path, work: Path, threads: int | None) -> tuple[float, float]:
    """Read the JSONL, clean in batches of 1000, write pith's records as
    JSONL; returns the wall and CPU seconds spent inside clean_many."""
    import pith

    cleaner = pith.Cleaner()
    inside = cpu = 0.0
    with src.open(encoding="utf-8") as lines, (work / "py.jsonl").open("w", encoding="utf-8") as out:
        batch: list[dict] = []
        for i, line in enumerate(lines, 1):
            batch.append(json.loads(line))
            if len(batch) == 1000 or i == RECORDS:
                start, start_cpu = time.perf_counter(), time.process_time()
                records = cleaner.clean_many([r["text"] for r in batch], threads, ids=[r["id"] for r in batch])
                inside += time.perf_counter() - start
                cpu += time.process_time() - start_cpu
                out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
                batch = []
    return inside, cpu


def datatrove(shards: Path, work: Path, pith_options: dict | None) -> None:
    """JsonlReader → PithFilter(**pith_options) (none if None) → JsonlWriter, 2 workers."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    from pith.datatrove import PithFilter

    out = work / "datatrove"
    shutil.rmtree(out, ignore_errors=True)
    steps = [JsonlReader(str(shards)), *([] if pith_options is None else [PithFilter(**pith_options)]), JsonlWriter(str(out / "data"), compression=None)]
    LocalPipelineExecutor(steps, tasks=len(list(shards.iterdir())), workers=2, logging_dir=str(out / "logs")).run()


def spark_session():
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    return (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )


def spark_pipe(spark, shards: Path, work: Path) -> None:
    sys.path.insert(0, str(REPO / "examples" / "spark"))
    import pipe_job

    out = work / "spark-pipe"
    shutil.rmtree(out, ignore_errors=True)
    pipe_job.clean_jsonl(spark, str(shards), str(out), str(PITH))


def spark_dataframe(spark, shards: Path, work: Path) -> None:
    from pith.spark import clean_dataframe

    out = work / "spark-df"
    shutil.rmtree(out, ignore_errors=True)
    df = spark.read.schema("id string, text string").json(str(shards))
    clean_dataframe(df).write.json(str(out), ignoreNullFields=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="comma-separated names of the paths to run")
    args = parser.parse_args()

    src = Path(f"/tmp/pith-throughput-{args.size_mb:g}mb.jsonl")
    if not src.exists():
        subprocess.run(
            [sys.executable, str(SHARED / "eval" / "make_throughput_corpus.py"), "--size-mb", str(args.size_mb), "--out", str(src)],
            check=True,
        )
    size = src.stat().st_size
    global RECORDS
    RECORDS = records = sum(1 for _ in src.open("rb"))
    work = Path(tempfile.mkdtemp(prefix="pith-bench-"))
    shards = work / "shards"  # 8 files: datatrove gives each task whole files
    shards.mkdir()
    lines = src.read_bytes().splitlines(keepends=True)
    for i in range(8):
        (shards / f"{i}.jsonl").write_bytes(b"".join(lines[i::8]))
    del lines

    spark = None
    paths = {
        "cli (1 thread)": lambda: cli(src, work, 1),
        "cli (all threads)": lambda: cli(src, work, None),
        "clean_many threads=1": lambda: clean_many(src, work, 1),
        "clean_many threads=2": lambda: clean_many(src, work, None),
        "datatrove reader+writer only": lambda: datatrove(shards, work, None),
        "datatrove + PithFilter": lambda: datatrove(shards, work, {}),
        "datatrove + PithFilter(keep_removed=False)": lambda: datatrove(shards, work, {"keep_removed": False}),
        "spark rdd.pipe": lambda: spark_pipe(spark, shards, work),
        "spark mapInArrow": lambda: spark_dataframe(spark, shards, work),
    }
    wanted = args.only.split(",") if args.only else list(paths)
    print(f"{src}: {size / 1e6:.1f} MB, {records} records; {os.cpu_count()} cores; runs: {args.runs}")
    rows = [
        "| path | best wall s | records/s | MB/s | CPU s (best run) | MB per CPU-s | all runs, wall s | load before |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]

    def row(name: str, results: list[tuple[float, float]], load: float) -> None:
        wall, cpu = min(results)
        runs = ", ".join(f"{w:.1f}" for w, _ in results)
        rows.append(
            f"| {name} | {wall:.1f} | {records / wall:,.0f} | {size / 1e6 / wall:.1f} | {cpu:.1f} "
            f"| {size / 1e6 / cpu:.1f} | {runs} | {load:.2f} |"
        )
        print(rows[-1], flush=True)

    for name, run in paths.items():
        if not any(w in name for w in wanted):
            continue
        if name.startswith("spark") and spark is None:
            spark = spark_session()
        load = os.getloadavg()[0]
        results = [timed(run) for _ in range(args.runs)]
        row(name, [(wall, cpu) for wall, cpu, _ in results], load)
        if results[0][2] is not None:
            row(f"{name}: inside clean_many", [part for _, _, part in results], load)
    if spark is not None:
        spark.stop()
    shutil.rmtree(work)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
