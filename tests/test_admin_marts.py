"""The marts of the admin screens, and the description of every mart and column.

Dimensions, unbilled usage, daily usage, weekly project spend; the YAML describes every
column of every mart, the warehouse holds the descriptions as comments, and docs/marts.md
is what orchestration.marts_reference renders from them.

On the zone of tests/fixtures/zones/admin_marts.py (as of T = 2026-03-15T00:00Z), whose
docstring works out every figure.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from orchestration.marts_reference import (
    REFERENCE_PATH,
    REGENERATE,
    column_types,
    load_marts,
    render,
)
from tests.fixtures.zones.admin_marts import HASH_1, HASH_2
from tests.pipeline import read, read_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(admin_marts_warehouse: Path) -> Path:
    return admin_marts_warehouse


# --- 10. Unbilled usage ----------------------------------------------------------------------


def test_unbilled_usage_values_unbound_and_unassigned_assets_at_template_price(
    warehouse: Path,
) -> None:
    rows = read_rows(
        warehouse,
        "select unbilled_reason, client_id, asset_id, unit_type, period_start, usage, records,"
        " base_price, unbilled_amount, finalized from marts.unbilled_usage"
        " order by unbilled_reason desc, client_id, asset_id, period_start",
    )
    jan, feb, mar = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
    assert rows == [
        ("unbound", "c1", "disk-1", "storage_gb", jan, D("38.709677"), 1, D("0.1"), D("3.87"),
         True),
        ("unbound", "c1", "disk-1", "storage_gb", feb, D("150"), 1, D("0.1"), D("15.00"), True),
        ("unbound", "c1", "disk-1", "storage_gb", mar, D("200"), 0, D("0.1"), D("20.00"),
         False),
        ("unbound", "c1", "gpu-1", "gpu_hours", feb, D("12.5"), 2, D("1.8"), D("22.50"), True),
        ("unbound", "c1", "gpu-1", "gpu_hours", mar, D("1.25"), 1, D("1.8"), D("2.25"), False),
        ("unbound", "c2", "c2/default", "chat_messages", feb, D("6"), 1, D("0.1"), D("0.60"),
         True),
        ("unbound", "c2", "gpu-2", "gpu_hours", feb, D("5"), 1, D("1.8"), D("9.00"), True),
        ("unassigned", None, "vm-x", "cpu_hours", jan, D("3"), 1, D("1"), D("3.00"), True),
        ("unassigned", None, "vm-x", "cpu_hours", feb, D("4"), 1, D("1"), D("4.00"), True),
        ("unassigned", None, "vm-x", "cpu_hours", mar, D("2"), 1, D("1"), D("2.00"), False),
    ]


def test_unbilled_usage_periods_follow_the_client_timezone_or_utc(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select asset_id, timezone, period_end from marts.unbilled_usage"
        " where asset_id in ('gpu-2', 'vm-x') order by asset_id, period_start",
    )
    assert rows == [
        ("gpu-2", "America/New_York", date(2026, 3, 1)),
        ("vm-x", "UTC", date(2026, 2, 1)),
        ("vm-x", "UTC", date(2026, 3, 1)),
        ("vm-x", "UTC", date(2026, 4, 1)),
    ]


def test_dashboard_summary_shows_the_unbilled_total(warehouse: Path) -> None:
    [row] = read(warehouse, "select * from marts.dashboard_summary")
    assert row["unbilled_amount"] == D("82.22")
    assert list(row)[-1] == "unbilled_amount"


# --- 9. Dimensions --------------------------------------------------------------------------


def test_clients_mart(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select client_id, client_name, timezone, net_terms_days, is_enabled, created_at,"
        " buckets, enabled_buckets from marts.clients order by client_id",
    )
    created = datetime(2025, 12, 1, tzinfo=UTC)
    assert rows == [
        ("c1", "Acme Corp", "UTC", 10, True, created, 3, 2),
        ("c2", "Beta LLC", "America/New_York", 30, True, created, 1, 1),
        ("c3", "Gone Inc", "UTC", 15, False, datetime(2025, 11, 1, tzinfo=UTC), 0, 0),
    ]


def test_buckets_mart_keeps_every_version_and_the_auto_bucket(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select bucket_id, valid_from, valid_to, is_current, commit_units, base_price,"
        " overage_price, is_enabled, is_reviewed, is_auto from marts.buckets"
        " order by bucket_id, valid_from",
    )
    jan1 = datetime(2026, 1, 1, tzinfo=UTC)
    feb1 = datetime(2026, 2, 1, tzinfo=UTC)
    feb10 = datetime(2026, 2, 10, tzinfo=UTC)
    assert rows == [
        ("auto:c1:network:egress_gb", feb1, None, True, D(0), D("0.5"), D("0.5"), True, False,
         True),
        ("auto:c1:network:requests_total", feb1, None, True, D(0), D(0), D(0), True, False, True),
        ("b2_cpu", jan1, None, True, D(5), D(1), D(2), True, True, False),
        ("b_chat", jan1, None, True, D(100), D("0.1"), D("0.1"), True, False, False),
        ("b_cpu", jan1, feb10, False, D(10), D(1), D(2), True, True, False),
        ("b_cpu", feb10, None, True, D(20), D(1), D(2), True, True, False),
        ("b_old", jan1, None, True, D(1), D(1), D(1), False, True, False),
        ("b_tmp", jan1, feb10, False, D(1), D("0.1"), D("0.2"), True, True, False),
    ]


def test_unit_types_mart(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select unit_type, meter_kind, aggregation, auto_provision, base_price, overage_price,"
        " filter_pattern from marts.unit_types order by unit_type",
    )
    assert rows == [
        ("chat_messages", "delta", "sum", False, D("0.1"), D("0.1"), ""),
        ("cpu_hours", "delta", "sum", False, D(1), D(2), ""),
        ("egress_gb", "delta", "sum", True, D("0.5"), D("0.5"), "net-*"),
        ("gpu_hours", "delta", "sum", False, D("1.8"), D("2.4"), ""),
        ("requests_total", "cumulative", "sum", True, D(0), D(0), "net-*"),
        ("storage_gb", "gauge", "time_weighted_avg", False, D("0.1"), D("0.2"), ""),
    ]


def test_api_keys_mart_holds_no_secret(warehouse: Path) -> None:
    rows = read(warehouse, "select * from marts.api_keys order by api_key_id")
    assert [
        (r["api_key_id"], r["api_key_name"], r["role"], r["client_id"], r["is_enabled"],
         r["last_used_at"]) for r in rows
    ] == [
        ("k1", "ingest robot", "ingest", None, True, datetime(2026, 3, 14, 10, tzinfo=UTC)),
        ("k2", "acme reader", "client_reader", "c1", False, None),
    ]
    for row in rows:
        assert not any("hash" in name or "secret" in name for name in row)
        assert not any(value in (HASH_1, HASH_2) for value in row.values())


def test_suppression_rules_mart_counts_what_each_rule_dropped(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select pattern, pattern_type, reason, rows_suppressed, files_acted_on, last_file,"
        " last_arrived from marts.suppression_rules order by pattern",
    )
    assert rows == [
        ("*probe*", "description", "monitoring probes", 1, 1,
         "meter_readings/arrived=2026-02-20/feb.csv", date(2026, 2, 20)),
        ("old-*", "asset_id", "retired machines", 0, 0, None, None),
        ("test-*", "asset_id", "load tests", 4, 3,
         "meter_readings/arrived=2026-03-10/mar.csv", date(2026, 3, 10)),
    ]


def test_users_mart_masks_email_and_counts_channels(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select user_id, client_id, email_masked, role, channel_count from marts.users"
        " order by user_id",
    )
    assert rows == [
        ("u1", "c1", "j***@e***.com", "admin", 2),
        ("u2", "c2", "b***@m***.uk", "agent", 1),
        ("u3", "c1", "c***@a***.io", "agent", 0),
    ]
    columns = read_rows(
        warehouse,
        "select column_name from information_schema.columns"
        " where table_schema = 'marts' and table_name = 'users'",
    )
    assert ("email",) not in columns


# --- 11. Daily usage and weekly project spend -----------------------------------------------


def test_service_user_daily(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select client_id, user_id, service, direction, unit_type, usage_date, quantity, events"
        " from marts.service_user_daily order by client_id, usage_date, user_id nulls last",
    )
    chat = ("chat", "out", "chat_messages")
    assert rows == [
        # e1 is sent twice and counted once: 3 + 2
        ("c1", "u1", *chat, date(2026, 2, 2), D(5), 2),
        ("c1", "u2", *chat, date(2026, 2, 2), D(4), 1),
        ("c1", "u1", *chat, date(2026, 2, 3), D(1), 1),
        ("c1", None, *chat, date(2026, 2, 10), D(5), 1),
        # Feb 3 03:00Z is Feb 2 in New York
        ("c2", "u4", *chat, date(2026, 2, 2), D(6), 1),
    ]


def test_asset_daily_usage_covers_the_30_days_before_t(warehouse: Path) -> None:
    # From Feb 13 00:00Z: r6 (disk-1, gauge), r7 and r12 (vm-x), r11 (gpu-1), r13 (gpu-2,
    # Feb 28 in New York), net-1's counter; the chat events of early February are older.
    rows = read_rows(
        warehouse,
        "select asset_id, client_id, unit_type, meter_kind, usage_date, records, quantity,"
        " max_value, last_value from marts.asset_daily_usage order by asset_id, usage_date",
    )
    assert rows == [
        ("disk-1", "c1", "storage_gb", "gauge", date(2026, 2, 15), 1, None, D(200), D(200)),
        ("gpu-1", "c1", "gpu_hours", "delta", date(2026, 3, 5), 1, D("1.25"), D("1.25"),
         D("1.25")),
        ("gpu-2", "c2", "gpu_hours", "delta", date(2026, 2, 28), 1, D(5), D(5), D(5)),
        # a counter: 1000 on Feb 1 (before the window) then 1300 -> 300; reset to 50 -> 50;
        # then 80 -> 30
        ("net-1", "c1", "requests_total", "cumulative", date(2026, 2, 20), 1, D(300), D(1300),
         D(1300)),
        ("net-1", "c1", "requests_total", "cumulative", date(2026, 3, 2), 1, D(50), D(50), D(50)),
        ("net-1", "c1", "requests_total", "cumulative", date(2026, 3, 3), 1, D(30), D(80), D(80)),
        ("vm-x", None, "cpu_hours", "delta", date(2026, 2, 28), 1, D(4), D(4), D(4)),
        ("vm-x", None, "cpu_hours", "delta", date(2026, 3, 1), 1, D(2), D(2), D(2)),
    ]


def test_store_weekly_spend_by_project(warehouse: Path) -> None:
    # c1's b_chat in February: usage 3 + 2 + 4 + 1 + 5 = 15 < 100 -> 10.00, of which default
    # (10 of 15) 6.67 and web (5 of 15) 3.33 (marts.store_spend_by_project). default's 667
    # cents over its weeks: Feb 2 (5) and Feb 9 (5) get 333.5 each -> 333 + 333, the cent left
    # to the earlier week: 3.34 and 3.33. web is all in the week of Feb 2. January and March:
    # the commit alone, unallocated.
    rows = read_rows(
        warehouse,
        "select client_id, period_start, week_start, project, spend, events"
        " from marts.store_weekly_spend_by_project order by period_start, week_start, project",
    )
    assert rows == [
        ("c1", date(2026, 1, 1), None, "(unallocated)", D("10.00"), 0),
        ("c1", date(2026, 2, 1), date(2026, 2, 2), "default", D("3.34"), 2),
        ("c1", date(2026, 2, 1), date(2026, 2, 2), "web", D("3.33"), 2),
        ("c1", date(2026, 2, 1), date(2026, 2, 9), "default", D("3.33"), 1),
        ("c1", date(2026, 3, 1), None, "(unallocated)", D("10.00"), 0),
    ]


# --- 12. Every mart column described, in the YAML, the warehouse and the reference ---------


def _warehouse_columns(warehouse: Path) -> dict[str, dict[str, str | None]]:
    """{mart: {column: comment}} of schema marts, as the warehouse holds them."""
    columns: dict[str, dict[str, str | None]] = {}
    for table, column, comment in read_rows(
        warehouse,
        "select table_name, column_name, comment from duckdb_columns()"
        " where schema_name = 'marts' order by table_name, column_index",
    ):
        columns.setdefault(table, {})[column] = comment
    return columns


def test_every_mart_and_every_column_is_described(warehouse: Path) -> None:
    marts = {mart.name: mart for mart in load_marts()}
    built = _warehouse_columns(warehouse)
    problems = []
    for table, columns in built.items():
        mart = marts.get(table)
        if mart is None:
            problems.append(f"{table}: no YAML entry")
            continue
        if not mart.description:
            problems.append(f"{table}: no description")
        described = {column.name: column.description for column in mart.columns}
        problems += [
            f"{table}.{name}: not in the YAML" for name in columns if name not in described
        ]
        problems += [
            f"{table}.{name}: no description"
            for name in columns if name in described and not described[name]
        ]
        problems += [f"{table}.{name}: in the YAML, not in the mart"
                     for name in described if name not in columns]
    problems += [f"{name}: in the YAML, not built" for name in marts if name not in built]
    assert problems == []


def test_descriptions_are_comments_in_the_warehouse(warehouse: Path) -> None:
    marts = {mart.name: mart for mart in load_marts()}
    tables = dict(read_rows(
        warehouse,
        "select table_name, comment from duckdb_tables() where schema_name = 'marts'",
    ))
    for table, columns in _warehouse_columns(warehouse).items():
        assert " ".join((tables[table] or "").split()) == marts[table].description, table
        described = {column.name: column.description for column in marts[table].columns}
        for name, comment in columns.items():
            assert " ".join((comment or "").split()) == described[name], f"{table}.{name}"
    [(comment,)] = read_rows(
        warehouse,
        "select comment from duckdb_columns()"
        " where schema_name = 'marts' and table_name = 'unbilled_usage'"
        " and column_name = 'unbilled_amount'",
    )
    assert comment == "usage x base_price, rounded to the cent half away from zero (DECIMAL)."


def test_marts_reference_is_up_to_date(warehouse: Path) -> None:
    expected = render(load_marts(), column_types(warehouse))
    assert REFERENCE_PATH.read_text(encoding="utf-8") == expected, (
        f"docs/marts.md is out of date: run {REGENERATE}"
    )
    assert "| `unbilled_amount` | DECIMAL(38,2) |" in expected
    assert "Grain: one row per `unbilled_reason`, `client_id`, `asset_id`, `unit_type`," in expected
