"""A billing period's cutoff: when its final bill may be written.

cutoff(P) = the end of month P in the client's time zone (local midnight of the 1st of the
next month) + the grace hours. ``int_client_periods.cutoff_at`` computes the same instant in
SQL (``tests/test_cutoff.py`` compares the two); the freshness check, the monthly
finalization schedule and the period close all use ``period_cutoff``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# The last time zone in which a month ends: UTC-12 (the POSIX name inverts the sign). A
# month is over everywhere once it is over there, at 12:00 UTC on the 1st.
LATEST_ZONE = "Etc/GMT+12"


def next_month(period: date) -> date:
    return (period.replace(day=1) + timedelta(days=32)).replace(day=1)


def period_cutoff(period: date, grace_hours: int, zones: Iterable[str] = ("UTC",)) -> datetime:
    """cutoff(P) in the latest of ``zones`` (none: UTC), in UTC: the local end of the month
    plus the grace; an empty zone name is UTC."""
    end = next_month(period)
    ends = [
        datetime(end.year, end.month, 1, tzinfo=ZoneInfo(zone or "UTC"))
        for zone in (set(zones) or {"UTC"})
    ]
    return max(ends).astimezone(UTC) + timedelta(hours=grace_hours)


def finalization_cutoff(period: date, grace_hours: int) -> datetime:
    """When ``period`` is final in every time zone: its cutoff in the latest one."""
    return period_cutoff(period, grace_hours, {LATEST_ZONE})


def latest_finalized_period(now: datetime, grace_hours: int, zones: Iterable[str]) -> date:
    """The most recent month whose cutoff is at or before ``now`` in every zone."""
    zones = set(zones)
    period = now.date().replace(day=1)
    while period_cutoff(period, grace_hours, zones) > now:
        period = (period - timedelta(days=1)).replace(day=1)
    return period


def latest_month_end_hours() -> int:
    """Hours after 00:00 UTC on the 1st at which a month ends in ``LATEST_ZONE`` (12)."""
    return int(finalization_cutoff(date(2000, 1, 1), 0).hour)
