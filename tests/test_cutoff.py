"""One cutoff, in Python and in SQL: ``orchestration.defs.cutoff.period_cutoff`` (the
freshness check, the monthly finalization schedule, the period close) gives the instant
``intermediate.int_client_periods.cutoff_at`` holds, for clients in time zones on both
sides of UTC, with and without daylight saving time, across its changes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from orchestration.defs.cutoff import (
    LATEST_ZONE,
    finalization_cutoff,
    latest_finalized_period,
    period_cutoff,
)
from tests.fixtures.zones.money import landing as _landing
from tests.pipeline import CLIENTS, build_marts, read, write_csv

AS_OF = "2026-05-10T00:00:00Z"
GRACE_HOURS = 30
ZONES = {
    "m1": "UTC",
    "m2": "",  # no time zone: UTC
    "z3": "America/Los_Angeles",  # UTC-8, UTC-7 from March 8 2026
    "z4": "Asia/Kolkata",  # UTC+5:30
    "z5": "Pacific/Auckland",  # UTC+13, UTC+12 from April 5 2026
    "z6": LATEST_ZONE,  # UTC-12: the last place a month ends
}


@pytest.fixture(scope="module")
def periods(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    root = tmp_path_factory.mktemp("cutoff")
    landing = _landing(root / "landing")
    write_csv(
        landing / "admin/clients/arrived=2026-01-01/clients.csv",
        CLIENTS,
        *(
            f"{client},Client {client},{zone},10,true,2025-12-01"
            for client, zone in ZONES.items()
        ),
    )
    warehouse = root / "warehouse.duckdb"
    build_marts(landing, warehouse, AS_OF, grace_hours=GRACE_HOURS)
    return read(
        warehouse,
        "select client_id, timezone, period_start, cutoff_at, finalized "
        "from intermediate.int_client_periods order by client_id, period_start",
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def test_every_client_period_has_the_python_cutoff(periods: list[dict]) -> None:
    assert {row["client_id"] for row in periods} == set(ZONES)
    months = {row["period_start"] for row in periods}
    assert date(2026, 3, 1) in months and date(2026, 4, 1) in months  # across the DST changes
    for row in periods:
        zone = ZONES[row["client_id"]]
        expected = period_cutoff(row["period_start"], GRACE_HOURS, {zone})
        assert _utc(row["cutoff_at"]) == expected, row
        as_of = datetime(2026, 5, 10, tzinfo=UTC)
        assert row["finalized"] == (as_of >= expected), row


def test_the_latest_zone_decides_a_period_for_every_client(periods: list[dict]) -> None:
    by_month: dict[date, list[datetime]] = {}
    for row in periods:
        by_month.setdefault(row["period_start"], []).append(_utc(row["cutoff_at"]))
    for month, cutoffs in by_month.items():
        assert period_cutoff(month, GRACE_HOURS, set(ZONES.values())) == max(cutoffs)
        # the finalization schedule waits for UTC-12, which no client zone passes
        assert finalization_cutoff(month, GRACE_HOURS) == max(cutoffs)
    as_of = datetime(2026, 5, 10, tzinfo=UTC)
    finalized = max(
        month for month, cutoffs in by_month.items() if all(as_of >= c for c in cutoffs)
    )
    assert latest_finalized_period(as_of, GRACE_HOURS, set(ZONES.values())) == finalized


def test_finalization_cutoff_is_the_cutoff_in_the_latest_zone() -> None:
    # February 2026 ends at UTC-12 on Mar 1 12:00 UTC; + 48 h
    assert finalization_cutoff(date(2026, 2, 1), 48) == datetime(2026, 3, 3, 12, tzinfo=UTC)
    assert period_cutoff(date(2026, 2, 1), 48, {"UTC", LATEST_ZONE}) == datetime(
        2026, 3, 3, 12, tzinfo=UTC
    )


def test_cutoff_waits_for_the_latest_client_time_zone() -> None:
    # February 2026 ends 2026-03-01 00:00 local. UTC: + 48 h = Mar 3 00:00 UTC.
    assert period_cutoff(date(2026, 2, 1), 48, {"UTC"}) == datetime(2026, 3, 3, tzinfo=UTC)
    # Los Angeles is UTC-8 in winter: Mar 1 08:00 UTC + 48 h = Mar 3 08:00 UTC, the later one
    assert period_cutoff(date(2026, 2, 1), 48, {"UTC", "America/Los_Angeles"}) == datetime(
        2026, 3, 3, 8, tzinfo=UTC
    )
    zones = {"UTC"}
    assert latest_finalized_period(datetime(2026, 3, 2, 23, 59, tzinfo=UTC), 48, zones) == date(
        2026, 1, 1
    )
    assert latest_finalized_period(datetime(2026, 3, 3, tzinfo=UTC), 48, zones) == date(
        2026, 2, 1
    )
