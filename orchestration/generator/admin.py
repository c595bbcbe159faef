"""Admin snapshots: each admin table written on the days it changes, its rows as of that day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path

from orchestration.digest import text_digest
from orchestration.generator.bad_rows import Tally
from orchestration.generator.catalog import (
    ASSETS,
    CLIENTS,
    CLIENTS_ADDED_LATER,
    DISREGARDED,
    FIRST_SNAPSHOT,
    LATEST_ASSET_DAY,
    NEW_ASSET_DAY,
    NEW_BUCKET_DAY,
    PRICE_CHANGE_DAY,
    SUPPRESSION_ADDED_DAY,
    SUPPRESSIONS,
    UNIT_TYPES,
    USAGE_END,
    USERS_CHANGED_DAY,
)
from orchestration.generator.files import write_admin_csv
from orchestration.generator.plan import Plan, commit_units, expected_monthly_usage
from orchestration.generator.workloads import DEACTIVATED_USER, NEW_USER, USERS
from orchestration.ingest.feeds import FEEDS_BY_NAME


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _admin_path(out: Path, table: str, arrival: date) -> Path:
    return out / "admin" / table / f"arrived={arrival.isoformat()}" / f"{table}.csv"


def _columns(table: str) -> tuple[str, ...]:
    return FEEDS_BY_NAME[f"admin/{table}"].columns


def _snapshot_days(*days: date) -> list[date]:
    return sorted({FIRST_SNAPSHOT, *days})


def write_admin(out: Path, plan: Plan, tally: Tally) -> None:
    writers: list[tuple[str, list[date], Callable[[date], list[list[object]]]]] = [
        ("clients", _snapshot_days(CLIENTS_ADDED_LATER), _client_rows),
        ("assets", _snapshot_days(NEW_ASSET_DAY, CLIENTS_ADDED_LATER, LATEST_ASSET_DAY),
         _asset_rows),
        ("unit_types", _snapshot_days(), lambda _: _unit_type_rows()),
        ("buckets", _snapshot_days(NEW_BUCKET_DAY, CLIENTS_ADDED_LATER, PRICE_CHANGE_DAY),
         lambda day: _bucket_rows(plan, day)),
        ("suppressions", _snapshot_days(SUPPRESSION_ADDED_DAY), _suppression_rows),
        ("disregarded_assets", _snapshot_days(), lambda _: [list(d) for d in DISREGARDED]),
        ("credit_grants", _snapshot_days(), lambda _: _credit_grant_rows(plan)),
        ("usage_limits", _snapshot_days(), lambda _: _usage_limit_rows(plan)),
        ("payments", PAYMENT_SNAPSHOTS, lambda day: _payment_rows(plan, day)),
        ("api_keys", _snapshot_days(USERS_CHANGED_DAY), lambda day: _api_key_rows(plan, day)),
        ("users", _snapshot_days(USERS_CHANGED_DAY), _user_rows),
    ]
    for table, days, rows_of in writers:
        for day in days:
            write_admin_csv(_admin_path(out, table, day), _columns(table), rows_of(day))
            tally.admin_files += 1
            tally.files += 1


def _client_rows(day: date) -> list[list[object]]:
    return [
        [c.client_id, c.name, c.timezone, c.net_terms_days, "true", c.created_at]
        for c in CLIENTS if c.listed_from <= day
    ]


def _asset_rows(day: date) -> list[list[object]]:
    return [
        [a.asset_id, a.client_id, a.source_type, a.name, a.description, _bool(a.acknowledged),
         "true", f"{(a.listed_from - timedelta(days=3)).isoformat()}T00:00:00Z"]
        for a in ASSETS if a.listed_from <= day
    ]


def _unit_type_rows() -> list[list[object]]:
    return [
        [u.unit_type, u.description, u.meter_kind, u.aggregation, _bool(u.auto_provision),
         u.base_price, u.overage_price, u.filter_pattern]
        for u in UNIT_TYPES
    ]


def _bucket_rows(plan: Plan, day: date) -> list[list[object]]:
    rows = []
    for b in plan.buckets:
        if b.listed_from > day:
            continue
        overage = b.repriced[1] if b.repriced and b.repriced[0] <= day else b.overage_price
        rows.append([b.bucket_id, b.client_id, b.name, b.source_type, b.unit_type,
                     b.aggregation, commit_units(plan, b), b.base_price, overage,
                     _bool(b.reviewed), _bool(b.enabled), b.created_at])
    return rows


def _suppression_rows(day: date) -> list[list[object]]:
    return [[p, t, r, c] for p, t, r, c, listed in SUPPRESSIONS if listed <= day]


def monthly_commit_charges(plan: Plan, client_id: str, day: date) -> Decimal:
    """Sum of committed amounts (commit x base, to the cent) of a client's enabled buckets."""
    total = Decimal(0)
    for row in _bucket_rows(plan, day):
        if row[1] == client_id and row[10] == "true":
            amount = Decimal(row[6]) * Decimal(row[7])
            total += amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def _money(value: Decimal | float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _credit_grant_rows(plan: Plan) -> list[list[object]]:
    acme_month = monthly_commit_charges(plan, "inf-acme", FIRST_SNAPSHOT)
    northgate_month = monthly_commit_charges(plan, "dlr-northgate", FIRST_SNAPSHOT)
    return [
        ["g-acme-onboarding", "inf-acme", _money(acme_month * Decimal("1.5")),
         "2026-06-20T00:00:00Z", "2027-06-30T00:00:00Z"],
        ["g-northgate-launch", "dlr-northgate", _money(northgate_month * 10),
         "2026-07-01T00:00:00Z", "2026-12-31T00:00:00Z"],
        ["g-harbor-promo", "cc-harbor", "150", "2026-07-10T00:00:00Z", "2026-07-25T00:00:00Z"],
    ]


def expected_monthly_charges(plan: Plan, client_id: str, day: date) -> Decimal:
    """What a client's enabled buckets are expected to charge in a typical month: each
    bucket's committed amount plus the overage of its expected usage above the commit."""
    total = Decimal(0)
    for bucket in plan.buckets:
        if bucket.client_id != client_id or not bucket.enabled or bucket.listed_from > day:
            continue
        commit = Decimal(commit_units(plan, bucket))
        expected = Decimal(str(round(expected_monthly_usage(plan, bucket), 6)))
        amount = (commit * Decimal(bucket.base_price)
                  + max(expected - commit, Decimal(0)) * Decimal(bucket.overage_price))
        total += amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


USAGE_LIMIT_HEADROOM = Decimal("1.1")  # a limit 10% above the expected monthly charges


def _usage_limit_rows(plan: Plan) -> list[list[object]]:
    """Each limit is the client's expected monthly charges plus 10%, rounded up to a whole
    ten: above its committed spend and its usual month, so that only an unplanned workload
    (Acme's November batch worker) brings a projection over it."""
    rows: list[list[object]] = []
    for client_id in ("inf-acme", "cc-brightline", "dlr-northgate"):
        expected = expected_monthly_charges(plan, client_id, FIRST_SNAPSHOT)
        limit = (expected * USAGE_LIMIT_HEADROOM / 10).to_integral_value(rounding=ROUND_CEILING)
        rows.append([client_id, str(limit * 10)])
    return rows


PAYMENT_SNAPSHOTS = [date(2026, 9, 3), date(2026, 10, 3), date(2026, 11, 3)]
PAID_MONTHS = ("2026-07", "2026-08", "2026-09")


def _payment_rows(plan: Plan, day: date) -> list[list[object]]:
    """Globex pays its invoices in full (all its buckets stay under commit); Acme pays part of
    September; the dealers and contact centres have not paid yet."""
    rows: list[list[object]] = []
    for number, period in enumerate(PAID_MONTHS):
        if PAYMENT_SNAPSHOTS[number] > day:
            continue
        month_start = date.fromisoformat(f"{period}-01")
        paid_at = (month_start + timedelta(days=58)).isoformat() + "T15:00:00Z"
        globex = monthly_commit_charges(plan, "inf-globex", month_start)
        rows.append([f"p-globex-{period}", "inf-globex", period, _money(globex), paid_at])
        if period == "2026-09":
            acme = monthly_commit_charges(plan, "inf-acme", month_start) / 2
            rows.append([f"p-acme-{period}", "inf-acme", period, _money(acme), paid_at])
    return rows


API_KEYS = (
    ("key-admin-01", "billing admin console", "admin", ""),
    ("key-finance-01", "finance exports", "finance", ""),
    ("key-ingest-01", "telemetry collector", "ingest", ""),
    ("key-ingest-02", "service events relay", "ingest", ""),
    ("key-reader-acme", "Acme dashboard", "client_reader", "inf-acme"),
    ("key-reader-northgate", "Northgate BI", "client_reader", "dlr-northgate"),
)


def _api_key_rows(plan: Plan, day: date) -> list[list[object]]:
    rows = []
    for key_id, name, role, client_id in API_KEYS:
        key_hash = text_digest(f"{plan.seed}:{key_id}")
        rotated = key_id == "key-ingest-01" and day >= USERS_CHANGED_DAY
        last_used = min(day, USAGE_END).isoformat() + "T06:00:00Z"
        rows.append([key_id, name, role, client_id, key_hash, _bool(not rotated), last_used])
    return rows


def _user_rows(day: date) -> list[list[object]]:
    users = list(USERS) + ([NEW_USER] if day >= USERS_CHANGED_DAY else [])
    rows = []
    for client_id, user_id, name, role, channels in users:
        email = f"{user_id.replace('u-', '')}@{client_id.split('-', 1)[1]}.example"
        deactivated = (
            "2026-09-28T17:00:00Z" if user_id == DEACTIVATED_USER and day >= USERS_CHANGED_DAY
            else ""
        )
        created = "2026-09-29T09:00:00Z" if (client_id, user_id) == NEW_USER[:2] else (
            "2026-06-01T09:00:00Z")
        rows.append([user_id, client_id, name, email, role, channels, created, deactivated])
    return rows

