"""The run's terminal view (orchestration/cli/progress.py), fed by hand."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from types import SimpleNamespace

from orchestration.cli.progress import RunProgress, phase_of_step


def _record(
    message: str, step: str = "", event_type: str | None = None, **data
) -> logging.LogRecord:
    record = logging.makeLogRecord({"msg": message, "levelname": "INFO"})
    event = None
    if event_type:
        event = SimpleNamespace(event_type_value=event_type,
                                event_specific_data=SimpleNamespace(**data))
    record.dagster_meta = {"step_key": step, "dagster_event": event, "orig_message": message}
    return record


def test_phases_count_files_rows_checks_and_dbt_nodes(tmp_path: Path) -> None:
    out = io.StringIO()
    log = tmp_path / "logs" / "run.log"
    with RunProgress(log, out=out) as progress:
        progress.record(_record("started", "ingest_landing_zone", "STEP_START"))
        progress.record(_record("meter_readings: [1/2] m/arrived=2026-01-01/a.csv: loaded, "
                                "1,000 rows seen, 990 loaded", "ingest_landing_zone"))
        progress.record(_record("meter_readings: [2/2] m/arrived=2026-01-02/b.csv: loaded, "
                                "500 rows seen, 500 loaded", "ingest_landing_zone"))
        progress.record(_record("started", "raw__meter_readings_gx_raw_meter_readings",
                                "STEP_START"))
        progress.record(_record("evaluated", "raw__meter_readings_gx_raw_meter_readings",
                                "ASSET_CHECK_EVALUATION", passed=True))
        progress.record(_record("started", "tallyhouse_dbt", "STEP_START"))
        with progress.capture():
            print("10:00:01  1 of 3 START sql view model staging.stg_x ....... [RUN]")
            print("10:00:02  1 of 3 OK created sql view model staging.stg_x .. [OK in 0.1s]")
            print("10:00:02  2 of 3 PASS not_null_stg_x_id ................. [PASS in 0.1s]")
            print("10:00:03  3 of 3 OK created sql table model marts.bills .. [OK in 0.2s]")
    lines = out.getvalue().splitlines()
    assert lines[0] == f"log: {log}"
    phases = {line.split()[0]: line for line in lines[1:]}
    assert set(phases) == {"ingest", "checks", "dbt"}
    # 1,000 + 500 rows seen in 2 files
    assert "2 files, 1,500 rows (" in phases["ingest"]
    assert "1 expectation suites" in phases["checks"]
    assert "3 of 3 models and tests" in phases["dbt"]
    text = log.read_text(encoding="utf-8")
    assert "3 of 3 OK created sql table model marts.bills" in text  # dbt's lines: the log only
    assert "START sql" not in out.getvalue()


def test_verbose_prints_dagster_and_dbt_lines(tmp_path: Path) -> None:
    out = io.StringIO()
    with RunProgress(tmp_path / "run.log", verbose=True, out=out) as progress:
        progress.record(_record("tallyhouse_dbt - STEP_START", "tallyhouse_dbt", "STEP_START"))
        with progress.capture():
            print("1 of 1 OK created sql table model marts.bills")
    text = out.getvalue()
    assert "STEP_START" in text and "1 of 1 OK created sql table model marts.bills" in text


def test_steps_map_to_phases() -> None:
    assert phase_of_step("ingest_landing_zone") == "ingest"
    assert phase_of_step("raw__service_events_gx_raw_service_events") == "checks"
    assert phase_of_step("tallyhouse_dbt") == "dbt"
    assert phase_of_step("marts__period_closes") == "close"
    assert phase_of_step("publish_marts") == "publish"
