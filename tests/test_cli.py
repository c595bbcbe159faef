"""End to end: ``tallyhouse run`` through Dagster on hand-written landing zones, and the gates.

A blocking check that fails (a configuration error, or a Great Expectations suite on a raw
feed) must stop everything downstream of it: the run fails, ``tallyhouse run`` exits
non-zero naming the check (and the file and row behind it, when data broke it) and saying
which marts this run rebuilt; the billing marts keep their previous contents.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.fixtures.zones.money import landing as _landing
from tests.pipeline import BUCKETS, READINGS, read, write_csv

TALLYHOUSE = str(Path(sys.executable).parent / "tallyhouse")
FIRST_RUN: dict[str, str] = {}  # the first run's terminal output, for the progress view's test


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TALLYHOUSE, *args], capture_output=True, text=True, check=False,
        env={**os.environ, **(env or {})}, timeout=600,
    )


@pytest.mark.parametrize("command", ["generate", "run", "demo", "export"])
def test_every_command_has_help(command: str) -> None:
    result = _run(command, "--help")
    assert result.returncode == 0 and "usage: tallyhouse" in result.stdout


def _make_manifest_stale() -> None:
    """A manifest that lacks a node, as after someone adds a model or test: the run must
    parse the project again before Dagster reads it."""
    import json

    from orchestration.settings import DBT_PROJECT_DIR

    manifest = DBT_PROJECT_DIR / "target" / "manifest.json"
    if not manifest.exists():
        return
    content = json.loads(manifest.read_text(encoding="utf-8"))
    node = next(key for key in content["nodes"] if key.startswith("test."))
    del content["nodes"][node]
    manifest.write_text(json.dumps(content), encoding="utf-8")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("e2e")
    landing = _landing(root / "landing")
    warehouse = root / "warehouse.duckdb"
    dagster_home = root / "dagster_home"
    dagster_home.mkdir()
    _make_manifest_stale()
    result = _run(
        "run", "--as-of", "2026-03-15T00:00:00Z",
        env={
            "TALLYHOUSE_LANDING": str(landing),
            "TALLYHOUSE_WAREHOUSE": str(warehouse),
            "DAGSTER_HOME": str(dagster_home),
        },
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # admin rows 2 + 1 + 2 + 2 + 1 + 4 + 1 + 2 = 15, readings 1 + 2 + 1 + 1 = 5
    assert "rows seen 20 = loaded 20 + quarantined 0 + duplicate 0 + suppressed 0" in result.stdout
    # one run over the arrival days Jan 1 (first file) .. Mar 15 (the as-of day), then the
    # months finalized by Mar 15 (January's cutoff Feb 3, February's Mar 3) closed in a second
    assert "arrival days 2026-01-01 .. 2026-03-15" in result.stdout
    assert "period closes: 2026-01 .. 2026-02" in result.stdout
    FIRST_RUN["stdout"] = result.stdout
    return landing, warehouse


def _before_log_line(stdout: str) -> list[str]:
    """The run's output lines before its closing ``full log: PATH`` line."""
    lines = stdout.strip().splitlines()
    assert lines[-1].startswith("full log: "), lines[-3:]
    return lines[:-1]


def _gate_env(warehouse: Path, home: Path) -> dict[str, str]:
    return {
        "TALLYHOUSE_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(home),
    }


@pytest.mark.e2e
def test_run_through_dagster_bills_the_hand_written_landing_zone(
    first_run: tuple[Path, Path],
) -> None:
    _, warehouse = first_run
    (row,) = read(
        warehouse,
        "select final_cost from marts.billing_readings "
        "where bucket_id = 'mb' and period_start = date '2026-01-01'",
    )
    assert row["final_cost"] == Decimal("14.00")  # 10 * 1 + (12 - 10) * 2


