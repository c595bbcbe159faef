"""Late data, invoices, credits, payments, usage limits and the audit log (CONTRACT 3.5-3.7).

On the money zone (tests/fixtures/zones/money.py), whose docstring works out every figure.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import Built, read, read_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def landing(money_runs: Built) -> Path:
    return money_runs.landing


@pytest.fixture(scope="module")
def runs(money_runs: Built) -> dict[str, Path]:
    """One warehouse, runs as of Feb 5, Mar 15, Apr 10, then Feb 5 again: marts copied."""
    return money_runs.runs


def test_january_bill_never_changes_even_after_a_price_change(runs: dict[str, Path]) -> None:
    sql = (
        "select usage, overage_amount, final_cost, finalized from marts.billing_readings "
        "where bucket_id = 'mb' and period_start = date '2026-01-01'"
    )
    expected = [(D("12"), D("4"), D("14.00"), True)]  # 10*1 + (12-10)*2
    for label in ("feb05", "mar15", "apr10"):
        assert read_rows(runs[label], sql) == expected, label


def test_late_january_data_books_two_adjustments_that_telescope(runs: dict[str, Path]) -> None:
    sql = (
        "select client_id, bucket_id, original_period_start::varchar, "
        "invoice_period_start::varchar, amount from marts.billing_adjustments order by 4"
    )
    assert read_rows(runs["feb05"], sql) == []
    expected = [
        ("m1", "mb", "2026-01-01", "2026-02-01", D("6.00")),  # 20.00 - 14.00
        ("m1", "mb", "2026-01-01", "2026-03-01", D("2.00")),  # 22.00 - 20.00
    ]
    assert read_rows(runs["mar15"], sql) == expected
    assert read_rows(runs["apr10"], sql) == expected
    # the bill plus everything booked later = January with all its data: 10 + (16-10)*2
    assert D("14.00") + sum(r[4] for r in expected) == D("22.00")


INVOICE_SQL = (
    "select client_id, period_start::varchar, due_date::varchar, charges, adjustments, subtotal, "
    "credits_applied, amount_due, paid_amount, balance, status from marts.invoices "
    "order by client_id, period_start"
)


def test_invoices_as_of_march_15(runs: dict[str, Path]) -> None:
    assert read_rows(runs["mar15"], INVOICE_SQL) == [
        # Jan: g3 (expires first) 8 + g2 6 = 14 -> paid; due Feb 1 + 10 days
        (
            "m1",
            "2026-01-01",
            "2026-02-11",
            D("14"),
            D("0"),
            D("14"),
            D("14"),
            D("0"),
            D("0"),
            D("0"),
            "paid",
        ),
        # Feb: 10 commit + 6 adjustment = 16, all from g2 (19 left) -> paid
        (
            "m1",
            "2026-02-01",
            "2026-03-11",
            D("10"),
            D("6"),
            D("16"),
            D("16"),
            D("0"),
            D("0"),
            D("0"),
            "paid",
        ),
        # Mar: open, U 8 < 10 -> 10 + 2 adjustment; drafts take no credit; due Apr 1 + 10
        (
            "m1",
            "2026-03-01",
            "2026-04-11",
            D("10"),
            D("2"),
            D("12"),
            D("0"),
            D("12"),
            D("0"),
            D("12"),
            "draft",
        ),
        # Jan: g5 arrived after Jan's end; paid 4 of 10; due Mar 3 (30 days) -> overdue
        (
            "m2",
            "2026-01-01",
            "2026-03-03",
            D("10"),
            D("0"),
            D("10"),
            D("0"),
            D("10"),
            D("4"),
            D("6"),
            "overdue",
        ),
        # Feb: g5 pays 6 of 10; due Mar 31 -> pending
        (
            "m2",
            "2026-02-01",
            "2026-03-31",
            D("10"),
            D("0"),
            D("10"),
            D("6"),
            D("4"),
            D("0"),
            D("4"),
            "pending",
        ),
        (
            "m2",
            "2026-03-01",
            "2026-05-01",
            D("10"),
            D("0"),
            D("10"),
            D("0"),
            D("10"),
            D("0"),
            D("10"),
            "draft",
        ),
    ]


def test_invoices_as_of_february_5(runs: dict[str, Path]) -> None:
    rows = read_rows(runs["feb05"], INVOICE_SQL)
    assert rows[0] == (
        "m1",
        "2026-01-01",
        "2026-02-11",
        D("14"),
        D("0"),
        D("14"),
        D("14"),
        D("0"),
        D("0"),
        D("0"),
        "paid",
    )
    # the payment snapshot has not arrived yet: m2's January is pending, not overdue
    assert rows[2] == (
        "m2",
        "2026-01-01",
        "2026-03-03",
        D("10"),
        D("0"),
        D("10"),
        D("0"),
        D("10"),
        D("0"),
        D("10"),
        "pending",
    )


def test_march_finalized_takes_the_rest_of_g2(runs: dict[str, Path]) -> None:
    rows = {r[0] + r[1]: r for r in read_rows(runs["apr10"], INVOICE_SQL)}
    # m1 March: 12 due, g2 has 3 left (25 - 6 - 16); due Apr 1 + 10 = Apr 11 -> pending
    assert rows["m12026-03-01"] == (
        "m1",
        "2026-03-01",
        "2026-04-11",
        D("10"),
        D("2"),
        D("12"),
        D("3"),
        D("9"),
        D("0"),
        D("9"),
        "pending",
    )
    assert rows["m12026-04-01"][-1] == "draft"


def test_credit_grants(runs: dict[str, Path]) -> None:
    sql = (
        "select grant_id, amount, applied_amount, remaining, status from marts.credit_grants "
        "order by grant_id"
    )
    assert read_rows(runs["mar15"], sql) == [
        ("g1", D("5"), D("0"), D("5"), "expired"),  # expired before any invoice could use it
        ("g2", D("25"), D("22"), D("3"), "available"),  # 6 (Jan) + 16 (Feb): partly used
        ("g3", D("8"), D("8"), D("0"), "depleted"),
        ("g5", D("6"), D("6"), D("0"), "depleted"),
    ]


def test_projections_and_usage_limits_as_of_march_15(runs: dict[str, Path]) -> None:
    sql = (
        "select client_id, bucket_id, current_usage, projected_usage, projected_cost, "
        "pct_of_commit, status from marts.projections order by client_id"
    )
    assert read_rows(runs["mar15"], sql) == [
        # f = 14 / 31 days; 8 * 31 / 14 = 17.7142857 -> 17.714286; rated with March's price 5:
        # 10 + 7.714286 * 5 = 48.57143 -> 48.57; 100 * 17.714286 / 10 = 177.14286 -> 177.14
        ("m1", "mb", D("8"), D("17.714286"), D("48.57"), D("177.14"), "over_commit"),
        ("m2", "m2b", D("0"), D("0"), D("10.00"), D("0.00"), "on_track"),
    ]
    sql = (
        "select client_id, period_start::varchar, monthly_limit, charges, projected_charges, "
        "status from marts.usage_limits order by client_id"
    )
    assert read_rows(runs["mar15"], sql) == [
        ("m1", "2026-03-01", D("20"), D("10"), D("48.57"), "at_risk"),
        ("m2", "2026-03-01", D("9"), D("10"), D("10"), "exceeded"),
    ]


def test_audit_log_shows_the_price_change(runs: dict[str, Path]) -> None:
    import json

    rows = read(
        runs["mar15"],
        "select changed_at, action, old_values, new_values from marts.audit_log "
        "where table_name = 'buckets' and record_id = 'mb' order by changed_at",
    )
    assert [(str(r["changed_at"].date()), r["action"]) for r in rows] == [
        ("2026-01-01", "insert"),
        ("2026-03-10", "update"),
    ]
    assert rows[0]["old_values"] is None
    assert json.loads(rows[1]["old_values"])["overage_price"] == "2"
    assert json.loads(rows[1]["new_values"])["overage_price"] == "5"


def test_a_later_run_then_an_earlier_as_of_gives_the_earlier_marts(
    runs: dict[str, Path],
) -> None:
    for mart in (
        "billing_readings",
        "billing_adjustments",
        "invoices",
        "credit_grants",
        "projections",
        "usage_limits",
        "audit_log",
        "ingest_log",
        "quarantine",
        "assets",
        "over_under_clients",
    ):
        sql = f"select * from marts.{mart} order by all"
        assert read_rows(runs["feb05"], sql) == read_rows(runs["feb05_again"], sql), mart


def test_full_refresh_and_shuffled_file_order_give_identical_marts(
    landing: Path, runs: dict[str, Path], tmp_path: Path
) -> None:
    """An empty warehouse loaded in another file order equals the incremental one."""
    import random
    from datetime import UTC, datetime

    from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS
    from orchestration.ingest.loader import connect, discover, ensure_raw_schema, load_file
    from tests.pipeline import dbt_build

    as_of = datetime(2026, 3, 15, tzinfo=UTC)
    warehouse = tmp_path / "fresh.duckdb"
    con = connect(warehouse)
    ensure_raw_schema(con)
    shuffler = random.Random(3)
    for group in (ADMIN_TABLES, USAGE_FEEDS):  # admin first: suppressions act at ingest
        files = [f for feed in group for f in discover(landing, feed, as_of)]
        shuffler.shuffle(files)
        for landed in files:
            load_file(con, landed, as_of)
    con.close()
    assert dbt_build(warehouse, "2026-03-15T00:00:00Z").returncode == 0
    for mart in ("billing_readings", "billing_adjustments", "invoices", "credit_grants",
                 "projections", "usage_limits", "audit_log", "ingest_log", "assets",
                 "over_under_clients"):
        sql = f"select * from marts.{mart} order by all"
        assert read_rows(warehouse, sql) == read_rows(runs["mar15"], sql), mart
