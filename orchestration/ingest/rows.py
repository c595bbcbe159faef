"""A file's rows as the raw table holds them: the feed's contract columns (trimmed text)
taken from the file's own columns, the raw row as JSON text, suppressed rows dropped."""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.ingest.admin_rows import redact_admin_rows
from orchestration.ingest.discovery import LandedFile
from orchestration.ingest.feeds import Feed
from orchestration.ingest.readers import column_map, columns_of
from orchestration.ingest.schema import stage_table
from orchestration.ingest.statements import ident, statement
from orchestration.ingest.suppression import (
    stage_suppression,
    suppressed_by,
    suppression_rules,
)


def contract_columns(feed: Feed, names: list[str]) -> str:
    """The select list of the feed's columns (trimmed text) from a file's own columns."""
    mapping = column_map(list(names))
    return ", ".join(
        f"trim({ident(mapping[c])}) as {ident(c)}"
        if c in mapping
        else f"cast(null as varchar) as {ident(c)}"
        for c in feed.columns
    )


def raw_json(names: list[str]) -> str:
    """The raw row as text: a JSON object of every column of the file, as read."""
    original = [ident(n) for n in names]
    if not original:
        return "'{}'"
    return f"to_json(struct_pack({', '.join(f'{o} := {o}' for o in original)}))::varchar"


def load_rows(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str,
    names: list[str],
    now: datetime,
) -> tuple[int, int]:
    """Stage the rows of ``_landed`` for the raw table; return (loaded, suppressed)."""
    feed = landed.feed
    has_line = "_raw_line" in columns_of(con, "_landed")
    raw = "coalesce(_malformed_line, " + ("_raw_line" if has_line else raw_json(names)) + ")"
    if feed.is_admin:
        redact_admin_rows(con, names, has_line)
    secret_columns = "_secret_columns," if feed.is_admin else ""
    con.execute(
        statement(
            "staged_rows",
            columns=contract_columns(feed, names),
            raw=raw,
            secret_columns=secret_columns,
            source="_landed_admin" if feed.is_admin else "_landed",
        )
    )
    suppressed = 0
    keep = "true"
    rules = suppression_rules(con, landed) if feed.name == "meter_readings" else []
    if rules:
        rule_of_row = suppressed_by(rules)
        counts = con.execute(statement("suppressed_counts", rule=rule_of_row)).fetchall()
        for rule, count in counts:
            stage_suppression(con, landed, content_hash, rule, count, now)
            suppressed += count
        keep = f"({rule_of_row}) is null"
    con.execute(
        statement(
            "stage_rows",
            stage=stage_table(feed),
            columns=", ".join(ident(c) for c in feed.columns),
            secret_columns=secret_columns,
            keep=keep,
        ),
        {
            "content_hash": content_hash,
            "file": landed.relpath,
            "arrived": landed.arrived,
            "loaded_at": now,
        },
    )
    total = con.execute(statement("count_rows", source="_rows")).fetchone()[0]
    return total - suppressed, suppressed
