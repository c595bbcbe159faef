"""Reports that add like with like: units and aggregations, disproportionate consumers, and
the open month compared with a whole one (models/marts/reports, models/marts/over_under).

On the zone of tests/fixtures/zones/like_with_like.py (as of T = 2026-03-05T00:00Z), whose
docstring works out every figure.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import read_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(like_with_like_warehouse: Path) -> Path:
    return like_with_like_warehouse


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
