"""Errors a person can act on: one line on standard error naming the thing to fix, exit 2,
no traceback; nothing is started when a setting is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main

TALLYHOUSE = str(Path(sys.executable).parent / "tallyhouse")


def _fails_with_one_line(capsys: pytest.CaptureFixture, argv: list[str]) -> str:
    """Run ``tallyhouse argv`` in this process; the one error line it printed."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    captured = capsys.readouterr()
    assert code == 2, captured
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: "), lines
    assert "Traceback" not in captured.out + captured.err
    return lines[0]


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("TALLYHOUSE_"):
            monkeypatch.delenv(name)


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("TALLYHOUSE_THREADS", "two", "TALLYHOUSE_THREADS must be a whole number of at least 1"),
        ("TALLYHOUSE_THREADS", "0", "TALLYHOUSE_THREADS must be a whole number of at least 1"),
        ("TALLYHOUSE_DBT_THREADS", "many", "TALLYHOUSE_DBT_THREADS must be a whole number"),
        ("TALLYHOUSE_GRACE_HOURS", "-1", "TALLYHOUSE_GRACE_HOURS must be a whole number of at "
         "least 0, got '-1'"),
        ("TALLYHOUSE_GRACE_HOURS", "2 days", "TALLYHOUSE_GRACE_HOURS must be a whole number"),
        ("TALLYHOUSE_MEMORY_LIMIT", "lots", "TALLYHOUSE_MEMORY_LIMIT must be a size such as 4GB"),
        ("TALLYHOUSE_MEMORY_LIMIT", "4000000", "TALLYHOUSE_MEMORY_LIMIT must be a size"),
        ("TALLYHOUSE_AS_OF", "yesterday", "TALLYHOUSE_AS_OF: as-of time 'yesterday' is not "
         "ISO-8601"),
        ("TALLYHOUSE_FULL_REFRESH", "yes", "TALLYHOUSE_FULL_REFRESH must be 0 or 1, got 'yes'"),
        ("TALLYHOUSE_COLUMN_LINEAGE", "on", "TALLYHOUSE_COLUMN_LINEAGE must be 0 or 1"),
    ],
)
def test_a_bad_variable_is_named(
    variable: str, value: str, expected: str, landing: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture,
) -> None:
    monkeypatch.setenv(variable, value)
    warehouse = tmp_path / "w.duckdb"
    line = _fails_with_one_line(capsys, ["run", "--landing", str(landing), "--warehouse",
                                         str(warehouse)])
    assert expected in line
    assert not warehouse.exists()


def test_a_temp_directory_that_is_a_file_is_named(
    landing: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    spill = tmp_path / "spill"
    spill.write_text("not a folder")
    monkeypatch.setenv("TALLYHOUSE_TEMP_DIRECTORY", str(spill))
    line = _fails_with_one_line(
        capsys, ["run", "--landing", str(landing), "--warehouse", str(tmp_path / "w.duckdb")]
    )
    assert line == f"error: TALLYHOUSE_TEMP_DIRECTORY {spill} is a file: set it to a folder"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["generate", "--out", "OUT", "--scale", "-5"],
         "argument --scale: must be a whole number of at least 1, got '-5'"),
        (["generate", "--out", "OUT", "--scale", "0"],
         "argument --scale: must be a whole number of at least 1, got '0'"),
        (["generate", "--out", "OUT", "--seed", "x"], "argument --seed: must be a whole number"),
        (["demo", "--dir", "OUT", "--scale", "0"], "argument --scale: must be a whole number"),
        (["run", "--grace-hours", "-3"], "argument --grace-hours: must be a whole number of at "
         "least 0, got '-3'"),
        (["run", "--as-of", "soon"], "--as-of: as-of time 'soon' is not ISO-8601"),
        (["backtest", "--landing", "OUT", "--scale", "0"], "argument --scale: must be a whole"),
        (["backtest", "--landing", "OUT", "--days", "5,ten"],
         "--days must be whole numbers separated by commas (e.g. 5,10,15), got '5,ten'"),
        (["export", "--out", "OUT", "--period", "March"],
         "argument --period: must be a month as YYYY-MM, got 'March'"),
    ],
)
def test_a_bad_flag_is_named(
    argv: list[str], expected: str, tmp_path: Path, landing: Path,
    capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TALLYHOUSE_LANDING", str(landing))
    monkeypatch.setenv("TALLYHOUSE_WAREHOUSE", str(tmp_path / "w.duckdb"))
    out = tmp_path / "out"
    line = _fails_with_one_line(capsys, [str(out) if a == "OUT" else a for a in argv])
    assert expected in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["run"], {"TALLYHOUSE_THREADS": "two"},
         "error: TALLYHOUSE_THREADS must be a whole number of at least 1, got 'two'"),
        (["generate", "--out", "OUT", "--scale", "-5"], {},
         "error: tallyhouse generate: argument --scale: must be a whole number of at least 1, "
         "got '-5' (see tallyhouse generate --help)"),
    ],
)
def test_the_installed_command_fails_with_one_line(
    args: list[str], env: dict[str, str], expected: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [TALLYHOUSE, *(str(tmp_path / "out") if a == "OUT" else a for a in args)],
        capture_output=True, text=True, check=False, env={**os.environ, **env}, timeout=300,
    )
    assert result.returncode == 2, result
    assert result.stderr.strip() == expected
    assert "Traceback" not in result.stdout


