"""Suppression at ingest (CONTRACT): meter readings that match a suppression rule in force
at their file's arrival are dropped, and counted per file and rule."""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.ingest.discovery import LandedFile
from orchestration.ingest.statements import ident, literal, statement

RULE_SEPARATOR = chr(31)  # between a rule's pattern type and pattern in ``suppressed_by``


def suppression_rules(
    con: duckdb.DuckDBPyConnection, landed: LandedFile
) -> list[tuple[str, str]]:
    """(pattern_type, pattern) of the newest suppressions snapshot in force at arrival."""
    return con.execute(
        statement("suppression_rules"),
        {"arrived": landed.arrived, "arrived_at": landed.arrived_at},
    ).fetchall()


def suppressed_by(rules: list[tuple[str, str]]) -> str:
    """SQL naming the first rule (in (pattern_type, pattern) order) that drops a row, or null."""
    whens = " ".join(
        f"when {ident(pattern_type)} glob {literal(pattern)} "
        f"then {literal(pattern_type + RULE_SEPARATOR + pattern)}"
        for pattern_type, pattern in rules
    )
    return f"case {whens} end"


def stage_suppression(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str,
    rule: str,
    count: int,
    now: datetime,
) -> None:
    """Stage the count of a file's rows dropped by ``rule`` (as ``suppressed_by`` names it)."""
    pattern_type, pattern = rule.split(RULE_SEPARATOR, 1)
    con.execute(
        statement("stage_suppression"),
        {
            "content_hash": content_hash,
            "file": landed.relpath,
            "arrived": landed.arrived,
            "pattern": pattern,
            "pattern_type": pattern_type,
            "rows_suppressed": count,
            "loaded_at": now,
        },
    )
