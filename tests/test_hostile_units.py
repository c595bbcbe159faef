"""Fast checks beside the hostile landing zone: the layout rules, the run lock and the
export's folder rules, as plain functions."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import pytest

from orchestration.export import EXPORT_COLUMNS, export_period
from orchestration.ingest import layout
from orchestration.run_lock import WarehouseBusy, run_lock


def test_arrival_folders_need_a_real_date_written_in_full() -> None:
    assert layout.arrival_of("arrived=2026-02-28") == date(2026, 2, 28)
    for name in ("arrived=2026-13-45", "arrived=2026-7-3", "arrived=2026-02-30", "2026-01-01"):
        assert layout.arrival_of(name) is None, name


def test_an_unreadable_file_is_rejected_saying_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "meter_readings/arrived=2026-01-05/locked.csv"
    path.parent.mkdir(parents=True)
    path.write_text("a\n", encoding="utf-8")
    monkeypatch.setattr(os, "access", lambda *_: False)  # as if it were mode 000 for us
    placed = layout.place(tmp_path, path)
    assert placed.problem == (
        "file meter_readings/arrived=2026-01-05/locked.csv cannot be opened for reading "
        "(permission denied)"
    )
    assert (placed.feed_name, placed.arrived) == ("meter_readings", date(2026, 1, 5))


def test_a_symlink_to_a_folder_is_reported_never_entered(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.csv").write_text("x\n", encoding="utf-8")
    (landing / "meter_readings").mkdir(parents=True)
    os.symlink(outside, landing / "meter_readings/arrived=2026-01-05")
    found = [(placed.relpath, placed.problem) for _, placed in layout.walk(landing)]
    assert found == [
        (
            "meter_readings/arrived=2026-01-05",
            "file meter_readings/arrived=2026-01-05 is a symlink to a folder; it is not followed",
        )
    ]


def test_a_symlink_inside_the_landing_zone_is_read(tmp_path: Path) -> None:
    day = tmp_path / "meter_readings/arrived=2026-01-05"
    day.mkdir(parents=True)
    (day / "a.csv").write_text("a\n", encoding="utf-8")
    os.symlink(day / "a.csv", day / "b.csv")
    assert layout.place(tmp_path, day / "b.csv").problem is None


def test_the_run_lock_is_held_by_one_run_and_names_it(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    with run_lock(warehouse, 0):
        holder = (tmp_path / "w.duckdb.lock").read_text(encoding="utf-8").split()
        assert holder[0] == str(os.getpid())
        # another open file description of the same lock file: as a second process would
        with pytest.raises(WarehouseBusy) as busy, run_lock(warehouse, 0.3, poll_seconds=0.1):
            pass
        assert str(busy.value).startswith(
            f"warehouse w.duckdb is in use by tallyhouse run PID {os.getpid()}, started "
        )
    with run_lock(warehouse, 0):  # released: the next run takes it at once
        pass


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    columns = ", ".join(f"{c} varchar" for c in EXPORT_COLUMNS if c != "period_start")
    con.execute(f"create table marts.billing_readings (period_start date, {columns})")
    for client in ("a", "b"):
        con.execute(
            "insert into marts.billing_readings (period_start, client_id, bucket_id, unit_type, "
            "finalized) values (date '2026-01-01', ?, ?, 'cpu_hours', 'true')",
            [client, f"{client}1"],
        )
    con.close()
    return path


def test_export_keeps_one_client_per_folder(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    ((written, rows),) = export_period(warehouse, out, "2026-01", "a")
    assert (written.name, rows) == ("2026-01_cpu_hours.csv", 1)
    with pytest.raises(ValueError, match="holds the export of client a; export client b"):
        export_period(warehouse, out, "2026-01", "b")
    assert "a1" in written.read_text(encoding="utf-8")  # not overwritten by b's
    with pytest.raises(ValueError, match="holds the export of client a; export every client"):
        export_period(warehouse, out, "2026-01")
    export_period(warehouse, out, "2026-01", "a")  # the same client again: replaced


def test_export_to_an_existing_file_is_one_line(
    warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orchestration.cli import main

    target = tmp_path / "bills.csv"
    target.write_text("keep me\n", encoding="utf-8")
    code = main(
        ["export", "--warehouse", str(warehouse), "--out", str(target), "--period", "2026-01"]
    )
    assert code == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line == (
        f"error: --out {target} is a file, not a folder: give a folder for the CSV files"
    )
    assert target.read_text(encoding="utf-8") == "keep me\n"
