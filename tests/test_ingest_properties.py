"""Property: whatever rows land, good or bad, every one is accounted for and no bad one is
billed. Hypothesis writes meter-reading files whose rows each carry at most one defect (so
where each row must go is known), loads them and builds the marts, and checks, per file,
rows seen = loaded + quarantined + duplicate + suppressed with each count and each reason as
the rows say, and the bill equal to the sum of the good rows alone."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.pipeline import BUCKETS, CLIENTS, UNIT_TYPES, build_marts, read, write_csv

pytestmark = pytest.mark.e2e

AS_OF = "2026-02-01T00:00:00Z"
HEADER = ["reading_id", "asset_id", "source_type", "unit_type", "reading_ts", "value"]

# kind -> (where the row goes, the quarantine reason)
KINDS = {
    "good": ("loaded", None),
    "duplicate": ("duplicate", None),
    "suppressed": ("suppressed", None),
    "missing_asset": ("quarantined", "missing_field"),
    "underscore": ("quarantined", "unparsable_number"),
    "comma": ("quarantined", "unparsable_number"),
    "nan": ("quarantined", "non_finite_number"),
    "negative": ("quarantined", "negative_value"),
    "too_large": ("quarantined", "out_of_range"),
    "bad_offset": ("quarantined", "unparsable_timestamp"),
    "not_a_time": ("quarantined", "unparsable_timestamp"),
    "unknown_unit": ("quarantined", "unknown_unit_type"),
    "more_fields": ("quarantined", "malformed_row"),
    "fewer_fields": ("quarantined", "malformed_row"),
}

values = st.decimals(min_value=0, max_value=Decimal("99999"), places=6, allow_nan=False)
rows = st.lists(st.tuples(st.sampled_from(sorted(KINDS)), values), min_size=1, max_size=12)
files = st.lists(rows, min_size=1, max_size=4)


def _line(fields: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    return buffer.getvalue()


def _file_lines(
    index: int, generated: list[tuple[str, Decimal]], good: list[list[str]]
) -> tuple[list[str], list[str], Decimal]:
    """The CSV lines of file ``index``, the kind each row really is, and its good total."""
    lines, kinds, total = [], [], Decimal(0)
    for number, (kind, value) in enumerate(generated, start=1):
        rid = f"f{index}r{number}"
        row = [
            rid,
            "a1",
            "compute",
            "cpu_hours",
            f"2026-01-{1 + number % 28:02d}T10:00:00Z",
            str(value),
        ]
        if kind == "duplicate" and not good:
            kind = "good"  # nothing to repeat yet
        if kind == "good":
            good.append(row)
            total += value
        elif kind == "duplicate":
            row = list(good[number % len(good)])
        elif kind == "suppressed":
            row[1] = f"test-{number}"
        elif kind == "missing_asset":
            row[1] = ""
        elif kind == "underscore":
            row[5] = "1_000"
        elif kind == "comma":
            row[5] = "1,5"  # quoted by the writer: one field that is not a number
        elif kind == "nan":
            row[5] = "NaN"
        elif kind == "negative":
            row[5] = f"-{value + 1}"
        elif kind == "too_large":
            row[5] = "18446744073709551615"
        elif kind == "bad_offset":
            row[4] = "2026-01-05T10:00:00+25:00"
        elif kind == "not_a_time":
            row[4] = "yesterday"
        elif kind == "unknown_unit":
            row[3] = "gpu_hours"
        if kind == "more_fields":
            lines.append(",".join(row[:5]) + ",1,5")
        elif kind == "fewer_fields":
            lines.append(",".join(row[:5]))
        else:
            lines.append(_line(row))
        kinds.append(kind)
    return lines, kinds, total


def _admin(landing: Path) -> None:
    admin = landing / "admin"
    write_csv(
        admin / "clients/arrived=2026-01-01/clients.csv", CLIENTS, "c1,Client One,,,true,2025-12-01"
    )
    write_csv(
        admin / "unit_types/arrived=2026-01-01/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU,delta,sum,false,1,2,",
    )
    write_csv(
        admin / "buckets/arrived=2026-01-01/buckets.csv",
        BUCKETS,
        "b1,c1,CPU,compute,cpu_hours,,10,0.5,0.75,true,true,2025-12-01",
    )
    write_csv(
        admin / "assets/arrived=2026-01-01/assets.csv",
        "asset_id,client_id,source_type,name,description,ack,enabled,created_at",
        "a1,c1,compute,Server 1,,true,true,2025-12-01",
    )
    write_csv(
        admin / "suppressions/arrived=2026-01-01/suppressions.csv",
        "pattern,pattern_type,reason,created_at",
        "test-*,asset_id,test rigs,2025-12-31",
    )


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files)
def test_every_generated_row_is_accounted_for_and_no_bad_row_is_billed(
    generated: list[list[tuple[str, Decimal]]],
) -> None:
    root = Path(tempfile.mkdtemp(prefix="tallyhouse-property-"))
    try:
        landing = root / "landing"
        _admin(landing)
        good: list[list[str]] = []
        expected_files, expected_rows, billed = {}, {}, Decimal(0)
        for index, file_rows in enumerate(generated):
            lines, kinds, total = _file_lines(index, file_rows, good)
            name = f"meter_readings/arrived=2026-01-05/f{index}.csv"
            write_csv(landing / name, ",".join(HEADER), *lines)
            billed += total
            outcomes = [KINDS[kind][0] for kind in kinds]
            expected_files[name] = tuple(
                outcomes.count(o) for o in ("loaded", "quarantined", "duplicate", "suppressed")
            )
            for number, kind in enumerate(kinds, start=1):
                if KINDS[kind][1]:
                    expected_rows[(name, number)] = KINDS[kind][1]
        warehouse = root / "warehouse.duckdb"
        build_marts(landing, warehouse, AS_OF)

        logged = read(
            warehouse,
            "select file, rows_seen, rows_loaded, rows_quarantined, rows_duplicate, "
            "rows_suppressed from marts.ingest_log where feed = 'meter_readings'",
        )
        got = {r["file"]: tuple(r.values())[2:] for r in logged}
        assert got == expected_files
        for r in logged:
            assert r["rows_seen"] == len(generated[int(r["file"].rsplit("f", 1)[1][:-4])])
            assert r["rows_seen"] == sum(tuple(r.values())[2:])
        quarantined = read(
            warehouse,
            "select file, row_number, reason from marts.quarantine where feed = 'meter_readings'",
        )
        assert {(q["file"], q["row_number"]): q["reason"] for q in quarantined} == expected_rows
        # no quarantined row reaches a usage record, and the bill is the good rows' sum
        leaked = read(
            warehouse,
            "select q.file, q.row_number from marts.quarantine as q "
            "inner join intermediate.int_usage_records as u "
            "on q.file = u.file and q.row_number = u.row_number",
        )
        assert leaked == []
        bill = read(
            warehouse,
            "select usage from marts.billing_readings "
            "where bucket_id = 'b1' and period_start = date '2026-01-01'",
        )
        assert bill == [{"usage": billed}]
    finally:
        shutil.rmtree(root, ignore_errors=True)
