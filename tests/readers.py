"""Readers that run in processes of their own, as BI tools do: ``python -m tests.readers``.

- ``poll PUBLISH_DIR STOP OUT``: every 0.2 s, open the published marts.duckdb read-only and
  the published Parquet files, check that every invoice's charges equal the sum of its
  bills' final costs, close; until the file STOP exists; then write what it saw to OUT.
- ``hold FILE STOP OUT``: open FILE (a DuckDB database) read-only, and the Parquet file of
  marts.invoices beside it when there is one, and keep both open until STOP exists, reading
  through them once at the start and once at the end.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

# Invoices whose charges differ from the sum of the final costs of their period's bills,
# with both sides read from the same publication (%s: the catalog or Parquet folder).
MISMATCHES = """
    with billed as (
        select client_id, period_start, sum(final_cost) as billed
        from {readings} group by all
    )
    select count(*) from {invoices} as invoices
    full outer join billed using (client_id, period_start)
    where coalesce(invoices.charges, 0) <> coalesce(billed.billed, 0)
"""
AS_OF = "select max(calculated_at)::varchar, count(*) from {invoices}"


def _check(con: duckdb.DuckDBPyConnection, readings: str, invoices: str) -> tuple[int, str, int]:
    (mismatches,) = con.execute(
        MISMATCHES.format(readings=readings, invoices=invoices)
    ).fetchone()
    as_of, rows = con.execute(AS_OF.format(invoices=invoices)).fetchone()
    return int(mismatches), as_of, int(rows)


def poll(publish_dir: Path, stop: Path, out: Path) -> None:
    seen: dict[str, int] = {}
    polls = errors = mismatches = parquet_reads = 0
    messages: list[str] = []
    while not stop.exists():
        try:
            # as a BI tool opens the file: read-only, the catalog named after the file
            con = duckdb.connect(str(publish_dir / "marts.duckdb"), read_only=True)
            try:
                con.execute("set TimeZone = 'UTC'")
                bad, as_of, _ = _check(con, "marts.marts.billing_readings", "marts.marts.invoices")
                mismatches += bad
                seen[as_of] = seen.get(as_of, 0) + 1
            finally:
                con.close()
            parquet = duckdb.connect(":memory:")
            try:
                folder = (publish_dir / "current").resolve() / "parquet"
                bad, _, _ = _check(
                    parquet,
                    f"read_parquet('{folder / 'billing_readings.parquet'}')",
                    f"read_parquet('{folder / 'invoices.parquet'}')",
                )
                mismatches += bad
                parquet_reads += 1
            finally:
                parquet.close()
            polls += 1
        except Exception as exc:  # every error counts: the test wants none
            errors += 1
            messages.append(str(exc).splitlines()[0])
        time.sleep(0.2)
    out.write_text(
        json.dumps({
            "polls": polls, "errors": errors, "messages": messages[:10],
            "mismatches": mismatches, "parquet_reads": parquet_reads, "as_of_seen": seen,
        }),
        encoding="utf-8",
    )


def hold(database: Path, stop: Path, out: Path) -> None:
    """Hold ``database`` open read-only and, beside a published one, a Parquet file too."""
    import pyarrow.parquet as pq

    con = duckdb.connect(str(database), read_only=True)
    first = con.execute("select count(*) from information_schema.tables").fetchone()[0]
    parquet = database.parent / "parquet" / "invoices.parquet"
    held = pq.ParquetFile(parquet) if parquet.exists() else None  # keeps the file open
    parquet_first = held.metadata.num_rows if held else None
    print("holding", flush=True)
    while not stop.exists():
        time.sleep(0.1)
    last = con.execute("select count(*) from information_schema.tables").fetchone()[0]
    parquet_last = held.read().num_rows if held else None
    con.close()
    out.write_text(
        json.dumps({"first": first, "last": last, "parquet_first": parquet_first,
                    "parquet_last": parquet_last}),
        encoding="utf-8",
    )


if __name__ == "__main__":
    command, target, stop_file, out_file = sys.argv[1:5]
    {"poll": poll, "hold": hold}[command](Path(target), Path(stop_file), Path(out_file))
