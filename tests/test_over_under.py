"""Over/under marts: buckets, unit types, right-size candidates, trend and new overages.

On the zone of tests/fixtures/zones/over_under.py (as of T = 2026-04-10T00:00Z), whose
docstring works out every figure.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import read_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(over_under_warehouse: Path) -> Path:
    return over_under_warehouse


def test_over_under_buckets(warehouse: Path) -> None:
    sql = (
        "select bucket_id, period_start::varchar, usage, commit_units, status, overage_units, "
        "overage_amount, buffer_units, buffer_amount, pct_of_commit, finalized "
        "from marts.over_under_buckets where bucket_id in ('a1', 'c1') order by 1, 2"
    )
    assert read_rows(warehouse, sql) == [
        # 120 - 100 = 20 over at 2: 40; 100 * 120 / 100 = 120.00 %
        ("a1", "2026-01-01", D("120"), D("100"), "over", D("20"), D("40"), D("0"), D("0"),
         D("120.00"), True),
        ("a1", "2026-02-01", D("80"), D("100"), "under", D("0"), D("0"), D("20"), D("20"),
         D("80.00"), True),
        ("a1", "2026-03-01", D("90"), D("100"), "under", D("0"), D("0"), D("10"), D("10"),
         D("90.00"), True),
        # the open April: 9 days * 2 = 18; buffer 82 * 1
        ("a1", "2026-04-01", D("18"), D("100"), "under", D("0"), D("0"), D("82"), D("82"),
         D("18.00"), False),
        ("c1", "2026-01-01", D("10"), D("10"), "on_commit", D("0"), D("0"), D("0"), D("0"),
         D("100.00"), True),
        # 10 - 4 = 6 unused at 2: 12
        ("c1", "2026-02-01", D("4"), D("10"), "under", D("0"), D("0"), D("6"), D("12"),
         D("40.00"), True),
        ("c1", "2026-03-01", D("1"), D("10"), "under", D("0"), D("0"), D("9"), D("18"),
         D("10.00"), True),
        ("c1", "2026-04-01", D("9"), D("10"), "under", D("0"), D("0"), D("1"), D("2"),
         D("90.00"), False),
    ]


def test_over_under_unit_types(warehouse: Path) -> None:
    sql = (
        "select unit_type, period_start::varchar, units_used, units_change, overage_amount, "
        "buffer_amount, finalized from marts.over_under_unit_types order by 1, 2"
    )
    assert read_rows(warehouse, sql) == [
        # cpu_hours = a1 + b1: 120 + 150 = 270; overage a1 40; buffer b1 50 * 0.5 = 25
        ("cpu_hours", "2026-01-01", D("270"), D("270"), D("40"), D("25"), True),
        # 80 + 260 = 340 (+70); overage b1 60 * 1; buffer a1 20 * 1
        ("cpu_hours", "2026-02-01", D("340"), D("70"), D("60"), D("20"), True),
        # 90 + 210 = 300 (-40); overage b1 10; buffer a1 10
        ("cpu_hours", "2026-03-01", D("300"), D("-40"), D("10"), D("10"), True),
        # 18 + 90 = 108 so far (no change against a whole March); buffer a1 82 * 1 + b1 110
        # * 0.5 = 137
        ("cpu_hours", "2026-04-01", D("108"), None, D("0"), D("137"), False),
        # gb = a2 + c1: 30 + 10 = 40; buffer a2 20 * 0.5 = 10
        ("gb", "2026-01-01", D("40"), D("40"), D("0"), D("10"), True),
        ("gb", "2026-02-01", D("54"), D("14"), D("0"), D("12"), True),  # 50 + 4; c1 6 * 2
        ("gb", "2026-03-01", D("51"), D("-3"), D("0"), D("18"), True),  # 50 + 1; c1 9 * 2
        # 90 + 9 = 99 so far; a2 over 40 * 1; c1 1 * 2
        ("gb", "2026-04-01", D("99"), None, D("40"), D("2"), False),
    ]
    # April runs at T (9 days of 30): partial; every bucket here sums, one row per unit type
    sql = (
        "select period_start::varchar, aggregation, usage_unit, bool_and(is_partial) "
        "from marts.over_under_unit_types group by all order by all"
    )
    assert read_rows(warehouse, sql) == [
        ("2026-01-01", "sum", "cpu_hours", False), ("2026-01-01", "sum", "gb", False),
        ("2026-02-01", "sum", "cpu_hours", False), ("2026-02-01", "sum", "gb", False),
        ("2026-03-01", "sum", "cpu_hours", False), ("2026-03-01", "sum", "gb", False),
        ("2026-04-01", "sum", "cpu_hours", True), ("2026-04-01", "sum", "gb", True),
    ]


def test_right_size_candidates_rank_by_buffer_money(warehouse: Path) -> None:
    sql = (
        "select client_id, period_start::varchar, bucket_id, unit_type, committed_amount, "
        "buffer_units, buffer_amount, pct_unused, client_buffer_amount, client_rank, "
        "bucket_rank from marts.right_size_candidates order by bucket_rank"
    )
    # latest finalized period: March. a2 is on commit, b1 over: not candidates.
    assert read_rows(warehouse, sql) == [
        # c1: commit 10 at 2 = 20 committed; 9 unused = 18 money; 100 * 9 / 10 = 90 %
        ("o3", "2026-03-01", "c1", "gb", D("20"), D("9"), D("18"), D("90.00"), D("18"), 1, 1),
        # a1: 100 committed; 10 unused = 10 money; 10 %
        ("o1", "2026-03-01", "a1", "cpu_hours", D("100"), D("10"), D("10"), D("10.00"),
         D("10"), 2, 2),
    ]


def test_over_under_trend(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, overage_amount, buffer_amount, overage_change, "
        "buffer_change, clients_with_overage, finalized, is_partial "
        "from marts.over_under_trend order by 1"
    )
    assert read_rows(warehouse, sql) == [
        ("2026-01-01", D("40"), D("35"), None, None, 1, True, False),  # buffer a2 10 + b1 25
        ("2026-02-01", D("60"), D("32"), D("20"), D("-3"), 1, True, False),  # a1 20 + c1 12
        ("2026-03-01", D("10"), D("28"), D("-50"), D("-4"), 1, True, False),  # a1 10 + c1 18
        # April so far: overage a2 40; buffer a1 82 + b1 55 + c1 2 = 139 (a commit not used up
        # yet): partial, so no change against a whole March (it was 30 and 111)
        ("2026-04-01", D("40"), D("139"), None, None, 1, False, True),
    ]


def test_new_overages(warehouse: Path) -> None:
    sql = (
        "select client_id, bucket_id, current_usage, forecast_usage, forecast_overage_units, "
        "forecast_cost, previous_usage, previous_status from marts.new_overages order by 2"
    )
    # a2: 90 * 30 / 9 = 300 > 50, on commit in March -> new; 50 * 0.5 + 250 * 1 = 275.00
    # c1: 9 * 30 / 9 = 30 > 10, under in March -> new; 10 * 2 + 20 * 3 = 80.00
    # b1: 300 > 200 but already over in March; a1: 60 < 100
    assert read_rows(warehouse, sql) == [
        ("o1", "a2", D("90"), D("300"), D("250"), D("275.00"), D("50"), "on_commit"),
        ("o3", "c1", D("9"), D("30"), D("20"), D("80.00"), D("1"), "under"),
    ]
