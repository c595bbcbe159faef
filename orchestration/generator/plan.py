"""The plan of a landing zone, fixed by scale and seed: the days, the rows of each day,
and each bucket's commit sized on the usage the plan expects."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from orchestration.generator.catalog import (
    ASSETS,
    DISREGARDED,
    EPOCH,
    EVENTS_PER_READING,
    UNIT_TYPES,
    USAGE_END,
    USAGE_START,
    BucketPlan,
    Series,
    Stream,
)
from orchestration.generator.workloads import bucket_plans, event_streams, meter_series


def usage_days() -> list[date]:
    count = (USAGE_END - USAGE_START).days + 1
    return [USAGE_START + timedelta(days=i) for i in range(count)]


def _split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def epoch_day(day: date) -> int:
    return (day - EPOCH).days


def active_weights(items: Sequence[Series] | Sequence[Stream], day: date) -> np.ndarray:
    weights = np.array([
        item.weight if getattr(item, "active_from", USAGE_START) <= day else 0.0
        for item in items
    ])
    return weights / weights.sum()


@dataclass(frozen=True)
class Plan:
    """Everything the generator needs, fixed by scale and seed."""

    scale: int
    seed: int
    bad_row_share: float
    days: list[date]
    readings_per_day: list[int]
    events_per_day: list[int]
    series: tuple[Series, ...]
    streams: tuple[Stream, ...]
    buckets: tuple[BucketPlan, ...]


def make_plan(scale: int, seed: int, bad_row_share: float) -> Plan:
    days = usage_days()
    return Plan(
        scale=scale,
        seed=seed,
        bad_row_share=bad_row_share,
        days=days,
        readings_per_day=_split_evenly(scale, len(days)),
        events_per_day=_split_evenly(round(scale * EVENTS_PER_READING), len(days)),
        series=meter_series(),
        streams=event_streams(),
        buckets=bucket_plans(),
    )


def expected_monthly_usage(plan: Plan, bucket: BucketPlan) -> float:
    """What a bucket's usage comes to in a typical 30-day month of this plan."""
    unit = next(u for u in UNIT_TYPES if u.unit_type == bucket.unit_type)
    aggregation = bucket.aggregation or unit.aggregation
    july = USAGE_START + timedelta(days=14)
    if bucket.source_type == "services":
        streams = [s for s in plan.streams
                   if s.client_id == bucket.client_id and s.unit_type == bucket.unit_type]
        shares = active_weights(plan.streams, july)
        events = sum(shares[plan.streams.index(s)] for s in streams) * plan.events_per_day[0] * 30
        if aggregation == "unique_count":
            return float(len({u for s in streams for u in s.users}))
        if aggregation == "count":
            return events
        return events * (streams[0].mean_quantity if streams else 0.0)
    day = max(july, bucket.listed_from)
    shares = active_weights(plan.series, day)
    members = [i for i, s in enumerate(plan.series)
               if s.unit_type == bucket.unit_type and s.source_type == bucket.source_type
               and _asset_client(s.asset_id) == bucket.client_id
               and s.asset_id not in {d[0] for d in DISREGARDED} and s.planned]
    if aggregation == "count":
        return sum(shares[i] for i in members) * plan.readings_per_day[0] * 30
    if unit.meter_kind == "gauge":
        return sum(plan.series[i].level * (1 + plan.series[i].swing) for i in members)
    return sum(plan.series[i].rate_per_hour for i in members) * 24 * 30


def _asset_client(asset_id: str) -> str:
    return next((a.client_id for a in ASSETS if a.asset_id == asset_id), "")


def _round_commit(value: float) -> int:
    """Two significant figures, at least 1."""
    if value < 1:
        return 1
    magnitude = 10 ** max(int(math.floor(math.log10(value))) - 1, 0)
    return max(int(round(value / magnitude)) * magnitude, 1)


def commit_units(plan: Plan, bucket: BucketPlan) -> int:
    return _round_commit(expected_monthly_usage(plan, bucket) * bucket.commit_factor)

