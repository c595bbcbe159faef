"""Suppression before validation (CONTRACT 2.4) and the audit log's whole rows (CONTRACT 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.ingest.feeds import ADMIN_TABLES
from tests.pipeline import (
    READINGS_DESCRIBED,
    SUPPRESSIONS,
    dbt_build,
    ingest,
    read,
    write_csv,
)

pytestmark = pytest.mark.e2e

AS_OF = "2026-02-01T00:00:00Z"


def test_a_suppressed_row_is_suppressed_even_when_it_would_be_quarantined(
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    write_csv(
        landing / "admin/suppressions/arrived=2026-01-01/suppressions.csv",
        SUPPRESSIONS,
        "test-*,asset_id,test rigs,2025-12-31",
        "*decommissioned*,description,retired hardware,2025-12-31",
    )
    write_csv(
        landing / "meter_readings/arrived=2026-01-05/rows.csv",
        READINGS_DESCRIBED,
        "r1,test-1,compute,cpu_hours,yesterday,2,",  # 1 bad timestamp, suppressed by test-*
        "r2,test-2,compute,cpu_hours,2026-01-04T00:00:00Z,-5,",  # 2 negative, suppressed
        "r3,test-3,compute,cpu_hours,2026-01-04T00:00:00Z,abc,",  # 3 not a number, suppressed
        "r4,,compute,cpu_hours,2026-01-04T00:00:00Z,1,rack decommissioned",  # 4 no asset_id
        "r5,a1,compute,cpu_hours,2026-01-04T00:00:00Z,NaN,",  # 5 not suppressed: quarantined
    )
    warehouse = tmp_path / "warehouse.duckdb"
    ingest(landing, warehouse, AS_OF)
    result = dbt_build(warehouse, AS_OF, select="+ingest_log +quarantine")
    assert result.returncode == 0, result.stdout[-3000:]
    (log,) = read(
        warehouse,
        "select rows_seen, rows_loaded, rows_quarantined, rows_duplicate, rows_suppressed "
        "from marts.ingest_log where feed = 'meter_readings'",
    )
    assert log == {
        "rows_seen": 5, "rows_loaded": 0, "rows_quarantined": 1, "rows_duplicate": 0,
        "rows_suppressed": 4,
    }
    quarantined = read(
        warehouse, "select row_number, reason from marts.quarantine where feed = 'meter_readings'"
    )
    assert quarantined == [{"row_number": 5, "reason": "non_finite_number"}]


def _value(table: str, column: str, version: int) -> str:
    """A valid-looking value of ``column`` for snapshot ``version`` (0 = the first)."""
    day = f"2026-01-{version + 1:02d}"
    by_kind = {
        "enabled": ("true", "false"), "ack": ("true", "false"), "reviewed": ("true", "false"),
        "auto_provision": ("false", "true"),
        "meter_kind": ("delta", "cumulative"), "aggregation": ("sum", "count"),
        "pattern_type": ("asset_id", "description"),
        "timezone": ("UTC", "Europe/Paris"), "period": ("2026-01", "2026-02"),
        "role": ("finance", "admin"),
    }
    if column in by_kind:
        return by_kind[column][min(version, 1)]  # each column changes once
    if column in ("net_terms_days", "commit_units", "amount", "monthly_limit"):
        return str(10 + version)
    if column in ("base_price", "overage_price"):
        return f"0.00000{version + 1}"
    if column.endswith("_at"):
        return f"{day}T00:00:00Z"
    if column == "email":
        return f"{'abcdefghijklmnop'[version]}x@{'abcdefghijklmnop'[version]}mail.com"
    if column == "key_hash":
        return f"{version:064x}"
    return f"{table}-{column}-{version}"


def test_the_audit_log_shows_a_change_of_every_column_of_every_admin_table(
    tmp_path: Path,
) -> None:
    """Snapshot k changes column k alone: one update row each, with the whole row both sides."""
    landing = tmp_path / "landing"
    expected: set[tuple[str, str, str]] = set()
    for feed in ADMIN_TABLES:
        table = feed.name.removeprefix("admin/")
        record_id = f"{table}-id"
        id_column = feed.columns[0] if table != "usage_limits" else "client_id"
        changing = [c for c in feed.columns if c != id_column]
        row = {c: _value(table, c, 0) for c in feed.columns} | {id_column: record_id}
        for version in range(len(changing) + 1):
            if version:
                column = changing[version - 1]
                row = row | {column: _value(table, column, version)}
                expected.add((table, column, f"2026-01-{version + 1:02d}"))
            write_csv(
                landing / f"admin/{table}/arrived=2026-01-{version + 1:02d}/{table}.csv",
                ",".join(feed.columns),
                ",".join(row[c] for c in feed.columns),
            )
    warehouse = tmp_path / "warehouse.duckdb"
    ingest(landing, warehouse, AS_OF)
    result = dbt_build(warehouse, AS_OF, select="+audit_log")
    assert result.returncode == 0, result.stdout[-3000:]
    rows = read(
        warehouse,
        "select table_name, record_id, action, cast(changed_at as date)::varchar as day, "
        "old_values, new_values from marts.audit_log order by all",
    )
    inserts = {r["table_name"] for r in rows if r["action"] == "insert"}
    assert inserts == {f.name.removeprefix("admin/") for f in ADMIN_TABLES}
    seen = set()
    for r in (r for r in rows if r["action"] == "update"):
        old, new = json.loads(r["old_values"]), json.loads(r["new_values"])
        feed_columns = next(f.columns for f in ADMIN_TABLES if f.name == f"admin/{r['table_name']}")
        assert sorted(old) == sorted(new) == sorted(feed_columns)  # the whole row, both sides
        (changed,) = [c for c in feed_columns if old[c] != new[c]]
        seen.add((r["table_name"], changed, r["day"]))
    assert seen == expected
    assert not any(r["action"] == "delete" for r in rows)
    assert ("api_keys", "enabled", "2026-01-06") in seen
    assert ("api_keys", "last_used_at", "2026-01-07") in seen
