"""Bad rows: a small share of the usage rows broken, one of every reason code of CONTRACT
2.4 at least once, and the tally of what was written."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass
class Tally:
    """What was written, counted as it is written."""

    meter_readings: int = 0
    service_events: int = 0
    bad_rows: int = 0
    duplicate_rows: int = 0
    late_rows: int = 0
    files: int = 0
    admin_files: int = 0
    relanded_files: int = 0
    reasons_used: dict[str, int] = field(default_factory=dict)


class BadRows:
    """Turns a small share of a feed's rows bad, cycling through its reason codes."""

    def __init__(self, reasons: tuple[str, ...], share: float, tally: Tally) -> None:
        self.reasons = reasons
        self.share = share
        self.tally = tally
        self.next_reason = 0
        self.owed = len(reasons) if share > 0 else 0  # every reason at least once, early

    def apply(self, table: pa.Table, rng: np.random.Generator) -> pa.Table:
        if self.share <= 0 or table.num_rows == 0:
            return table
        extra = min(self.owed, max(table.num_rows // 4, 1))
        count = min(int(round(table.num_rows * self.share)) + extra, table.num_rows // 2)
        if count == 0:
            return table
        self.owed -= min(extra, count)
        rows = np.sort(rng.choice(table.num_rows, size=count, replace=False))
        reasons = [self.reasons[(self.next_reason + i) % len(self.reasons)] for i in range(count)]
        self.next_reason = (self.next_reason + count) % len(self.reasons)
        edits: dict[str, tuple[list[int], list[str]]] = {}
        for number, (row, reason) in enumerate(zip(rows.tolist(), reasons, strict=True)):
            column, value = _breakage(table, row, reason, number)
            edits.setdefault(column, ([], []))[0].append(row)
            edits[column][1].append(value)
            self.tally.reasons_used[reason] = self.tally.reasons_used.get(reason, 0) + 1
        for column, (positions, values) in edits.items():
            table = _replace(table, column, positions, values)
        self.tally.bad_rows += count
        return table


_BREAKAGE: dict[str, tuple[str, tuple[str, ...]]] = {
    # reason -> (column kind, replacement values taken in turn)
    "missing_field": ("key", ("",)),
    "unparsable_number": ("number", ("n/a", "12.5.1", "1O.5", "twelve")),
    "non_finite_number": ("number", ("NaN", "Infinity", "-inf", "nan")),
    "unparsable_timestamp": ("timestamp", ("2026-13-45T10:00:00Z", "not a date", "31/07/2026",
                                           "last tuesday")),
    "unknown_unit_type": ("unit_type", ("cpu_seconds", "gpu_minutes", "egress_mb")),
    "unknown_service": ("service", ("fax", "pager", "telex")),
    "non_positive_quantity": ("number", ("0", "-1", "-2.5", "0.0")),
}


def _breakage(table: pa.Table, row: int, reason: str, number: int) -> tuple[str, str]:
    """The column to spoil and its bad value, for one row."""
    readings = "value" in table.column_names
    kinds = {
        "number": "value" if readings else "quantity",
        "timestamp": "reading_ts" if readings else "event_ts",
        "key": "asset_id" if readings else "event_id",
    }
    if reason == "negative_value":
        current = table.column("value")[row].as_py()
        return "value", f"-{current}" if current not in ("0", "") else "-1"
    kind, values = _BREAKAGE[reason]
    return kinds.get(kind, kind), values[number % len(values)]


def _replace(table: pa.Table, column: str, rows: list[int], values: list[str]) -> pa.Table:
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[rows] = True
    current = table.column(column).combine_chunks()
    updated = pc.replace_with_mask(current, pa.array(mask), pa.array(values, pa.string()))
    return table.set_column(table.column_names.index(column), column, updated)

