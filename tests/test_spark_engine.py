"""The Spark engine's own parts, without Spark: the raw layer as Parquet, the marts copied
back into the warehouse, the engine setting and its preflight."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import preflight
from orchestration.settings import REPO_ROOT, SettingsError, load_settings
from orchestration.spark.marts import PYTHON_READS, copy_spark_tables, spark_tables
from orchestration.spark.raw_layer import EMPTY_FILE, export_raw_layer


def _raw_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path))
    con.execute("create schema raw")
    con.execute("""create table raw.meter_readings (
        file varchar, arrived date, row_number bigint, loaded_at timestamptz, value varchar)""")
    con.execute("""insert into raw.meter_readings values
        ('a.csv', '2026-03-01', 1, '2026-03-01 01:00:00+00', '1.5'),
        ('a.csv', '2026-03-01', 2, '2026-03-01 01:00:00+00', 'x'),
        ('b.csv', '2026-03-02', 1, '2026-03-02 01:00:00+00', '2')""")
    con.execute("create table raw.admin_users (file varchar, arrived date, user_id varchar)")
    return con


def _parquet_rows(folder: Path) -> list[tuple]:
    return duckdb.sql(
        f"select * from read_parquet('{folder}/*.parquet') order by all").fetchall()


def test_raw_layer_is_one_file_per_arrival_day_and_rewrites_only_changed_days(
    tmp_path: Path,
) -> None:
    con = _raw_warehouse(tmp_path / "w.duckdb")
    root = tmp_path / "raw"
    first = export_raw_layer(con, root)
    assert first.written == {"meter_readings": ["2026-03-01", "2026-03-02"]}
    assert sorted(p.name for p in (root / "meter_readings").iterdir()) == [
        "2026-03-01.parquet", "2026-03-02.parquet", EMPTY_FILE]
    assert _parquet_rows(root / "meter_readings") == con.execute(
        "select * from raw.meter_readings order by all").fetchall()
    # an empty table still has its columns, for Spark to read
    empty = duckdb.sql(f"describe select * from '{root}/admin_users/{EMPTY_FILE}'").fetchall()
    assert [row[0] for row in empty] == ["file", "arrived", "user_id"]
    assert _parquet_rows(root / "admin_users") == []
    # nothing changed: nothing written
    assert export_raw_layer(con, root).files_written == 0
    # a new file of March 2nd rewrites that day only; a day without rows loses its file
    con.execute("insert into raw.meter_readings values "
                "('c.csv', '2026-03-02', 1, '2026-03-05 01:00:00+00', '7')")
    con.execute("delete from raw.meter_readings where arrived = '2026-03-01'")
    second = export_raw_layer(con, root)
    assert second.written == {"meter_readings": ["2026-03-02"]}
    assert second.removed == {"meter_readings": ["2026-03-01"]}
    assert _parquet_rows(root / "meter_readings") == con.execute(
        "select * from raw.meter_readings order by all").fetchall()
    con.close()


def test_spark_marts_come_back_with_duckdbs_types_and_comments(tmp_path: Path) -> None:
    spark = tmp_path / "warehouse"
    folder = spark / "marts.db" / "ingest_log"
    folder.mkdir(parents=True)
    duckdb.sql(f"""copy (select 'a.csv' as file, cast(3 as decimal(38, 0)) as rows_suppressed,
        '{{"k":1}}' as new_values, cast(1.50 as decimal(38, 2)) as amount)
        to '{folder}/part-0.parquet' (format parquet)""")
    (spark / "intermediate.db" / "int_bound_records").mkdir(parents=True)  # not copied
    manifest = {"nodes": {"model.tallyhouse.ingest_log": {
        "resource_type": "model", "schema": "marts", "alias": "ingest_log", "name": "ingest_log",
        "description": "One row per landed file.",
        "columns": {"file": {"description": "The file's path."},
                    "new_values": {"description": "", "data_type": "json"}},
    }}}
    tables = spark_tables(spark, manifest)
    assert [(t.schema, t.name) for t in tables] == [("marts", "ingest_log")]
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert copy_spark_tables(con, tables) == {"marts.ingest_log": 1}
    types = dict(con.execute("select column_name, data_type from duckdb_columns() "
                             "where table_name = 'ingest_log'").fetchall())
    assert types == {"file": "VARCHAR", "rows_suppressed": "HUGEINT", "new_values": "JSON",
                     "amount": "DECIMAL(38,2)"}
    table_comment = con.execute(
        "select comment from duckdb_tables() where table_name = 'ingest_log'").fetchone()
    assert table_comment == ("One row per landed file.",)
    assert con.execute("select comment from duckdb_columns() where table_name = 'ingest_log' "
                       "and column_name = 'file'").fetchone() == ("The file's path.",)
    con.close()


def test_every_intermediate_table_python_reads_is_copied_back() -> None:
    read = set()
    for path in (REPO_ROOT / "orchestration").rglob("*.py"):
        read |= set(re.findall(r"intermediate\.(int_\w+)", path.read_text(encoding="utf-8")))
    assert read == set(PYTHON_READS)


def test_engine_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TALLYHOUSE_ENGINE", raising=False)
    monkeypatch.delenv("TALLYHOUSE_SPARK_DIR", raising=False)
    default = load_settings(tmp_path, tmp_path / "w.duckdb", "2026-03-01T00:00:00Z")
    assert default.engine == "duckdb"
    assert "TALLYHOUSE_SPARK_DIR" not in default.env()
    monkeypatch.setenv("TALLYHOUSE_ENGINE", "Spark")
    spark = load_settings(tmp_path, tmp_path / "w.duckdb", "2026-03-01T00:00:00Z")
    assert spark.engine == "spark"
    assert spark.env()["TALLYHOUSE_SPARK_DIR"] == str(tmp_path / "w.spark")
    assert spark.env()["TALLYHOUSE_RAW_PARQUET"] == str(tmp_path / "w.spark" / "raw")
    monkeypatch.setenv("TALLYHOUSE_ENGINE", "snowflake")
    with pytest.raises(SettingsError, match="TALLYHOUSE_ENGINE must be one of duckdb, spark"):
        load_settings(tmp_path, tmp_path / "w.duckdb", "2026-03-01T00:00:00Z")
    flag = load_settings(tmp_path, tmp_path / "w.duckdb", "2026-03-01T00:00:00Z", engine="duckdb")
    assert flag.engine == "duckdb"  # the flag wins over the variable


def test_spark_without_java_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preflight, "_has_module", lambda name: True)
    monkeypatch.setattr(preflight.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(SettingsError, match="needs a Java runtime"):
        preflight.check_engine("spark")
    preflight.check_engine("duckdb")  # DuckDB needs neither
    monkeypatch.setattr(preflight, "_has_module", lambda name: name != "pyspark")
    with pytest.raises(SettingsError, match=r"needs pyspark: install them with"):
        preflight.check_engine("spark")
