"""Ingest and CONTRACT 2.4: every class of bad input, on a landing zone written by hand.

Expected counts are worked out from the files below, row by row (see the comments).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.pipeline import BUCKETS, CLIENTS, EVENTS, UNIT_TYPES, build_warehouse, read, write_csv

AS_OF = "2026-02-01T00:00:00Z"
SECRET = "sk_live_abcdefghijklmnop1234"
READING_HEADER = "reading_id,asset_id,source_type,unit_type,reading_ts,value,description,extra_col"
GOOD_ROWS = (
    "r1,a1,compute,cpu_hours,2026-01-04T10:00:00,1.5,,x",  # 1 loaded
    "r2,,compute,cpu_hours,2026-01-04T11:00:00,1,,",  # 2 missing_field
    "r3,a1,compute,cpu_hours,2026-01-04T12:00:00,abc,,",  # 3 unparsable_number
    "r4,a1,compute,cpu_hours,2026-01-04T13:00:00,NaN,,",  # 4 non_finite_number
    "r5,a1,compute,cpu_hours,2026-01-04T14:00:00,-2,,",  # 5 negative_value
    "r6,a1,compute,cpu_hours,yesterday,2,,",  # 6 unparsable_timestamp
    "r7,a1,compute,gpu_hours,2026-01-04T15:00:00,2,,",  # 7 unknown_unit_type
    "r8,test-1,compute,cpu_hours,2026-01-04T16:00:00,2,,",  # 8 suppressed by test-*
    "r9,a2,compute,cpu_hours,2026-01-04T17:00:00,2,rack decommissioned,",  # 9 suppressed
    "r1,a1,compute,cpu_hours,2026-01-04T10:00:00,1.5,,",  # 10 duplicate of row 1
    "r10,a1,compute,cpu_hours,2026-01-04T18:00:00,inf,,",  # 11 non_finite_number
    "r11,a1,compute,cpu_hours,2026-01-04T19:00:00,2.25,,",  # 12 loaded
)


def _landing(root: Path) -> Path:
    admin = root / "admin"
    write_csv(
        admin / "clients/arrived=2026-01-01/clients.csv",
        CLIENTS,
        "c1,Client One,,,true,2025-12-01",
    )
    write_csv(
        admin / "unit_types/arrived=2026-01-01/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU,delta,sum,false,1,2,",
        "ai_tokens,AI tokens,delta,sum,false,0.001,0.002,",
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
        "test-1,c1,compute,Test box,,true,true,2025-12-01",
    )
    write_csv(
        admin / "suppressions/arrived=2026-01-01/suppressions.csv",
        "pattern,pattern_type,reason,created_at",
        "test-*,asset_id,test rigs,2025-12-31",
        "*decommissioned*,description,retired hardware,2025-12-31T00:00:00Z",
    )
    write_csv(
        admin / "api_keys/arrived=2026-01-01/api_keys.csv",
        "api_key_id,name,role,client_id,key_hash,enabled,last_used_at",
        "k1,Ingest,ingest,,3b5d5c3712955042212316173ccf37be8000000000000000000000000000abcd,true,",
        f"k2,Leaked,admin,,{SECRET},true,",
    )
    readings = root / "meter_readings"
    good = write_csv(readings / "arrived=2026-01-05/good.csv", READING_HEADER, *GOOD_ROWS)
    (readings / "arrived=2026-01-06").mkdir(parents=True)
    shutil.copy(good, readings / "arrived=2026-01-06/copy.csv")  # same bytes: duplicate_file
    write_csv(
        readings / "arrived=2026-01-06/nokey.csv",  # no value column: rejected whole
        "reading_id,asset_id,source_type,unit_type,reading_ts",
        "n1,a1,compute,cpu_hours,2026-01-05T00:00:00",
    )
    write_csv(
        readings / "arrived=2026-01-06/resend.csv",  # no reading_id: key is asset, unit, instant
        "asset_id,source_type,unit_type,reading_ts,value",
        "a1,compute,cpu_hours,2026-01-05T00:00:00Z,1",  # 1 loaded
        "a1,compute,cpu_hours,2026-01-05T01:00:00+01:00,1",  # 2 same instant: duplicate
    )
    (readings / "arrived=2026-01-06/readings.jsonl").write_text(
        '{"reading_id":"j1","asset_id":"a1","source_type":"compute","unit_type":"cpu_hours",'
        '"reading_ts":"2026-01-05T02:00:00","value":0.5}\n'
        "\n"
        '{"reading_id":"j2","asset_id":"a1","source_type":"compute","unit_type":"cpu_hours",'
        '"reading_ts":"2026-01-05T03:00:00"}\n',
        encoding="utf-8",
    )
    write_csv(
        readings / "arrived=2026-03-01/future.csv",  # arrives after the as-of time: ignored
        READING_HEADER,
        "f1,a1,compute,cpu_hours,2026-01-20T00:00:00,1000,,",
    )
    events = root / "service_events"
    write_csv(
        events / "arrived=2026-01-05/events.csv",
        EVENTS,
        "e1,c1,,u1,ai,,2026-01-04T10:00:00,100",  # 1 loaded (asset c1/default)
        "e2,c1,p1,u1,ai,out,2026-01-04T10:00:00,0",  # 2 non_positive_quantity
        "e3,c1,p1,u1,fax,out,2026-01-04T10:00:00,1",  # 3 unknown_service
        "e4,c1,p1,u1,sms,in,2026-01-04T10:00:00,1",  # 4 unknown_unit_type (no sms_inbound)
        "e1,c1,,u1,ai,,2026-01-04T10:00:00,100",  # 5 duplicate of row 1
    )
    con = duckdb.connect()
    con.execute(
        "copy (select 'e5' as event_id, 'c1' as client_id, 'p2' as project, "
        "'ai' as service, 2.5::decimal(10, 2) as quantity, "
        "timestamptz '2026-01-04 12:00:00+00' as event_ts) "
        f"to '{events / 'arrived=2026-01-05/typed.parquet'}' (format parquet)"
    )
    con.close()
    return root


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("ingest"), _landing, AS_OF)


@pytest.mark.e2e
def test_each_bad_row_is_quarantined_with_its_reason(warehouse: Path) -> None:
    rows = read(
        warehouse,
        "select feed, file_name, row_number, reason from marts.quarantine "
        "where reason <> 'rejected_file'",
    )
    got = {(r["feed"], r["file_name"], r["row_number"], r["reason"]) for r in rows}
    assert got == {
        ("meter_readings", "good.csv", 2, "missing_field"),
        ("meter_readings", "good.csv", 3, "unparsable_number"),
        ("meter_readings", "good.csv", 4, "non_finite_number"),
        ("meter_readings", "good.csv", 5, "negative_value"),
        ("meter_readings", "good.csv", 6, "unparsable_timestamp"),
        ("meter_readings", "good.csv", 7, "unknown_unit_type"),
        ("meter_readings", "good.csv", 11, "non_finite_number"),
        ("meter_readings", "readings.jsonl", 3, "missing_field"),
        ("service_events", "events.csv", 2, "non_positive_quantity"),
        ("service_events", "events.csv", 3, "unknown_service"),
        ("service_events", "events.csv", 4, "unknown_unit_type"),
        ("admin/api_keys", "api_keys.csv", 2, "raw_secret"),
    }


@pytest.mark.e2e
def test_quarantine_keeps_the_raw_row_and_says_what_to_fix(warehouse: Path) -> None:
    (row,) = read(
        warehouse,
        "select raw, message from marts.quarantine where file_name = 'good.csv' and row_number = 3",
    )
    assert '"value":"abc"' in row["raw"] and '"reading_id":"r3"' in row["raw"]
    assert "abc" in row["message"] and "good.csv" in row["message"]


@pytest.mark.e2e
def test_file_missing_a_required_column_is_rejected_naming_it(warehouse: Path) -> None:
    (row,) = read(warehouse, "select * from marts.quarantine where reason = 'rejected_file'")
    assert row["row_number"] is None
    assert "nokey.csv" in row["message"] and "value" in row["message"]
    (log,) = read(warehouse, "select * from marts.ingest_log where file_name = 'nokey.csv'")
    assert log["status"] == "rejected" and log["rows_loaded"] == 0


@pytest.mark.e2e
def test_ingest_log_counts_every_row_of_every_file(warehouse: Path) -> None:
    rows = read(
        warehouse,
        "select file_name, status, rows_seen, rows_loaded, rows_quarantined, rows_duplicate, "
        "rows_suppressed from marts.ingest_log where feed not like 'admin/%'",
    )
    got = {r["file_name"]: tuple(r.values())[1:] for r in rows}
    assert got == {
        # 12 rows: loaded 1 and 12; quarantined 2-7 and 11; duplicate 10; suppressed 8, 9
        "good.csv": ("loaded", 12, 2, 7, 1, 2),
        "copy.csv": ("duplicate_file", 12, 0, 0, 12, 0),
        "nokey.csv": ("rejected", 1, 0, 1, 0, 0),
        "resend.csv": ("loaded", 2, 1, 0, 1, 0),
        "readings.jsonl": ("loaded", 2, 1, 1, 0, 0),  # the blank line is not a row
        "events.csv": ("loaded", 5, 1, 3, 1, 0),
        "typed.parquet": ("loaded", 1, 1, 0, 0, 0),
    }
    for r in rows:
        assert r["rows_seen"] == (
            r["rows_loaded"] + r["rows_quarantined"] + r["rows_duplicate"] + r["rows_suppressed"]
        )


@pytest.mark.e2e
def test_file_arrived_after_as_of_is_ignored(warehouse: Path) -> None:
    assert read(warehouse, "select * from marts.ingest_log where file_name = 'future.csv'") == []
    assert read(warehouse, "select * from raw.file_manifest where file_name = 'future.csv'") == []


@pytest.mark.e2e
def test_suppressed_readings_are_dropped_and_counted_per_rule(warehouse: Path) -> None:
    rows = read(
        warehouse,
        "select pattern, pattern_type, rows_suppressed from raw.suppressed_rows order by pattern",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("*decommissioned*", "description", 1),
        ("test-*", "asset_id", 1),
    ]
    assert (
        read(warehouse, "select * from raw.meter_readings where reading_id in ('r8', 'r9')") == []
    )


@pytest.mark.e2e
def test_raw_secret_is_never_stored(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.columns "
            "where data_type = 'VARCHAR' group by all"
        ).fetchall()
        for schema, table in tables:
            hits = con.execute(
                f'select count(*) from "{schema}"."{table}" as t '
                f"where contains(cast(t as varchar), '{SECRET}')"
            ).fetchone()[0]
            assert hits == 0, f"{schema}.{table} holds the secret"
    finally:
        con.close()


@pytest.mark.e2e
def test_valid_rows_of_every_format_are_billed_once(warehouse: Path) -> None:
    # b1 in January: r1 1.5 + r11 2.25 + resend 1 (its twin is a duplicate) + j1 0.5 = 5.25
    (row,) = read(
        warehouse,
        "select usage, status from marts.billing_readings "
        "where bucket_id = 'b1' and period_start = date '2026-01-01'",
    )
    assert row["usage"] == Decimal("5.25") and row["status"] == "under"
    (event,) = read(warehouse, "select first_seen from marts.assets where asset_id = 'c1/p2'")
    assert event["first_seen"].isoformat() == "2026-01-04T12:00:00+00:00"


def test_files_of_one_shape_read_together_load_as_each_file_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Usage files of one header (and the same suppression rules) are read in one reader
    call; every raw row, row number, suppression count and manifest entry is what reading
    each file alone gives."""
    from datetime import UTC, datetime

    from orchestration.ingest import loader
    from orchestration.ingest.feeds import FEEDS_BY_NAME

    landing = tmp_path / "landing"
    write_csv(
        landing / "admin/suppressions/arrived=2026-01-01/suppressions.csv",
        "pattern,pattern_type,reason,created_at",
        "test-*,asset_id,test rigs,2025-12-31",
    )
    header = "reading_id,asset_id,source_type,unit_type,reading_ts,value"
    readings = landing / "meter_readings"
    first = write_csv(
        readings / "arrived=2026-01-05/a.csv",
        header,
        "r1, a1 ,compute,cpu_hours,2026-01-04T10:00:00,1.5",  # 1 loaded, asset_id trimmed
        "r2,test-1,compute,cpu_hours,2026-01-04T11:00:00,1",  # 2 suppressed
        'r3,a1,compute,cpu_hours,2026-01-04T12:00:00,"2"',  # 3 loaded
    )
    write_csv(
        readings / "arrived=2026-01-06/b.csv",
        header,
        "r4,test-2,compute,cpu_hours,2026-01-05T10:00:00,1",  # 1 suppressed
        "r5,a2,compute,cpu_hours,2026-01-05T11:00:00,4",  # 2 loaded
    )
    shutil.copy(first, readings / "arrived=2026-01-06/c.csv")  # same bytes as a.csv
    write_csv(
        readings / "arrived=2026-01-07/d.csv",  # another column order: read in its own call
        "value,reading_ts,unit_type,source_type,asset_id,reading_id",
        "7,2026-01-06T10:00:00,cpu_hours,compute,a1,r6",
    )
    con = duckdb.connect()
    for name, day in (("e", "2026-01-07"), ("f", "2026-01-08")):
        (readings / f"arrived={day}").mkdir(parents=True, exist_ok=True)
        con.execute(
            f"copy (select '{name}' || i as reading_id, 'a1' as asset_id, 'compute' as "
            "source_type, 'cpu_hours' as unit_type, timestamptz '2026-01-06 00:00:00+00' "
            "+ i * interval 1 hour as reading_ts, i::decimal(10, 2) as value "
            f"from range(1, 4) as t(i)) to '{readings / f'arrived={day}/{name}.parquet'}' "
            "(format parquet)"
        )
    con.close()

    batches: list[int] = []
    stage_batch = loader._stage_batch

    def counting(con, batch, now):
        batches.append(len(batch.files))
        return stage_batch(con, batch, now)

    monkeypatch.setattr(loader, "_stage_batch", counting)
    as_of = datetime(2026, 2, 1, tzinfo=UTC)
    suppressions, meters = FEEDS_BY_NAME["admin/suppressions"], FEEDS_BY_NAME["meter_readings"]
    together = loader.connect(tmp_path / "together.duckdb")
    for feed in (suppressions, meters):
        loader.ingest_feed(together, landing, feed, as_of)
    assert batches == [2, 2]  # a.csv with b.csv (c.csv has their bytes), e with f.parquet
    alone = loader.connect(tmp_path / "alone.duckdb")
    loader.ingest_feed(alone, landing, suppressions, as_of)
    for landed in loader.discover(landing, meters, as_of):
        loader.load_file(alone, landed, as_of)

    def rows(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
        return con.execute(f"select * exclude (loaded_at) from raw.{table} order by all").fetchall()

    for table in ("meter_readings", "file_manifest", "suppressed_rows"):
        assert rows(together, table) == rows(alone, table), table
    numbered = together.execute(
        "select file, row_number, reading_id, asset_id from raw.meter_readings "
        "order by file, row_number"
    ).fetchall()
    assert numbered == [
        ("meter_readings/arrived=2026-01-05/a.csv", 1, "r1", "a1"),
        ("meter_readings/arrived=2026-01-05/a.csv", 3, "r3", "a1"),
        ("meter_readings/arrived=2026-01-06/b.csv", 2, "r5", "a2"),
        ("meter_readings/arrived=2026-01-07/d.csv", 1, "r6", "a1"),
        ("meter_readings/arrived=2026-01-07/e.parquet", 1, "e1", "a1"),
        ("meter_readings/arrived=2026-01-07/e.parquet", 2, "e2", "a1"),
        ("meter_readings/arrived=2026-01-07/e.parquet", 3, "e3", "a1"),
        ("meter_readings/arrived=2026-01-08/f.parquet", 1, "f1", "a1"),
        ("meter_readings/arrived=2026-01-08/f.parquet", 2, "f2", "a1"),
        ("meter_readings/arrived=2026-01-08/f.parquet", 3, "f3", "a1"),
    ]
    assert together.execute(
        "select file, status, rows_seen from raw.file_manifest where feed = 'meter_readings' "
        "order by file"
    ).fetchall() == [
        ("meter_readings/arrived=2026-01-05/a.csv", "loaded", 3),
        ("meter_readings/arrived=2026-01-06/b.csv", "loaded", 2),
        ("meter_readings/arrived=2026-01-06/c.csv", "loaded", 3),
        ("meter_readings/arrived=2026-01-07/d.csv", "loaded", 1),
        ("meter_readings/arrived=2026-01-07/e.parquet", "loaded", 3),
        ("meter_readings/arrived=2026-01-08/f.parquet", "loaded", 3),
    ]
    assert together.execute(
        "select file, pattern, rows_suppressed from raw.suppressed_rows order by file"
    ).fetchall() == [
        ("meter_readings/arrived=2026-01-05/a.csv", "test-*", 1),
        ("meter_readings/arrived=2026-01-06/b.csv", "test-*", 1),
    ]
