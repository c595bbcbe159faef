"""Test helpers: load a landing zone and build the dbt project on it, as the pipeline does.

``build_marts`` runs the same two steps as the Dagster job (ingest, then ``dbt build``)
without Dagster's start-up cost, so a test session can afford several as-of times; the
end-to-end tests run the real ``tallyhouse run``.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.ingest.feeds import ADMIN_TABLES, USAGE_FEEDS
from orchestration.ingest.loader import connect, ingest_feed, ingest_strays
from orchestration.settings import DBT_PROJECT_DIR, dbt_run_parameters, parse_as_of

MARTS = ("billing_readings", "over_under_clients", "assets", "quarantine", "ingest_log")

# Headers of the landing-zone CSV files the tests write by hand.
CLIENTS = "client_id,name,timezone,net_terms_days,enabled,created_at"
UNIT_TYPES = (
    "unit_type,description,meter_kind,aggregation,auto_provision,base_price,overage_price,"
    "filter_pattern"
)
BUCKETS = (
    "bucket_id,client_id,name,source_type,unit_type,aggregation,commit_units,base_price,"
    "overage_price,reviewed,enabled,created_at"
)
READINGS = "reading_id,asset_id,source_type,unit_type,reading_ts,value"
READINGS_DESCRIBED = f"{READINGS},description"
EVENTS = "event_id,client_id,project,user_id,service,direction,event_ts,quantity"
ASSETS = "asset_id,client_id,source_type,name,description,ack,enabled,created_at"
DISREGARDED_ASSETS = "asset_id,reason,disregarded_at"
SUPPRESSIONS = "pattern,pattern_type,reason,created_at"
USERS = "user_id,client_id,name,email,role,channels,created_at,deactivated_at"
API_KEYS = "api_key_id,name,role,client_id,key_hash,enabled,last_used_at"
CREDIT_GRANTS = "grant_id,client_id,amount,received_at,expires_at"
PAYMENTS = "payment_id,client_id,period,amount,paid_at"
USAGE_LIMITS = "client_id,monthly_limit"

# Rows that recur from one landing zone to the next.
CPU_HOURS = "cpu_hours,CPU hours,delta,sum,false,1,2,"  # unit type: base 1, overage 2


def ingest(landing: Path, warehouse: Path, as_of: str | datetime) -> None:
    when = as_of if isinstance(as_of, datetime) else parse_as_of(as_of)
    con = connect(warehouse)
    try:
        for feed in ADMIN_TABLES + USAGE_FEEDS:
            ingest_feed(con, landing, feed, when)
        ingest_strays(con, landing, when)
    finally:
        con.close()


@functools.cache
def _dbt_scratch() -> Path:
    """This process's own dbt target and log folder: test runs never share dbt's files."""
    return Path(tempfile.mkdtemp(prefix="tallyhouse-dbt-"))


def dbt(warehouse: Path, *args: str, env: dict[str, str] | None = None):
    """Run a dbt command on ``warehouse`` in a child process (DuckDB: one writer per process).

    dbt runs in the warehouse's folder with the file's bare name as its path: the profile then
    reads the same for every test's warehouse, and dbt's partial parse (which a changed
    profile invalidates) carries from one build of the session to the next. The run
    parameters are ``env`` alone: no ``TALLYHOUSE_*`` variable of the test process leaks in.
    """
    command = [
        str(Path(sys.executable).parent / "dbt"),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(_dbt_scratch() / "target"),
        "--log-path",
        str(_dbt_scratch() / "logs"),
    ]
    warehouse = warehouse.resolve()
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("TALLYHOUSE_")}
    child_env = {
        **inherited,
        **(env or {}),
        "TALLYHOUSE_WAREHOUSE": warehouse.name,
        "DO_NOT_TRACK": "1",
    }
    return subprocess.run(
        command, env=child_env, cwd=warehouse.parent, capture_output=True, text=True,
        check=False,
    )


def run_results() -> dict:
    """dbt's ``run_results.json`` of the last dbt command this process ran (``dbt`` above)."""
    return json.loads((_dbt_scratch() / "target" / "run_results.json").read_text("utf-8"))


def dbt_build(
    warehouse: Path, as_of: str, grace_hours: int = 48, select: str | None = None
) -> subprocess.CompletedProcess:
    """``dbt build`` as of ``as_of``, with the run parameters the Dagster asset passes."""
    when = parse_as_of(as_of).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    args = ["build"]
    if select:
        args += ["--select", select]
    return dbt(warehouse, *args, env=dbt_run_parameters(when, grace_hours))


def build_marts(landing: Path, warehouse: Path, as_of: str, grace_hours: int = 48):
    ingest(landing, warehouse, as_of)
    result = dbt_build(warehouse, as_of, grace_hours)
    assert result.returncode == 0, f"dbt build failed as of {as_of}:\n{result.stdout[-4000:]}"
    return result


def build_warehouse(root: Path, write_landing: Callable[[Path], Path], as_of: str) -> Path:
    """A landing zone written by ``write_landing`` under ``root``, and the marts built on it."""
    landing = write_landing(root / "landing")
    warehouse = root / "warehouse.duckdb"
    build_marts(landing, warehouse, as_of)
    return warehouse


@dataclass(frozen=True)
class Built:
    """A landing zone and the marts built on it: one read-only warehouse per as-of label."""

    landing: Path
    runs: dict[str, Path]


def build_zone(
    factory: pytest.TempPathFactory,
    name: str,
    write_landing: Callable[[Path], Path],
    runs: Iterable[tuple[str, str]],
) -> Built:
    """One warehouse built on the zone as of each time in turn, copied after each run."""
    root = factory.mktemp(name)
    landing = write_landing(root / "landing")
    warehouse = root / "warehouse.duckdb"
    copies = {}
    for label, as_of in runs:
        build_marts(landing, warehouse, as_of)
        copies[label] = root / f"{label}.duckdb"
        shutil.copyfile(warehouse, copies[label])
        copies[label].chmod(0o444)
    return Built(landing, copies)


def read(warehouse: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def write_csv(path: Path, header: str, *rows: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def read_rows(warehouse: Path, sql: str) -> list[tuple]:
    return [tuple(r.values()) for r in read(warehouse, sql)]
