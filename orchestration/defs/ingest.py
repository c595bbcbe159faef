"""Ingest assets: the landing zone's files loaded once, as text, into schema raw."""

import functools
import hashlib
import os
import warnings
from datetime import UTC, date, datetime
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetSpec,
    BackfillPolicy,
    BetaWarning,
    DailyPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    PartitionKeyRange,
    multi_asset,
)

from orchestration.defs.constants import (
    INGEST_GROUP,
    OWNER,
    WAREHOUSE_POOL,
    raw_key,
    run_settings,
)
from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS, Feed
from orchestration.ingest.layout import arrival_of
from orchestration.ingest.loader import (
    connect,
    discover,
    ensure_raw_schema,
    ingest_feed,
    ingest_strays,
)
from orchestration.settings import DEFAULT_LOCAL_DIR

FEEDS: tuple[Feed, ...] = ADMIN_TABLES + USAGE_FEEDS  # admin first: suppressions act at ingest
INGEST_PACKAGE = Path(__file__).resolve().parent.parent / "ingest"

# A single-run backfill policy is what makes a range of partitions one run.
warnings.filterwarnings("ignore", r".*`backfill_policy`", BetaWarning)


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
    import duckdb

    if not warehouse.exists():
        return set()
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return set()
    try:
        return {row[0] for row in con.execute("select file from raw.file_manifest").fetchall()}
    except duckdb.Error:
        return set()
    finally:
        con.close()


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@functools.cache
def ingest_code_version() -> str:
    """A digest of the ingest package's source: it changes exactly when ingest's code does."""
    digest = hashlib.sha256()
    for path in sorted(INGEST_PACKAGE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

_DESCRIPTIONS = {
    "meter_readings": "Raw meter readings (telemetry of compute, storage and network assets) "
    "exactly as landed, one row per file row; suppressed readings are dropped and counted.",
    "service_events": "Raw service-consumption events (AI, chat, image, SMS, email, WhatsApp, "
    "calls, bots) exactly as landed.",
}


def _spec(feed: Feed) -> AssetSpec:
    description = _DESCRIPTIONS.get(
        feed.name,
        f"Every snapshot of the billing admin's {feed.name.removeprefix('admin/')} table, "
        "as landed; each file is the whole table at its arrival.",
    )
    return AssetSpec(
        key=raw_key(feed.raw_table),
        group_name=INGEST_GROUP,
        owners=[OWNER],
        kinds={"duckdb", "python"},
        description=description,
        code_version=ingest_code_version(),
    )


MANIFEST_SPEC = AssetSpec(
    key=raw_key("file_manifest"),
    group_name=INGEST_GROUP,
    owners=[OWNER],
    kinds={"duckdb"},
    description="Every landed file seen by ingest: path, arrival day, content hash, row count, "
    "and whether it could be read.",
    code_version=ingest_code_version(),
)


SUPPRESSED_SPEC = AssetSpec(
    key=raw_key("suppressed_rows"),
    group_name=INGEST_GROUP,
    owners=[OWNER],
    kinds={"duckdb"},
    description="Meter readings dropped at ingest by a suppression rule, counted per rule "
    "and file (no raw row is stored for them).",
    code_version=ingest_code_version(),
)


@multi_asset(
    name="ingest_landing_zone",
    specs=[MANIFEST_SPEC, SUPPRESSED_SPEC, *(_spec(feed) for feed in FEEDS)],
    pool=WAREHOUSE_POOL,
    partitions_def=ARRIVAL_DAYS,
    backfill_policy=BackfillPolicy.single_run(),
    description="Load the files of the run's arrival days (partitions, by the day in "
    "arrived=YYYY-MM-DD) that arrived on or before the as-of time into schema raw; a file "
    "already registered with the same bytes is skipped, so a day can be loaded again.",
)
def ingest_landing_zone(context: AssetExecutionContext):
    settings = run_settings(context)
    since, as_of = None, settings.as_of
    if context.has_partition_key or context.has_partition_key_range:
        days = context.partition_key_range
        # the first and the last key also stand for the days before and after the keys
        if days.start > ARRIVAL_DAYS.get_first_partition_key():
            since = date.fromisoformat(days.start)
        if days.end < ARRIVAL_DAYS.get_last_partition_key():
            # arrival day <= the range's last day <=> arrived (00:00 UTC) <= that day's start
            as_of = min(as_of, _day_start(date.fromisoformat(days.end)))
        context.log.info(f"arrival days {days.start} .. {days.end}")
    context.log.info(f"ingesting {settings.landing} as of {settings.as_of_iso}")
    con = connect(
        settings.warehouse, settings.memory_limit, settings.threads, settings.temp_directory,
        lock_timeout=settings.lock_timeout,
    )
    try:
        ensure_raw_schema(con)
        results = [
            ingest_feed(con, settings.landing, feed, as_of, context.log.info, since=since)
            for feed in FEEDS
        ]
        ingest_strays(con, settings.landing, as_of, context.log.info, since=since)
        manifest_rows = con.execute("select count(*) from raw.file_manifest").fetchone()[0]
        suppressed_rows = con.execute(
            "select coalesce(sum(rows_suppressed), 0) from raw.suppressed_rows"
        ).fetchone()[0]
    finally:
        con.close()
    yield MaterializeResult(
        asset_key=MANIFEST_SPEC.key,
        metadata={"files_registered": MetadataValue.int(manifest_rows)},
    )
    yield MaterializeResult(
        asset_key=SUPPRESSED_SPEC.key,
        metadata={"rows_suppressed_total": MetadataValue.int(int(suppressed_rows))},
    )
    for feed, result in zip(FEEDS, results, strict=True):
        yield MaterializeResult(
            asset_key=raw_key(feed.raw_table),
            metadata={
                "as_of": settings.as_of_iso,
                "files_new": result.count("loaded"),
                "files_same_bytes": result.count("same_bytes"),
                "files_rejected": result.count("rejected"),
                "rows_seen": result.rows_seen,
                "rows_loaded_raw": result.rows_loaded,
                "rows_suppressed": result.rows_suppressed,
            },
        )
