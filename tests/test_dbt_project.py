"""The dbt project builds on an empty warehouse, and its unit tests pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingest.loader import connect, ensure_raw_schema
from tests.pipeline import dbt, run_results


@pytest.mark.e2e  # the whole project; tests/test_dbt_unit.py runs the unit tests fast
def test_empty_landing_zone_builds_and_dbt_unit_tests_pass(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty.duckdb"
    con = connect(warehouse)
    ensure_raw_schema(con)
    con.close()
    built = dbt(warehouse, "build", "--exclude", "test_type:unit")
    assert built.returncode == 0, built.stdout[-4000:]
    unit = dbt(warehouse, "test", "--select", "test_type:unit")
    assert unit.returncode == 0, unit.stdout[-4000:]
    # every hand-computed unit test ran, and passed
    results = run_results()["results"]
    assert [r["status"] for r in results] == ["pass"] * 6
    assert all(r["unique_id"].startswith("unit_test.") for r in results)
