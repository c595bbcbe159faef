"""Orchestration: the sensor and schedules, the gates, freshness, and the webserver.

The landing zone is the hand-written one of ``tests/test_money_flows.py``: clients m1 and m2
(UTC), readings arrived 2026-01-15, 2026-02-10, 2026-03-10 and 2026-03-12, and twelve files
in all (eight admin snapshots, four reading files).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from dagster import (
    AssetKey,
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    DagsterRunStatus,
    build_schedule_context,
    build_sensor_context,
)

from orchestration.defs.billing_close.automation import (
    build_finalize_schedule,
    close_request,
    finalization_cron,
)
from orchestration.defs.ingest.sensor import files_run_key, landing_zone_sensor
from orchestration.defs.resources import settings_resources
from orchestration.defs.transform.nightly import nightly_rating_schedule
from orchestration.settings import load_run_settings
from tests.fixtures.zones.money import landing as _landing
from tests.pipeline import BUCKETS, READINGS, build_marts, read, write_csv

LANDED = {
    "admin/assets/arrived=2026-01-01/assets.csv",
    "admin/buckets/arrived=2026-01-01/buckets.csv",
    "admin/buckets/arrived=2026-03-10/buckets.csv",
    "admin/clients/arrived=2026-01-01/clients.csv",
    "admin/credit_grants/arrived=2026-01-01/credit_grants.csv",
    "admin/payments/arrived=2026-03-01/payments.csv",
    "admin/unit_types/arrived=2026-01-01/unit_types.csv",
    "admin/usage_limits/arrived=2026-01-01/usage_limits.csv",
    "meter_readings/arrived=2026-01-15/a.csv",
    "meter_readings/arrived=2026-02-10/b.csv",
    "meter_readings/arrived=2026-03-10/c.csv",
    "meter_readings/arrived=2026-03-12/d.csv",
}
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
# The billing marts of CONTRACT section 5: a failing gate must leave them as they were.
BILLING_MARTS = (
    "billing_readings", "billing_adjustments", "invoices", "credit_grants", "projections",
    "over_under_clients", "usage_limits",
)


# --- the landing zone sensor -----------------------------------------------------------------


def _tick(cursor: str | None):
    return landing_zone_sensor.evaluate_tick(
        build_sensor_context(cursor=cursor, resources=settings_resources())
    )


def test_sensor_requests_one_run_per_new_set_of_files_and_never_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing = _landing(tmp_path / "landing")
    monkeypatch.setenv("TALLYHOUSE_LANDING", str(landing))

    first = _tick(None)
    (request,) = first.run_requests
    assert request.run_key == files_run_key(LANDED)
    assert set(json.loads(first.cursor)["files"]) == LANDED
    as_of = datetime.fromisoformat(request.tags["tallyhouse/as_of"])
    assert request.tags["tallyhouse/period"] == f"{as_of:%Y-%m}"
    assert request.tags["tallyhouse/trigger"] == "landing"
    assert request.tags["tallyhouse/new_files"] == "12"
    # one run over the arrival days of the new files: Jan 1 (admin) .. Mar 12 (d.csv)
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2026-01-01", "2026-03-12")

    again = _tick(first.cursor)  # nothing new landed: nothing requested
    assert again.run_requests == [] and "no new files" in again.skip_message

    write_csv(
        landing / "meter_readings/arrived=2026-03-20/e.csv",
        READINGS,
        "r6,vm-1,compute,cpu_hours,2026-03-18T00:00:00Z,1",
    )
    # a folder dated after the evaluation has not arrived yet: the sensor waits for it
    write_csv(landing / "meter_readings/arrived=2999-01-01/late.csv", "reading_id", "r9")
    second = _tick(first.cursor)
    (request,) = second.run_requests
    assert request.run_key == files_run_key({"meter_readings/arrived=2026-03-20/e.csv"})
    assert request.tags["tallyhouse/new_files"] == "1"
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2026-03-20", "2026-03-20")
    assert set(json.loads(second.cursor)["files"]) == LANDED | {
        "meter_readings/arrived=2026-03-20/e.csv"
    }
    assert _tick(second.cursor).run_requests == []


def test_sensor_skips_a_missing_landing_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALLYHOUSE_LANDING", str(tmp_path / "nowhere"))
    result = _tick(None)
    assert result.run_requests == [] and "does not exist" in result.skip_message


# --- schedules ---------------------------------------------------------------------------------


def test_nightly_schedule_rates_as_of_its_scheduled_time() -> None:
    tick = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)
    data = nightly_rating_schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=tick)
    )
    (request,) = data.run_requests
    assert nightly_rating_schedule.job_name == "nightly_rating"
    assert request.tags["tallyhouse/as_of"] == "2026-03-04T02:00:00+00:00"
    assert request.tags["tallyhouse/period"] == "2026-03"  # the open period it estimates
    assert request.run_key == "nightly-2026-03-04T02:00:00+00:00"


def test_monthly_schedule_finalizes_the_previous_period_after_its_cutoff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TALLYHOUSE_LANDING", str(_landing(tmp_path / "landing")))
    # grace 48 h; a month ends last at UTC-12, 12:00 UTC on the 1st: 12 + 48 = 60 h = 2 d 12 h
    assert finalization_cron(48) == "0 12 3 * *"
    assert finalization_cron(0) == "0 12 1 * *"
    assert finalization_cron(27 * 24) == "0 12 28 * *"  # 660 h = 27 d 12 h: the 28th
    with pytest.raises(ValueError):
        finalization_cron(28 * 24)  # the 29th: not in every month
    schedule = build_finalize_schedule(48)
    assert schedule.cron_schedule == "0 12 3 * *"
    assert schedule.job_name == "materialize_all"

    tick = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    (request,) = schedule.evaluate_tick(
        build_schedule_context(scheduled_execution_time=tick, resources=settings_resources())
    ).run_requests
    assert request.run_key == "finalize-2026-02"
    assert request.tags["tallyhouse/period"] == "2026-02"
    assert request.tags["tallyhouse/as_of"] == "2026-03-03T12:00:00+00:00"
    assert request.tags["tallyhouse/trigger"] == "finalize"
    # every arrival day from the earliest file (Jan 1) to the tick's day
    assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("2026-01-01", "2026-03-03")

    # a tick before February's cutoff in the latest zone (Mar 3 12:00 UTC) bills nothing
    early = schedule.evaluate_tick(
        build_schedule_context(
            scheduled_execution_time=datetime(2026, 3, 3, 11, 59, tzinfo=UTC),
            resources=settings_resources(),
        )
    )
    assert early.run_requests == [] and "2026-02 is open" in early.skip_message


def test_a_successful_finalization_run_is_followed_by_closing_its_month() -> None:
    from orchestration.definitions import CLOSE_PERIOD_JOB, defs

    sensor = defs.get_sensor_def("close_finalized_period")
    assert sensor.job_name == CLOSE_PERIOD_JOB
    finalize_tags = {
        "tallyhouse/as_of": "2026-03-03T12:00:00+00:00", "tallyhouse/period": "2026-02",
        "tallyhouse/trigger": "finalize", RANGE_START: "2026-01-01", RANGE_END: "2026-03-03",
    }
    request = close_request(DagsterRun(job_name="materialize_all", tags=finalize_tags))
    assert request.partition_key == "2026-02"
    assert request.run_key == "close-2026-02"
    assert request.tags["tallyhouse/as_of"] == "2026-03-03T12:00:00+00:00"
    assert request.tags["tallyhouse/trigger"] == "close"
    # a landing or nightly run closes nothing
    landing_tags = {**finalize_tags, "tallyhouse/trigger": "landing"}
    assert close_request(DagsterRun(job_name="materialize_all", tags=landing_tags)).skip_message
    assert close_request(DagsterRun(job_name="nightly_rating", tags=finalize_tags)).skip_message


def test_run_tag_decides_the_as_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    created = datetime(2026, 5, 1, 8, 30, 15, 999, tzinfo=UTC)
    monkeypatch.setenv("TALLYHOUSE_AS_OF", "2026-04-01T00:00:00Z")
    tagged = load_run_settings({"tallyhouse/as_of": "2026-03-03T12:00:00+00:00"}, created)
    assert tagged.as_of_iso == "2026-03-03T12:00:00+00:00"
    assert load_run_settings({}, created).as_of_iso == "2026-04-01T00:00:00+00:00"
    monkeypatch.delenv("TALLYHOUSE_AS_OF")
    assert load_run_settings({}, created).as_of_iso == "2026-05-01T08:30:15+00:00"


# --- the gate scenario: a good run, then a run that a blocking check stops -------------------


def _mart_files(warehouse: Path, out: Path) -> dict[str, bytes]:
    """Every table of schema marts written as CSV (sorted rows) with its column types."""
    out.mkdir(parents=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by all"
            ).fetchall()
        ]
        files = {}
        for table in tables:
            target = out / f"{table}.csv"
            con.execute(f"copy (select * from marts.{table} order by all) to '{target}' (header)")
            types = con.execute(f"describe marts.{table}").fetchall()
            files[table] = repr(types).encode() + b"\n" + target.read_bytes()
    finally:
        con.close()
    return files


@pytest.fixture(scope="module")
def gate(tmp_path_factory: pytest.TempPathFactory):
    """Good run as of 2026-03-11; then the monthly tick of 2026-04-03 12:00 UTC finalizes March
    through Dagster, with a buckets snapshot (arrived 2026-03-20) that is a configuration
    error: bucket mb of client m1 asks for `max` on a delta unit type."""
    root = tmp_path_factory.mktemp("gate")
    landing = _landing(root / "landing")
    warehouse = root / "warehouse.duckdb"
    build_marts(landing, warehouse, "2026-03-11T00:00:00Z")
    before = _mart_files(warehouse, root / "before")
    write_csv(
        landing / "admin/buckets/arrived=2026-03-20/buckets.csv", BUCKETS,
        "mb,m1,CPU,compute,cpu_hours,max,10,1,5,true,true,2025-12-01",
        "m2b,m2,CPU,compute,cpu_hours,,100,0.1,0.2,true,true,2025-12-01",
    )
    tick = datetime(2026, 4, 3, 12, 0, tzinfo=UTC)
    home = root / "dagster_home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TALLYHOUSE_LANDING", str(landing))
        (request,) = build_finalize_schedule(48).evaluate_tick(
            build_schedule_context(scheduled_execution_time=tick, resources=settings_resources())
        ).run_requests
        env.setenv("TALLYHOUSE_WAREHOUSE", str(warehouse))
        env.delenv("TALLYHOUSE_AS_OF", raising=False)
        env.setenv("GX_ANALYTICS_ENABLED", "false")
        env.setenv("DO_NOT_TRACK", "1")
        env.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
        from orchestration.definitions import MATERIALIZE_ALL_JOB, build_definitions

        defs = build_definitions()  # its resources: the settings of this environment
        with DagsterInstance.from_config(str(home)) as instance:
            result = defs.resolve_job_def(MATERIALIZE_ALL_JOB).execute_in_process(
                instance=instance, tags=request.tags, raise_on_error=False
            )
            run = instance.get_run_by_id(result.run_id)
            events = instance.all_logs(result.run_id)
    after = _mart_files(warehouse, root / "after")
    return {
        "warehouse": warehouse, "before": before, "after": after, "run": run,
        "events": events, "defs": defs,
    }


@pytest.mark.e2e
def test_failing_gate_marks_the_run_failed_in_the_instance(gate) -> None:
    assert gate["run"].status == DagsterRunStatus.FAILURE
    assert gate["run"].tags["tallyhouse/period"] == "2026-03"
    failed_checks = {
        event.dagster_event.event_specific_data.asset_check_key.name
        for event in gate["events"]
        if event.dagster_event is not None
        and event.dagster_event.event_type == DagsterEventType.ASSET_CHECK_EVALUATION
        and not event.dagster_event.event_specific_data.passed
    }
    assert "assert_no_configuration_errors" in failed_checks


@pytest.mark.e2e
def test_failing_gate_publishes_nothing(gate) -> None:
    """The publication depends on every mart: the failed check skipped it."""
    published = AssetKey(["published", "marts"])
    materialized = {
        event.dagster_event.event_specific_data.materialization.asset_key
        for event in gate["events"]
        if event.dagster_event is not None
        and event.dagster_event.event_type == DagsterEventType.ASSET_MATERIALIZATION
    }
    assert AssetKey(["marts", "invoices"]) not in materialized
    assert published not in materialized
    assert not (gate["warehouse"].parent / "published").exists()


@pytest.mark.e2e
def test_failing_gate_leaves_every_billing_mart_byte_for_byte(gate) -> None:
    graph = gate["defs"].resolve_asset_graph()
    # the marts the run builds (marts.period_closes has a job of its own, close_period)
    built = gate["defs"].resolve_job_def("materialize_all").asset_layer.selected_asset_keys
    guarded = {
        key.path[-1]
        for key in built
        if key.path[0] == "marts"
        and AssetKey(["intermediate", "int_configuration_errors"])
        in set(graph.upstream_key_iterator(key))
    }
    assert set(BILLING_MARTS) <= guarded  # the gate stands before every billing mart
    for mart in sorted(guarded):
        assert mart in gate["before"], mart
        assert gate["after"][mart] == gate["before"][mart], f"marts.{mart} changed"


@pytest.mark.e2e
def test_the_scheduled_run_used_the_ticks_as_of_time(gate) -> None:
    # ingest registered d.csv (arrived Mar 12, after the good run's Mar 11, before the tick)
    ingested = [
        event.dagster_event.event_specific_data.materialization.metadata["as_of"].value
        for event in gate["events"]
        if event.dagster_event is not None
        and event.dagster_event.event_type == DagsterEventType.ASSET_MATERIALIZATION
        and event.dagster_event.asset_key == AssetKey(["raw", "meter_readings"])
    ]
    assert set(ingested) == {"2026-04-03T12:00:00+00:00"}
    # one run over every arrival day from the earliest file to the tick's day, a
    # materialization per day: Jan 1 .. Apr 3 = 31 + 28 + 31 + 3 = 93
    assert (gate["run"].tags[RANGE_START], gate["run"].tags[RANGE_END]) == (
        "2026-01-01", "2026-04-03"
    )
    assert len(ingested) == 93
    # marts outside the gate (ingest_log) were rebuilt as of the tick: d.csv is in
    files = {r["file"] for r in read(gate["warehouse"], "select file from marts.ingest_log")}
    assert "meter_readings/arrived=2026-03-12/d.csv" in files
    assert b"arrived=2026-03-12/d.csv" not in gate["before"]["ingest_log"]


# --- freshness -------------------------------------------------------------------------------


def _freshness(defs, warehouse: Path, now: str, monkeypatch: pytest.MonkeyPatch) -> dict:
    from orchestration.definitions import FRESHNESS_JOB

    monkeypatch.setenv("TALLYHOUSE_WAREHOUSE", str(warehouse))
    ops = ("marts__projections_projections_fresh", "marts__billing_readings_previous_period_billed")
    result = defs.resolve_job_def(FRESHNESS_JOB).execute_in_process(
        run_config={"ops": {op: {"config": {"now": now}} for op in ops}},
        instance=DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    return {e.asset_check_key.name: e.passed for e in result.get_asset_check_evaluations()}


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # projections as of Mar 11 00:00 are 12 h old; February's cutoff (Mar 3) is before
        # the last billing run's as-of (Mar 11): both fresh
        ("2026-03-11T12:00:00Z", {"projections_fresh": True, "previous_period_billed": True}),
        # 24 h and 1 s old: stale; the latest finalized period is still February (March's
        # cutoff is Apr 3 00:00): billed
        ("2026-03-12T00:00:01Z", {"projections_fresh": False, "previous_period_billed": True}),
        # March's cutoff (Apr 1 + 48 h) has passed, the last billing run is as of Mar 11
        ("2026-04-03T00:00:00Z", {"projections_fresh": False, "previous_period_billed": False}),
    ],
)
def test_freshness_checks_judge_the_warehouse_against_the_clock(
    gate, now: str, expected: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the gate left the billing marts as of 2026-03-11T00:00:00Z
    assert _freshness(gate["defs"], gate["warehouse"], now, monkeypatch) == expected


@pytest.mark.e2e
def test_dbt_materializations_carry_column_lineage_back_to_the_raw_feed(gate) -> None:
    (lineage,) = [
        event.dagster_event.event_specific_data.materialization.metadata[
            "dagster/column_lineage"
        ].value
        for event in gate["events"]
        if event.dagster_event is not None
        and event.dagster_event.event_type == DagsterEventType.ASSET_MATERIALIZATION
        and event.dagster_event.asset_key == AssetKey(["staging", "stg_meter_readings"])
    ]
    sources = {(dep.asset_key, dep.column_name) for dep in lineage.deps_by_column["value"]}
    assert (AssetKey(["raw", "meter_readings"]), "value") in sources
