"""Benchmark: the pipeline against the bare-DuckDB lower bound, with peak memory.

    .venv/bin/python benchmarks/bench.py --scales 1000000,10000000 --repeats 3

For each scale (meter readings) it generates a landing zone once (cached under
``.tallyhouse/bench/``), then, ``--repeats`` times each: the bare lower bound
(``benchmarks/lower_bound.sql``: load, deduplicate, bind, aggregate, nothing else), ingest
alone, ``dbt build`` alone on the ingested warehouse, the whole ``tallyhouse run`` on a
fresh warehouse (a full rebuild), and the daily run: ``tallyhouse run`` on a warehouse
already built as of the day before, when one new arrival day has landed (the incremental
models reprocess what that day touches). It also times ``tallyhouse run`` on an empty
landing zone (the fixed overhead). Every step runs in a child process; its peak memory is
the largest resident set of one process of its tree (``ru_maxrss`` of the reaped child),
and the whole tree's (the sum over its processes, sampled twice a second from ``/proc``:
with Spark the JVM is a second large process). Medians are printed and written, with the
raw figures, to ``--out`` (JSON) for BENCHMARKS.md.

``--engine spark`` runs ``tallyhouse run`` (and the daily run) with
``TALLYHOUSE_ENGINE=spark``; the lower bound and ingest alone stay what they are, and
``dbt build`` alone is DuckDB's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from orchestration.settings import dbt_run_parameters  # noqa: E402

BIN = Path(sys.executable).parent
AS_OF = "2026-11-05T00:00:00Z"
DAY_BEFORE = "2026-11-04T00:00:00Z"  # the daily run adds the arrival day 2026-11-05


@dataclass
class Measure:
    seconds: float
    peak_rss_mib: float
    tree_peak_mib: float = 0.0


@dataclass
class ScaleResult:
    scale: int
    landing_bytes: int
    steps: dict[str, list[Measure]] = field(default_factory=dict)

    def median(self, step: str) -> float:
        return statistics.median(m.seconds for m in self.steps[step])

    def peak(self, step: str) -> float:
        return max(m.peak_rss_mib for m in self.steps[step])

    def tree_peak(self, step: str) -> float:
        return max(m.tree_peak_mib for m in self.steps[step])


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def tree_rss_bytes(root: int) -> int:
    """The resident set of ``root`` and all its descendants now (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return 0
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as stat_file:
                stat = stat_file.read()
            with open(f"/proc/{name}/statm", "rb") as statm_file:
                pages = int(statm_file.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(name))
        rss[int(name)] = pages * PAGE_SIZE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def timed(command: list[str], env: dict[str, str] | None = None) -> Measure:
    """Run ``command`` to completion; its wall time and the peak RSS of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=REPO, env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    tree_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.wait(0.5):
            tree_peak = max(tree_peak, tree_rss_bytes(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.stdout.read() if process.stdout else b""
    done.set()
    sampler.join()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        tail = output.decode(errors="replace")[-3000:]
        raise SystemExit(f"benchmark step failed: {' '.join(command)}\n{tail}")
    largest = round(usage.ru_maxrss / 1024, 1)
    return Measure(round(elapsed, 3), largest, max(round(tree_peak / 2**20, 1), largest))


def landing_zone(cache: Path, scale: int, seed: int) -> Path:
    landing = cache / f"landing-{scale}-seed{seed}"
    # the marker lies beside the zone: a file inside it would be a landed (stray) file
    marker = cache / f"landing-{scale}-seed{seed}.complete"
    if not marker.exists():
        shutil.rmtree(landing, ignore_errors=True)
        print(f"generating {scale:,} readings into {landing} (cached for later runs)", flush=True)
        measure = timed([str(BIN / "tallyhouse"), "generate", "--out", str(landing),
                         "--scale", str(scale), "--seed", str(seed)])
        print(f"  generated in {measure.seconds:.1f}s, peak {measure.peak_rss_mib:,.0f} MiB")
        marker.write_text(json.dumps(asdict(measure)), encoding="utf-8")
    return landing


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def lower_bound(landing: Path, work: Path) -> Measure:
    script = (REPO / "benchmarks/lower_bound.sql").read_text(encoding="utf-8")
    script = script.replace("{landing}", str(landing)).replace("{as_of}", AS_OF)
    database = work / "lower_bound.duckdb"
    database.unlink(missing_ok=True)
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
        "con.execute(\"set memory_limit = '8GB'\"); con.execute('set threads = 2'); "
        "con.execute(open(sys.argv[2]).read()); con.close()"
    )
    script_path = work / "lower_bound.sql"
    script_path.write_text(script, encoding="utf-8")
    return timed([sys.executable, "-c", code, str(database), str(script_path)])


def ingest_only(landing: Path, warehouse: Path) -> Measure:
    code = (
        "import sys; from pathlib import Path; "
        "from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS; "
        "from orchestration.ingest.loader import connect, ingest_feed; "
        "from orchestration.settings import parse_as_of; "
        "con = connect(Path(sys.argv[2])); "
        "[ingest_feed(con, Path(sys.argv[1]), f, parse_as_of(sys.argv[3])) "
        " for f in ADMIN_TABLES + USAGE_FEEDS]; con.close()"
    )
    return timed([sys.executable, "-c", code, str(landing), str(warehouse), AS_OF])


def dbt_only(warehouse: Path, work: Path) -> Measure:
    return timed(
        [str(BIN / "dbt"), "build", "--exclude", "test_type:unit",
         "--project-dir", str(REPO / "dbt_project"), "--profiles-dir", str(REPO / "dbt_project"),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs")],
        env={"TALLYHOUSE_WAREHOUSE": str(warehouse), "DO_NOT_TRACK": "1",
             **dbt_run_parameters(AS_OF.replace("Z", "+00:00"), 48)},
    )


def whole_run(landing: Path, warehouse: Path, work: Path, as_of: str = AS_OF) -> Measure:
    home = work / "dagster_home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    return timed(
        [str(BIN / "tallyhouse"), "run", "--landing", str(landing), "--warehouse",
         str(warehouse), "--as-of", as_of],
        env={"DAGSTER_HOME": str(home)},
    )


def daily_run(landing: Path, work: Path) -> Measure:
    """The nightly case: a warehouse built as of the day before, then one new arrival day.

    The warehouse as of the day before (with Spark's folder, when there is one) is built
    once, untimed, and kept; each repeat restores it to the same path (Spark's metastore
    holds absolute paths) and times ``tallyhouse run`` as of AS_OF on it.
    """
    warehouse, kept = work / "daily.duckdb", work / "day_before"
    spark = spark_folder(warehouse)
    if not kept.exists():
        print(f"  preparing a warehouse as of {DAY_BEFORE} for the daily run (untimed)",
              flush=True)
        whole_run(landing, fresh(warehouse), work, DAY_BEFORE)
        kept.mkdir()
        shutil.copy(warehouse, kept / warehouse.name)
        if spark.exists():
            shutil.copytree(spark, kept / spark.name, symlinks=True)
    else:
        shutil.copy(kept / warehouse.name, fresh(warehouse))
        if (kept / spark.name).exists():
            shutil.copytree(kept / spark.name, spark, symlinks=True)
    return whole_run(landing, warehouse, work)


def spark_folder(warehouse: Path) -> Path:
    """Where the Spark engine keeps its tables for ``warehouse`` (the default: beside it)."""
    return warehouse.with_suffix(".spark")


def fresh(path: Path) -> Path:
    for suffix in ("", ".wal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.rmtree(spark_folder(path), ignore_errors=True)
    return path


STEPS = ("lower_bound", "ingest", "dbt_build", "tallyhouse_run", "daily_run")


def bench_scale(
    scale: int, repeats: int, seed: int, cache: Path, work: Path, only: tuple[str, ...] = STEPS
) -> ScaleResult:
    landing = landing_zone(cache, scale, seed)
    result = ScaleResult(scale, folder_bytes(landing))
    for attempt in range(1, repeats + 1):
        steps = {
            "lower_bound": lambda: lower_bound(landing, work),
            "ingest": lambda: ingest_only(landing, fresh(work / "steps.duckdb")),
            "dbt_build": lambda: dbt_only(work / "steps.duckdb", work),
            "tallyhouse_run": lambda: whole_run(landing, fresh(work / "run.duckdb"), work),
            "daily_run": lambda: daily_run(landing, work),
        }
        for name, step in steps.items():
            if name not in only:
                continue
            measure = step()
            result.steps.setdefault(name, []).append(measure)
            print(f"  {scale:>12,} readings  run {attempt}/{repeats}  {name:<15}"
                  f"{measure.seconds:>9.1f}s  peak {measure.peak_rss_mib:>8,.0f} MiB"
                  f" (tree {measure.tree_peak_mib:,.0f} MiB)", flush=True)
    return result


def report(results: list[ScaleResult], overhead: list[Measure]) -> list[str]:
    def cell(r: ScaleResult, step: str) -> str:
        return f"{r.median(step):.1f} s" if step in r.steps else "-"

    lines = [
        "| readings | lower bound | ingest | dbt build | tallyhouse run | run / lower bound "
        "| peak memory (run: largest process, tree) | daily run | daily / full run |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        both = "tallyhouse_run" in r.steps and "lower_bound" in r.steps
        ratio = f"{r.median('tallyhouse_run') / r.median('lower_bound'):.1f}x" if both else "-"
        peak = "-"
        if "tallyhouse_run" in r.steps:
            peak = (f"{r.peak('tallyhouse_run'):,.0f} MiB, "
                    f"{r.tree_peak('tallyhouse_run'):,.0f} MiB")
        daily = "-"
        if "daily_run" in r.steps and "tallyhouse_run" in r.steps:
            daily = f"{r.median('daily_run') / r.median('tallyhouse_run'):.2f}"
        lines.append(
            f"| {r.scale:,} | {cell(r, 'lower_bound')} | {cell(r, 'ingest')} "
            f"| {cell(r, 'dbt_build')} | {cell(r, 'tallyhouse_run')} | {ratio} | {peak} "
            f"| {cell(r, 'daily_run')} | {daily} |"
        )
    lines.append("")
    if overhead:
        fixed = statistics.median(m.seconds for m in overhead)
        lines.append(f"Fixed overhead (`tallyhouse run` on an empty landing zone): {fixed:.1f} s "
                     f"(median of {len(overhead)}).")
    timed_runs = [r for r in results if "tallyhouse_run" in r.steps]
    if len(timed_runs) >= 2:
        small, large = timed_runs[0], timed_runs[-1]
        growth = large.median("tallyhouse_run") / small.median("tallyhouse_run")
        lines.append(
            f"From {small.scale:,} to {large.scale:,} readings ({large.scale / small.scale:.0f}x) "
            f"the run took {growth:.1f}x as long."
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1000000,10000000",
                        help="comma-separated meter-reading counts (default 1000000,10000000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per step (default 3)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--cache", default=str(REPO / ".tallyhouse/bench"),
                        help="folder for the generated landing zones (kept between runs)")
    parser.add_argument("--out", default=str(REPO / "benchmarks/results.json"),
                        help="where to write the figures (JSON)")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated steps to time (default {','.join(STEPS)}); "
                        "at 100 million readings the separate ingest and dbt steps are "
                        "worth leaving out")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                        help="the engine of the dbt models in the runs (default duckdb)")
    parser.add_argument("--overhead-repeats", type=int, default=None,
                        help="runs on the empty landing zone (default: --repeats; 0 skips)")
    args = parser.parse_args(argv)
    only = tuple(s for s in args.steps.split(",") if s)
    unknown = sorted(set(only) - set(STEPS))
    if unknown:
        parser.error(f"unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}")
    if args.engine == "spark" and "dbt_build" in only:
        parser.error("the dbt_build step is DuckDB's; leave it out with --engine spark")
    os.environ["TALLYHOUSE_ENGINE"] = args.engine
    overhead_repeats = args.repeats if args.overhead_repeats is None else args.overhead_repeats
    scales = [int(s) for s in args.scales.split(",") if s]
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="tallyhouse-bench-", dir=cache) as tmp:
        work = Path(tmp)
        empty = work / "empty_landing"
        empty.mkdir()
        overhead = [whole_run(empty, fresh(work / "empty.duckdb"), work)
                    for _ in range(overhead_repeats)]
        print("fixed overhead: " + ", ".join(f"{m.seconds:.1f}s" for m in overhead), flush=True)
        for scale in scales:
            results.append(bench_scale(scale, args.repeats, args.seed, cache, work, only))
    lines = report(results, overhead)
    print("\n".join(lines))
    Path(args.out).write_text(json.dumps({
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "as_of": AS_OF,
        "engine": args.engine,
        "fixed_overhead": [asdict(m) for m in overhead],
        "scales": [{"scale": r.scale, "landing_bytes": r.landing_bytes,
                    "steps": {k: [asdict(m) for m in v] for k, v in r.steps.items()}}
                   for r in results],
        "summary": lines,
    }, indent=2) + "\n", encoding="utf-8")
    print(f"figures written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
