"""CSV export of a period's bills: one file per billing type (unit type), exact decimals."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb

from orchestration.warehouse import connect_read_only

EXPORT_COLUMNS = (
    "client_id",
    "bucket_id",
    "unit_type",
    "source_type",
    "period_start",
    "period_end",
    "usage",
    "commit_units",
    "committed_amount",
    "overage_units",
    "overage_amount",
    "buffer_units",
    "buffer_amount",
    "final_cost",
    "status",
    "finalized",
)


def latest_finalized_period(con: duckdb.DuckDBPyConnection) -> date | None:
    row = con.execute(
        "select max(period_start) from marts.billing_readings where finalized"
    ).fetchone()
    return row[0] if row else None


def _safe_name(unit_type: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", unit_type) or "unnamed"


EXPORT_MARKER = ".tallyhouse-export"  # in an export folder: whose bills it holds
ALL_CLIENTS = "*"


def _claim_folder(out: Path, client: str | None) -> None:
    """Make ``out`` the folder of ``client``'s export (every client's when None); a folder
    already holding another client's export, or a file in the way, is refused with why."""
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} is a file, not a folder: give a folder for the CSV files")
    owner = client or ALL_CLIENTS
    marker = out / EXPORT_MARKER
    if marker.is_file():
        held = marker.read_text(encoding="utf-8").strip()
        if held != owner:
            shown = "every client" if held == ALL_CLIENTS else f"client {held}"
            wanted = "every client" if owner == ALL_CLIENTS else f"client {owner}"
            raise ValueError(
                f"--out {out} holds the export of {shown}; export {wanted} to another folder "
                "so that no file of one is overwritten by the other's"
            )
    out.mkdir(parents=True, exist_ok=True)
    marker.write_text(owner + "\n", encoding="utf-8")


def export_period(
    warehouse: Path, out: Path, period: str | None = None, client: str | None = None
) -> list[tuple[Path, int]]:
    """Write ``<out>/<YYYY-MM>_<unit_type>.csv`` per unit type; return (file, rows) pairs.
    One folder holds one client's export (or every client's): never a mix of two."""
    con = connect_read_only(warehouse)
    try:
        if period:
            if not re.fullmatch(r"\d{4}-\d{2}", period):
                raise ValueError(f"--period must look like YYYY-MM, got {period!r}")
            start = date.fromisoformat(period + "-01")
        else:
            start = latest_finalized_period(con)
            if start is None:
                raise ValueError("the warehouse has no finalized period to export")
        if client and not con.execute(
            "select 1 from marts.billing_readings where client_id = ? limit 1", [client]
        ).fetchone():
            known = [r[0] for r in con.execute(
                "select distinct client_id from marts.billing_readings order by 1 limit 6"
            ).fetchall()]
            listed = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "")
            raise ValueError(
                f"--client {client}: no bills for that client in the warehouse "
                f"(clients with bills: {listed or 'none'})"
            )
        filters = "period_start = ?" + (" and client_id = ?" if client else "")
        params: list = [start] + ([client] if client else [])
        unit_types = [
            r[0]
            for r in con.execute(
                f"select distinct unit_type from marts.billing_readings where {filters} order by 1",
                params,
            ).fetchall()
        ]
        _claim_folder(out, client)
        columns = ", ".join(f"cast({c} as varchar) as {c}" for c in EXPORT_COLUMNS)
        written = []
        for unit_type in unit_types:
            target = out / f"{start:%Y-%m}_{_safe_name(unit_type)}.csv"
            relation = con.execute(
                f"select {columns} from marts.billing_readings "
                f"where {filters} and unit_type = ? order by client_id, bucket_id",
                [*params, unit_type],
            )
            frame = relation.df()
            frame.to_csv(target, index=False)
            written.append((target, len(frame)))
        return written
    finally:
        con.close()
