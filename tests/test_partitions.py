"""Partitions: ingest by arrival day, period closes by billing month.

The landing zone is the hand-written one of ``tests/test_money_flows.py``: admin snapshots
arrived 2026-01-01 (clients, unit types, buckets, assets, credit grants, usage limits),
2026-03-01 (payments) and 2026-03-10 (buckets); readings a.csv (r1, arrived 2026-01-15),
b.csv (r2, r3, arrived 2026-02-10), c.csv (r4, arrived 2026-03-10), d.csv (r5, arrived
2026-03-12). Clients m1 (net terms 10 days) and m2 (30 days) are both in UTC.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from dagster import AssetKey, DagsterInstance, PartitionKeyRange, materialize

from orchestration.defs.ingest.assets import ingest_landing_zone
from orchestration.defs.ingest.partitions import ARRIVAL_DAYS, landing_arrival_range
from orchestration.defs.resources import settings_resources
from orchestration.defs.tags import range_tags
from orchestration.settings import AS_OF_TAG
from tests.fixtures.zones.money import landing as _landing
from tests.pipeline import CLIENTS, READINGS, Built, read, write_csv

MANIFEST_SQL = "select * from raw.file_manifest order by file"
COUNTS_SQL = (
    "select (select count(*) from raw.meter_readings) as readings, "
    "(select count(*) from raw.admin_buckets) as buckets, "
    "(select count(*) from raw.admin_clients) as clients"
)


def _ingest(warehouse: Path, home: Path, first: str, last: str, as_of: str):
    """Materialize the ingest asset for the arrival days ``first`` .. ``last`` in one run
    (one day: its partition key; more: a partition key range)."""
    days = {} if first == last else range_tags(PartitionKeyRange(first, last))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TALLYHOUSE_WAREHOUSE", str(warehouse))
        env.delenv("TALLYHOUSE_AS_OF", raising=False)
        with DagsterInstance.from_config(str(home)) as instance:
            result = materialize(
                [ingest_landing_zone],
                instance=instance,
                partition_key=first if first == last else None,
                tags={AS_OF_TAG: as_of, **days},
                resources=settings_resources(),
            )
            runs = instance.get_runs()
            partitions = instance.get_materialized_partitions(
                AssetKey(["raw", "meter_readings"])
            )
    return result, runs, partitions


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One arrival day (2026-02-10) twice in one warehouse, then a range of days in another."""
    root = tmp_path_factory.mktemp("days")
    landing = _landing(root / "landing")
    out: dict = {}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TALLYHOUSE_LANDING", str(landing))
        day_wh = root / "day.duckdb"
        (root / "home_day").mkdir()
        _ingest(day_wh, root / "home_day", "2026-02-10", "2026-02-10", "2026-03-15T00:00:00Z")
        out["day_once"] = (read(day_wh, MANIFEST_SQL), read(day_wh, COUNTS_SQL))
        out["day_readings"] = read(
            day_wh, "select reading_id, file from raw.meter_readings order by reading_id"
        )
        _ingest(day_wh, root / "home_day", "2026-02-10", "2026-02-10", "2026-03-15T00:00:00Z")
        out["day_twice"] = (read(day_wh, MANIFEST_SQL), read(day_wh, COUNTS_SQL))

        range_wh = root / "range.duckdb"
        (root / "home_range").mkdir()
        # Mar 1 .. Mar 15, but as of Mar 11: d.csv (arrived Mar 12) has not arrived yet
        result, runs, partitions = _ingest(
            range_wh, root / "home_range", "2026-03-01", "2026-03-15", "2026-03-11T00:00:00Z"
        )
        out["range"] = {
            "result": result, "runs": runs, "partitions": partitions,
            "files": [r["file"] for r in read(range_wh, MANIFEST_SQL)],
        }
    return out


