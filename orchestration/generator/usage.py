"""Writing the usage feeds day by day: files of at most ``MAX_FILE_ROWS`` rows in CSV,
Parquet or JSON lines, late arrivals, resent rows and one file landed twice."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from orchestration.generator.bad_rows import BadRows, Tally
from orchestration.generator.catalog import (
    DUPLICATE_SHARE,
    EVENT_BAD_REASONS,
    MAX_FILE_ROWS,
    READING_BAD_REASONS,
    USAGE_END,
    USAGE_START,
)
from orchestration.generator.events import (
    EventChunk,
    event_table,
    events_of_day,
    typed_event_table,
)
from orchestration.generator.files import write_csv, write_jsonl, write_parquet
from orchestration.generator.formatting import Formatter
from orchestration.generator.plan import Plan
from orchestration.generator.readings import (
    MeterState,
    ReadingChunk,
    reading_table,
    readings_of_day,
    typed_reading_table,
)

Chunk = ReadingChunk | EventChunk


def _arrival_folder(out: Path, feed: str, arrival: date) -> Path:
    return out / feed / f"arrived={arrival.isoformat()}"


def _format_of(feed: str, day_number: int) -> str:
    """Mostly CSV; on some days the export comes as Parquet (typed columns) or JSON lines."""
    parquet_day, jsonl_day = (6, 4) if feed == "meter_readings" else (2, 5)
    if day_number % 7 == parquet_day:
        return "parquet"
    if day_number % 9 == jsonl_day:
        return "jsonl"
    return "csv"


@dataclass
class UsageWriter:
    """Writes one feed's files, numbers its records, breaks and resends a few of them."""

    out: Path
    plan: Plan
    formatter: Formatter
    tally: Tally
    bad_rows: BadRows
    progress: Callable[[str], None]
    feed: str
    total_rows: int
    next_id: int = 1
    written: int = 0
    reported: int = 0

    def write(self, chunk: Chunk, name: str, arrival: date, fmt: str, rng: np.random.Generator,
              resend_to: date | None = None) -> None:
        size = len(chunk.epoch)
        parts = max(math.ceil(size / MAX_FILE_ROWS), 1)
        for part in range(parts):
            piece = _slice(chunk, part * size // parts, (part + 1) * size // parts)
            suffix = f"-part{part + 1:02d}" if parts > 1 else ""
            path = _arrival_folder(self.out, self.feed, arrival) / f"{name}{suffix}.{fmt}"
            self._write_piece(piece, path, fmt, rng, resend_to)
        self._report()

    def _write_piece(self, piece: Chunk, path: Path, fmt: str, rng: np.random.Generator,
                     resend_to: date | None) -> None:
        rows = len(piece.epoch)
        if fmt == "parquet":
            write_parquet(self._typed_table(piece), path)
        else:
            table = self._table(piece)
            if resend_to is not None:
                self._resend(table, path, resend_to, rng)
            table = self.bad_rows.apply(table, rng)
            (write_csv if fmt == "csv" else write_jsonl)(table, path)
        self.next_id += rows
        self.written += rows
        self.tally.files += 1

    def _table(self, piece: Chunk) -> pa.Table:
        if self.feed == "meter_readings":
            return reading_table(self.plan, piece, self.next_id, self.formatter)
        return event_table(self.plan, piece, self.next_id, self.formatter)

    def _typed_table(self, piece: Chunk) -> pa.Table:
        if self.feed == "meter_readings":
            return typed_reading_table(self.plan, piece)
        return typed_event_table(self.plan, piece, self.next_id, self.formatter)

    def _resend(self, table: pa.Table, path: Path, arrival: date,
                rng: np.random.Generator) -> None:
        """Some good rows sent again, ids kept, in a file of a later arrival day."""
        count = max(int(table.num_rows * DUPLICATE_SHARE), 1)
        rows = np.sort(rng.choice(table.num_rows, size=min(count, table.num_rows),
                                  replace=False))
        resent = table.take(pa.array(rows))
        target = _arrival_folder(self.out, self.feed, arrival) / f"resend-{path.stem}.csv"
        write_csv(resent, target)
        self.tally.duplicate_rows += resent.num_rows
        self.tally.files += 1

    def _report(self) -> None:
        step = max(self.total_rows // 20, MAX_FILE_ROWS)
        if self.written - self.reported >= step:
            self.reported = self.written
            self.progress(f"{self.feed}: {self.written:,} / {self.total_rows:,} rows")

    def finish(self) -> None:
        self.progress(f"{self.feed}: {self.written:,} / {self.total_rows:,} rows")


def _slice(chunk: Chunk, start: int, stop: int) -> Chunk:
    kind = type(chunk)
    return kind(**{name: getattr(chunk, name)[start:stop] for name in chunk.__dataclass_fields__})


def _day_rng(seed: int, day: date, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, day.toordinal(), stream])


RESEND_EVERY_DAYS = 10
RELANDED_SOURCE_DAY = date(2026, 8, 10)
RELANDED_ARRIVAL = date(2026, 8, 13)


def write_usage(out: Path, plan: Plan, tally: Tally, progress: Callable[[str], None]) -> None:
    formatter = Formatter(USAGE_START - timedelta(days=31), USAGE_END + timedelta(days=31))
    readings = UsageWriter(out, plan, formatter, tally,
                           BadRows(READING_BAD_REASONS, plan.bad_row_share, tally), progress,
                           "meter_readings", sum(plan.readings_per_day))
    events = UsageWriter(out, plan, formatter, tally,
                         BadRows(EVENT_BAD_REASONS, plan.bad_row_share, tally), progress,
                         "service_events", sum(plan.events_per_day))
    state = MeterState(plan.series, np.random.default_rng([plan.seed, 0]))
    for number, day in enumerate(plan.days):
        arrival = day + timedelta(days=1)
        stamp = day.strftime("%Y%m%d")
        resend_to = day + timedelta(days=2) if number % RESEND_EVERY_DAYS == 3 else None
        rng = _day_rng(plan.seed, day, 1)
        on_time, late = readings_of_day(plan, day, state, rng)
        if on_time is not None:
            readings.write(on_time, f"telemetry-{stamp}", arrival,
                           _format_of("meter_readings", number), rng, resend_to)
        for late_arrival, chunk in late.items():
            readings.write(chunk, f"telemetry-backfill-{stamp}", late_arrival, "csv", rng)
            tally.late_rows += len(chunk.epoch)
        rng = _day_rng(plan.seed, day, 2)
        on_time_events, late_events = events_of_day(plan, day, rng)
        if on_time_events is not None:
            events.write(on_time_events, f"events-{stamp}", arrival,
                         _format_of("service_events", number), rng, resend_to)
        for late_arrival, chunk in late_events.items():
            events.write(chunk, f"events-delayed-{stamp}", late_arrival, "csv", rng)
            tally.late_rows += len(chunk.epoch)
    readings.finish()
    events.finish()
    tally.meter_readings = readings.written
    tally.service_events = events.written
    _reland(out, tally)


def _reland(out: Path, tally: Tally) -> None:
    """The same file delivered twice: a copy under another name, on a later day."""
    stamp = RELANDED_SOURCE_DAY.strftime("%Y%m%d")
    source_folder = _arrival_folder(out, "service_events", RELANDED_SOURCE_DAY + timedelta(1))
    sources = sorted(source_folder.glob(f"events-{stamp}*.csv"))
    if not sources:
        return
    source = sources[0]
    target = _arrival_folder(out, "service_events", RELANDED_ARRIVAL)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target / f"{source.stem}-redelivered.csv")
    tally.relanded_files += 1
