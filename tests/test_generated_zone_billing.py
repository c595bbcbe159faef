"""``tallyhouse run`` bills a generated landing zone end to end: every kind of client billed,
every quarantine reason met, files balanced, paid and overdue invoices, usage limits with
headroom, a heavy consumer flagged."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.fixtures.generated import (
    AS_OF,
    EVENT_REASONS,
    READING_REASONS,
    TALLYHOUSE,
    generated_landing,
)
from tests.fixtures.generated import (
    admin_snapshots as _admin,
)
from tests.fixtures.generated import (
    committed_amount as _committed_amount,
)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_landing(tmp_path_factory.mktemp("generated") / "landing")


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TALLYHOUSE, *args], capture_output=True, text=True, check=False,
        env={**os.environ, **env}, timeout=900,
    )


def _read(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.e2e
def test_tallyhouse_run_bills_the_generated_landing_zone(landing: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    home = tmp_path / "dagster_home"
    home.mkdir()
    result = _run(
        "run", "--landing", str(landing), "--warehouse", str(warehouse), "--as-of", AS_OF,
        env={"DAGSTER_HOME": str(home)},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    kinds = {row[0] for row in _read(
        warehouse, "select distinct split_part(client_id, '-', 1) from marts.billing_readings"
    )}
    assert kinds >= {"dlr", "cc", "inf"}  # dealerships, contact centres, infrastructure
    reasons = {row[0] for row in _read(warehouse, "select distinct reason from marts.quarantine")}
    assert reasons >= READING_REASONS | EVENT_REASONS
    assert _read(warehouse, "select count(*) from marts.billing_adjustments")[0][0] > 0
    unbalanced = _read(
        warehouse,
        "select file from marts.ingest_log where rows_seen <> rows_loaded + rows_quarantined "
        "+ rows_duplicate + rows_suppressed",
    )
    assert unbalanced == []
    statuses = dict(_read(
        warehouse, "select status, sum(rows_duplicate) from marts.ingest_log group by all"
    ))
    assert statuses.get("duplicate_file", 0) > 0 and statuses["loaded"] > 0
    assert _read(warehouse, "select sum(rows_suppressed) from marts.ingest_log")[0][0] > 0

    # Globex stays under every commit, so each invoice is its committed amounts, and it pays
    # them in full: paid. The others have not paid everything: overdue invoices exist.
    buckets = _admin(landing, "buckets")
    july_buckets = buckets[max(d for d in buckets if d <= date(2026, 8, 3))]
    invoices = _read(
        warehouse,
        "select period_start, charges, status from marts.invoices "
        "where client_id = 'inf-globex' and period_start = date '2026-07-01'",
    )
    assert invoices == [(date(2026, 7, 1), _committed_amount(july_buckets, "inf-globex"), "paid")]
    assert _read(warehouse, "select count(*) from marts.invoices where status = 'overdue'")[0][0]

    # Usage limits leave headroom above a client's usual month: no finished month went over
    # its limit (a limit below the committed spend was exceeded every month).
    over = _read(
        warehouse,
        "select client_id, period_start from marts.store_bill_vs_limit "
        "where is_over_limit and finalized",
    )
    assert over == []
    # Some asset takes a disproportionate share of its unit type (Globex's archive holds
    # many times Initech's lake from September): the flag fires on generated data.
    flagged = _read(
        warehouse, "select count(*) from marts.report_heavy_consumers where is_heavy_consumer"
    )
    assert flagged[0][0] > 0
