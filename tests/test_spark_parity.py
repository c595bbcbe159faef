"""Bill for bill: the golden landing zone billed by ``tallyhouse run --engine spark`` and by
DuckDB, compared row for row in every contract mart.

The DuckDB side is the session's golden warehouses (``golden_runs``), whose figures
``test_billing_golden.py`` checks by hand; the Spark side is one warehouse run through
Dagster, as a deployment runs it, as of ``SPARK_TIMES``: T3 (every month final, a late
reading's adjustment) in every run of the suite, since one Spark run takes minutes on two
cores; T1 and T2 as well with ``TALLYHOUSE_SPARK_ALL_TIMES=1``. Every column is compared (money to
the last decimal, as text of DuckDB's type) except the run's own clock in ``ingest_log``.
The published copy of each Spark run has the same columns and types as DuckDB's marts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.fixtures.zones import golden
from tests.pipeline import Built
from tests.spark_support import require_spark

pytestmark = pytest.mark.e2e

CONTRACT_MARTS = (
    "billing_readings", "billing_adjustments", "invoices", "credit_grants", "projections",
    "over_under_clients", "assets", "usage_limits", "quarantine", "ingest_log", "audit_log",
)
RUN_CLOCK = {"ingest_log": {"loaded_at"}}  # when this run read the file, not billing
SPARK_TIMES = golden.RUNS if os.environ.get("TALLYHOUSE_SPARK_ALL_TIMES") == "1" else (
    golden.RUNS[-1],)


@pytest.fixture(scope="module")
def spark_runs(golden_runs: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_spark()
    root = tmp_path_factory.mktemp("spark")
    warehouse = root / "warehouse.duckdb"
    tallyhouse = str(Path(sys.executable).parent / "tallyhouse")
    copies = {}
    for label, as_of in SPARK_TIMES:
        result = subprocess.run(
            [tallyhouse, "run", "--engine", "spark", "--landing", str(golden_runs.landing),
             "--warehouse", str(warehouse), "--as-of", as_of],
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        copies[label] = root / f"{label}.duckdb"
        shutil.copyfile(warehouse, copies[label])
    copies["published"] = root / "published" / "marts.duckdb"
    return copies


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple]:
    return con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = 'marts' and table_name = ? "
        "order by column_index", [database, table],
    ).fetchall()


def _differences(duck: Path, spark: Path, table: str) -> tuple[int, int, int]:
    """(rows, rows only DuckDB has, rows only Spark has) of ``marts.table``."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{duck}' as duck (read_only)")
        con.execute(f"attach '{spark}' as spark (read_only)")
        names = [name for name, _ in _columns(con, "duck", table)
                 if name not in RUN_CLOCK.get(table, set())]
        columns = ", ".join(f'"{name}"' for name in names)
        duck_rows = f"select {columns} from duck.marts.{table}"
        spark_rows = f"select {columns} from spark.marts.{table}"
        count = con.execute(f"select count(*) from duck.marts.{table}").fetchone()[0]
        only_duck = con.execute(
            f"select count(*) from ({duck_rows} except all {spark_rows})").fetchone()[0]
        only_spark = con.execute(
            f"select count(*) from ({spark_rows} except all {duck_rows})").fetchone()[0]
        return count, only_duck, only_spark
    finally:
        con.close()


@pytest.mark.parametrize("label", [label for label, _ in SPARK_TIMES])
def test_every_contract_mart_is_the_same_on_both_engines(
    label: str, golden_runs: Built, spark_runs: dict[str, Path]
) -> None:
    found = {table: _differences(golden_runs.runs[label], spark_runs[label], table)
             for table in CONTRACT_MARTS}
    differing = {table: counts for table, counts in found.items() if counts[1] or counts[2]}
    assert differing == {}, f"(rows, only on DuckDB, only on Spark) as of {label}: {differing}"
    # the comparison compared something: the golden zone bills at every time
    for table in ("billing_readings", "invoices", "assets", "ingest_log", "audit_log"):
        assert found[table][0] > 0, table


def test_the_publication_has_duckdbs_columns_and_types(
    golden_runs: Built, spark_runs: dict[str, Path]
) -> None:
    con = duckdb.connect()
    try:
        con.execute(f"attach '{golden_runs.runs['t3']}' as duck (read_only)")
        con.execute(f"attach '{spark_runs['published']}' as spark (read_only)")
        for table in CONTRACT_MARTS:
            assert _columns(con, "spark", table) == _columns(con, "duck", table), table
    finally:
        con.close()
