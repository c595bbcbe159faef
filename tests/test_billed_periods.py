"""Billed periods and exact prices (CONTRACT 1, 2.3), on a landing zone written by hand.

As of T = 2026-10-05T00:00Z, grace 48 h: August (cutoff Sep 3) and September (cutoff Oct 3)
are finalized, October is open. Every client is UTC.

Clients: cc and aut are listed by the snapshot of Aug 1; ini first by the snapshot of Sep 1,
which arrived inside August's grace window, so it configures August.
Buckets (snapshot of Aug 1):
  b-cc   cc,  compute/cpu_hours, commit 10, base 1, overage 2, created Sep 1 (= end of August:
         not in August, nor July)
  b-tok  cc,  compute/tokens, commit 1,000,000, base 0.000001, overage 0.0000015, created Sep 1
  b-ini  ini, compute/cpu_hours, commit 100, base 1.222, overage 2, created Aug 28
  aut has no configured bucket; gpu_hours auto-provisions for assets gpu-* (template 1.8 / 2).
Readings:
  cc-vm   cpu_hours 5 on Aug 15 (August: no bucket in it), 12 on Sep 10, and 1 on Sep 30 that
          arrived Oct 4 (after September's cutoff: an adjustment on October's invoice)
  cc-vm2  cpu_hours 4 on Aug 20 only: its one record is in a period that is not billed
  cc-llm  tokens 3,000,000 on Sep 12
  gpu-a1  gpu_hours 3 on Sep 5 (aut)

Worked out by hand:
  cc   July, August: no bucket in them -> not billed (no invoice, no rows, nothing unbound).
       September: b-cc U 12 -> committed 10 * 1 = 10, overage 2 * 2 = 4 -> 14.00 (over);
       b-tok U 3,000,000 -> committed 1,000,000 * 0.000001 = 1, overage 2,000,000 * 0.0000015
       = 3 -> 4.00 (a price rounded to 0.000002 would bill 4 + 1 = 5.00). Charges 18.00.
       With the late reading b-cc U 13 -> 10 + 3 * 2 = 16.00: +2.00 on October's invoice.
       October (draft): commits only, 10.00 + 1.00 = 11.00; subtotal 13.00.
  ini  July: not in July's configuration (horizon Aug 2: only the snapshot of Aug 1) -> none.
       August, September, October: b-ini owes 100 * 1.222 = 122.20, usage 0, under.
  aut  August, October: no record binds to the auto bucket -> not billed.
       September: auto:aut:compute:gpu_hours U 3, commit 0 -> overage 3 * 2 = 6.00.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import (
    BUCKETS,
    CLIENTS,
    READINGS,
    UNIT_TYPES,
    build_marts,
    read,
    read_rows,
    write_csv,
)

AS_OF = "2026-10-05T00:00:00Z"
ASSETS = "asset_id,client_id,source_type,name,description,ack,enabled,created_at"


def _landing(root: Path) -> Path:
    admin = root / "admin"
    write_csv(
        admin / "clients/arrived=2026-08-01/clients.csv", CLIENTS,
        "cc,Harbor,,,true,", "aut,Auto Only,,,true,",
    )
    write_csv(
        admin / "clients/arrived=2026-09-01/clients.csv", CLIENTS,
        "cc,Harbor,,,true,", "aut,Auto Only,,,true,", "ini,Initech,,,true,2026-08-28",
    )
    write_csv(
        admin / "unit_types/arrived=2026-08-01/unit_types.csv", UNIT_TYPES,
        "cpu_hours,CPU,delta,sum,false,1,2,",
        "tokens,Tokens,delta,sum,false,0.000001,0.0000015,",
        "gpu_hours,GPU,delta,sum,true,1.8,2,gpu-*",
    )
    write_csv(
        admin / "buckets/arrived=2026-08-01/buckets.csv", BUCKETS,
        "b-cc,cc,CPU,compute,cpu_hours,,10,1,2,true,true,2026-09-01",
        "b-tok,cc,Tokens,compute,tokens,,1000000,0.000001,0.0000015,true,true,2026-09-01",
        "b-ini,ini,Reserved,compute,cpu_hours,,100,1.222,2,true,true,2026-08-28",
    )
    write_csv(
        admin / "assets/arrived=2026-08-01/assets.csv", ASSETS,
        "cc-vm,cc,compute,VM,,true,true,",
        "cc-vm2,cc,compute,VM 2,,true,true,",
        "cc-llm,cc,compute,LLM,,true,true,",
        "gpu-a1,aut,compute,GPU,,true,true,",
    )
    write_csv(
        root / "meter_readings/arrived=2026-08-21/aug.csv", READINGS,
        "r1,cc-vm,compute,cpu_hours,2026-08-15T00:00:00Z,5",
        "r2,cc-vm2,compute,cpu_hours,2026-08-20T00:00:00Z,4",
    )
    write_csv(
        root / "meter_readings/arrived=2026-09-13/sep.csv", READINGS,
        "r3,cc-vm,compute,cpu_hours,2026-09-10T00:00:00Z,12",
        "r4,cc-llm,compute,tokens,2026-09-12T00:00:00Z,3000000",
        "r5,gpu-a1,compute,gpu_hours,2026-09-05T00:00:00Z,3",
    )
    write_csv(
        root / "meter_readings/arrived=2026-10-04/late.csv", READINGS,
        "r6,cc-vm,compute,cpu_hours,2026-09-30T00:00:00Z,1",
    )
    return root


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("billed")
    warehouse = root / "warehouse.duckdb"
    build_marts(_landing(root / "landing"), warehouse, AS_OF)
    return warehouse


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
