"""Reading a landed file as text: DuckDB's CSV and Parquet readers (one file, or several of
one header) and a JSON-lines reader that keeps numbers as written. Nothing is guessed: every
value is read as the text the file holds."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import duckdb

from orchestration.ingest.discovery import LandedFile
from orchestration.ingest.malformed import clear_rejects, read_malformed
from orchestration.ingest.statements import ident, literal, statement

# A JSON line's tokens: strings, numbers (and the non-finite words DuckDB's JSON accepts),
# punctuation and literals; whitespace between tokens is dropped.
_JSON_NUMBER = r"-?(\d+(\.\d*)?([eE][+-]?\d+)?|NaN|Infinity|inf)"
_JSON_TOKEN = r'"(\\.|[^"\\])*"|' + _JSON_NUMBER + r"|[{}\[\]:,]|true|false|null"


def csv_header(path: Path) -> list[str]:
    """The column names of a CSV file: the fields of its first record (UTF-8, an optional
    byte-order mark), an empty name as ``column<i>`` and a repeated one with a suffix, as
    DuckDB's reader names them. ValueError when the first record is not UTF-8 text."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"its first line is not UTF-8 text (byte {exc.start + 1})") from exc
    fields = next(csv.reader([text.rstrip("\r\n")]), []) if text.strip() else []
    names: list[str] = []
    for index, field_name in enumerate(fields):
        name = field_name.strip() or f"column{index}"
        base, suffix = name, 1
        while name in names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.append(name)
    return names


def reader(
    paths: list[Path],
    suffix: str,
    file_column: str | None = None,
    rejects: bool = False,
    names: list[str] | None = None,
) -> str:
    """DuckDB's reader of CSV or Parquet ``paths`` (one file, or several of one header),
    with each row's file path in ``file_column`` when given. A CSV is read as text with the
    header's ``names`` as its columns (nothing guessed); with ``rejects``, a record with more
    or fewer fields than the header (or otherwise malformed) is not read but listed in temp
    tables ``_rejects`` / ``_rejects_scan`` (``malformed.read_malformed``)."""
    files = ", ".join(literal(str(path)) for path in paths)
    source = f"[{files}]" if len(paths) > 1 else files
    named = f", filename = {literal(file_column)}" if file_column else ""
    if suffix == ".csv":
        columns = ", ".join(f"{literal(n)}: 'VARCHAR'" for n in names or [])
        kept = (
            ", store_rejects = true, rejects_table = '_rejects', rejects_scan = '_rejects_scan'"
            if rejects
            else ""
        )
        return (
            f"read_csv({source}, header = true, columns = {{{columns}}}, auto_detect = false, "
            "strict_mode = true, delim = ',', quote = '\"', escape = '\"', "
            f"encoding = 'utf-8', hive_partitioning = false{kept}{named})"
        )
    return f"read_parquet({source}, hive_partitioning = false{named})"


def parquet_columns(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """The column names of a Parquet file, in order."""
    return columns_of(con, reader([path], ".parquet"))


def columns_of(con: duckdb.DuckDBPyConnection, source: str) -> list[str]:
    """The column names of a table, view or reader call, in order."""
    return [column[0] for column in con.execute(statement("columns_of", source=source)).description]


def text_columns(names: Iterable[str]) -> str:
    """The select list of a file's own columns, each as text under its own name."""
    return ", ".join(f"cast({ident(n)} as varchar) as {ident(n)}" for n in names)


def column_map(names: list[str]) -> dict[str, str]:
    """Contract column name -> the file's own column name (matched trimmed, case-blind)."""
    mapping: dict[str, str] = {}
    for name in names:
        key = name.strip().lower()
        mapping.setdefault(key, name)
    return mapping


def read_into_temp(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> list[str]:
    """Read a file into temp view ``_landed`` (all text, ``_row_number``, and for a CSV record
    that does not split into the header's fields ``_malformed`` and ``_malformed_line``);
    return its columns."""
    suffix = landed.path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        return _read_jsonl_into_temp(con, landed)
    if suffix == ".parquet":
        names = parquet_columns(con, landed.path)
    else:
        try:
            names = csv_header(landed.path)
        except ValueError as exc:
            raise duckdb.InvalidInputException(str(exc)) from exc
    casts = text_columns(names)
    if not names:  # an empty file: no header, no rows
        con.execute(statement("landed_empty"))
        return names
    if suffix == ".parquet":
        # one copy, in file order; a row's number is its position (rowid) in that copy
        source = reader([landed.path], suffix)
        con.execute(statement("landed_good", columns=casts, source=source))
        con.execute(statement("landed_in_order"))
        return names
    clear_rejects(con)
    source = reader([landed.path], suffix, rejects=True, names=names)
    con.execute(statement("landed_good", columns=casts, source=source))
    if not read_malformed(con):
        con.execute(statement("landed_in_order"))
        return names
    # records set aside: a read row's number is its position plus the set-aside rows before it
    con.execute(statement("landed_renumbered"), {"path": str(landed.path)})
    con.execute(statement("landed_from_source"))
    return names


def _read_jsonl_into_temp(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> list[str]:
    """jsonl: one object a line, row number = line number, every key kept in raw."""
    con.execute(statement("jsonl_lines"), {"path": str(landed.path)})
    con.execute(
        statement("jsonl_numbers_as_text"), {"token": _JSON_TOKEN, "number": _JSON_NUMBER}
    )
    keys = {row[0] for row in con.execute(statement("jsonl_keys")).fetchall()}
    names = sorted(keys)
    fields = "".join(
        f"case when (case when json_valid(line) then json_type(line) = 'OBJECT' end) "
        f"then json_extract_string(line, {literal('$.' + ident(n))}) end as {ident(n)}, "
        for n in names
    )
    con.execute(statement("jsonl_landed", fields=fields))
    return names
