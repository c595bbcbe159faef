"""The marts Spark built, copied into the DuckDB warehouse.

After ``dbt build`` on Spark, every table of Spark's schema ``marts`` (and the few
intermediate tables the pipeline's Python reads: ``PYTHON_READS``) is read from its Parquet
files and replaces the table of the same name in the DuckDB warehouse, in one transaction.
The checks, the period close and the publication then read the warehouse exactly as after a
DuckDB build, so readers never know which engine billed.

Types: Spark has no 128-bit integer, so ``decimal(38, 0)`` (what ``type_int128()`` is on
Spark) comes back as DuckDB's ``HUGEINT``; a column whose YAML declares a ``data_type`` (for
example ``json``) is cast to it. Descriptions become table and column comments, as
``persist_docs`` makes them on DuckDB.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

# intermediate tables read by Python after dbt (tests/test_spark_engine.py keeps this list
# equal to what orchestration/ reads)
PYTHON_READS = ("int_client_periods", "int_client_timezones", "int_configuration_errors")


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    folder: Path
    description: str = ""
    columns: Mapping[str, Mapping[str, Any]] | None = None  # manifest column entries


def _quote_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def spark_tables(spark_warehouse: Path, manifest: Mapping[str, Any]) -> list[Table]:
    """The tables to copy: Spark's folders of schema marts and ``PYTHON_READS``, with the
    manifest's descriptions and declared column types of the models of the same name."""
    models = {
        (node["schema"], node["alias"] or node["name"]): node
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
    }
    tables = []
    wanted = {"marts": None, "intermediate": set(PYTHON_READS)}
    for schema, names in wanted.items():
        folder = spark_warehouse / f"{schema}.db"
        if not folder.is_dir():
            continue
        for table_dir in sorted(folder.iterdir()):
            if not table_dir.is_dir() or (names is not None and table_dir.name not in names):
                continue
            if not any(table_dir.glob("*.parquet")):
                continue
            node = models.get((schema, table_dir.name), {})
            tables.append(Table(schema, table_dir.name, table_dir,
                                node.get("description", ""), node.get("columns")))
    return tables


def _select(con: duckdb.DuckDBPyConnection, table: Table) -> tuple[str, set[str]]:
    """The query that reads ``table``'s Parquet files with DuckDB's types, and its columns."""
    files = _quote_text(str(table.folder / "*.parquet"))
    described = con.execute(f"describe select * from read_parquet({files})").fetchall()
    declared = {
        name.lower(): (column.get("data_type") or "")
        for name, column in (table.columns or {}).items()
    }
    parts = []
    for name, data_type, *_ in described:
        target = declared.get(name.lower()) or ("HUGEINT" if data_type == "DECIMAL(38,0)" else "")
        parts.append(f"cast({_ident(name)} as {target}) as {_ident(name)}" if target
                     else _ident(name))
    names = {name.lower() for name, *_ in described}
    return f"select {', '.join(parts)} from read_parquet({files})", names


def copy_spark_tables(
    con: duckdb.DuckDBPyConnection, tables: list[Table], log=lambda message: None
) -> dict[str, int]:
    """Replace each of ``tables`` in the DuckDB warehouse ``con``, in one transaction;
    the row count of each, by ``schema.name``."""
    counts: dict[str, int] = {}
    con.execute("begin")
    try:
        for table in tables:
            con.execute(f"create schema if not exists {table.schema}")
            target = f"{table.schema}.{_ident(table.name)}"
            query, built = _select(con, table)
            con.execute(f"create or replace table {target} as {query}")
            if table.description:
                con.execute(f"comment on table {target} is {_quote_text(table.description)}")
            for name, column in (table.columns or {}).items():
                if column.get("description") and name.lower() in built:
                    con.execute(f"comment on column {target}.{_ident(name)} is "
                                f"{_quote_text(column['description'])}")
            counts[f"{table.schema}.{table.name}"] = con.execute(
                f"select count(*) from {target}").fetchone()[0]
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    log(f"copied {len(tables)} tables built by Spark into the warehouse "
        f"({sum(counts.values()):,} rows)")
    return counts
