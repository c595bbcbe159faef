"""Reports that add like with like: units and aggregations, disproportionate consumers, and
the open month compared with a whole one (models/marts/reports, models/marts/over_under).

A landing zone written by hand, built once as of T = 2026-03-05T00:00Z (4 days of March's
31 gone); every expected figure is worked out in the comments.

Clients k1, k2 (UTC) and k3 (America/New_York), configured from 2026-01-01. Every bucket has
commit 0, base price 0 and overage price 1, so a bucket's final cost is its usage U.
  k1: cpu_hours sum, egress_gb sum, ingress_gb COUNT (transfers), storage_gb MAX,
      whatsapp_outbound UNIQUE_COUNT (distinct users), chat_messages sum
  k2: cpu_hours sum, egress_gb sum, ingress_gb sum (GB), storage_gb LATEST,
      whatsapp_outbound sum (messages)
  k3: chat_messages sum (never used); its SMS has no bucket (unbound)
January: k1 chat 2 (an event at Jan 1 00:00, k1's first) -> revenue 2.00.
February:
  k1 cpu vm-a 40; egress net-a 30; ingress net-a 2 transfers (5 GB and 7 GB); storage
     disk-a max(80, 120) = 120; whatsapp users u1, u2 = 2 (600 messages); chat alpha
     10 + 20 + 40 = 70, beta 20 -> 90. k1 = 40 + 30 + 2 + 120 + 2 + 90 = 284.00
  k2 cpu vm-b 10 + vm-c 6 = 16; egress net-b 10; ingress net-b 8 GB; storage disk-b latest
     of (50, 30) = 30; whatsapp 50 messages. k2 = 16 + 10 + 8 + 30 + 50 = 114.00
  k3 0.00 (its SMS 1 on Jan 31 21:00 local and 393 on Feb 10 bind to no bucket)
  revenue 398.00
March so far: k1 cpu 4 (Mar 2), chat 5 (Mar 1) + 7 (Mar 3) = 12 -> 16.00; run-rate
  projections (f = 4/31): cpu 4 * 31 / 4 = 31, chat 12 * 31 / 4 = 93 -> k1 124.00; k2 and k3
  nothing used: 0.00. Revenue so far 16.00, projected 124.00.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import (
    BUCKETS,
    CLIENTS,
    EVENTS,
    READINGS,
    UNIT_TYPES,
    build_warehouse,
    read_rows,
    write_csv,
)

AS_OF = "2026-03-05T00:00:00Z"


def _landing(root: Path) -> Path:
    admin = root / "admin"
    write_csv(
        admin / "clients/arrived=2026-01-01/clients.csv",
        CLIENTS,
        "k1,Kilo One,UTC,30,true,2025-12-01",
        "k2,Kilo Two,UTC,30,true,2025-12-01",
        "k3,Kilo Three,America/New_York,30,true,2025-12-01",
    )
    write_csv(
        admin / "unit_types/arrived=2026-01-01/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU hours,delta,sum,false,0,1,",
        "egress_gb,Egress,delta,sum,false,0,1,",
        "ingress_gb,Ingress,delta,sum,false,0,1,",
        "storage_gb,Storage,gauge,max,false,0,1,",
        "whatsapp_outbound,WhatsApp out,delta,sum,false,0,1,",
        "chat_messages,Chat,delta,sum,false,0,1,",
        "sms_outbound,SMS out,delta,sum,false,0,1,",
    )
    # Buckets created Jan 1: the snapshot of Jan 1 configures December too (it arrived inside
    # December's grace window), but no bucket is in December, so December is not billed.
    write_csv(
        admin / "buckets/arrived=2026-01-01/buckets.csv",
        BUCKETS,
        "k1-cpu,k1,CPU,compute,cpu_hours,,0,0,1,true,true,2026-01-01",
        "k1-egr,k1,Egress,network,egress_gb,,0,0,1,true,true,2026-01-01",
        "k1-ing,k1,Ingress transfers,network,ingress_gb,count,0,0,1,true,true,2026-01-01",
        "k1-sto,k1,Peak storage,storage,storage_gb,max,0,0,1,true,true,2026-01-01",
        "k1-wa,k1,WhatsApp users,services,whatsapp_outbound,unique_count,0,0,1,true,true,"
        "2025-12-01",
        "k1-chat,k1,Chat,services,chat_messages,,0,0,1,true,true,2026-01-01",
        "k2-cpu,k2,CPU,compute,cpu_hours,,0,0,1,true,true,2026-01-01",
        "k2-egr,k2,Egress,network,egress_gb,,0,0,1,true,true,2026-01-01",
        "k2-ing,k2,Ingress,network,ingress_gb,,0,0,1,true,true,2026-01-01",
        "k2-sto,k2,Latest storage,storage,storage_gb,latest,0,0,1,true,true,2026-01-01",
        "k2-wa,k2,WhatsApp,services,whatsapp_outbound,,0,0,1,true,true,2026-01-01",
        "k3-chat,k3,Chat,services,chat_messages,,0,0,1,true,true,2026-01-01",
    )
    write_csv(
        admin / "assets/arrived=2026-01-01/assets.csv",
        "asset_id,client_id,source_type,name,description,ack,enabled,created_at",
        "vm-a,k1,compute,VM A,,true,true,2025-12-01",
        "net-a,k1,network,Net A,,true,true,2025-12-01",
        "disk-a,k1,storage,Disk A,,true,true,2025-12-01",
        "vm-b,k2,compute,VM B,,true,true,2025-12-01",
        "vm-c,k2,compute,VM C,,true,true,2025-12-01",
        "net-b,k2,network,Net B,,true,true,2025-12-01",
        "disk-b,k2,storage,Disk B,,true,true,2025-12-01",
    )
    readings = root / "meter_readings"
    write_csv(
        readings / "arrived=2026-02-25/feb.csv",
        READINGS,
        "r1,vm-a,compute,cpu_hours,2026-02-05T00:00:00Z,40",
        "r2,vm-b,compute,cpu_hours,2026-02-05T00:00:00Z,10",
        "r3,vm-c,compute,cpu_hours,2026-02-05T00:00:00Z,6",
        "r4,net-a,network,egress_gb,2026-02-06T00:00:00Z,30",
        "r5,net-b,network,egress_gb,2026-02-06T00:00:00Z,10",
        "r6,net-a,network,ingress_gb,2026-02-06T00:00:00Z,5",
        "r7,net-a,network,ingress_gb,2026-02-07T00:00:00Z,7",
        "r8,net-b,network,ingress_gb,2026-02-06T00:00:00Z,8",
        "r9,disk-a,storage,storage_gb,2026-02-02T00:00:00Z,80",
        "r10,disk-a,storage,storage_gb,2026-02-15T00:00:00Z,120",
        "r11,disk-b,storage,storage_gb,2026-02-03T00:00:00Z,50",
        "r12,disk-b,storage,storage_gb,2026-02-20T00:00:00Z,30",
    )
    write_csv(
        readings / "arrived=2026-03-04/mar.csv",
        READINGS,
        "r13,vm-a,compute,cpu_hours,2026-03-02T00:00:00Z,4",
    )
    events = root / "service_events"
    write_csv(
        events / "arrived=2026-01-02/jan.csv",
        EVENTS,
        "e0,k1,alpha,u1,chat,out,2026-01-01T00:00:00Z,2",
    )
    write_csv(
        events / "arrived=2026-02-25/feb.csv",
        EVENTS,
        "e1,k1,alpha,u1,chat,out,2026-02-02T10:00:00Z,10",
        "e2,k1,alpha,u1,chat,out,2026-02-03T10:00:00Z,20",
        "e3,k1,alpha,u1,chat,out,2026-02-20T10:00:00Z,40",
        "e4,k1,beta,u2,chat,out,2026-02-20T11:00:00Z,20",
        "e5,k1,,u1,whatsapp,out,2026-02-10T10:00:00Z,100",
        "e6,k1,,u2,whatsapp,out,2026-02-11T10:00:00Z,200",
        "e7,k1,,u1,whatsapp,out,2026-02-12T10:00:00Z,300",
        "e8,k2,,u9,whatsapp,out,2026-02-10T10:00:00Z,50",
        "e9,k3,,u7,sms,out,2026-02-01T02:00:00Z,1",
        "e10,k3,,u7,sms,out,2026-02-10T15:00:00Z,393",
    )
    write_csv(
        events / "arrived=2026-03-04/mar.csv",
        EVENTS,
        "e11,k1,alpha,u1,chat,out,2026-03-01T10:00:00Z,5",
        "e12,k1,alpha,u1,chat,out,2026-03-03T10:00:00Z,7",
    )
    return root


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("like_with_like"), _landing, AS_OF)


# --- 5. no usage of different units or aggregations added up -------------------------------


def test_usage_summary_totals_only_like_figures(warehouse: Path) -> None:
    sql = (
        "select unit_type, aggregation, usage_unit, total_usage, clients, clients_with_usage, "
        "cost from marts.report_usage_summary where period_start = date '2026-02-01' "
        "order by unit_type, aggregation"
    )
    rows = read_rows(warehouse, sql)
    assert rows == [
        # k1 alpha 70 + beta 20; k3's chat bucket unused
        ("chat_messages", "sum", "chat_messages", D("90"), 2, 1, D("90.00")),
        ("cpu_hours", "sum", "cpu_hours", D("56"), 2, 2, D("56.00")),  # 40 + 10 + 6
        ("egress_gb", "sum", "egress_gb", D("40"), 2, 2, D("40.00")),  # 30 + 10
        # k1 counts transfers (2), k2 sums gigabytes (8): never 10 of anything
        ("ingress_gb", "count", "records of ingress_gb", D("2"), 1, 1, D("2.00")),
        ("ingress_gb", "sum", "ingress_gb", D("8"), 1, 1, D("8.00")),
        # k2's latest level 30 and k1's peak 120: never 150
        ("storage_gb", "latest", "latest storage_gb", D("30"), 1, 1, D("30.00")),
        ("storage_gb", "max", "peak storage_gb", D("120"), 1, 1, D("120.00")),
        # k2's 50 messages and k1's 2 distinct users: never 52
        ("whatsapp_outbound", "sum", "whatsapp_outbound", D("50"), 1, 1, D("50.00")),
        ("whatsapp_outbound", "unique_count", "distinct users of whatsapp_outbound", D("2"),
         1, 1, D("2.00")),
    ]
    assert sum(r[6] for r in rows) == D("398.00")  # money adds up: February's revenue


def test_over_under_unit_types_one_row_per_aggregation(warehouse: Path) -> None:
    sql = (
        "select unit_type, aggregation, usage_unit, units_used, bucket_count "
        "from marts.over_under_unit_types where period_start = date '2026-02-01' "
        "and unit_type in ('ingress_gb', 'storage_gb', 'whatsapp_outbound') order by 1, 2"
    )
    assert read_rows(warehouse, sql) == [
        ("ingress_gb", "count", "records of ingress_gb", D("2"), 1),
        ("ingress_gb", "sum", "ingress_gb", D("8"), 1),
        ("storage_gb", "latest", "latest storage_gb", D("30"), 1),
        ("storage_gb", "max", "peak storage_gb", D("120"), 1),
        ("whatsapp_outbound", "sum", "whatsapp_outbound", D("50"), 1),
        ("whatsapp_outbound", "unique_count", "distinct users of whatsapp_outbound", D("2"), 1),
    ]


def test_client_usage_counts_transfers_apart_from_gigabytes(warehouse: Path) -> None:
    sql = (
        "select client_id, storage_gb, storage_aggregation, storage_cost, egress_gb, ingress_gb, "
        "bandwidth_gb, bandwidth_transfers, bandwidth_cost, other_cost, total_cost "
        "from marts.report_client_usage where period_start = date '2026-02-01' "
        "order by client_id"
    )
    assert read_rows(warehouse, sql) == [
        # k1: peak 120 GB; egress 30 GB; its ingress bucket counts 2 transfers, not GB:
        # bandwidth 30 GB (not 32) and 2 transfers; costs 30 + 2 = 32; cpu 40 + whatsapp 2
        # + chat 90 = 132; 120 + 32 + 132 = 284
        ("k1", D("120"), "max", D("120.00"), D("30"), None, D("30"), D("2"), D("32.00"),
         D("132.00"), D("284.00")),
        # k2: latest 30 GB; 10 + 8 = 18 GB; cpu 16 + whatsapp 50 = 66; 30 + 18 + 66 = 114
        ("k2", D("30"), "latest", D("30.00"), D("10"), D("8"), D("18"), None, D("18.00"),
         D("66.00"), D("114.00")),
        ("k3", None, None, D("0.00"), None, None, None, None, D("0.00"), D("0.00"),
         D("0.00")),
    ]


# --- 6. disproportionate consumers from 2 assets up --------------------------------------


def test_heavy_consumers_against_the_median_of_the_others(warehouse: Path) -> None:
    sql = (
        "select unit_type, aggregation, asset_id, usage, assets, usage_share_pct, "
        "others_median_usage, times_others_median, is_heavy_consumer "
        "from marts.report_heavy_consumers where period_start = date '2026-02-01' "
        "and unit_type in ('chat_messages', 'cpu_hours', 'egress_gb', 'ingress_gb') "
        "order by unit_type, aggregation, asset_id"
    )
    assert read_rows(warehouse, sql) == [
        # 2 assets: alpha 70 > 3 * beta's 20 = 60 -> heavy (3.5x); share 70 / 90 = 77.78 %
        # (a share of 3x the mean, 150 %, can never happen with 2 assets)
        ("chat_messages", "sum", "k1/alpha", D("70"), 2, D("77.78"), D("20"), D("3.50"), True),
        ("chat_messages", "sum", "k1/beta", D("20"), 2, D("22.22"), D("70"), D("0.29"), False),
        # 3 assets, total 56: vm-a 40 > 3 * median(10, 6) = 3 * 8 = 24 -> heavy (5x);
        # vm-b 10 against median(40, 6) = 23 (0.43x); vm-c 6 against median(40, 10) = 25
        ("cpu_hours", "sum", "vm-a", D("40"), 3, D("71.43"), D("8"), D("5.00"), True),
        ("cpu_hours", "sum", "vm-b", D("10"), 3, D("17.86"), D("23"), D("0.43"), False),
        ("cpu_hours", "sum", "vm-c", D("6"), 3, D("10.71"), D("25"), D("0.24"), False),
        # exactly 3 times the other (30 = 3 * 10) is not more than 3 times: not heavy
        ("egress_gb", "sum", "net-a", D("30"), 2, D("75.00"), D("10"), D("3.00"), False),
        ("egress_gb", "sum", "net-b", D("10"), 2, D("25.00"), D("30"), D("0.33"), False),
        # 2 transfers and 8 GB are not compared with each other: each alone in its group
        ("ingress_gb", "count", "net-a", D("2"), 1, D("100.00"), None, None, False),
        ("ingress_gb", "sum", "net-b", D("8"), 1, D("100.00"), None, None, False),
    ]


# --- 7. the open month compared like with like --------------------------------------------


def test_revenue_change_compares_whole_months(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, revenue, projected_revenue, is_partial, previous_revenue, "
        "revenue_change, revenue_change_pct from marts.dashboard_revenue_by_period "
        "where period_start >= date '2026-02-01' order by period_start"
    )
    assert read_rows(warehouse, sql) == [
        # 284 + 114 + 0 = 398 against January's 2: +396, 100 * 396 / 2 = 19800 %
        ("2026-02-01", D("398.00"), D("398.00"), False, D("2.00"), D("396.00"), D("19800.00")),
        # March so far 16.00 (4 days), projected 124.00: 124 - 398 = -274; 100 * -274 / 398
        # = -68.844 -> -68.84 (4 days against a whole February would say -95.98)
        ("2026-03-01", D("16.00"), D("124.00"), True, D("398.00"), D("-274.00"), D("-68.84")),
    ]
    [row] = read_rows(
        warehouse,
        "select revenue_this_period, revenue_this_period_projected, is_this_period_partial, "
        "revenue_last_period, revenue_change, revenue_change_pct from marts.dashboard_summary",
    )
    assert row == (D("16.00"), D("124.00"), True, D("398.00"), D("-274.00"), D("-68.84"))


def test_consumption_compares_the_same_elapsed_span(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, quantity, previous_quantity, comparable_previous_quantity, "
        "change, change_pct, is_complete, is_partial from marts.service_consumption "
        "where client_id = 'k1' and metric = 'chat_messages' and grain = 'month' "
        "order by period_start"
    )
    assert read_rows(warehouse, sql) == [
        # k1's first event is Jan 1 00:00, so January is whole; nothing before it
        ("2026-01-01", D("2"), D("0"), D("0"), D("2"), None, True, False),
        # 90 against 2: +88, 4400 %
        ("2026-02-01", D("90"), D("2"), D("2"), D("88"), D("4400.00"), True, False),
        # March at T: 4 days, 5 + 7 = 12, against February's first 4 days (before Feb 5):
        # 10 + 20 = 30 -> -18, -60 % (against all of February's 90 it would be -86.67 %)
        ("2026-03-01", D("12"), D("90"), D("30"), D("-18"), D("-60.00"), False, True),
    ]


def test_no_percent_against_a_sliver_before_the_first_data(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, quantity, comparable_previous_quantity, change, "
        "change_pct, is_partial from marts.service_consumption "
        "where client_id = 'k3' and metric = 'sms_outbound' and grain = 'month' "
        "order by period_start"
    )
    assert read_rows(warehouse, sql) == [
        # k3's first event is Feb 1 02:00 UTC = Jan 31 21:00 in New York: January holds 3
        # hours of its data, a sliver (partial)
        ("2026-01-01", D("1"), D("0"), D("1"), None, True),
        # 393 against the sliver's 1 would be +39,200 %: no percent
        ("2026-02-01", D("393"), D("1"), D("392"), None, False),
        # March at T (Mar 4 19:00 local, 3 days 19 hours in): February up to Feb 5 00:00 UTC
        # held nothing (393 came on Feb 10): a zero base, no percent
        ("2026-03-01", D("0"), D("0"), D("0"), None, True),
    ]