@pytest.mark.e2e
def test_a_day_partition_ingests_only_that_days_files(days: dict) -> None:
    manifest, counts = days["day_once"]
    assert [r["file"] for r in manifest] == ["meter_readings/arrived=2026-02-10/b.csv"]
    # b.csv holds r2 and r3; no admin snapshot arrived that day
    assert counts == [{"readings": 2, "buckets": 0, "clients": 0}]
    assert [r["reading_id"] for r in days["day_readings"]] == ["r2", "r3"]


@pytest.mark.e2e
def test_materializing_a_day_again_changes_nothing(days: dict) -> None:
    assert days["day_twice"] == days["day_once"]  # manifest rows (load times too) and counts


@pytest.mark.e2e
def test_a_range_of_days_is_one_run_bounded_by_the_range_and_the_as_of_time(days: dict) -> None:
    ranged = days["range"]
    assert ranged["result"].success
    (run,) = ranged["runs"]
    assert run.tags["dagster/asset_partition_range_start"] == "2026-03-01"
    assert run.tags["dagster/asset_partition_range_end"] == "2026-03-15"
    # the run materialized every day of the range, Mar 1 .. Mar 15 = 15 days
    assert ranged["partitions"] == {f"2026-03-{day:02d}" for day in range(1, 16)}
    # the files arrived Mar 1 .. Mar 11: not January's and February's (before the range),
    # not d.csv (arrived Mar 12, after the run's as-of)
    assert ranged["files"] == [
        "admin/buckets/arrived=2026-03-10/buckets.csv",
        "admin/payments/arrived=2026-03-01/payments.csv",
        "meter_readings/arrived=2026-03-10/c.csv",
    ]


@pytest.mark.e2e
def test_the_last_day_also_takes_files_dated_after_it_up_to_the_as_of_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Billing does not depend on the clock: files dated after today (a landing zone of the
    future) belong to the last partition, today's, while the as-of time reaches them."""
    today = datetime.now(UTC).date()
    later = today.replace(year=today.year + 1, day=1)
    landing = tmp_path / "landing"
    write_csv(
        landing / f"meter_readings/arrived={later.isoformat()}/e.csv", READINGS,
        f"r9,vm-1,compute,cpu_hours,{later.isoformat()}T00:00:00Z,1",
    )
    monkeypatch.setenv("TALLYHOUSE_LANDING", str(landing))
    as_of = f"{later.isoformat()}T00:00:00Z"
    days = landing_arrival_range(landing, datetime.fromisoformat(as_of.replace("Z", "+00:00")))
    assert (days.start, days.end) == (today.isoformat(), today.isoformat())  # clamped
    warehouse = tmp_path / "warehouse.duckdb"
    (tmp_path / "home").mkdir()
    _ingest(warehouse, tmp_path / "home", days.start, days.end, as_of)
    loaded = read(warehouse, "select reading_id from raw.meter_readings")
    assert [r["reading_id"] for r in loaded] == ["r9"]


def test_arrival_days_start_at_the_landing_zones_first_day_and_reach_today(
    tmp_path: Path,
) -> None:
    from orchestration.defs.ingest.partitions import arrival_days_definition

    landing = tmp_path / "landing"
    write_csv(landing / "meter_readings/arrived=2026-02-10/a.csv", READINGS)
    write_csv(landing / "admin/clients/arrived=2026-01-07/clients.csv", CLIENTS)
    (landing / "meter_readings/arrived=not-a-day").mkdir()
    keys = arrival_days_definition(landing).get_partition_keys()
    assert keys[0] == "2026-01-07"  # the admin snapshot came first
    assert keys[-1] == datetime.now(UTC).date().isoformat()  # end_offset=1: today's day
    # no landed file yet: from January 1 of last year
    empty = arrival_days_definition(tmp_path / "none", today=date(2026, 12, 3))
    assert empty.get_first_partition_key() == "2025-01-01"
    assert ARRIVAL_DAYS.get_last_partition_key() == datetime.now(UTC).date().isoformat()


