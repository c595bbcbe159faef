"""The dbt unit tests pass, in seconds: on an empty warehouse holding only the relations they
read (the models they test and everything upstream, built with ``--empty``, which the unit
tests' own fixtures ignore).

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
    built = dbt(
        warehouse, "build", "--empty", "--select", "+test_type:unit", "--exclude", "test_type:data"
    )
    assert built.returncode == 0, built.stdout[-4000:]
    results = run_results()["results"]
    assert all(r["status"] in ("success", "pass") for r in results)
    # every hand-computed unit test ran, and passed
    unit = [r["status"] for r in results if r["unique_id"].startswith("unit_test.")]
    assert unit == ["pass"] * 10  # the unit_tests of models/**/_*__unit_tests.yml
