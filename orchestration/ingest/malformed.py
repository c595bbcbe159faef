"""Records DuckDB's CSV reader could not split into the header's fields: set aside by the
reader, then kept as rows of their own with the reason (``malformed``) and their text."""

from __future__ import annotations

import duckdb

from orchestration.ingest.statements import statement


def clear_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the reader's reject tables before a reader call that fills them."""
    con.execute(statement("clear_rejects"))


def read_malformed(con: duckdb.DuckDBPyConnection) -> int:
    """Temp table ``_malformed`` (path, _row_number, _malformed, _malformed_line): the records
    the last reader call set aside, one row each (header excluded, 1-based), and temp table
    ``_malformed_gaps`` (path, gap, skipped) for numbering the rows it did read. Returns
    the number of records set aside."""
    con.execute(statement("malformed_records"))
    return con.execute(statement("count_malformed")).fetchone()[0]


def no_malformed(con: duckdb.DuckDBPyConnection) -> None:
    """Empty ``_malformed`` and ``_malformed_gaps``: a reader call that set nothing aside."""
    con.execute(statement("no_malformed_records"))