@pytest.mark.e2e
def test_run_closes_every_finalized_month(first_run: tuple[Path, Path]) -> None:
    _, warehouse = first_run
    rows = read(
        warehouse,
        "select client_id, period_start::varchar as period, final_cost from marts.period_closes "
        "where line_type = 'bucket' order by period, client_id",
    )
    assert [(r["client_id"], r["period"], r["final_cost"]) for r in rows] == [
        ("m1", "2026-01-01", Decimal("14.00")),  # 10 * 1 + (12 - 10) * 2
        ("m2", "2026-01-01", Decimal("10.00")),  # 100 * 0.1, no usage
        ("m1", "2026-02-01", Decimal("10.00")),  # 5 units, within the commit of 10 at 1
        ("m2", "2026-02-01", Decimal("10.00")),
    ]  # March (cutoff Apr 3) is open as of Mar 15: not closed


@pytest.mark.e2e
def test_configuration_error_stops_billing_and_names_the_bucket(
    first_run: tuple[Path, Path], tmp_path: Path
) -> None:
    landing, warehouse = first_run
    before = read(warehouse, "select * from marts.billing_readings order by all")
    invoices_before = read(warehouse, "select * from marts.invoices order by all")
    # mb now says max: a gauge aggregation on a delta unit type
    write_csv(
        landing / "admin/buckets/arrived=2026-03-20/buckets.csv", BUCKETS,
        "mb,m1,CPU,compute,cpu_hours,max,10,1,5,true,true,2026-01-01",
        "m2b,m2,CPU,compute,cpu_hours,,100,0.1,0.2,true,true,2026-01-01",
    )
    home = tmp_path / "home"
    home.mkdir()
    result = _run(
        "run", "--landing", str(landing), "--as-of", "2026-03-21T00:00:00Z",
        env=_gate_env(warehouse, home),
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "assert_no_configuration_errors" in result.stdout
    assert "bucket mb of client m1" in result.stdout
    # the run rebuilt the marts upstream of the check and kept the others: its last line says so
    last = _before_log_line(result.stdout)[-1]
    assert "keep their previous contents" not in result.stdout
    assert last.strip().startswith("the marts in warehouse.duckdb do not agree"), last
    assert "keep the previous run's (e.g. " in last
    assert read(warehouse, "select * from marts.billing_readings order by all") == before
    assert read(warehouse, "select * from marts.invoices order by all") == invoices_before
    # the calculation time proves the marts are the first run's
    assert {r["calculated_at"].isoformat() for r in before} == {"2026-03-15T00:00:00+00:00"}


@pytest.mark.e2e
def test_failing_expectation_stops_everything_downstream(tmp_path: Path) -> None:
    landing = _landing(tmp_path / "landing")
    # a feed that changed shape: most values are not numbers
    write_csv(
        landing / "meter_readings/arrived=2026-03-13/broken.csv", READINGS,
        *(f"x{i},vm-1,compute,cpu_hours,2026-03-06T00:00:00Z,n/a" for i in range(10)),
    )
    warehouse = tmp_path / "warehouse.duckdb"
    home = tmp_path / "home"
    home.mkdir()
    result = _run(
        "run", "--landing", str(landing), "--as-of", "2026-03-15T00:00:00Z",
        env=_gate_env(warehouse, home),
    )
    assert result.returncode == 1, result.stdout[-3000:]
    assert "gx_raw_meter_readings" in result.stdout
    # the last lines name the file and its first bad row, and say truly what was built
    last = _before_log_line(result.stdout)[-2:]
    assert last[0].strip() == (
        "gx_raw_meter_readings: meter_readings/arrived=2026-03-13/broken.csv: "
        "10 of 10 rows not well formed, first at row 1"
    ), result.stdout[-2000:]
    assert last[1].strip() == "no mart was built: warehouse.duckdb has none yet"
    tables = read(
        warehouse,
        "select table_schema from information_schema.tables where table_schema = 'marts'",
    )
    assert tables == []  # nothing downstream of the raw feed was built


@pytest.mark.e2e
def test_raw_feeds_report_what_became_of_their_rows(first_run: tuple[Path, Path]) -> None:
    from dagster import AssetKey, DagsterInstance

    landing, _ = first_run
    with DagsterInstance.from_config(str(landing.parent / "dagster_home")) as instance:
        records = instance.fetch_observations(AssetKey(["raw", "meter_readings"]), limit=1)
        metadata = {k: v.value for k, v in records.records[0].asset_observation.metadata.items()}
    # readings: 1 + 2 + 1 + 1 = 5 rows in 4 files, all loaded
    assert metadata["files"] == 4
    assert (metadata["rows_seen"], metadata["rows_loaded"]) == (5, 5)
    assert (metadata["rows_quarantined"], metadata["rows_duplicate"]) == (0, 0)
    assert metadata["rows_suppressed"] == 0


@pytest.mark.e2e
def test_full_refresh_retypes_every_row_and_gives_the_same_marts(
    first_run: tuple[Path, Path], tmp_path: Path
) -> None:
    """``--full-refresh`` rebuilds the incremental models: every usage row is typed by the
    new dbt invocation (a run without it would keep them), and the marts do not move."""
    import shutil

    landing, warehouse = first_run
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse, copy)
    invoices = "select * from marts.invoices order by all"
    typed = "select distinct typed_invocation_id as id from intermediate.int_usage_records"
    before = read(copy, invoices)
    typed_before = {row["id"] for row in read(copy, typed)}
    home = tmp_path / "dagster_home"
    home.mkdir()
    result = _run(
        "run", "--as-of", "2026-03-15T00:00:00Z", "--full-refresh", "--verbose",
        env={"TALLYHOUSE_LANDING": str(landing), **_gate_env(copy, home)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # --verbose: dbt's own lines and Dagster's events on the terminal
    assert re.search(r"\d+ of \d+ OK created sql table model marts\.invoices", result.stdout)
    assert "STEP_START" in result.stdout
    typed_after = {row["id"] for row in read(copy, typed)}
    assert len(typed_before) == 1 and len(typed_after) == 1
    assert typed_after.isdisjoint(typed_before)
    assert read(copy, invoices) == before


@pytest.mark.e2e
def test_run_talks_in_phases_and_logs_everything_to_a_file(
    first_run: tuple[Path, Path],
) -> None:
    """The terminal shows a line per phase; Dagster's and dbt's lines go to the log file."""
    _, warehouse = first_run
    lines = FIRST_RUN["stdout"].splitlines()
    # "  ... <phase> <progress>" lines say where a long phase is, one per 10 s of silence
    lines = [line for line in lines if not line.startswith("  ... ")]
    # the paths of the publication close the output: their lines are not phases
    published = next(i for i, line in enumerate(lines) if line.startswith("published ("))
    phases = [line.split()[0] for line in lines[:published]
              if line.startswith("  ") and line[2] != " "
              and not line.startswith("  marts.") and not line.startswith("  rows seen")]
    assert phases == [
        "prepare", "discover", "plan", "ingest", "checks", "dbt", "verify", "close", "publish"
    ]
    assert len(lines) <= 28, "\n".join(lines)
    # rows seen: 1 + 2 + 1 + 1 = 5 readings and 2 + 1 + 2 + 2 + 1 + 4 + 1 + 2 = 15 admin rows
    ingest = next(line for line in lines if line.startswith("  ingest "))
    assert re.match(r"  ingest +\d+ files, 20 rows \(", ingest), ingest
    dbt = next(line for line in lines if line.startswith("  dbt "))
    total = re.search(r"(\d+) of (\d+) models and tests", dbt)
    assert total and total[1] == total[2], dbt
    (log_line,) = [line for line in lines if line.startswith("full log: ")]
    log = Path(log_line.removeprefix("full log: "))
    assert log.parent == warehouse.parent / "logs"
    text = log.read_text(encoding="utf-8")
    assert re.search(r"\d+ of \d+ OK created sql table model marts\.invoices", text)
    assert "STEP_START" in text and "ASSET_MATERIALIZATION" in text
    assert "START sql" not in FIRST_RUN["stdout"]


@pytest.mark.e2e
def test_run_gives_every_model_its_column_types_and_lineage(
    first_run: tuple[Path, Path],
) -> None:
    """Every ``tallyhouse run`` attaches column schema (with types) and column lineage to the
    models' materializations, from one catalog query after dbt has finished."""
    from dagster import AssetKey, DagsterInstance

    landing, _ = first_run
    with DagsterInstance.from_config(str(landing.parent / "dagster_home")) as instance:
        event = instance.get_latest_materialization_event(AssetKey(["marts", "invoices"]))
    metadata = event.asset_materialization.metadata
    types = {c.name: c.type for c in metadata["dagster/column_schema"].schema.columns}
    assert types["client_id"] == "VARCHAR"
    assert types["period_start"] == "DATE"
    assert types["charges"].startswith("DECIMAL(")
    lineage = metadata["dagster/column_lineage"].column_lineage.deps_by_column
    assert [(d.asset_key.to_user_string(), d.column_name) for d in lineage["charges"]] == [
        ("intermediate/int_invoice_charges", "charges")
    ]


def test_without_dagster_home_runs_go_to_the_repository_instance(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh clone has no ``.dagster_home`` yet: ``make demo`` (no DAGSTER_HOME) must
    create it rather than fail."""
    from orchestration.cli import instance as cli

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setattr(cli, "REPO_ROOT", tmp_path)
    with cli.dagster_instance() as instance:
        assert instance.get_runs() == []
    assert (tmp_path / ".dagster_home").is_dir()


@pytest.mark.e2e
def test_local_instance_keeps_one_engine_per_sqlite_file_and_still_records_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``tallyhouse run`` reuses the SQLAlchemy engine of each SQLite file of the instance
    (Dagster's storages would make one per statement); every event is still written and
    read back, by this process and by a new instance on the same folder."""
    from dagster import AssetKey, asset, materialize
    from dagster._core.storage.event_log.sqlite import sqlite_event_log
    from sqlalchemy.pool import NullPool

    from orchestration.cli import instance as cli

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    monkeypatch.setattr(cli, "REPO_ROOT", tmp_path)

    @asset
    def counted() -> int:
        return 1

    with cli.dagster_instance() as instance:
        for _ in range(2):
            assert materialize([counted], instance=instance).success
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    first = sqlite_event_log.create_engine(a, poolclass=NullPool)
    assert sqlite_event_log.create_engine(a, poolclass=NullPool) is first
    assert sqlite_event_log.create_engine(b, poolclass=NullPool) is not first
    with cli.dagster_instance() as reopened:
        runs = reopened.get_runs()
        assert len(runs) == 2
        latest = reopened.get_latest_materialization_event(AssetKey("counted"))
        assert latest is not None and latest.run_id == runs[0].run_id


@pytest.mark.e2e
def test_a_second_run_on_a_busy_warehouse_waits_then_names_the_running_one(
    tmp_path: Path,
) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    (tmp_path / "landing").mkdir()
    holder = subprocess.Popen(
        [
            sys.executable, "-c",
            "import sys, time; from pathlib import Path; "
            "from orchestration.run_lock import run_lock\n"
            f"with run_lock(Path({str(warehouse)!r}), 0):\n"
            "    print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = _run(
            "run", "--landing", str(tmp_path / "landing"), "--warehouse", str(warehouse),
            "--lock-wait", "0.5",
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 3, result.stdout
    (line,) = result.stdout.strip().splitlines()
    assert line.startswith(
        f"error: warehouse warehouse.duckdb is in use by tallyhouse run PID {holder.pid}, "
        "started 20"
    ), line
    assert "waited 0.5s" in line
    assert not warehouse.exists()  # the second run touched nothing