# --- period closes -------------------------------------------------------------------------

CLOSES_SQL = "select * from marts.period_closes order by period_start, client_id, line_type"


def _close(defs, home: Path, first: str, last: str, as_of: str):
    with DagsterInstance.from_config(str(home)) as instance:
        result = defs.resolve_job_def("close_period").execute_in_process(
            instance=instance,
            raise_on_error=False,
            tags={AS_OF_TAG: as_of, **range_tags(PartitionKeyRange(first, last))},
        )
        runs = instance.get_runs()
    return result, runs


@pytest.fixture(scope="module")
def closes(tmp_path_factory: pytest.TempPathFactory, money_runs: Built) -> dict:
    """Marts built as of 2026-03-15 (January and February final, March open); then January
    and February closed in one run, February closed again, and March tried."""
    root = tmp_path_factory.mktemp("closes")
    landing = money_runs.landing
    warehouse = root / "warehouse.duckdb"
    shutil.copyfile(money_runs.runs["mar15"], warehouse)  # a copy of our own: closes write
    out: dict = {"warehouse": warehouse}
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TALLYHOUSE_LANDING", str(landing))
        env.setenv("TALLYHOUSE_WAREHOUSE", str(warehouse))
        env.delenv("TALLYHOUSE_AS_OF", raising=False)
        env.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        from orchestration.definitions import build_definitions

        defs = build_definitions()  # its resources: the settings of this environment
        as_of = "2026-03-15T00:00:00+00:00"
        for name in ("home_range", "home_again", "home_open"):
            (root / name).mkdir()
        out["range"] = _close(defs, root / "home_range", "2026-01", "2026-02", as_of)
        out["rows"] = read(warehouse, CLOSES_SQL)
        out["again"] = _close(defs, root / "home_again", "2026-02", "2026-02", as_of)
        out["rows_again"] = read(warehouse, CLOSES_SQL)
        out["open"] = _close(defs, root / "home_open", "2026-02", "2026-03", as_of)
        out["rows_after_open"] = read(warehouse, CLOSES_SQL)
    return out


@pytest.mark.e2e
def test_a_range_of_months_closes_in_one_run(closes: dict) -> None:
    result, runs = closes["range"]
    assert result.success
    (run,) = runs
    assert (run.tags["dagster/asset_partition_range_start"], run.tags[
        "dagster/asset_partition_range_end"
    ]) == ("2026-01", "2026-02")
    # 2 clients x 2 months: an invoice row and a bucket row each
    assert len(closes["rows"]) == 8
    assert {r["period_start"].isoformat() for r in closes["rows"]} == {"2026-01-01", "2026-02-01"}


@pytest.mark.e2e
def test_closed_invoices_are_the_hand_computed_bills(closes: dict) -> None:
    invoices = [
        (r["client_id"], r["period_start"].isoformat(), r["charges"], r["adjustments"],
         r["subtotal"], r["credits_applied"], r["amount_due"], r["paid_amount"], r["balance"])
        for r in closes["rows"]
        if r["line_type"] == "invoice"
    ]
    assert invoices == [
        # m1 Jan: mb 10*1 + (12-10)*2 = 14; g3 (expires first) 8 + g2 6 = 14 -> nothing due
        ("m1", "2026-01-01", D("14"), D("0"), D("14"), D("14"), D("0"), D("0"), D("0")),
        # m2 Jan: m2b 100 * 0.1 = 10; no grant yet (g5 arrives Feb 10); paid 4 -> 6 left
        ("m2", "2026-01-01", D("10"), D("0"), D("10"), D("0"), D("10"), D("4"), D("6")),
        # m1 Feb: 10 commit (5 < 10) + 6 adjustment (Jan 15 units -> 20, billed 14) = 16,
        # all from g2 (25 - 6 = 19 left)
        ("m1", "2026-02-01", D("10"), D("6"), D("16"), D("16"), D("0"), D("0"), D("0")),
        # m2 Feb: 10; g5 6 -> 4 due
        ("m2", "2026-02-01", D("10"), D("0"), D("10"), D("6"), D("4"), D("0"), D("4")),
    ]
    buckets = [
        (r["bucket_id"], r["period_start"].isoformat(), r["usage"], r["final_cost"])
        for r in closes["rows"]
        if r["line_type"] == "bucket"
    ]
    assert buckets == [
        ("mb", "2026-01-01", D("12"), D("14.00")),  # 10*1 + 2*2
        ("m2b", "2026-01-01", D("0"), D("10.00")),  # 100 * 0.1
        ("mb", "2026-02-01", D("5"), D("10.00")),  # within the commit: 10*1
        ("m2b", "2026-02-01", D("0"), D("10.00")),
    ]
    assert {r["closed_as_of"].isoformat() for r in closes["rows"]} == {
        "2026-03-15T00:00:00+00:00"
    }


