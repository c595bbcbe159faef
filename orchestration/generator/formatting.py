"""Vectorised formatting: timestamps, exact decimals and record ids built from byte tables
with numpy and pyarrow, without per-row Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orchestration.generator.catalog import SECONDS_PER_DAY
from orchestration.generator.plan import epoch_day


def _byte_table(texts: Sequence[str], width: int) -> np.ndarray:
    """Texts as rows of a (len, width) uint8 matrix, padded with spaces."""
    padded = b"".join(t.encode().ljust(width) for t in texts)
    return np.frombuffer(padded, dtype=np.uint8).reshape(len(texts), width)


def strings_from_bytes(matrix: np.ndarray, keep: np.ndarray | None = None) -> pa.Array:
    """A string array whose row i is the bytes of ``matrix[i]`` (only where ``keep[i]``)."""
    rows, width = matrix.shape
    if keep is None:
        offsets = np.arange(0, width * (rows + 1), width, dtype=np.int32)
        data = np.ascontiguousarray(matrix).reshape(-1)
    else:
        offsets = np.zeros(rows + 1, dtype=np.int32)
        np.cumsum(keep.sum(axis=1), out=offsets[1:])
        data = matrix[keep]
    return pa.Array.from_buffers(
        pa.string(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


TIMESTAMP_STYLES = {  # style -> (separator, suffix); "offset" writes the client's UTC offset
    "z": ("T", "Z"),
    "naive": (" ", ""),
    "utc_offset": ("T", "+00:00"),
    "offset": ("T", None),
}


class Formatter:
    """Timestamps as ISO-8601 strings, built from byte lookup tables (no per-row Python)."""

    def __init__(self, first: date, last: date) -> None:
        self.first_day = epoch_day(first)
        count = (last - first).days + 1
        self.dates = _byte_table([(first + timedelta(days=i)).isoformat() for i in range(count)],
                                 10)
        seconds = np.arange(SECONDS_PER_DAY)
        digits = np.stack([seconds // 36000, seconds // 3600 % 10, seconds // 600 % 6,
                           seconds // 60 % 10, seconds % 60 // 10, seconds % 10], axis=1)
        times = np.full((SECONDS_PER_DAY, 8), ord(":"), dtype=np.uint8)
        times[:, [0, 1, 3, 4, 6, 7]] = digits + ord("0")
        self.times = times

    def timestamps(
        self, epoch: np.ndarray, style: str | Sequence[str],
        style_of_row: np.ndarray | None = None, offset_minutes: np.ndarray | None = None,
    ) -> pa.Array:
        """One style of TIMESTAMP_STYLES for all rows, or a list of styles and each row's
        position in it. z: 2026-07-01T10:00:00Z; naive: 2026-07-01 10:00:00 (UTC);
        utc_offset: ...+00:00; offset: the local time with its offset (``offset_minutes``)."""
        rows = len(epoch)
        offsets = np.zeros(rows, dtype=np.int64) if offset_minutes is None else offset_minutes
        styles = [style] if isinstance(style, str) else list(style)
        style_rows = np.zeros(rows, dtype=np.int64) if style_of_row is None else style_of_row
        local = epoch + offsets.astype(np.int64) * 60
        matrix = np.empty((rows, 25), dtype=np.uint8)
        matrix[:, :10] = self.dates[local // SECONDS_PER_DAY - self.first_day]
        matrix[:, 11:19] = self.times[local % SECONDS_PER_DAY]
        labels, codes = _suffix_codes(styles, style_rows, offsets)
        separators = np.array([ord(TIMESTAMP_STYLES[style][0]) for style, _ in labels],
                              dtype=np.uint8)
        suffixes = _byte_table([suffix for _, suffix in labels], 6)
        lengths = np.array([19 + len(suffix) for _, suffix in labels])
        matrix[:, 10] = separators[codes]
        matrix[:, 19:] = suffixes[codes]
        if len(labels) == 1:
            return strings_from_bytes(matrix[:, : lengths[0]])
        keep = np.arange(25)[None, :] < lengths[codes][:, None]
        return strings_from_bytes(matrix, keep)


def _suffix_codes(
    styles: list[str], style_of_row: np.ndarray, offset_minutes: np.ndarray
) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The distinct (style, suffix) labels of the rows and each row's label number."""
    keys = style_of_row.astype(np.int64) * 10_000 + (offset_minutes.astype(np.int64) + 5_000)
    distinct, codes = np.unique(keys, return_inverse=True)
    labels = []
    for key in distinct.tolist():
        style = styles[key // 10_000]
        minutes = key % 10_000 - 5_000
        suffix = TIMESTAMP_STYLES[style][1]
        if suffix is None:
            sign = "+" if minutes >= 0 else "-"
            suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        labels.append((style, suffix))
    return labels, codes.reshape(-1)


def decimals(micro_units: np.ndarray) -> pa.Array:
    """Exact decimal strings of values given in millionths, without trailing zeros."""
    values = micro_units.astype(np.int64)
    words = np.empty(2 * len(values), dtype=np.int64)
    words[0::2] = values
    words[1::2] = np.where(values < 0, -1, 0)
    typed = pa.Array.from_buffers(pa.decimal128(38, 6), len(values), [None, pa.py_buffer(words)])
    text = pc.utf8_rtrim(pc.cast(typed, pa.string()), characters="0")
    return pc.utf8_rtrim(text, characters=".")


def decimal_array(micro_units: np.ndarray, scale: int) -> pa.Array:
    """Typed decimals (parquet) from values in millionths."""
    values = micro_units.astype(np.int64) // 10 ** (6 - scale)
    words = np.empty(2 * len(values), dtype=np.int64)
    words[0::2] = values
    words[1::2] = np.where(values < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(values), [None, pa.py_buffer(words)])


HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
ID_BITS = 48
ID_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15 & ((1 << ID_BITS) - 1) | 1)


def record_ids(prefix: str, numbers: np.ndarray, seed: int) -> pa.Array:
    """Unique ids like ``rd-3f9a0c12be41``: the record number scrambled by a bijection of
    48-bit integers (odd multiplier, seed mask), written as 12 hex digits."""
    mask = np.uint64((1 << ID_BITS) - 1)
    salt = np.uint64((seed * 0x5851F42D4C957F2D) & ((1 << ID_BITS) - 1))
    scrambled = ((numbers.astype(np.uint64) * ID_MULTIPLIER) & mask) ^ salt
    shifts = np.arange(ID_BITS - 4, -1, -4, dtype=np.uint64)
    nibbles = (scrambled[:, None] >> shifts[None, :]) & np.uint64(15)
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    matrix = np.empty((len(numbers), len(head) + len(shifts)), dtype=np.uint8)
    matrix[:, : len(head)] = head
    matrix[:, len(head) :] = HEX_DIGITS[nibbles]
    return strings_from_bytes(matrix)


def utc_offsets(epoch: np.ndarray, timezone: str) -> np.ndarray:
    """The zone's UTC offset in minutes at each instant (zones that change on the hour)."""
    if not timezone or timezone == "UTC":
        return np.zeros(len(epoch), dtype=np.int64)
    zone = ZoneInfo(timezone)
    hours = epoch // 3600
    first, last = int(hours.min()), int(hours.max())
    table = np.array([
        int(datetime.fromtimestamp(h * 3600, UTC).astimezone(zone).utcoffset().total_seconds())
        // 60
        for h in range(first, last + 1)
    ], dtype=np.int64)
    return table[hours - first]

