"""The marts of the admin screens, and the description of every mart and column.

Dimensions, unbilled usage, daily usage, weekly project spend; the YAML describes every
column of every mart, the warehouse holds the descriptions as comments, and docs/marts.md
is what orchestration.marts_reference renders from them.

A landing zone written by hand, built once as of T = 2026-03-15T00:00Z; every expected figure
is worked out in the comments.

Clients: c1 "Acme Corp" (UTC, net terms 10), c2 "Beta LLC" (America/New_York, net terms
empty = 30), c3 "Gone Inc" (UTC, 15, disabled).
Unit types (base, overage): cpu_hours delta sum (1, 2); gpu_hours delta sum (1.8, 2.4);
storage_gb gauge time_weighted_avg (0.1, 0.2); egress_gb delta sum, auto-provisioned for
net-* (0.5, 0.5); chat_messages delta sum (0.1, 0.1); requests_total cumulative sum,
auto-provisioned for net-* (0, 0).
Buckets, snapshot of Jan 1: b_cpu c1 cpu_hours C 10; b_chat c1 chat_messages C 100 b 0.1;
b_old c1 cpu_hours, disabled; b2_cpu c2 cpu_hours C 5; b_tmp c2 storage_gb C 1. Snapshot of
Feb 10: b_cpu's commit becomes 20, b_tmp is gone, the rest unchanged.
Assets: vm-1, gpu-1, disk-1, net-1, vm-d of c1 (vm-d disregarded); vm-2, gpu-2 of c2; vm-x
with no client. Suppressions: test-* (asset_id), *probe* (description), old-* (acts on
nothing).

Unbilled usage (no bucket of c1 or c2 for gpu_hours or storage_gb, none of c2 for chat):
  disk-1 (c1, gauge, time-weighted): Jan: level 0 until Jan 20, then 100 for 12 of 31 days
    = 1200/31 = 38.709677 -> x 0.1 = 3.87; Feb: 100 carried in for 14 days, 200 from Feb 15
    for 14 days = 150 -> 15.00; Mar (open, window Mar 1 - Mar 15): 200 carried in, no
    reading in March = 200 -> 20.00.
  gpu-1 (c1): Feb 10 + 2.5 = 12.5 -> x 1.8 = 22.50; Mar 1.25 -> 2.25.
  gpu-2 (c2, New York): Mar 1 03:00Z is Feb 28 22:00 local: February, 5 -> 9.00 (it arrived
    on Mar 10, after February's cutoff of Mar 3: every record known at T counts).
  c2/default chat_messages (c2 has no chat bucket): 6 on Feb 2 22:00 local -> 0.60.
  vm-x (unassigned, UTC months): Jan 3 -> 3.00; Feb 28 23:00Z 4 -> 4.00; Mar 1 01:00Z 2 ->
    2.00 (March in UTC, though February in New York).
  vm-d is disregarded, net-1 binds to the auto buckets of egress_gb and requests_total,
  test-* rows are suppressed.
  Total 3.87 + 15 + 20 + 22.50 + 2.25 + 9 + 0.60 + 3 + 4 + 2 = 82.22.
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
from tests.pipeline import (
    BUCKETS,
    CLIENTS,
    EVENTS,
    UNIT_TYPES,
    build_warehouse,
    read,
    read_rows,
    write_csv,
)

AS_OF = "2026-03-15T00:00:00Z"
READINGS = "reading_id,asset_id,source_type,unit_type,reading_ts,value,description"
ASSETS = "asset_id,client_id,source_type,name,description,ack,enabled,created_at"
USERS = "user_id,client_id,name,email,role,channels,created_at,deactivated_at"
API_KEYS = "api_key_id,name,role,client_id,key_hash,enabled,last_used_at"
HASH_1 = "26634dce668db339906c66e3977763152bcee27620aeb6b09ed508023e23f55f"
HASH_2 = "2f543dda8fdc2c50ad610db120d624410b585e92eaeaf7ac140012f7d74ec60b"
CREATED = "2025-12-01T00:00:00Z"
# Buckets are created when January starts in New York (05:00Z): the snapshot of Jan 1 also
# configures December (it arrived inside December's grace window), but no bucket is in
# December, so December is billed to no one.
BUCKET_CREATED = "2026-01-01T05:00:00Z"


def _buckets(cpu_commit: int, with_tmp: bool) -> list[str]:
    rows = [
        f"b_cpu,c1,CPU,compute,cpu_hours,,{cpu_commit},1,2,true,true,{BUCKET_CREATED}",
        f"b_chat,c1,Chat,services,chat_messages,,100,0.1,0.1,false,true,{BUCKET_CREATED}",
        "b_old,c1,Old CPU,compute,cpu_hours,,1,1,1,true,false,2025-01-01T00:00:00Z",
        f"b2_cpu,c2,CPU,compute,cpu_hours,,5,1,2,true,true,{BUCKET_CREATED}",
    ]
    if with_tmp:
        rows.append(f"b_tmp,c2,Storage,storage,storage_gb,,1,0.1,0.2,true,true,{BUCKET_CREATED}")
    return rows


def _landing(root: Path) -> Path:
    admin = root / "admin"
    jan = "arrived=2026-01-01"
    write_csv(
        admin / f"clients/{jan}/clients.csv",
        CLIENTS,
        f"c1,Acme Corp,UTC,10,true,{CREATED}",
        f"c2,Beta LLC,America/New_York,,true,{CREATED}",
        "c3,Gone Inc,UTC,15,false,2025-11-01T00:00:00Z",
    )
    write_csv(
        admin / f"unit_types/{jan}/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU hours,delta,sum,false,1,2,",
        "gpu_hours,GPU hours,delta,sum,false,1.8,2.4,",
        "storage_gb,Storage,gauge,time_weighted_avg,false,0.1,0.2,",
        "egress_gb,Egress,delta,sum,true,0.5,0.5,net-*",
        "chat_messages,Chat,delta,sum,false,0.1,0.1,",
        "requests_total,Requests (counter),cumulative,sum,true,0,0,net-*",
    )
    write_csv(admin / f"buckets/{jan}/buckets.csv", BUCKETS, *_buckets(10, with_tmp=True))
    write_csv(
        admin / "buckets/arrived=2026-02-10/buckets.csv", BUCKETS, *_buckets(20, with_tmp=False)
    )
    write_csv(
        admin / f"assets/{jan}/assets.csv",
        ASSETS,
        *(
            f"{asset},{client},{source},{asset.upper()},,true,true,{CREATED}"
            for asset, client, source in (
                ("vm-1", "c1", "compute"), ("gpu-1", "c1", "compute"),
                ("disk-1", "c1", "storage"), ("net-1", "c1", "network"),
                ("vm-d", "c1", "compute"), ("vm-2", "c2", "compute"),
                ("gpu-2", "c2", "compute"), ("vm-x", "", "compute"),
            )
        ),
    )
    write_csv(
        admin / f"disregarded_assets/{jan}/disregarded_assets.csv",
        "asset_id,reason,disregarded_at",
        "vm-d,internal test machine,2026-01-01T00:00:00Z",
    )
    write_csv(
        admin / f"suppressions/{jan}/suppressions.csv",
        "pattern,pattern_type,reason,created_at",
        f"test-*,asset_id,load tests,{CREATED}",
        f"*probe*,description,monitoring probes,{CREATED}",
        f"old-*,asset_id,retired machines,{CREATED}",
    )
    write_csv(
        admin / f"users/{jan}/users.csv",
        USERS,
        "u1,c1,Jane Doe,jane.doe@example.com,admin,email;sms,2026-01-01T00:00:00Z,",
        "u2,c2,Bob Roe,bob@mail.example.co.uk,agent,whatsapp,2026-01-01T00:00:00Z,",
        "u3,c1,Carl Poe,carl@acme.io,agent,,2026-01-01T00:00:00Z,",
    )
    write_csv(
        admin / f"api_keys/{jan}/api_keys.csv",
        API_KEYS,
        f"k1,ingest robot,ingest,,{HASH_1},true,2026-03-14T10:00:00Z",
        f"k2,acme reader,client_reader,c1,{HASH_2},false,",
    )
    readings = root / "meter_readings"
    write_csv(
        readings / "arrived=2026-01-25/jan.csv",
        READINGS,
        "r4,disk-1,storage,storage_gb,2026-01-20T00:00:00Z,100,",
        "r5,vm-x,compute,cpu_hours,2026-01-10T00:00:00Z,3,",
        "t1,test-1,compute,cpu_hours,2026-01-11T00:00:00Z,9,",
    )
    write_csv(
        readings / "arrived=2026-02-20/feb.csv",
        READINGS,
        "r1,vm-1,compute,cpu_hours,2026-02-05T00:00:00Z,12,",
        "r2,gpu-1,compute,gpu_hours,2026-02-03T00:00:00Z,10,",
        "r3,gpu-1,compute,gpu_hours,2026-02-10T00:00:00Z,2.5,",
        "r6,disk-1,storage,storage_gb,2026-02-15T00:00:00Z,200,",
        "r8,vm-d,compute,gpu_hours,2026-02-04T00:00:00Z,100,",
        "r9,net-1,network,egress_gb,2026-02-06T00:00:00Z,4,",
        "c1,net-1,network,requests_total,2026-02-01T00:00:00Z,1000,",
        "c2,net-1,network,requests_total,2026-02-20T00:00:00Z,1300,",
        "r10,vm-2,compute,cpu_hours,2026-02-10T00:00:00Z,6,",
        "t2,test-2,compute,cpu_hours,2026-02-11T00:00:00Z,1,",
        "p1,vm-1,compute,cpu_hours,2026-02-12T00:00:00Z,50,synthetic probe run",
        "t3,test-3,compute,cpu_hours,2026-02-12T00:00:00Z,1,",
    )
    write_csv(
        readings / "arrived=2026-03-10/mar.csv",
        READINGS,
        "r7,vm-x,compute,cpu_hours,2026-02-28T23:00:00Z,4,",
        "r11,gpu-1,compute,gpu_hours,2026-03-05T00:00:00Z,1.25,",
        "r12,vm-x,compute,cpu_hours,2026-03-01T01:00:00Z,2,",
        "r13,gpu-2,compute,gpu_hours,2026-03-01T03:00:00Z,5,",
        "t4,test-4,compute,cpu_hours,2026-03-02T00:00:00Z,1,",
        "c3,net-1,network,requests_total,2026-03-02T00:00:00Z,50,",
        "c4,net-1,network,requests_total,2026-03-03T00:00:00Z,80,",
    )
    events = root / "service_events"
    write_csv(
        events / "arrived=2026-02-20/events.csv",
        EVENTS,
        "e1,c1,,u1,chat,out,2026-02-02T10:00:00Z,3",
        "e2,c1,,u1,chat,out,2026-02-02T15:00:00Z,2",
        "e3,c1,web,u2,chat,,2026-02-02T11:00:00Z,4",
        "e4,c1,web,u1,chat,out,2026-02-03T09:00:00Z,1",
        "e5,c2,,u4,chat,out,2026-02-03T03:00:00Z,6",
        "e6,c1,,,chat,out,2026-02-10T12:00:00Z,5",
    )
    write_csv(
        events / "arrived=2026-02-21/resend.csv",
        EVENTS,
        "e1,c1,,u1,chat,out,2026-02-02T10:00:00Z,3",
    )
    return root


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("admin_marts"), _landing, AS_OF)


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
