"""The reference of the marts, docs/marts.md, generated from the models' YAML.

Each mart's description says what it answers; its key (the columns of its uniqueness test)
gives its grain; each column's description its meaning. Column types are read from a built
warehouse, since dbt's YAML does not hold them. Regenerate after changing a mart:

    python -m orchestration.marts_reference --warehouse .tallyhouse/warehouse.duckdb

A test compares the file with what this module renders, so the reference never drifts.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from orchestration.settings import REPO_ROOT
from orchestration.warehouse import connect_read_only

MARTS_DIR = REPO_ROOT / "models" / "marts"
REFERENCE_PATH = REPO_ROOT / "docs" / "marts.md"
REGENERATE = "python -m orchestration.marts_reference --warehouse <warehouse.duckdb>"


@dataclass(frozen=True)
class Column:
    name: str
    description: str


@dataclass(frozen=True)
class Mart:
    name: str
    folder: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _test_names(tests: Iterable[object]) -> set[str]:
    return {test if isinstance(test, str) else next(iter(test)) for test in tests or ()}


def mart_key(model: Mapping) -> tuple[str, ...]:
    """The mart's key: its unique_combination columns, else its unique and not-null column."""
    for test in model.get("data_tests") or ():
        if isinstance(test, Mapping) and "unique_combination" in test:
            config = test["unique_combination"]
            return tuple((config.get("arguments") or config)["columns"])
    for column in model.get("columns") or ():
        if {"unique", "not_null"} <= _test_names(column.get("data_tests")):
            return (column["name"],)
    return ()


def load_marts(marts_dir: Path = MARTS_DIR) -> list[Mart]:
    """Every model described in a YAML file under ``marts_dir``, by folder then name."""
    marts = []
    for path in sorted(marts_dir.rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            marts.append(Mart(
                name=model["name"],
                folder=path.parent.relative_to(marts_dir).as_posix(),
                description=_text(model.get("description")),
                key=mart_key(model),
                columns=tuple(
                    Column(column["name"], _text(column.get("description")))
                    for column in model.get("columns") or ()
                ),
            ))
    return sorted(marts, key=lambda mart: (mart.folder, mart.name))


def column_types(warehouse: Path) -> dict[str, dict[str, str]]:
    """{mart: {column: type}} of schema marts in ``warehouse``, in the tables' column order."""
    con = connect_read_only(warehouse)
    try:
        rows = con.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall()
    finally:
        con.close()
    types: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        types.setdefault(table, {})[column] = data_type
    return types


def _cell(text: str) -> str:
    return text.replace("|", "\\|") or " "


def render(marts: list[Mart], types: Mapping[str, Mapping[str, str]]) -> str:
    """The reference as Markdown: contents, then per mart its purpose, grain and columns.

    Columns are listed in the warehouse's order; a column the YAML does not describe shows an
    empty meaning (the test of the marts' YAML fails on it).
    """
    lines = [
        "# Marts reference",
        "",
        "The tables of schema `marts`: what each answers, its grain (the columns that identify",
        "a row) and its columns, with their types and meaning. The descriptions are also in the",
        "warehouse, as comments on the tables and columns (`duckdb_tables()`, `duckdb_columns()`).",
        "",
        f"Generated from the models' YAML by `{REGENERATE}`; do not edit by hand.",
        "",
        "## Contents",
        "",
    ]
    folder = None
    for mart in marts:
        if mart.folder != folder:
            folder = mart.folder
            lines.append(f"- {folder}:")
        lines.append(f"  - [`{mart.name}`](#{mart.name})")
    for mart in marts:
        described = {column.name: column.description for column in mart.columns}
        names = list(types.get(mart.name, {})) or list(described)
        grain = (
            "one row per " + ", ".join(f"`{column}`" for column in mart.key)
            if mart.key else "not keyed"
        )
        lines += [
            "",
            f"## {mart.name}",
            "",
            mart.description,
            "",
            f"Grain: {grain}.",
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        lines += [
            f"| `{name}` | {types.get(mart.name, {}).get(name, '')} "
            f"| {_cell(described.get(name, ''))} |"
            for name in names
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write the marts reference (docs/marts.md).")
    parser.add_argument("--warehouse", type=Path, required=True,
                        help="a built warehouse, for the columns' types")
    parser.add_argument("--out", type=Path, default=REFERENCE_PATH)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(load_marts(), column_types(args.warehouse)), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
