"""Meter readings: each day's readings of every series, as text and as typed columns."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator.catalog import MICRO, SECONDS_PER_DAY, USAGE_START, Series
from orchestration.generator.formatting import (
    Formatter,
    decimal_array,
    decimals,
    record_ids,
)
from orchestration.generator.plan import Plan, active_weights, epoch_day


@dataclass
class ReadingChunk:
    """One day's readings of a set of series, in series order."""

    series: np.ndarray  # index into the plan's series
    epoch: np.ndarray  # seconds
    micro: np.ndarray  # value in millionths


class MeterState:
    """Counters and levels carried from one day to the next."""

    def __init__(self, series: Sequence[Series], rng: np.random.Generator) -> None:
        self.counters = rng.integers(1_000_000, 50_000_000, len(series)).astype(np.float64)
        self.phase = rng.uniform(0, 2 * np.pi, len(series))


def _series_day(
    series: Series, index: int, count: int, day: date, state: MeterState,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps and values (millionths) of one series on one day."""
    start = epoch_day(day) * SECONDS_PER_DAY
    spacing = SECONDS_PER_DAY / count
    slots = np.arange(count) + 0.5 + rng.uniform(-0.3, 0.3, count)
    epoch = start + np.floor(slots * spacing).astype(np.int64)
    interval_hours = spacing / 3600
    if series.meter_kind == "delta":
        amounts = series.rate_per_hour * interval_hours * rng.gamma(4.0, 0.25, count)
        if series.whole_units:
            amounts = np.maximum(np.round(amounts), 1)
        micro = np.round(amounts * MICRO).astype(np.int64)
        return epoch, np.maximum(micro, 1)
    if series.meter_kind == "cumulative":
        steps = np.round(series.rate_per_hour * interval_hours * rng.gamma(4.0, 0.25, count))
        counter = state.counters[index] + np.cumsum(steps)
        if day in series.counter_resets:
            at = count // 2
            counter[at:] = np.cumsum(steps[at:])
        state.counters[index] = counter[-1]
        return epoch, (counter * MICRO).astype(np.int64)
    elapsed = (day - USAGE_START).days
    level = series.level * (1 + series.drift_per_day) ** elapsed
    wave = np.sin(2 * np.pi * (epoch - start) / SECONDS_PER_DAY + state.phase[index])
    values = level * (1 + series.swing * wave) * (1 + 0.01 * rng.standard_normal(count))
    values = np.maximum(values, 0)
    if series.whole_units:
        return epoch, np.round(values).astype(np.int64) * MICRO
    return epoch, np.round(values * 1000).astype(np.int64) * 1000


def readings_of_day(
    plan: Plan, day: date, state: MeterState, rng: np.random.Generator
) -> tuple[ReadingChunk | None, dict[date, ReadingChunk]]:
    """One usage day's readings, and the delayed ones by arrival day."""
    total = plan.readings_per_day[plan.days.index(day)]
    counts = rng.multinomial(total, active_weights(plan.series, day))
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    late: dict[date, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for index, series in enumerate(plan.series):
        delayed = dict(series.late).get(day)
        count = int(counts[index]) or (1 if delayed else 0)
        if count == 0:
            continue
        epoch, micro = _series_day(series, index, count, day, state, rng)
        target = late.setdefault(delayed, []) if delayed else parts
        target.append((np.full(count, index, dtype=np.int32), epoch, micro))
    return (
        _chunk(parts) if parts else None,
        {arrival: _chunk(chunks) for arrival, chunks in late.items()},
    )


def _chunk(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> ReadingChunk:
    series = np.concatenate([p[0] for p in parts])
    epoch = np.concatenate([p[1] for p in parts])
    micro = np.concatenate([p[2] for p in parts])
    order = np.argsort(epoch, kind="stable")
    return ReadingChunk(series[order], epoch[order], micro[order])


# Each collector writes timestamps its own way: compute with Z, network without an offset
# (UTC), storage with +00:00.
READING_STYLES = {"compute": "z", "network": "naive", "storage": "utc_offset"}


def reading_table(
    plan: Plan, chunk: ReadingChunk, first_id: int, formatter: Formatter
) -> pa.Table:
    """The readings as text columns, in the contract's order."""
    lookup = _series_lookup(plan)
    index = pa.array(chunk.series)
    styles = sorted(set(READING_STYLES.values()))
    style_of_series = np.array([styles.index(READING_STYLES[s.source_type])
                                for s in plan.series])
    columns: dict[str, pa.Array] = {}
    columns["reading_id"] = record_ids("rd-", first_id + np.arange(len(chunk.series)), plan.seed)
    columns["asset_id"] = pc.take(lookup["asset_id"], index)
    columns["source_type"] = pc.take(lookup["source_type"], index)
    columns["unit_type"] = pc.take(lookup["unit_type"], index)
    columns["reading_ts"] = formatter.timestamps(
        chunk.epoch, styles, style_of_series[chunk.series]
    )
    columns["value"] = decimals(chunk.micro)
    columns["description"] = pc.take(lookup["description"], index)
    return pa.table(columns)


def typed_reading_table(plan: Plan, chunk: ReadingChunk) -> pa.Table:
    """Parquet readings with typed columns: a zoned timestamp and a decimal value."""
    lookup = _series_lookup(plan)
    index = pa.array(chunk.series)
    return pa.table({
        "asset_id": pc.take(lookup["asset_id"], index),
        "source_type": pc.take(lookup["source_type"], index),
        "unit_type": pc.take(lookup["unit_type"], index),
        "reading_ts": pa.array(chunk.epoch * 1_000_000, pa.timestamp("us", tz="UTC")),
        "value": decimal_array(chunk.micro, 6),
    })


@functools.cache
def _series_columns(series: tuple[Series, ...]) -> dict[str, pa.Array]:
    """Each series' constant columns, to be taken row by row."""
    return {
        name: pa.array([getattr(s, name) for s in series])
        for name in ("asset_id", "source_type", "unit_type", "description")
    }


def _series_lookup(plan: Plan) -> dict[str, pa.Array]:
    return _series_columns(plan.series)

