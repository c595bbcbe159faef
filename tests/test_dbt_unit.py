"""The dbt unit tests pass, in seconds: on an empty warehouse holding only the relations they
read (the tested models and everything upstream of them, built with ``--empty``).

tests/test_dbt_project.py builds the whole project on an empty warehouse first (an end-to-end
test); this is the fast loop's check of the hand-computed unit tests.
"""

from __future__ import annotations

from pathlib import Path

from orchestration.ingest.loader import connect, ensure_raw_schema
from tests.pipeline import dbt, run_results


def test_dbt_unit_tests_pass_on_the_relations_they_read(tmp_path: Path) -> None:
    warehouse = tmp_path / "empty.duckdb"
    con = connect(warehouse)
    ensure_raw_schema(con)
    con.close()
    upstream = dbt(
        warehouse, "build", "--empty", "--select", "+test_type:unit",
        "--exclude", "test_type:unit", "test_type:data",
    )
    assert upstream.returncode == 0, upstream.stdout[-4000:]
    unit = dbt(warehouse, "test", "--select", "test_type:unit")
    assert unit.returncode == 0, unit.stdout[-4000:]
    # every hand-computed unit test ran, and passed
    results = run_results()["results"]
    assert [r["status"] for r in results] == ["pass"] * 6
    assert all(r["unique_id"].startswith("unit_test.") for r in results)
