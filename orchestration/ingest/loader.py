"""Load landed files into raw DuckDB tables: each byte sequence once, nothing lost.

Every file under ``<landing>/<feed>/arrived=YYYY-MM-DD/`` that arrived on or before the
as-of time is registered in ``raw.file_manifest`` with its content hash. The rows of a
content hash are loaded once, as text, with the file, arrival date, row number and load
time beside them; validation, deduplication and quarantine happen downstream in dbt, as a
function of the as-of time. Two things happen here because the contract places them at
ingest: meter readings matching a suppression rule are dropped and counted, and admin
values that look like clear-text keys are redacted before anything is stored.

This module runs a feed's ingest; each step has its module: ``discovery`` (which files),
``manifest`` (what is registered), ``readers`` and ``malformed`` (reading a file as text),
``rows``, ``suppression`` and ``admin_rows`` (what is staged), ``batch`` (files of one
shape read together), ``schema`` (raw tables and staging); their SQL is in ``sql/``.
The names other modules import from here stay importable from here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from orchestration.ingest.admin_rows import SECRET_PATTERN
from orchestration.ingest.batch import BATCH_BYTES, Batch, shape
from orchestration.ingest.batch import stage_batch as _stage_batch
from orchestration.ingest.discovery import LandedFile, discover, strays
from orchestration.ingest.feeds import Feed
from orchestration.ingest.manifest import (
    FeedResult,
    FileResult,
    ingest_strays,
    registered,
    stage_manifest_entry,
)
from orchestration.ingest.readers import column_map, csv_header, read_into_temp
from orchestration.ingest.rows import load_rows
from orchestration.ingest.schema import ensure_raw_schema, flush_stage, open_stage
from orchestration.ingest.statements import statement
from orchestration.ingest.suppression import suppression_rules
from orchestration.warehouse import connect

__all__ = [
    "BATCH_ROWS",
    "SECRET_PATTERN",
    "FeedResult",
    "FileResult",
    "LandedFile",
    "connect",
    "csv_header",
    "discover",
    "ensure_raw_schema",
    "ingest_feed",
    "ingest_strays",
    "load_file",
    "strays",
    "suppression_rules",
]

log = logging.getLogger(__name__)

BATCH_ROWS = 1_000_000  # rows staged before a commit: full row groups go straight to disk


def _stage_file(con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime) -> FileResult:
    """Read one file and stage its rows and manifest entry; nothing is committed here."""
    outcome = registered(con, landed, now)
    if isinstance(outcome, FileResult):
        return outcome
    return _stage_read(con, landed, outcome, now)


def _stage_read(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, content_hash: str, now: datetime
) -> FileResult:
    """Read one new file alone and stage its rows and manifest entry."""
    try:
        names = read_into_temp(con, landed)
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0].replace(str(landed.path), landed.relpath)
        message = f"file {landed.relpath} could not be read: {reason}"
        stage_manifest_entry(con, landed, content_hash, "rejected", 0, message, now)
        return FileResult(landed.relpath, "rejected", message=message)
    rows_seen = con.execute(statement("count_rows", source="_landed")).fetchone()[0]
    mapping = column_map(names)
    missing = [c for c in landed.feed.required if c not in mapping]
    if missing and landed.path.suffix.lower() != ".jsonl":
        noun = "column" if len(missing) == 1 else "columns"
        message = (
            f"file {landed.relpath} is missing required {noun} "
            f"{', '.join(missing)} in its header (found: {', '.join(names) or 'none'})"
        )
        stage_manifest_entry(con, landed, content_hash, "rejected", rows_seen, message, now)
        return FileResult(landed.relpath, "rejected", rows_seen=rows_seen, message=message)
    loaded, suppressed = load_rows(con, landed, content_hash, names, now)
    stage_manifest_entry(con, landed, content_hash, "loaded", rows_seen, "", now)
    return FileResult(landed.relpath, "loaded", rows_seen, loaded, suppressed)


def load_file(con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime) -> FileResult:
    """Register and load one file in a transaction of its own."""
    open_stage(con, landed.feed)
    outcome = _stage_file(con, landed, now)
    flush_stage(con, landed.feed)
    return outcome


def ingest_feed(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    feed: Feed,
    as_of: datetime,
    progress: Callable[[str], None] | None = None,
    batch_rows: int = BATCH_ROWS,
    since: date | None = None,
) -> FeedResult:
    """Load every not yet registered file of ``feed`` that arrived on or before ``as_of``
    (and not before the day ``since``, when given: one partition of arrival days).

    New usage files of one shape (``batch.shape``) are read together, in arrival order, up to
    ``BATCH_BYTES``; any other file, or a batch the reader fails on, is read alone. Files are
    staged in connection-local tables and committed in batches of about ``batch_rows`` rows,
    each batch in one transaction with its manifest entries: a crash loses at most the batch
    in progress, which the next run loads again, never half a file.
    """
    ensure_raw_schema(con)
    result = FeedResult(feed.name)
    files = discover(landing, feed, as_of, since)
    position = {landed.relpath: index for index, landed in enumerate(files, start=1)}
    now = datetime.now(UTC)
    open_stage(con, feed)
    staged_rows = 0
    batch = Batch()

    def record(outcome: FileResult, landed: LandedFile) -> None:
        nonlocal staged_rows
        result.files.append(outcome)
        staged_rows += outcome.rows_loaded
        if progress and outcome.status != "already_loaded":
            progress(
                f"{feed.name}: [{position[landed.relpath]}/{len(files)}] {landed.relpath}: "
                f"{outcome.status}, {outcome.rows_seen:,} rows seen, "
                f"{outcome.rows_loaded:,} loaded"
                + (f", {outcome.rows_suppressed:,} suppressed" if outcome.rows_suppressed else "")
                + (f" ({outcome.message})" if outcome.message else "")
            )

    def flush_if_full() -> None:
        nonlocal staged_rows
        if staged_rows >= batch_rows:
            flush_stage(con, feed)
            staged_rows = 0

    def read_batch() -> None:
        nonlocal batch
        if batch.files:
            outcomes = _stage_batch(con, batch, now) if len(batch.files) > 1 else None
            if outcomes is None:
                outcomes = [_stage_read(con, landed, h, now) for landed, h in batch.files]
            for (landed, _), outcome in zip(batch.files, outcomes, strict=True):
                record(outcome, landed)
            flush_if_full()
        batch = Batch()

    for landed in files:
        known = registered(con, landed, now)
        if isinstance(known, str) and known in batch.hashes:
            read_batch()  # the same bytes earlier in this batch: register those first
            known = registered(con, landed, now)
        if isinstance(known, FileResult):
            # a file's outcomes are reported in order: the batch before it goes first
            read_batch()
            record(known, landed)
            continue
        file_shape = shape(con, landed)
        size = landed.path.stat().st_size
        if file_shape is None or file_shape != batch.shape or batch.size + size > BATCH_BYTES:
            read_batch()
        if file_shape is None:
            record(_stage_read(con, landed, known, now), landed)
            flush_if_full()
            continue
        batch.shape = file_shape
        batch.files.append((landed, known))
        batch.size += size
    read_batch()
    flush_stage(con, feed)
    return result
