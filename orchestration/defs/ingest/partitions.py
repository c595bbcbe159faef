"""The arrival days: the partitions of ingest, read from the landing zone's folders."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
from dagster import DailyPartitionsDefinition, PartitionKeyRange

from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS, Feed
from orchestration.ingest.layout import arrival_of
from orchestration.ingest.loader import discover
from orchestration.settings import DEFAULT_LOCAL_DIR
from orchestration.warehouse import connect_read_only

FEEDS: tuple[Feed, ...] = ADMIN_TABLES + USAGE_FEEDS  # admin first: suppressions act at ingest


def first_arrival_day(landing: Path) -> date | None:
    """The earliest ``arrived=YYYY-MM-DD`` folder of any feed in ``landing`` (a listing of
    folder names, no file is read); None when there is none."""
    days = []
    for feed in FEEDS:
        root = landing / feed.folder
        if not root.is_dir():
            continue
        for folder in root.iterdir():
            arrived = arrival_of(folder.name) if folder.is_dir() else None
            if arrived is not None:
                days.append(arrived)
    return min(days) if days else None


def arrival_days_definition(landing: Path, today: date | None = None) -> DailyPartitionsDefinition:
    """One partition per arrival day, from the landing zone's first arrival day up to today
    (``end_offset=1``). Without a landed file yet, from January 1 of last year. Days before
    the first key are still ingested: the first key stands for every day before it."""
    first = first_arrival_day(landing)
    if first is None:
        today = today or datetime.now(UTC).date()
        first = date(today.year - 1, 1, 1)
    return DailyPartitionsDefinition(start_date=first.isoformat(), end_offset=1)


def configured_landing() -> Path:
    """The landing zone the code location serves (``TALLYHOUSE_LANDING``), read without the
    other settings: the partitions are defined when the module is imported."""
    return Path(os.environ.get("TALLYHOUSE_LANDING") or DEFAULT_LOCAL_DIR / "landing")


ARRIVAL_DAYS = arrival_days_definition(configured_landing())


def arrival_day_range(first: date, last: date) -> PartitionKeyRange:
    """The partition keys of the arrival days ``first`` .. ``last``, clamped into the keys."""
    keys = ARRIVAL_DAYS.get_partition_keys()
    low, high = keys[0], keys[-1]

    def clamp(day: date) -> str:
        return min(max(day.isoformat(), low), high)

    return PartitionKeyRange(clamp(first), clamp(max(first, last)))


def landing_arrival_range(
    landing: Path, as_of: datetime, warehouse: Path | None = None
) -> PartitionKeyRange:
    """Arrival days from the earliest file in the landing zone to the as-of day.

    With ``warehouse``, days whose every file is already in its ``raw.file_manifest`` are
    left out at the start (ingest skips a file whose path is registered, so they would load
    nothing): the range begins at the earliest day with a new file (the as-of day alone when
    there is none), so a daily run materializes the days that landed since the last one, not
    every day again.
    An empty landing zone gives the as-of day alone: a range from the definition's start
    would record a materialization per raw table and day since 2000 for nothing.
    """
    files = [landed for feed in FEEDS for landed in discover(landing, feed, as_of)]
    if warehouse is not None:
        loaded = _loaded_files(warehouse)
        files = [f for f in files if f.relpath not in loaded]
    as_of_day = as_of.astimezone(UTC).date()
    return arrival_day_range(min(f.arrived for f in files) if files else as_of_day, as_of_day)


def landing_file_count(landing: Path, as_of: datetime) -> int:
    """How many files of every feed arrived in ``landing`` on or before ``as_of``."""
    return sum(1 for feed in FEEDS for _ in discover(landing, feed, as_of))


def _loaded_files(warehouse: Path) -> set[str]:
    """Path of every file in the warehouse's manifest; none when the warehouse does not
    exist yet or cannot be read (then every day is materialized)."""
    if not warehouse.exists():
        return set()
    try:
        con = connect_read_only(warehouse)
    except duckdb.Error:
        return set()
    try:
        return {row[0] for row in con.execute("select file from raw.file_manifest").fetchall()}
    except duckdb.Error:
        return set()
    finally:
        con.close()


def day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
