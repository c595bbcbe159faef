"""Usage files of one shape read by one call of DuckDB's reader.

A landed file often holds less than one row group (122,880 rows), and DuckDB splits work by
row group: read alone, each file is parsed, converted and written on one thread; read
together, on all of them. Every row, row number, suppression count and manifest entry is
what reading each file alone gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from orchestration.ingest.discovery import LandedFile
from orchestration.ingest.malformed import clear_rejects, no_malformed, read_malformed
from orchestration.ingest.manifest import FileResult, stage_manifest_entry
from orchestration.ingest.readers import (
    column_map,
    csv_header,
    parquet_columns,
    reader,
    text_columns,
)
from orchestration.ingest.rows import contract_columns, raw_json
from orchestration.ingest.schema import stage_table
from orchestration.ingest.statements import ident, statement
from orchestration.ingest.suppression import (
    stage_suppression,
    suppressed_by,
    suppression_rules,
)

BATCH_BYTES = 64 << 20  # the files read in one call: about 800,000 CSV rows
SOURCE_FILE = "_tallyhouse_source_file"  # the column naming each row's file in a batch


@dataclass
class Batch:
    """New usage files of one shape, waiting to be read in one call."""

    shape: tuple = ()
    files: list[tuple[LandedFile, str]] = field(default_factory=list)  # (file, content hash)
    size: int = 0

    @property
    def hashes(self) -> set[str]:
        return {content_hash for _, content_hash in self.files}


def shape(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> tuple | None:
    """What a new file must share with others to be read with them: feed, format, header
    (names in order) and the suppression rules in force at its arrival. None for a file that
    is read alone: admin snapshots, jsonl, a header that cannot be read or that lacks a
    required column (the single-file path names the problem)."""
    suffix = landed.path.suffix.lower()
    if landed.feed.is_admin or suffix not in (".csv", ".parquet"):
        return None
    try:
        if suffix == ".csv":
            names = tuple(csv_header(landed.path))
        else:
            names = tuple(parquet_columns(con, landed.path))
    except (duckdb.Error, ValueError, OSError):
        return None
    mapping = column_map(list(names))
    if SOURCE_FILE in names or any(c not in mapping for c in landed.feed.required):
        return None
    rules = (
        tuple(suppression_rules(con, landed)) if landed.feed.name == "meter_readings" else ()
    )
    return (landed.feed.name, suffix, names, rules)


def stage_batch(
    con: duckdb.DuckDBPyConnection, batch: Batch, now: datetime
) -> list[FileResult] | None:
    """Read the batch's files in one call and stage their rows and manifest entries, as
    reading them one by one would; None (nothing staged) when the reader fails, and the
    files are then read one at a time."""
    _, suffix, names, rules = batch.shape
    feed = batch.files[0][0].feed
    is_csv = suffix == ".csv"
    if is_csv:
        clear_rejects(con)
    source = reader(
        [landed.path for landed, _ in batch.files], suffix, SOURCE_FILE, is_csv, list(names)
    )
    source_file = ident(SOURCE_FILE)
    try:
        con.execute(
            statement(
                "batch_source", columns=text_columns(names), source_file=source_file,
                source=source,
            )
        )
    except duckdb.Error:
        return None
    con.execute(statement("batch_files"))
    con.executemany(
        statement("batch_file"),
        [
            {"path": str(landed.path), "file": landed.relpath, "arrived": landed.arrived,
             "content_hash": content_hash}
            for landed, content_hash in batch.files
        ],
    )
    malformed = read_malformed(con) if is_csv else 0
    if not malformed:
        no_malformed(con)
    # rows are numbered by position, plus the set-aside records before them (if any)
    renumber = (
        f"asof left join _malformed_gaps as gaps "
        f"on src.{source_file} = gaps.path and src._k > gaps.gap"
        if malformed
        else ""
    )
    con.execute(
        statement(
            "batch_rows",
            source_file=source_file,
            skipped="coalesce(gaps.skipped, 0)" if malformed else "0",
            renumber=renumber,
            batch_columns=contract_columns(feed, list(names)),
            batch_raw=raw_json(list(names)),
            nulls=", ".join(f"cast(null as varchar) as {ident(c)}" for c in feed.columns),
            rule=suppressed_by(rules) if rules else "cast(null as varchar)",
        )
    )
    counts = {
        (file, rule): count
        for file, rule, count in con.execute(statement("batch_counts")).fetchall()
    }
    by_file = {landed.relpath: (landed, content_hash) for landed, content_hash in batch.files}
    for (file, rule), count in sorted(counts.items()):
        if rule:
            stage_suppression(con, *by_file[file], rule, count, now)
    con.execute(
        statement(
            "stage_batch_rows",
            stage=stage_table(feed),
            columns=", ".join(ident(c) for c in feed.columns),
        ),
        {"loaded_at": now},
    )
    outcomes = []
    for landed, content_hash in batch.files:
        seen = sum(n for (file, _), n in counts.items() if file == landed.relpath)
        suppressed = sum(n for (file, rule), n in counts.items() if file == landed.relpath and rule)
        stage_manifest_entry(con, landed, content_hash, "loaded", seen, "", now)
        outcomes.append(FileResult(landed.relpath, "loaded", seen, seen - suppressed, suppressed))
    con.execute(statement("drop_batch"))
    return outcomes
