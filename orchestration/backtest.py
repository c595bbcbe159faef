"""Backtest of the projections: replay finalized periods a few days in and score each method.

For every finalized period of a warehouse and every replay day d, the replay time is
T_d = local midnight at the start of day d + 1 of the period (d whole days observed). Only
records that would have been known at T_d count: recorded before T_d and arrived on or
before T_d. Each method projects the bucket's final usage from them; the score is the mean
absolute percentage error against the bucket's final usage U (buckets whose U is 0 have
no percentage error and are left out).

The replays and the forecasts are the dbt model ``backtest_forecasts``
(models/backtest/), built on demand on a built warehouse with the
forecast and usage macros the projections use; this module runs it and scores its rows,
in DECIMAL.

Methods (sum and count; every other aggregation keeps U to date, CONTRACT 3.7):
- ``run_rate``: U_d / f, f = elapsed share of the period (the contract's baseline).
- ``weekday_profile``: U_d + for each remaining day the mean daily usage of that weekday
  over the observed days, or the mean of all observed days when that weekday was not seen.
- ``cumulative_trend``: a least-squares line through the cumulative usage at the end of
  each observed day, read at the period's end (never below U_d; run-rate with one day).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR

METHODS = ("run_rate", "weekday_profile", "cumulative_trend")
DEFAULT_DAYS = (5, 10, 15, 20, 25)
AGGREGATIONS = ("sum", "count", "max", "latest", "time_weighted_avg", "unique_count")

FORECASTS_MODEL = "backtest_forecasts"
FORECASTS_QUERY = f"""
select
    aggregation, replay_day, client_id, bucket_id, period_start,
    actual_usage, usage_to_date, {", ".join(METHODS)}
from backtest.{FORECASTS_MODEL}
order by aggregation, replay_day, client_id, bucket_id, period_start
"""


@dataclass(frozen=True)
class Replay:
    """One bucket-period replayed at one day: its final usage and each method's projection."""

    aggregation: str
    replay_day: int
    client_id: str
    bucket_id: str
    period_start: date
    actual_usage: Decimal
    usage_to_date: Decimal
    run_rate: Decimal
    weekday_profile: Decimal
    cumulative_trend: Decimal

    def ape(self, method: str) -> Decimal:
        """Absolute percentage error of ``method`` against the final usage."""
        return abs(getattr(self, method) - self.actual_usage) / self.actual_usage * 100


@dataclass(frozen=True)
class Score:
    """Mean absolute percentage error of each method for one aggregation, in percent (the
    mean is taken in DECIMAL; the percentage is a float for display and comparison)."""

    aggregation: str
    bucket_periods: int
    replays: int
    mape: dict[str, float]


def build_forecasts(warehouse: Path, days: Sequence[int] = DEFAULT_DAYS) -> None:
    """Build the model backtest_forecasts in ``warehouse`` for replay ``days`` (dbt, in a
    child process: DuckDB has one writer per process). dbt's target and logs go to a
    scratch folder: the project's own target (the pipeline's manifest) is left alone."""
    variables = {"backtest": True, "backtest_days": [int(day) for day in days]}
    with tempfile.TemporaryDirectory(prefix="tallyhouse-backtest-") as scratch:
        command = [
            str(Path(sys.executable).parent / "dbt"), "run", "--select", FORECASTS_MODEL,
            "--vars", json.dumps(variables),
            "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(Path(scratch) / "target"),
            "--log-path", str(Path(scratch) / "logs"),
        ]
        env = {**os.environ, "TALLYHOUSE_WAREHOUSE": str(warehouse.resolve())}
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"dbt could not build {FORECASTS_MODEL}:\n{done.stdout[-4000:]}")


def replays(warehouse: Path, days: Sequence[int] = DEFAULT_DAYS) -> list[Replay]:
    """Every (bucket, finalized period, replay day) with each method's projected usage."""
    build_forecasts(warehouse, days)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(FORECASTS_QUERY).fetchall()
    finally:
        con.close()
    return [Replay(*row) for row in rows]


