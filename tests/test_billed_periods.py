"""Billed periods and exact prices (CONTRACT 1, 2.3), as of T = 2026-10-05T00:00Z.

On the zone of tests/fixtures/zones/billed_periods.py, whose docstring works out every bill.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import read, read_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(billed_periods_warehouse: Path) -> Path:
    return billed_periods_warehouse


def test_only_periods_with_a_bucket_in_them_are_invoiced(warehouse: Path) -> None:
    invoices = read_rows(
        warehouse,
        "select client_id, period_start::varchar, charges, adjustments, subtotal, status "
        "from marts.invoices order by all",
    )
    assert invoices == [
        ("aut", "2026-09-01", D("6.00"), D("0.00"), D("6.00"), "pending"),
        ("cc", "2026-09-01", D("18.00"), D("0.00"), D("18.00"), "pending"),
        ("cc", "2026-10-01", D("11.00"), D("2.00"), D("13.00"), "draft"),
        # due Sep 1 + 30 days = Oct 1, unpaid at Oct 5
        ("ini", "2026-08-01", D("122.20"), D("0.00"), D("122.20"), "overdue"),
        ("ini", "2026-09-01", D("122.20"), D("0.00"), D("122.20"), "pending"),
        ("ini", "2026-10-01", D("122.20"), D("0.00"), D("122.20"), "draft"),
    ]
    over_under = read_rows(
        warehouse,
        "select client_id, period_start::varchar from marts.over_under_clients order by all",
    )
    assert over_under == [(i[0], i[1]) for i in invoices]


def test_a_client_first_listed_inside_the_grace_window_owes_whole_commits(
    warehouse: Path,
) -> None:
    (august,) = read(
        warehouse,
        "select * from marts.billing_readings "
        "where client_id = 'ini' and period_start = date '2026-08-01'",
    )
    assert (august["bucket_id"], august["usage"], august["committed_amount"]) == (
        "b-ini", D("0"), D("122.200000"),
    )
    assert (august["buffer_units"], august["buffer_amount"], august["final_cost"]) == (
        D("100.000000"), D("122.200000"), D("122.20"),
    )
    assert (august["status"], august["finalized"]) == ("under", True)


def test_a_bucket_created_at_the_period_end_neither_owes_nor_binds(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select client_id, period_start::varchar from marts.billing_readings "
        "where period_start < date '2026-09-01' order by all",
    )
    assert rows == [("ini", "2026-08-01")]  # nothing of cc (or aut) before September
    # cc-vm2's only record is in August, which is not billed: it is not unbound
    flags = read_rows(
        warehouse,
        "select asset_id, is_unbound from marts.assets where asset_id like 'cc-%' order by 1",
    )
    assert flags == [("cc-llm", False), ("cc-vm", False), ("cc-vm2", False)]


def test_a_per_token_price_is_billed_exactly(warehouse: Path) -> None:
    (tokens,) = read(
        warehouse,
        "select * from marts.billing_readings "
        "where bucket_id = 'b-tok' and period_start = date '2026-09-01'",
    )
    assert tokens["overage_price"] == D("0.0000015")
    assert (tokens["committed_amount"], tokens["overage_units"]) == (
        D("1.000000"), D("2000000.000000"),
    )
    assert (tokens["overage_amount"], tokens["final_cost"]) == (D("3.000000"), D("4.00"))


def test_an_auto_provisioned_bucket_alone_makes_a_period_billed(warehouse: Path) -> None:
    rows = read_rows(
        warehouse,
        "select period_start::varchar, bucket_id, usage, overage_amount, final_cost "
        "from marts.billing_readings where client_id = 'aut'",
    )
    assert rows == [
        ("2026-09-01", "auto:aut:compute:gpu_hours", D("3.000000"), D("6.000000"), D("6.00")),
    ]


def test_late_data_of_a_billed_period_is_booked_on_the_next_invoice(warehouse: Path) -> None:
    lines = read_rows(
        warehouse,
        "select client_id, bucket_id, original_period_start::varchar, "
        "invoice_period_start::varchar, amount from marts.billing_adjustments",
    )
    assert lines == [("cc", "b-cc", "2026-09-01", "2026-10-01", D("2.00"))]


def test_usage_of_a_period_that_is_not_billed_is_listed_as_unbilled(warehouse: Path) -> None:
    # cc's August has no bucket in it: 5 + 4 cpu-hours at the template base price 1
    rows = read_rows(
        warehouse,
        "select unbilled_reason, client_id, asset_id, period_start::varchar, usage, "
        "unbilled_amount from marts.unbilled_usage order by asset_id",
    )
    assert rows == [
        ("period_not_billed", "cc", "cc-vm", "2026-08-01", D("5.000000"), D("5.00")),
        ("period_not_billed", "cc", "cc-vm2", "2026-08-01", D("4.000000"), D("4.00")),
    ]
