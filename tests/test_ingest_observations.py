"""After dbt, each raw table is observed with what became of its rows (marts.ingest_log);
files that belong to no feed (a stray at the landing zone's root) are in the log but have no
raw table to observe, and must not fail the build."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.defs.constants import raw_key
from orchestration.defs.transform.assets import ingest_observations
from orchestration.ingest.feeds import FEEDS_BY_NAME
from orchestration.settings import Settings
from orchestration.warehouse import WarehouseResource


def test_a_stray_file_is_not_observed_and_the_feeds_are(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute(
        "create table marts.ingest_log as select * from (values "
        "('meter_readings', 10, 7, 1, 1, 1), ('meter_readings', 5, 5, 0, 0, 0), "
        "('landing', 0, 0, 0, 0, 0)) "
        "as t(feed, rows_seen, rows_loaded, rows_quarantined, rows_duplicate, rows_suppressed)"
    )
    con.close()
    settings = Settings(landing=tmp_path, warehouse=warehouse,
                        as_of=datetime(2026, 11, 5, tzinfo=UTC))
    observations = list(ingest_observations(settings, WarehouseResource(path=str(warehouse))))
    assert [o.asset_key for o in observations] == [
        raw_key(FEEDS_BY_NAME["meter_readings"].raw_table)
    ]
    metadata = observations[0].metadata
    # two files: 15 rows seen = 12 loaded + 1 quarantined + 1 duplicate + 1 suppressed
    assert metadata["files"].value == 2
    assert [metadata[name].value for name in (
        "rows_seen", "rows_loaded", "rows_quarantined", "rows_duplicate", "rows_suppressed"
    )] == [15, 12, 1, 1, 1]
