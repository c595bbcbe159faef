"""``tallyhouse run``: ingest the landing zone and build, close and publish every mart
through Dagster."""

from __future__ import annotations

import argparse
import os
import time

from orchestration.cli.console import say as _print
from orchestration.cli.instance import dagster_instance
from orchestration.cli.run_report import failed_run_notes
from orchestration.cli.summary import (
    configuration_errors,
    failure_report,
    finalized_months,
    published_paths,
    warehouse_summary,
)
from orchestration.defs.transform.manifest import prepare_dbt_manifest
from orchestration.settings import Settings, load_settings, put_python_bin_on_path


def _prepare_environment(settings: Settings) -> None:
    """Export the settings so that dbt, Dagster and every child process see the same run."""
    os.environ.update(settings.env())
    put_python_bin_on_path()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


def run_pipeline(settings: Settings, verbose: bool = False) -> int:
    """Materialize every asset through Dagster, checks included; 0 on success, 1 on failure.

    Two runs: ``materialize_all`` over the arrival days from the earliest file not yet in the
    warehouse to the as-of day (ingest, checks, dbt), then ``close_period`` over the
    finalized months present. The terminal shows a line per phase (``progress.RunProgress``);
    everything Dagster and dbt say goes to a log file, and to the terminal too with
    ``verbose``.
    """
    from orchestration.cli.preflight import check_run
    from orchestration.run_lock import WarehouseBusy as RunInProgress
    from orchestration.run_lock import run_lock
    from orchestration.warehouse_lock import WarehouseBusy, wait_for_warehouse

    # SettingsError: one line naming what to fix (main prints it)
    check_run(settings, probe_lock=False)
    try:
        with run_lock(settings.warehouse, settings.lock_wait_seconds):
            try:  # a reader holding the warehouse: wait for it (bounded), else say who and why
                wait_for_warehouse(
                    settings.warehouse, settings.lock_timeout, settings.publication_dir
                )
            except WarehouseBusy as busy:
                _print(f"tallyhouse run FAILED: {busy}")
                return 1
            return _run_pipeline_locked(settings, verbose)
    except RunInProgress as busy:
        _print(f"error: {busy}")
        return 3


def _run_pipeline_locked(settings: Settings, verbose: bool) -> int:
    """``run_pipeline`` while holding the warehouse's run lock."""
    from orchestration.cli.progress import RunProgress, log_path_for

    had_warehouse = settings.warehouse.exists()
    _print(
        f"tallyhouse run: landing {settings.landing}, warehouse {settings.warehouse}, "
        f"as of {settings.as_of_iso}, grace {settings.grace_hours}h"
    )
    with RunProgress(log_path_for(settings.warehouse), verbose=verbose) as progress:
        code = _run_with_progress(settings, progress, had_warehouse)
    _print(f"full log: {progress.log_path}")
    return code


