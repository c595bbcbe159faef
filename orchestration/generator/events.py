"""Service events: each day's events of every stream, in business hours of the client's
zone, with each client's way of writing timestamps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator.catalog import CLIENTS, MICRO, SECONDS_PER_DAY, Stream
from orchestration.generator.formatting import (
    Formatter,
    decimal_array,
    decimals,
    record_ids,
    utc_offsets,
)
from orchestration.generator.plan import Plan, active_weights, epoch_day


@dataclass
class EventChunk:
    stream: np.ndarray
    epoch: np.ndarray
    micro: np.ndarray  # quantity in millionths
    user: np.ndarray  # index into the stream's users, -1 = none



# Share of a client's events in each local hour: busy in business hours.
LOCAL_HOUR_WEIGHTS = np.array([0.3] * 7 + [2.0] * 12 + [0.8] * 5)


def _hour_weights(timezone: str, day: date) -> np.ndarray:
    offset = 0
    if timezone and timezone != "UTC":
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        offset = round(noon.astimezone(ZoneInfo(timezone)).utcoffset().total_seconds() / 3600)
    weights = np.roll(LOCAL_HOUR_WEIGHTS, -offset)  # utc hour h is local hour h + offset
    return weights / weights.sum()


CLIENTS_BY_ID = {c.client_id: c for c in CLIENTS}


def _stream_day(
    stream: Stream, count: int, day: date, hour_weights: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    timezone = CLIENTS_BY_ID[stream.client_id].timezone
    if timezone not in hour_weights:
        hour_weights[timezone] = np.cumsum(_hour_weights(timezone, day))
    cumulative = hour_weights[timezone]
    hours = np.minimum(np.searchsorted(cumulative, rng.random(count) * cumulative[-1]), 23)
    epoch = np.sort(
        epoch_day(day) * SECONDS_PER_DAY + hours * 3600 + rng.integers(0, 3600, count)
    )
    if stream.quantity_decimals == 0 and stream.mean_quantity <= 1.0:
        micro = np.full(count, MICRO, dtype=np.int64)
    elif stream.quantity_decimals == 0:
        amounts = 1 + rng.poisson(stream.mean_quantity - 1, count)
        micro = amounts.astype(np.int64) * MICRO
    else:
        minutes = np.maximum(rng.gamma(1.5, stream.mean_quantity / 1.5, count), 0.05)
        micro = np.round(minutes * 100).astype(np.int64) * (MICRO // 100)
        micro = np.maximum(micro, MICRO // 100)
    if stream.users:
        user = rng.integers(0, len(stream.users), count)
        user[rng.random(count) < stream.unrouted_share] = -1
    else:
        user = np.full(count, -1)
    return epoch, micro, user


def events_of_day(
    plan: Plan, day: date, rng: np.random.Generator
) -> tuple[EventChunk | None, dict[date, EventChunk]]:
    """One usage day's events, and the delayed ones by arrival day."""
    total = plan.events_per_day[plan.days.index(day)]
    counts = rng.multinomial(total, active_weights(plan.streams, day))
    parts: list[tuple[np.ndarray, ...]] = []
    late: dict[date, list[tuple[np.ndarray, ...]]] = {}
    hour_weights: dict[str, np.ndarray] = {}
    for index, stream in enumerate(plan.streams):
        delayed = dict(stream.late).get(day)
        count = int(counts[index]) or (1 if delayed else 0)
        if count == 0:
            continue
        epoch, micro, user = _stream_day(stream, count, day, hour_weights, rng)
        target = late.setdefault(delayed, []) if delayed else parts
        target.append((np.full(count, index, dtype=np.int32), epoch, micro, user))
    return (
        _event_chunk(parts) if parts else None,
        {arrival: _event_chunk(chunks) for arrival, chunks in late.items()},
    )


def _event_chunk(parts: list[tuple[np.ndarray, ...]]) -> EventChunk:
    stream, epoch, micro, user = (np.concatenate([p[i] for p in parts]) for i in range(4))
    order = np.argsort(epoch, kind="stable")
    return EventChunk(stream[order], epoch[order], micro[order], user[order])


def _user_lookup(plan: Plan) -> tuple[pa.Array, np.ndarray]:
    """All users of all streams in one array, and each stream's first position in it."""
    names: list[str] = [""]
    starts = []
    for stream in plan.streams:
        starts.append(len(names))
        names.extend(stream.users)
    return pa.array(names), np.array(starts, dtype=np.int64)


def event_table(
    plan: Plan, chunk: EventChunk, first_id: int, formatter: Formatter
) -> pa.Table:
    index = pa.array(chunk.stream)
    streams = plan.streams
    users, starts = _user_lookup(plan)
    user_position = np.where(chunk.user >= 0, starts[chunk.stream] + chunk.user, 0)
    timestamps = _event_timestamps(plan, chunk, formatter)
    return pa.table({
        "event_id": record_ids("ev-", first_id + np.arange(len(chunk.stream)), plan.seed),
        "client_id": pc.take(pa.array([s.client_id for s in streams]), index),
        "project": pc.take(pa.array([s.project for s in streams]), index),
        "user_id": pc.take(users, pa.array(user_position)),
        "service": pc.take(pa.array([s.service for s in streams]), index),
        "direction": pc.take(pa.array([s.direction for s in streams]), index),
        "event_ts": timestamps,
        "quantity": decimals(chunk.micro),
    })


def _event_timestamps(plan: Plan, chunk: EventChunk, formatter: Formatter) -> pa.Array:
    """Each client writes its own style: with the local offset, UTC with Z, or no offset."""
    clients = [CLIENTS_BY_ID[s.client_id] for s in plan.streams]
    styles = sorted({c.timestamp_style for c in clients})
    style_of_stream = np.array([styles.index(c.timestamp_style) for c in clients])
    offsets = np.zeros(len(chunk.epoch), dtype=np.int64)
    for client in CLIENTS:
        if client.timestamp_style != "offset":
            continue
        streams = [i for i, c in enumerate(clients) if c is client]
        rows = np.isin(chunk.stream, streams)
        if rows.any():
            offsets[rows] = utc_offsets(chunk.epoch[rows], client.timezone)
    return formatter.timestamps(chunk.epoch, styles, style_of_stream[chunk.stream], offsets)


def typed_event_table(
    plan: Plan, chunk: EventChunk, first_id: int, formatter: Formatter
) -> pa.Table:
    table = event_table(plan, chunk, first_id, formatter)
    table = table.set_column(
        table.column_names.index("event_ts"), "event_ts",
        pa.array(chunk.epoch * 1_000_000, pa.timestamp("us", tz="UTC")),
    )
    return table.set_column(
        table.column_names.index("quantity"), "quantity", decimal_array(chunk.micro, 2)
    )

