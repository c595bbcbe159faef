"""The run tags the automation sets and the assets read.

Every run request carries its as-of time in ``tallyhouse/as_of`` (``settings.AS_OF_TAG``),
the period it billed in ``tallyhouse/period`` and what started it in ``tallyhouse/trigger``;
a run over a range of arrival days or months carries Dagster's partition range tags.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from dagster import PartitionKeyRange

from orchestration.compat import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG
from orchestration.settings import AS_OF_TAG

PERIOD_TAG = "tallyhouse/period"
TRIGGER_TAG = "tallyhouse/trigger"


def as_of_text(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def run_tags(as_of: datetime, period: date, trigger: str) -> dict[str, str]:
    return {AS_OF_TAG: as_of_text(as_of), PERIOD_TAG: month_label(period), TRIGGER_TAG: trigger}


def range_tags(days: PartitionKeyRange) -> dict[str, str]:
    """Run tags that make a run cover the partition keys ``days.start`` .. ``days.end``."""
    return {ASSET_PARTITION_RANGE_START_TAG: days.start, ASSET_PARTITION_RANGE_END_TAG: days.end}
