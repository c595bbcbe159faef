"""The raw layer as Parquet, for the Spark engine.

Every table of schema ``raw`` becomes a folder ``<raw_parquet>/<table>/`` with one Parquet
file per arrival day (``<YYYY-MM-DD>.parquet``, the table's rows with ``arrived`` = that day)
and ``empty.parquet`` (no rows: it carries the table's columns while the table is empty).
dbt's ``raw_layer`` macro declares each folder as the view ``raw.<table>`` on Spark.

Only the days whose rows changed since the last export are written again: a day's
signature (its row count and the sum of its rows' hashes) is kept in ``_export_state.json``. A day
that has no rows any more loses its file. The files of a day are written to a temporary name
and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

STATE_FILE = "_export_state.json"  # a leading underscore: Spark's Parquet reader skips it
EMPTY_FILE = "empty.parquet"


@dataclass(frozen=True)
class Exported:
    """What one export wrote: per table, the days written and the days removed."""

    written: dict[str, list[str]]
    removed: dict[str, list[str]]

    @property
    def files_written(self) -> int:
        return sum(len(days) for days in self.written.values())


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        name for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
        ).fetchall()
    ]


def _signatures(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """day -> 'rows|digest' of the table's rows arrived that day (the digest: the sum of
    every row's hash, so that any change of a day's rows changes it)."""
    rows = con.execute(
        f"select cast(arrived as varchar), count(*), cast(sum(hash(t)) as varchar) "
        f"from raw.{table} as t group by arrived"
    ).fetchall()
    return {str(day): f"{count}|{digest}" for day, count, digest in rows}


def _write(con: duckdb.DuckDBPyConnection, query: str, target: Path, params=()) -> None:
    partial = target.with_name("." + target.name + ".partial")
    con.execute(f"copy ({query}) to {_quote(partial)} (format parquet)", params)
    os.replace(partial, target)


def export_raw_layer(
    con: duckdb.DuckDBPyConnection, root: Path, log=lambda message: None
) -> Exported:
    """Bring ``root`` up to date with schema ``raw`` of ``con`` (see the module's docstring)."""
    root.mkdir(parents=True, exist_ok=True)
    state_path = root / STATE_FILE
    state = json.loads(state_path.read_text(encoding="utf-8")) if state_path.exists() else {}
    written: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    for table in _raw_tables(con):
        folder = root / table
        folder.mkdir(exist_ok=True)
        if not (folder / EMPTY_FILE).exists():
            _write(con, f"select * from raw.{table} limit 0", folder / EMPTY_FILE)
        before = state.get(table, {})
        now = _signatures(con, table)
        changed = sorted(day for day, sig in now.items() if before.get(day) != sig
                         or not (folder / f"{day}.parquet").exists())
        gone = sorted(set(before) - set(now))
        for day in changed:
            _write(con, f"select * from raw.{table} where arrived = cast(? as date)",
                   folder / f"{day}.parquet", [day])
        for day in gone:
            (folder / f"{day}.parquet").unlink(missing_ok=True)
        if changed:
            written[table] = changed
        if gone:
            removed[table] = gone
        state[table] = now
    partial = state_path.with_name(STATE_FILE + ".partial")
    partial.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(partial, state_path)
    exported = Exported(written, removed)
    log(f"raw layer for Spark: {exported.files_written} day files written under {root}")
    return exported
