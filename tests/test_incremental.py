"""Incremental daily runs equal a full refresh, to the cent, and really are incremental.

A generated landing zone (every meter kind, late files, resent records, a re-landed file,
bad rows) is built twice: once as the nightly runs see it (as of November 3, then as of
November 5 on the same warehouse: new arrival days and nothing else changed, October's bill
being finalized in between in the time zones west of UTC) and once from an empty warehouse
as of November 5. Every table of the
rating and mart layers must hold the same rows in both, except the two columns that name the
dbt invocation that wrote a row. Those two columns then prove the daily runs reused work:
the rows of files and periods that did not change keep the invocation of the first run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.generator import generate_landing
from tests.pipeline import build_marts, read

pytestmark = pytest.mark.e2e

DAYS = ("2026-11-03T00:00:00Z", "2026-11-05T00:00:00Z")
INVOCATION_COLUMNS = ("rated_invocation_id", "typed_invocation_id")


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("incremental")
    landing = root / "landing"
    generate_landing(landing, scale=5_000, seed=11, progress=lambda _: None)
    # A resend on the last day of events that arrived months before: the daily run must
    # flag them duplicates of rows typed by an earlier run.
    largest = max((landing / "service_events").glob("arrived=2026-10-*/*.csv"),
                  key=lambda path: path.stat().st_size)
    lines = largest.read_text(encoding="utf-8").splitlines(True)
    assert len(lines) > 10
    resent = landing / "service_events" / "arrived=2026-11-05" / "resent-events.csv"
    resent.parent.mkdir(parents=True, exist_ok=True)
    resent.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")  # header, half
    daily = root / "daily.duckdb"
    built = {}
    for day in DAYS:
        build_marts(landing, daily, day)
        built[day] = root / f"daily-{day[:10]}.duckdb"
        shutil.copy(daily, built[day])
    full = root / "full.duckdb"
    build_marts(landing, full, DAYS[-1])
    return {"daily": daily, "full": full, **built}


def _tables(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = 'daily' "
        "and schema_name in ('intermediate', 'marts') order by all"
    ).fetchall()


def test_daily_runs_equal_a_full_refresh_in_every_table(warehouses: dict[str, Path]) -> None:
    con = duckdb.connect()
    con.execute(f"attach '{warehouses['daily']}' as daily (read_only)")
    con.execute(f"attach '{warehouses['full']}' as full_refresh (read_only)")
    tables = _tables(con)
    assert ("marts", "invoices") in tables and ("intermediate", "int_bound_records") in tables
    differing = []
    for schema, table in tables:
        columns = [
            name for (name,) in con.execute(
                "select column_name from duckdb_columns() where database_name = 'daily' "
                "and schema_name = ? and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
            if name not in INVOCATION_COLUMNS
        ]
        listed = ", ".join(f'"{name}"' for name in columns)
        for left, right in (("daily", "full_refresh"), ("full_refresh", "daily")):
            extra = con.execute(
                f"select count(*) from (select {listed} from {left}.{schema}.{table} "
                f"except all select {listed} from {right}.{schema}.{table})"
            ).fetchone()[0]
            if extra:
                differing.append(f"{schema}.{table}: {extra} rows only in {left}")
    assert differing == []
    # The comparison is not vacuous: the generated zone bills money and has late data.
    totals = read(warehouses["daily"], "select count(*) as n, sum(charges) as due "
                  "from marts.invoices")[0]
    assert totals["n"] > 0 and totals["due"] > 0
    resent = read(warehouses["daily"], "select count(*) filter (where is_duplicate) as n "
                  "from intermediate.int_usage_records where file_name = 'resent-events.csv'")
    assert resent[0]["n"] > 0


def _invocations(warehouse: Path, sql: str) -> set[str]:
    return {row["id"] for row in read(warehouse, sql)}


def test_a_finalized_period_is_bound_once(warehouses: dict[str, Path]) -> None:
    """September's bill (finalized long before November 3) keeps the first run's rows."""
    bill = (
        "select distinct rated_invocation_id as id from intermediate.int_bound_records "
        "where period_start = date '2026-09-01' and is_bill"
    )
    first = _invocations(warehouses[DAYS[0]], bill)
    assert len(first) == 1
    assert _invocations(warehouses["daily"], bill) == first
    # November is open: its horizon is the as-of time, so each run binds it again.
    november = (
        "select distinct rated_invocation_id as id from intermediate.int_bound_records "
        "where period_start = date '2026-11-01'"
    )
    assert _invocations(warehouses["daily"], november).isdisjoint(
        _invocations(warehouses[DAYS[0]], november)
    )


def test_a_new_arrival_day_types_only_its_own_files(warehouses: dict[str, Path]) -> None:
    """After the November 5 run, rows of files that arrived by November 3 keep the
    invocation that typed them on November 3; the files of November 5 have a new one."""
    old_rows = (
        "select distinct typed_invocation_id as id from intermediate.int_usage_records "
        "where arrived <= '2026-11-03'"
    )
    first = _invocations(warehouses[DAYS[0]], old_rows)
    assert len(first) == 1
    assert _invocations(warehouses["daily"], old_rows) == first
    new_rows = (
        "select distinct typed_invocation_id as id from intermediate.int_usage_records "
        "where arrived = '2026-11-05'"
    )
    newest = _invocations(warehouses["daily"], new_rows)
    assert len(newest) == 1 and newest.isdisjoint(first)