def test_an_output_folder_that_cannot_be_made_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = _fails_with_one_line(
        capsys, ["generate", "--out", str(blocker / "landing"), "--scale", "10"]
    )
    assert line.startswith("error: cannot use ") and str(blocker) in line
    assert line.endswith(": not a directory") or line.endswith(": file exists"), line


def test_a_missing_landing_zone_is_named(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nowhere"
    warehouse = tmp_path / "w.duckdb"
    line = _fails_with_one_line(
        capsys, ["run", "--landing", str(missing), "--warehouse", str(warehouse)]
    )
    assert line.startswith(f"error: landing zone {missing} does not exist: set --landing or "
                           "TALLYHOUSE_LANDING")
    assert not warehouse.exists()


def test_a_warehouse_in_a_folder_nobody_can_write_is_named(
    landing: Path, capsys: pytest.CaptureFixture
) -> None:
    # sysfs refuses new files even to root
    line = _fails_with_one_line(
        capsys, ["run", "--landing", str(landing), "--warehouse", "/sys/warehouse.duckdb"]
    )
    assert line == (
        "error: cannot write the warehouse in /sys (not writable): set --warehouse or "
        "TALLYHOUSE_WAREHOUSE to a file in a folder you can write"
    )
    assert "previous contents" not in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_warehouse_in_a_read_only_folder_is_named(
    landing: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        line = _fails_with_one_line(
            capsys, ["run", "--landing", str(landing), "--warehouse", str(folder / "w.duckdb")]
        )
    finally:
        folder.chmod(0o755)
    assert f"cannot write the warehouse in {folder} (not writable)" in line


def test_a_warehouse_that_is_a_folder_is_named(
    landing: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    line = _fails_with_one_line(
        capsys, ["run", "--landing", str(landing), "--warehouse", str(tmp_path)]
    )
    assert line.startswith(f"error: warehouse {tmp_path} is a folder")


def test_a_locked_warehouse_names_the_process_that_holds_it(
    landing: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('open', flush=True); "
         "sys.stdin.read()", str(warehouse)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        code = main([
            "run", "--landing", str(landing), "--warehouse", str(warehouse),
            "--lock-timeout", "0",
        ])
        captured = capsys.readouterr()
        export = _fails_with_one_line(
            capsys, ["export", "--out", str(tmp_path / "out"), "--warehouse", str(warehouse)]
        )
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    # the run fails (exit 1) with one line that names the holder and where readers belong
    assert code == 1, captured
    (line,) = captured.out.strip().splitlines()
    assert line.startswith(f"tallyhouse run FAILED: the warehouse {warehouse} is locked by "
                           f"process {holder.pid} ("), line
    assert "published" in line and "Traceback" not in captured.err
    assert f"in use by process {holder.pid}" in export


def _warehouse_with_bills(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.billing_readings as select * from (values "
        "('acme', date '2026-01-01', true, 'cpu_hours'), "
        "('globex', date '2026-01-01', true, 'cpu_hours')) "
        "t(client_id, period_start, finalized, unit_type)"
    )
    con.close()
    return path


def test_export_of_an_unknown_client_fails_and_names_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    warehouse = _warehouse_with_bills(tmp_path / "w.duckdb")
    line = _fails_with_one_line(
        capsys,
        ["export", "--out", str(tmp_path / "out"), "--warehouse", str(warehouse),
         "--client", "nobody"],
    )
    assert line == (
        "error: --client nobody: no bills for that client in the warehouse "
        "(clients with bills: acme, globex)"
    )
    assert not (tmp_path / "out").exists()


def test_export_of_a_missing_warehouse_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    line = _fails_with_one_line(
        capsys, ["export", "--out", str(tmp_path / "out"), "--warehouse",
                 str(tmp_path / "none.duckdb")]
    )
    assert "does not exist: run tallyhouse run first" in line