@pytest.mark.e2e
def test_closed_invoices_match_marts_invoices(closes: dict) -> None:
    columns = (
        "client_id, period_start, period_end, due_date, charges, adjustments, subtotal, "
        "credits_applied, amount_due, paid_amount, balance, status"
    )
    expected = read(
        closes["warehouse"],
        f"select {columns} from marts.invoices where period_start < date '2026-03-01' "
        "order by period_start, client_id",
    )
    closed = [
        {name: row[name] for name in expected[0]}
        for row in closes["rows"]
        if row["line_type"] == "invoice"
    ]
    assert closed == expected


@pytest.mark.e2e
def test_closing_a_month_again_leaves_identical_rows(closes: dict) -> None:
    result, runs = closes["again"]
    assert result.success and len(runs) == 1
    assert closes["rows_again"] == closes["rows"]


@pytest.mark.e2e
def test_an_open_month_fails_naming_the_month_and_its_cutoff(closes: dict) -> None:
    result, _ = closes["open"]
    assert not result.success
    (failure,) = [
        event.step_failure_data.error.message
        for event in result.all_events
        if event.event_type_value == "STEP_FAILURE"
    ]
    # March ends Apr 1 00:00 UTC; + 48 h of grace = Apr 3 00:00 UTC
    assert "period 2026-03 is open" in failure
    assert "2026-04-03T00:00:00+00:00" in failure
    # February's rows were not touched: the run wrote nothing
    assert closes["rows_after_open"] == closes["rows"]


def test_a_run_on_a_loaded_warehouse_starts_at_the_first_new_day(tmp_path: Path) -> None:
    """``tallyhouse run`` materializes the days from the earliest file the warehouse does
    not have yet: days already loaded would load nothing again."""
    from tests.pipeline import ingest

    landing = _landing(tmp_path / "landing")
    warehouse = tmp_path / "warehouse.duckdb"

    def days(as_of: str, on: Path | None) -> tuple[str, str]:
        found = landing_arrival_range(
            landing, datetime.fromisoformat(as_of.replace("Z", "+00:00")), on
        )
        return found.start, found.end

    # no warehouse yet: from the first file (the admin snapshots of Jan 1)
    assert days("2026-03-15T00:00:00Z", warehouse) == ("2026-01-01", "2026-03-15")
    ingest(landing, warehouse, "2026-02-15T00:00:00Z")  # admin Jan 1, a.csv, b.csv
    # payments (Mar 1) are the first file it does not have
    assert days("2026-03-15T00:00:00Z", warehouse) == ("2026-03-01", "2026-03-15")
    # nothing new by Feb 20: the as-of day alone
    assert days("2026-02-20T00:00:00Z", warehouse) == ("2026-02-20", "2026-02-20")
    # without a warehouse the range still starts at the first file
    assert days("2026-03-15T00:00:00Z", None) == ("2026-01-01", "2026-03-15")