def _run_with_progress(settings: Settings, progress, had_warehouse: bool) -> int:
    say = progress.say
    progress.start_phase("prepare")
    with progress.capture():
        _prepare_environment(settings)
        prepare_dbt_manifest()
        from orchestration.cli.progress import progress_logger
        from orchestration.definitions import (
            CLOSE_PERIOD_JOB,
            MATERIALIZE_ALL_JOB,
            PUBLISH_JOB,
            build_definitions,
        )
        from orchestration.defs.ingest.partitions import landing_arrival_range, landing_file_count
        from orchestration.defs.publication.assets import PUBLISHED_KEYS
        from orchestration.defs.tags import range_tags

        defs = build_definitions(loggers={"tallyhouse": progress_logger})
        job = defs.resolve_job_def(MATERIALIZE_ALL_JOB)
    progress.phases[-1].detail = "dbt manifest and Dagster definitions"
    progress.start_phase("discover")
    days = landing_arrival_range(settings.landing, settings.as_of, settings.warehouse)
    progress.phases[-1].detail = (
        f"{landing_file_count(settings.landing, settings.as_of):,} files landed; "
        f"arrival days {days.start} .. {days.end}"
    )
    # Dagster records the run and a planned materialization per raw table and arrival day
    progress.start_phase("plan")
    progress.phases[-1].detail = "Dagster records the run and its planned materializations"
    started = time.monotonic()
    run_config = {"loggers": {"tallyhouse": {"config": {"log_level": "DEBUG"}}}}
    # everything but the publication, which comes last: after the months are closed
    building = sorted(job.asset_layer.selected_asset_keys - PUBLISHED_KEYS)
    with dagster_instance() as instance, progress.capture():
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            tags={"tallyhouse/as_of": settings.as_of_iso, **range_tags(days)},
            asset_selection=building,
        )
    progress.end_phase()
    elapsed = time.monotonic() - started
    if not result.success:
        say(f"tallyhouse run FAILED after {elapsed:.1f}s (run {result.run_id}):")
        for line in failure_report(result) + configuration_errors(settings):
            say(f"  {line}")
        for line in failed_run_notes(result, settings):
            say(f"  {line}")
        return 1
    say(f"tallyhouse run succeeded in {elapsed:.1f}s (run {result.run_id}); warehouse:")
    for line in warehouse_summary(settings):
        say(line)
    code = _close_months(settings, defs.resolve_job_def(CLOSE_PERIOD_JOB), run_config, progress)
    if code != 0:
        return code
    return _publish(
        settings, defs.resolve_job_def(PUBLISH_JOB), run_config, result.run_id, progress
    )


def _publish(settings: Settings, job, run_config: dict, marts_run_id: str, progress) -> int:
    """The publication and the dashboards, in a run of their own once the marts are final."""
    from orchestration.defs.publication.assets import MARTS_RUN_TAG

    say = progress.say
    started = time.monotonic()
    progress.start_phase("publish")
    progress.phases[-1].detail = "marts.duckdb, Parquet and dashboards"
    with dagster_instance() as instance, progress.capture():
        published = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            tags={"tallyhouse/as_of": settings.as_of_iso, MARTS_RUN_TAG: marts_run_id},
        )
    progress.end_phase()
    elapsed = time.monotonic() - started
    if not published.success:
        say(f"publication FAILED after {elapsed:.1f}s (run {published.run_id}):")
        for line in failure_report(published):
            say(f"  {line}")
        say("  the previous publication stays in place")
        return 1
    for line in published_paths(settings):
        say(line)
    return 0


def _close_months(settings: Settings, job, run_config: dict, progress) -> int:
    """Close the finalized months present in the marts (marts.period_closes), in a run."""
    from dagster import PartitionKeyRange

    from orchestration.defs.billing_close.assets import CLOSE_MONTHS
    from orchestration.defs.tags import range_tags

    say = progress.say
    keys = set(CLOSE_MONTHS.get_partition_keys())
    months = [month for month in finalized_months(settings) if month in keys]
    if not months:
        say("period closes: no finalized month yet")
        return 0

    started = time.monotonic()
    progress.start_phase("close")
    progress.phases[-1].detail = f"months {months[0]} .. {months[-1]} into marts.period_closes"
    with dagster_instance() as instance, progress.capture():
        closed = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            tags={
                "tallyhouse/as_of": settings.as_of_iso,
                **range_tags(PartitionKeyRange(months[0], months[-1])),
            },
        )
    progress.end_phase()
    elapsed = time.monotonic() - started
    if not closed.success:
        say(f"period closes FAILED after {elapsed:.1f}s (second run {closed.run_id}):")
        for line in failure_report(closed):
            say(f"  {line}")
        return 1
    say(
        f"period closes: {months[0]} .. {months[-1]} written to marts.period_closes in a "
        f"second run ({closed.run_id}, {elapsed:.1f}s)"
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings(
        args.landing, args.warehouse, args.as_of, args.grace_hours, args.lock_wait,
        publish_dir=args.publish_dir, lock_timeout=args.lock_timeout, engine=args.engine,
    )
    if args.full_refresh:
        os.environ["TALLYHOUSE_FULL_REFRESH"] = "1"
    return run_pipeline(settings, verbose=args.verbose)
