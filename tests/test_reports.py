"""Dashboard, store, admin-report and service-consumption marts (models/marts/reports), on
the zone of tests/fixtures/zones/reports.py (T = 2026-03-15T00:00Z): it works out the figures.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.fixtures.zones.reports import EMAILS
from tests.pipeline import read, read_rows

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(reports_warehouse: Path) -> Path:
    return reports_warehouse


# --- billing dashboard -------------------------------------------------------------------


def test_revenue_by_period(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, revenue, projected_revenue, is_partial, previous_revenue, "
        "revenue_change, revenue_change_pct, clients, average_revenue_per_client "
        "from marts.dashboard_revenue_by_period order by period_start"
    )
    assert read_rows(warehouse, sql) == [
        # 31 + 10; no month before: no percent; 41 / 2 = 20.50
        ("2026-01-01", D("41.00"), D("41.00"), False, D("0"), D("41.00"), None, 2, D("20.50")),
        # 116 + 12 = 128; 128 - 41 = 87; 100 * 87 / 41 = 212.195 -> 212.20; 128 / 2 = 64.00
        ("2026-02-01", D("128.00"), D("128.00"), False, D("41.00"), D("87.00"), D("212.20"), 2,
         D("64.00")),
        # March runs at T: charges so far 31 + 10 = 41, but the change compares whole months:
        # projected 43.14 (test_dashboard_summary) - 128 = -84.86; 100 * -84.86 / 128
        # = -66.296875 -> -66.30 (not 41 against 128: -67.97)
        ("2026-03-01", D("41.00"), D("43.14"), True, D("128.00"), D("-84.86"), D("-66.30"), 2,
         D("20.50")),
    ]


def test_top_clients_share_rounds_half_away_from_zero(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, revenue_rank, client_id, client_name, revenue, "
        "revenue_share_pct, is_current_period from marts.dashboard_top_clients "
        "where period_start >= date '2026-02-01' order by period_start, revenue_rank"
    )
    assert read_rows(warehouse, sql) == [
        # 100 * 116 / 128 = 90.625 -> 90.63 (half away from zero); 100 * 12 / 128 = 9.375 -> 9.38
        ("2026-02-01", 1, "c1", "Acme Corp", D("116.00"), D("90.63"), False),
        ("2026-02-01", 2, "c2", "Beta LLC", D("12.00"), D("9.38"), False),
        # 100 * 31 / 41 = 75.6098 -> 75.61; 100 * 10 / 41 = 24.3902 -> 24.39
        ("2026-03-01", 1, "c1", "Acme Corp", D("31.00"), D("75.61"), True),
        ("2026-03-01", 2, "c2", "Beta LLC", D("10.00"), D("24.39"), True),
    ]


def test_revenue_by_source_type_last_period_adds_up_to_revenue(warehouse: Path) -> None:
    sql = (
        "select source_type, revenue, revenue_share_pct "
        "from marts.dashboard_revenue_by_source_type where is_last_period order by source_type"
    )
    rows = read_rows(warehouse, sql)
    assert rows == [
        ("compute", D("80.00"), D("62.50")),  # 70 + 10; 100 * 80 / 128 = 62.5
        ("network", D("20.00"), D("15.63")),  # 100 * 20 / 128 = 15.625 -> 15.63
        ("services", D("14.00"), D("10.94")),  # chat 10 + ai 1 + sms 1 + whatsapp 2; 10.9375
        ("storage", D("14.00"), D("10.94")),  # 14 / 128 = 10.9375 -> 10.94
    ]
    assert sum(r[1] for r in rows) == D("128.00")  # February's invoice charges


def test_dashboard_summary(warehouse: Path) -> None:
    [row] = read(warehouse, "select * from marts.dashboard_summary")
    assert str(row["current_period_start"]) == "2026-03-01"
    assert str(row["last_period_start"]) == "2026-02-01"
    # run-rate projections as of Mar 15 (f = 14/31): c1 b_cpu 5 * 31/14 = 11.071429 ->
    # 10 + 1.071429 * 2 = 12.14; b_sto (max) 10.00; b_chat 10.00; b_sms 22.14 < 50 -> 1.00;
    # b_egr, b_ai 0; c2 b2_cpu 4 * 31/14 = 8.86 < 10 -> 10.00; b2_wa 0.
    # 12.14 + 10 + 10 + 1 + 10 = 43.14
    assert row["projected_revenue"] == D("43.14")
    assert row["revenue_this_period"] == D("41.00")  # so far: whole commits, 14 days of usage
    assert row["revenue_this_period_projected"] == D("43.14")  # every client's March projected
    assert row["is_this_period_partial"] is True
    assert row["revenue_last_period"] == D("128.00")
    assert row["revenue_change"] == D("-84.86")  # whole month against whole month: 43.14 - 128
    assert row["revenue_change_pct"] == D("-66.30")  # -84.86 / 128 = -0.66296875
    # February: c1 mixed (cpu, storage, egress, ai over; chat, sms under), c2 over
    # (cpu on commit, whatsapp over)
    assert (
        row["clients_over"], row["clients_under"], row["clients_mixed"], row["clients_on_commit"]
    ) == (1, 0, 1, 0)
    assert row["average_revenue_per_client_last_period"] == D("64.00")  # 128 / 2
    assert row["last_billing_at"].isoformat().startswith("2026-03-15T00:00:00")
    assert row["last_projection_at"] == row["last_billing_at"]
    # vm-x has no client and was first seen Mar 10 (within 7 days of T);
    # c2/default has whatsapp_inbound records that bind to no bucket
    assert (row["unassigned_assets"], row["unbound_assets"], row["new_assets"]) == (1, 1, 1)


# --- store dashboard ---------------------------------------------------------------------


def test_ten_dollars_in_three_equal_shares_adds_up_to_the_cent(warehouse: Path) -> None:
    sql = (
        "select asset_id, project, category, usage, usage_share_pct, allocated_cost "
        "from marts.store_spend_by_project where bucket_id = 'b_chat' "
        "and period_start = date '2026-02-01' order by asset_id"
    )
    rows = read_rows(warehouse, sql)
    # 1000 cents * 30 / 90 = 333.33 each: floors 333 * 3 = 999, one cent left over; the
    # remainders tie, so it goes to the first asset_id. Naive rounding gives 3 * 3.33 = 9.99.
    assert rows == [
        ("c1/alpha", "alpha", "Chat", D("30"), D("33.33"), D("3.34")),
        ("c1/beta", "beta", "Chat", D("30"), D("33.33"), D("3.33")),
        ("c1/gamma", "gamma", "Chat", D("30"), D("33.33"), D("3.33")),
    ]
    assert sum(r[5] for r in rows) == D("10.00")


def test_every_bucket_allocates_exactly_its_final_cost(warehouse: Path) -> None:
    sql = (
        "select bucket_id, period_start::varchar, asset_id, allocated_cost "
        "from marts.store_spend_by_project order by all"
    )
    rows = read_rows(warehouse, sql)
    feb = {(r[0], r[2]): r[3] for r in rows if r[1] == "2026-02-01"}
    assert feb[("b2_wa", "c2/default")] == D("1.50")  # 2.00 * 150 / 200
    assert feb[("b2_wa", "c2/support")] == D("0.50")  # 2.00 * 50 / 200
    assert feb[("b_ai", "c1/alpha")] == D("1.00")
    assert feb[("b_sms", "(unallocated)")] == D("1.00")  # a commit without usage
    totals = read(
        warehouse,
        "select b.bucket_id, b.period_start, b.final_cost, sum(s.allocated_cost) as allocated "
        "from marts.billing_readings as b join marts.store_spend_by_project as s "
        "using (client_id, bucket_id, period_start) group by all",
    )
    assert len(totals) == 4 * 3  # b_chat, b_ai, b_sms, b2_wa; January to March
    assert all(t["final_cost"] == t["allocated"] for t in totals)


def test_weekly_spend_february(warehouse: Path) -> None:
    sql = (
        "select week_start::varchar, category, spend from marts.store_weekly_spend "
        "where client_id = 'c1' and period_start = date '2026-02-01' order by all"
    )
    # AI 100 cents over weeks of usage 100 (Sun Feb 1, a week cut at the month's start),
    # 200 (week of Mon Feb 2), 701 (week of Feb 9), total 1001:
    # 10000/1001 = 9.99 -> 9 rem 991; 20000/1001 = 19.98 -> 19 rem 981; 70100/1001 = 70.03
    # -> 70 rem 30; 98 cents placed, the 2 left go to the largest remainders (991, 981).
    assert read_rows(warehouse, sql) == [
        ("2026-02-01", "AI", D("0.10")),
        ("2026-02-02", "AI", D("0.20")),
        ("2026-02-09", "AI", D("0.70")),
        ("2026-02-16", "Chat", D("10.00")),  # all chat on Mon Feb 16
        (None, "Other", D("1.00")),  # the SMS commit, no usage
    ]


def test_bill_vs_limit(warehouse: Path) -> None:
    sql = (
        "select client_id, period_start::varchar, charges, monthly_limit, pct_of_limit, "
        "is_over_limit from marts.store_bill_vs_limit where period_start = date '2026-02-01' "
        "order by client_id"
    )
    assert read_rows(warehouse, sql) == [
        ("c1", "2026-02-01", D("116.00"), D("150"), D("77.33"), False),  # 11600/150 = 77.333
        ("c2", "2026-02-01", D("12.00"), D("8"), D("150.00"), True),  # 12 / 8 = 1.5
    ]


# --- admin reports -----------------------------------------------------------------------


def test_invoice_report_days_overdue(warehouse: Path) -> None:
    sql = (
        "select client_id, client_name, period_start::varchar, due_date::varchar, balance, "
        "status, days_overdue from marts.report_invoices order by client_id, period_start"
    )
    assert read_rows(warehouse, sql) == [
        ("c1", "Acme Corp", "2026-01-01", "2026-02-11", D("0"), "paid", 0),  # paid 31
        # due Mar 1 + 10 = Mar 11; Mar 15 - Mar 11 = 4 days
        ("c1", "Acme Corp", "2026-02-01", "2026-03-11", D("116"), "overdue", 4),
        ("c1", "Acme Corp", "2026-03-01", "2026-04-11", D("31"), "draft", 0),
        # 10 - g1 5 - paid 4 = 1; due Feb 1 + 30 = Mar 3; Mar 15 - Mar 3 = 12 days
        ("c2", "Beta LLC", "2026-01-01", "2026-03-03", D("1"), "overdue", 12),
        ("c2", "Beta LLC", "2026-02-01", "2026-03-31", D("12"), "pending", 0),
        ("c2", "Beta LLC", "2026-03-01", "2026-05-01", D("10"), "draft", 0),
    ]


def test_usage_summary(warehouse: Path) -> None:
    sql = (
        "select unit_type, total_usage, clients, clients_with_usage, cost "
        "from marts.report_usage_summary where period_start = date '2026-02-01' "
        "and unit_type in ('cpu_hours', 'sms_outbound', 'chat_messages') order by unit_type"
    )
    assert read_rows(warehouse, sql) == [
        ("chat_messages", D("90"), 1, 1, D("10.00")),  # 30 * 3, the resend counted once
        ("cpu_hours", D("50"), 2, 2, D("80.00")),  # c1 40 + c2 10; 70.00 + 10.00
        ("sms_outbound", D("0"), 1, 0, D("1.00")),
    ]


def test_client_usage(warehouse: Path) -> None:
    sql = (
        "select client_id, storage_gb, storage_aggregation, storage_cost, egress_gb, bandwidth_gb, "
        "bandwidth_cost, other_cost, total_cost from marts.report_client_usage "
        "where period_start = date '2026-02-01' order by client_id"
    )
    assert read_rows(warehouse, sql) == [
        # storage peak (max) 120 -> 14.00; egress 10 + 30 -> 20.00; rest 70 + 10 + 1 + 1 = 82.00
        ("c1", D("120"), "max", D("14.00"), D("40"), D("40"), D("20.00"), D("82.00"),
         D("116.00")),
        # c2 has no storage or bandwidth bucket: nothing measured them (empty, not 0 GB)
        ("c2", None, None, D("0"), None, None, D("0"), D("12.00"), D("12.00")),
    ]


def test_heavy_consumers(warehouse: Path) -> None:
    sql = (
        "select asset_id, aggregation, usage, assets, usage_share_pct, others_median_usage, "
        "times_others_median, is_heavy_consumer "
        "from marts.report_heavy_consumers where period_start = date '2026-02-01' "
        "and unit_type = 'cpu_hours' order by asset_id"
    )
    # total 40 + 2 + 3 + 2 + 3 = 50 over n = 5 assets (all summed). Heavy: usage > 3 times
    # the median of the other four. vm-1: others 2, 2, 3, 3 -> median 2.5, 40 > 7.5, 16x.
    # vm-2 (and vm-4): others 2, 3, 3, 40 -> 3; 2 / 3 = 0.67x. vm-3 (and vm-5): others
    # 2, 2, 3, 40 -> 2.5; 3 / 2.5 = 1.2x.
    assert read_rows(warehouse, sql) == [
        ("vm-1", "sum", D("40"), 5, D("80.00"), D("2.5"), D("16.00"), True),
        ("vm-2", "sum", D("2"), 5, D("4.00"), D("3"), D("0.67"), False),
        ("vm-3", "sum", D("3"), 5, D("6.00"), D("2.5"), D("1.20"), False),
        ("vm-4", "sum", D("2"), 5, D("4.00"), D("3"), D("0.67"), False),
        ("vm-5", "sum", D("3"), 5, D("6.00"), D("2.5"), D("1.20"), False),
    ]


def test_profitability(warehouse: Path) -> None:
    sql = (
        "select client_id, revenue, cost_of_service, margin, margin_pct, unpriced_buckets "
        "from marts.report_profitability where period_start = date '2026-02-01' "
        "order by client_id"
    )
    assert read_rows(warehouse, sql) == [
        # cpu 40 * 0.02 = 0.80; storage 120 * 0.01 = 1.20; egress 40 * 0.02 = 0.80;
        # chat 90 * 0.0005 = 0.045; ai 1001 * 0.000002 = 0.002002; sms 0
        # = 2.847002 -> 2.85; 116 - 2.85 = 113.15; 100 * 113.15 / 116 = 97.543 -> 97.54
        ("c1", D("116.00"), D("2.85"), D("113.15"), D("97.54"), 0),
        # cpu 10 * 0.02 = 0.20; whatsapp out 200 * 0.0035 = 0.70 -> 0.90; 11.10 / 12 = 92.5%
        ("c2", D("12.00"), D("0.90"), D("11.10"), D("92.50"), 0),
    ]


def test_unit_costs_cover_every_unit_type_the_platform_meters(warehouse: Path) -> None:
    costs = {r["unit_type"] for r in read(warehouse, "select unit_type from reference.unit_costs")}
    service_sql = "select unit_type from reference.service_unit_types"
    services = {r["unit_type"] for r in read(warehouse, service_sql)}
    metered = {  # the meter readings' unit types of the synthetic landing zone
        "cpu_hours", "gpu_hours", "memory_gb", "egress_gb", "ingress_gb", "storage_gb",
        "snapshots", "backup_jobs", "active_vms", "ip_addresses", "requests", "api_requests",
        "requests_served",
    }
    assert services | metered <= costs


def test_account_balances(warehouse: Path) -> None:
    sql = (
        "select client_id, invoiced, credits, paid, balance_outstanding, balance_overdue, "
        "invoices_overdue, draft_charges, available_credit from marts.report_account_balances "
        "order by client_id"
    )
    assert read_rows(warehouse, sql) == [
        # finalized Jan 31 + Feb 116 = 147; paid 31 (Jan); 147 - 31 = 116, all overdue (Feb);
        # March draft 31
        ("c1", D("147"), D("0"), D("31"), D("116"), D("116"), 1, D("31"), D("0")),
        # Jan 10 + Feb 12 = 22; g1 5 on Jan; paid 4; 22 - 5 - 4 = 13; Jan's 1 overdue;
        # g2 (3, received Mar 10) can only pay March, a draft: available
        ("c2", D("22"), D("5"), D("4"), D("13"), D("1"), 1, D("10"), D("3")),
    ]


# --- service consumption -----------------------------------------------------------------


def test_users_are_masked_and_flagged_active(warehouse: Path) -> None:
    sql = (
        "select user_id, name, email_masked, role, channels, is_active "
        "from marts.service_users order by user_id"
    )
    assert read_rows(warehouse, sql) == [  # the newest snapshot (Mar 1): u0 is gone
        ("u1", "Jane Doe", "j***@e***.com", "admin", "email;sms", True),
        ("u2", "Bob Roe", "b***@m***.uk", "agent", "whatsapp", False),  # deactivated Mar 1
        ("u3", "Carl Poe", "c***@a***.io", "agent", "chat", False),  # created Apr 1, after T
        ("u4", "Dee Lee", "d***@b***.org", "admin", "whatsapp;chat", True),
    ]
    sql = (
        "select client_id, role, users, active_users from marts.service_users_by_role "
        "order by all"
    )
    assert read_rows(warehouse, sql) == [
        ("c1", "admin", 1, 1),
        ("c1", "agent", 2, 0),
        ("c2", "admin", 1, 1),
    ]


def _string_values(warehouse: Path, tables: list[str]) -> list[str]:
    values = []
    for table in tables:
        columns = read(
            warehouse,
            "select column_name from information_schema.columns where table_schema = 'marts' "
            f"and table_name = '{table}' and data_type in ('VARCHAR', 'JSON')",
        )
        for column in columns:
            name = column["column_name"]
            values += [
                str(r["v"])
                for r in read(warehouse, f'select "{name}" as v from marts."{table}"')
                if r["v"] is not None
            ]
    return values


def _marts(warehouse: Path) -> list[str]:
    sql = "select table_name from information_schema.tables where table_schema = 'marts'"
    return [r["table_name"] for r in read(warehouse, sql)]


ADDRESS = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


def test_no_full_email_address_in_the_marts_but_the_audit_log(warehouse: Path) -> None:
    tables = [t for t in _marts(warehouse) if t != "audit_log"]
    assert "service_users" in tables
    values = _string_values(warehouse, tables)
    assert values  # the scan saw the marts' text
    for value in values:
        assert not ADDRESS.search(value), value
        assert not any(email in value for email in EMAILS), value


def test_no_full_email_address_anywhere_in_the_marts(warehouse: Path) -> None:
    values = _string_values(warehouse, _marts(warehouse))
    assert not [v for v in values if any(email in v for email in EMAILS)]


def test_consumption_by_week_with_previous_period(warehouse: Path) -> None:
    sql = (
        "select period_start::varchar, quantity, previous_quantity, change, change_pct, "
        "is_partial from marts.service_consumption where client_id = 'c1' "
        "and metric = 'ai_tokens' and grain = 'week' order by period_start"
    )
    assert read_rows(warehouse, sql) == [
        # Sun Feb 1 is in Mon Jan 26's week; c1's first service event is e1 on Feb 1, so the
        # week holds one day of its data: partial, a sliver no percent is taken against
        ("2026-01-26", D("100"), D("0"), D("100"), None, True),
        ("2026-02-02", D("200"), D("100"), D("100"), None, False),
        ("2026-02-09", D("701"), D("200"), D("501"), D("250.50"), False),  # 100 * 501 / 200
        ("2026-02-16", D("0"), D("701"), D("-701"), D("-100.00"), False),  # a week with none
    ]


def test_consumption_by_day_and_month(warehouse: Path) -> None:
    sql = (
        "select client_id, grain, period_start::varchar, metric, quantity, previous_quantity "
        "from marts.service_consumption where (grain = 'month' and metric in "
        "('chat_messages', 'sms_outbound', 'whatsapp_inbound')) "
        "or (grain = 'day' and metric = 'ai_tokens' and period_start <= date '2026-02-04') "
        "order by client_id, grain, metric, period_start"
    )
    assert read_rows(warehouse, sql) == [
        ("c1", "day", "2026-02-01", "ai_tokens", D("100"), D("0")),
        ("c1", "day", "2026-02-02", "ai_tokens", D("0"), D("100")),
        ("c1", "day", "2026-02-03", "ai_tokens", D("200"), D("0")),
        ("c1", "day", "2026-02-04", "ai_tokens", D("0"), D("200")),
        ("c1", "month", "2026-02-01", "chat_messages", D("90"), D("0")),  # resend counted once
        ("c1", "month", "2026-03-01", "chat_messages", D("0"), D("90")),
        ("c1", "month", "2026-03-01", "sms_outbound", D("10"), D("0")),
        ("c2", "month", "2026-02-01", "whatsapp_inbound", D("80"), D("0")),
        ("c2", "month", "2026-03-01", "whatsapp_inbound", D("0"), D("80")),
    ]


def test_whatsapp_in_versus_out(warehouse: Path) -> None:
    sql = (
        "select client_id, inbound, outbound, net_outbound, outbound_per_inbound "
        "from marts.service_whatsapp_balance where grain = 'month' "
        "and period_start = date '2026-02-01'"
    )
    # out 150 (default) + 50 (support) = 200, in 80; 200 - 80 = 120; 200 / 80 = 2.5
    assert read_rows(warehouse, sql) == [("c2", D("80"), D("200"), D("120"), D("2.50"))]
