"""The dbt project builds on an empty warehouse (its unit tests: tests/test_dbt_unit.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.ingest.loader import connect, ensure_raw_schema
from tests.pipeline import dbt, run_results


@pytest.mark.e2e  # the whole project
def test_empty_landing_zone_builds(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty.duckdb"
    con = connect(warehouse)
    ensure_raw_schema(con)
    con.close()
    built = dbt(warehouse, "build", "--exclude", "test_type:unit")
    assert built.returncode == 0, built.stdout[-4000:]
    results = run_results()["results"]
    assert results and all(r["status"] in ("success", "pass", "no-op") for r in results)
