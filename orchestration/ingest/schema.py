"""Schema raw and the connection-local staging tables a batch of files commits from."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from orchestration.ingest.feeds import ALL_FEEDS, Feed
from orchestration.ingest.statements import ident, statement


def ensure_raw_schema(con: duckdb.DuckDBPyConnection, feeds: Iterable[Feed] = ALL_FEEDS) -> None:
    """Create schema raw and its tables when missing."""
    con.execute(statement("raw_schema"))
    for feed in feeds:
        columns = ",\n".join(f"{ident(c)} varchar" for c in feed.columns)
        extra = "secret_columns varchar," if feed.is_admin else ""
        con.execute(
            statement(
                "raw_feed_table", table=raw_table(feed), column_definitions=columns, extra=extra
            )
        )


def raw_table(feed: Feed) -> str:
    return f"raw.{feed.raw_table}"


def stage_table(feed: Feed) -> str:
    return f"_stage_{feed.raw_table}"


def open_stage(con: duckdb.DuckDBPyConnection, feed: Feed) -> None:
    """Connection-local staging tables shaped like the raw tables a batch commits into."""
    con.execute(statement("open_stage", stage=stage_table(feed), table=raw_table(feed)))


def flush_stage(con: duckdb.DuckDBPyConnection, feed: Feed) -> None:
    """Move the staged files into the raw tables in one transaction: all of them or none."""
    con.begin()
    try:
        con.execute(statement("flush_stage", table=raw_table(feed), stage=stage_table(feed)))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    con.execute(statement("clear_stage", stage=stage_table(feed)))