def score(rows: Iterable[Replay]) -> list[Score]:
    """MAPE per aggregation and method, in the order of AGGREGATIONS."""
    grouped: dict[str, list[Replay]] = {}
    for row in rows:
        grouped.setdefault(row.aggregation, []).append(row)
    scores = []
    for aggregation in sorted(grouped, key=lambda a: (AGGREGATIONS + (a,)).index(a)):
        group = grouped[aggregation]
        scores.append(
            Score(
                aggregation=aggregation,
                bucket_periods=len({(r.client_id, r.bucket_id, r.period_start) for r in group}),
                replays=len(group),
                mape={
                    m: float(sum((r.ape(m) for r in group), Decimal(0)) / len(group))
                    for m in METHODS
                },
            )
        )
    return scores


def backtest(warehouse: Path, days: Sequence[int] = DEFAULT_DAYS) -> list[Score]:
    return score(replays(warehouse, days))


def format_table(scores: Sequence[Score], title: str) -> str:
    """The scores as a fixed-width table, MAPE in percent, the best method of a row starred."""
    header = f"{'aggregation':<18} {'buckets':>8} {'replays':>8}" + "".join(
        f" {m:>17}" for m in METHODS
    )
    lines = [title, header, "-" * len(header)]
    for s in scores:
        best = min(s.mape.values())
        tied = max(s.mape.values()) - best < 1e-9
        cells = "".join(
            f" {s.mape[m]:>16.3f}{'*' if s.mape[m] - best < 1e-9 and not tied else ' '}"
            for m in METHODS
        )
        lines.append(f"{s.aggregation:<18} {s.bucket_periods:>8} {s.replays:>8}{cells}")
    if not scores:
        lines.append("(no finalized bucket-period with usage > 0)")
    return "\n".join(lines)


def latest_arrival(landing: Path) -> datetime:
    """00:00 UTC of the latest arrival folder in a landing zone: every file is known then."""
    dates = [
        date.fromisoformat(folder.name.split("=", 1)[1])
        for folder in landing.glob("**/arrived=*")
        if folder.is_dir()
    ]
    if not dates:
        raise ValueError(f"no arrived=YYYY-MM-DD folder under {landing}")
    return datetime.combine(max(dates), datetime.min.time(), tzinfo=UTC)


def landing_zones(
    landing: Path, seeds: Sequence[int], scale: int, progress: Callable[[str], None]
) -> list[tuple[str, Path]]:
    """(label, landing zone) to backtest: ``landing`` itself, or one generated zone per seed."""
    if not seeds:
        return [(landing.name, landing)]
    from orchestration.generator import generate_landing

    zones = []
    for seed in seeds:
        zone = landing / f"seed={seed}"
        if not zone.exists():
            progress(f"generating a landing zone of {scale:,} meter readings in {zone}")
            generate_landing(zone, scale=scale, seed=seed, progress=progress)
        zones.append((f"seed {seed}", zone))
    return zones


def run(
    landing: Path,
    warehouse_dir: Path,
    seeds: Sequence[int],
    days: Sequence[int],
    scale: int,
    as_of: str | None,
    build: Callable[[Path, Path, str], int],
    progress: Callable[[str], None],
) -> int:
    """Build a warehouse per landing zone with ``build`` and print the backtest of each."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    tables = []
    for label, zone in landing_zones(landing, seeds, scale, progress):
        when = as_of or latest_arrival(zone).strftime("%Y-%m-%dT%H:%M:%SZ")
        warehouse = warehouse_dir / f"{label.replace(' ', '-')}.duckdb"
        code = build(zone, warehouse, when)
        if code != 0:
            return code
        days_text = ",".join(str(d) for d in days)
        tables.append(
            format_table(
                backtest(warehouse, days),
                f"backtest {label} ({zone}), as of {when}, replay days {days_text}: "
                "MAPE of projected final usage, percent",
            )
        )
    for table in tables:
        progress("")
        progress(table)
    return 0
