"""The hostile landing zone (tests/fixtures/hostile_zone.py), loaded and built end to end:
every file and every row lands where the fixture says, and nothing private leaks."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.fixtures import hostile_zone as hz
from tests.pipeline import read

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def warehouse(hostile_warehouse: Path) -> Path:
    return hostile_warehouse


def test_every_file_under_the_landing_zone_is_in_ingest_log(warehouse: Path) -> None:
    rows = read(
        warehouse,
        "select file, feed, status, rows_seen, rows_loaded, rows_quarantined, rows_duplicate "
        "from marts.ingest_log",
    )
    got = {r["file"]: tuple(r.values())[1:] for r in rows}
    assert got == hz.FILES
    landing = warehouse.parent / "landing"
    on_disk = {
        (Path(folder) / name).relative_to(landing).as_posix()
        for folder, _, names in os.walk(landing)
        for name in names
    }
    assert on_disk == set(hz.FILES)


def test_every_quarantined_row_and_file_has_its_reason(warehouse: Path) -> None:
    rows = read(warehouse, "select file, row_number, reason, message from marts.quarantine")
    assert {(r["file"], r["row_number"]): r["reason"] for r in rows} == hz.ROWS
    assert all(r["message"] and r["file"] in r["message"] for r in rows)


@pytest.mark.parametrize(
    ("file", "why"),
    [
        ("arrived=2026-13-45/bad_date.csv", "not arrived=YYYY-MM-DD with a real date"),
        ("arrived=2026-7-3/short_date.csv", "not arrived=YYYY-MM-DD with a real date"),
        ("arrived=2026-01-05/readings.txt", "only .csv, .parquet and .jsonl"),
        ("arrived=2026-01-05/.hidden.csv", "is hidden"),
        ("arrived=2026-01-05/sub/nested.csv", "nested folder (sub)"),
        ("stray.csv", "not in an arrived=YYYY-MM-DD folder"),
        ("arrived=2026-01-05/link_out.csv", "symlink leading out of the landing zone"),
        ("arrived=2026-01-05/empty2.csv", "same bytes as meter_readings/arrived=2026-01-05/"),
        ("arrived=2026-01-06/wrong_header_again.csv", "missing required columns"),
        ("arrived=2026-01-05/junk.csv", "not UTF-8"),
    ],
)
def test_a_rejected_file_says_why(warehouse: Path, file: str, why: str) -> None:
    (row,) = read(
        warehouse, f"select message from marts.quarantine where file = 'meter_readings/{file}'"
    )
    assert why in row["message"]


def test_nothing_from_outside_the_landing_zone_and_no_machine_path_reaches_the_warehouse(
    warehouse: Path,
) -> None:
    machine = str(warehouse.parent)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select distinct table_schema, table_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') and table_schema in ('raw', 'marts')"
        ).fetchall()
        for schema, table in tables:
            for needle in (hz.OUTSIDE_PASSWORD, machine):
                hits = con.execute(
                    f'select count(*) from "{schema}"."{table}" as t '
                    "where contains(cast(t as varchar), ?)",
                    [needle],
                ).fetchone()[0]
                assert hits == 0, f"{schema}.{table} holds {needle}"
    finally:
        con.close()


def test_secrets_and_addresses_inside_text_never_reach_a_mart(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select distinct table_name from information_schema.columns "
            "where table_schema = 'marts' and data_type in ('VARCHAR', 'JSON')"
        ).fetchall()
        for (table,) in tables:
            for needle in (hz.SECRET_IN_TEXT, hz.PASSWORD_IN_TEXT, hz.EMAIL, "nobody@example"):
                hits = con.execute(
                    f'select count(*) from marts."{table}" as t '
                    "where contains(cast(t as varchar), ?)",
                    [needle],
                ).fetchone()[0]
                assert hits == 0, f"marts.{table} holds {needle}"
    finally:
        con.close()
    (user,) = read(warehouse, "select name, channels from marts.service_users")
    assert user == {"name": "Jane <j***@e***.com>", "channels": "email:j***@e***.com;sms"}
    (client,) = read(
        warehouse,
        "select cast(new_values as varchar) as v from marts.audit_log where table_name = 'clients'",
    )
    assert "token in text: sk_live_[redacted]" in client["v"] and "j***@e***.com" in client["v"]
    (asset,) = read(
        warehouse,
        "select cast(new_values as varchar) as v from marts.audit_log "
        "where table_name = 'assets' and record_id = 'a1'",
    )
    assert "root password=[redacted]" in asset["v"]


def test_json_numbers_are_read_exactly(warehouse: Path) -> None:
    (row,) = read(warehouse, "select value from raw.meter_readings where reading_id = 'j1'")
    assert row["value"] == hz.EXACT
    (record,) = read(
        warehouse,
        "select value from intermediate.int_usage_records where file_name = 'exact.jsonl'",
    )
    assert record["value"] == Decimal(hz.EXACT)


def test_good_rows_beside_bad_ones_are_billed(warehouse: Path) -> None:
    # b1, January: v1 2 + v12 0.25 (the unicode asset) + w1 3 + w2 4 + j1 123456789.123456789
    # = 123456798.373456789, rounded to 6 places; the injection string is an asset of nobody
    (row,) = read(
        warehouse,
        "select usage from marts.billing_readings "
        "where bucket_id = 'b1' and period_start = date '2026-01-01'",
    )
    assert row["usage"] == Decimal("123456798.373457")
    injection = hz.INJECTION.replace("'", "''")
    (asset,) = read(
        warehouse, f"select is_unassigned from marts.assets where asset_id = '{injection}'"
    )
    assert asset["is_unassigned"] is True


def test_usage_of_an_unknown_client_is_flagged_unassigned(warehouse: Path) -> None:
    rows = read(
        warehouse,
        "select asset_id, client_id, is_unassigned, is_unknown_client from marts.assets "
        "where asset_id like '%/default' order by asset_id",
    )
    assert [tuple(r.values()) for r in rows] == [
        ("DLR-NORTHGATE/default", "DLR-NORTHGATE", True, True),
        ("c1/default", "c1", False, False),
    ]


def test_bad_admin_rows_are_not_applied(warehouse: Path) -> None:
    # only p1 (10) pays January: abc, NaN, -5, 1_000 and the row with no id are quarantined
    (invoice,) = read(
        warehouse,
        "select paid_amount from marts.invoices where period_start = date '2026-01-01'",
    )
    assert invoice["paid_amount"] == Decimal("10")
    grants = read(warehouse, "select grant_id from marts.credit_grants")
    assert [g["grant_id"] for g in grants] == ["g1"]
    users = read(warehouse, "select user_id from marts.service_users")
    assert [u["user_id"] for u in users] == ["u1"]


def test_a_rejected_file_registered_without_a_message_never_blocks(
    warehouse: Path, tmp_path: Path
) -> None:
    """A warehouse where an earlier ingest registered a copy of a rejected file with no
    message (as ingest did before) builds, and the quarantine row says why."""
    import shutil

    from tests.pipeline import dbt_build

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)  # the session's warehouse is read-only
    con = duckdb.connect(str(copy))
    con.execute(
        "update raw.file_manifest set message = null "
        "where file = 'meter_readings/arrived=2026-01-05/empty2.csv'"
    )
    con.close()
    result = dbt_build(copy, hz.AS_OF)
    assert result.returncode == 0, result.stdout[-3000:]
    (row,) = read(
        copy,
        "select message from marts.quarantine "
        "where file = 'meter_readings/arrived=2026-01-05/empty2.csv'",
    )
    assert row["message"].startswith(
        "file meter_readings/arrived=2026-01-05/empty2.csv has the same bytes as "
        "meter_readings/arrived=2026-01-05/empty1.csv, which was rejected (file "
    )
