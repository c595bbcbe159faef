"""The ingest's SQL, kept in ``sql/<name>.sql``: one statement (or a short script) a file.

Values are bound when a statement runs, as DuckDB parameters (``$name`` or ``?``). What a
parameter cannot carry (a table or column name, a column list built from a file's header, a
reader call) is written into the text in ``{placeholder}`` form and filled in by
``statement``, from SQL the caller quoted with ``ident`` and ``literal``; a file's comments
name its placeholders as ``<name>``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

SQL_DIR = Path(__file__).with_name("sql")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@functools.cache
def _text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def statement(name: str, **fragments: str) -> str:
    """The SQL of ``sql/<name>.sql`` with each ``{placeholder}`` replaced by the fragment of
    that name; KeyError names a placeholder left without one."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in fragments:
            raise KeyError(f"sql/{name}.sql needs the fragment {{{key}}}")
        return fragments[key]

    return _PLACEHOLDER.sub(fill, _text(name))


def literal(text: str) -> str:
    """``text`` as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'
