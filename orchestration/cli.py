"""The ``tallyhouse`` command line: generate, run, demo."""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from orchestration.run_report import failed_run_notes
from orchestration.settings import (
    DEFAULT_LOCAL_DIR,
    REPO_ROOT,
    Settings,
    SettingsError,
    load_settings,
    put_python_bin_on_path,
)

DEFAULT_DEMO_SCALE = 200_000
SUMMARY_MARTS = ("billing_readings", "over_under_clients", "assets", "quarantine", "ingest_log")


def _print(message: str) -> None:
    print(message, flush=True)


def _error(message: str) -> None:
    """One line on standard error that says what to fix."""
    print(f"error: {message}", file=sys.stderr, flush=True)


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (and where to read more) instead of the
    whole usage text."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def _month(text: str) -> str:
    """An argparse type: a month as YYYY-MM."""
    import re

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"must be a month as YYYY-MM, got {text!r}")
    return text


def _at_least(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number of at least {minimum}, got {text!r}"
            )
        return value

    return parse


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.generate import generate_landing

    started = time.monotonic()
    counts = generate_landing(Path(args.out), scale=args.scale, seed=args.seed, progress=_print)
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{k}={v:,}" for k, v in counts.items())
    _print(f"landing zone written to {Path(args.out).resolve()} in {elapsed:.1f}s ({summary})")
    return 0


def _prepare_environment(settings: Settings) -> None:
    """Export the settings so that dbt, Dagster and every child process see the same run."""
    os.environ.update(settings.env())
    put_python_bin_on_path()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")


PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "macros", "models", "seeds", "snapshots",
                 "tests")


def _dbt_sources_digest(project_dir: Path, manifest: Path) -> str:
    """A digest of the dbt project's sources and of the manifest parsed from them."""
    import hashlib

    digest = hashlib.sha256()
    for part in PROJECT_PARTS:
        root = project_dir / part
        paths = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in paths:
            digest.update(f"{part}/{path.relative_to(root)}".encode())
            digest.update(path.read_bytes())
    digest.update(manifest.read_bytes() if manifest.exists() else b"no manifest")
    return digest.hexdigest()


def _prepare_dbt_manifest() -> None:
    """Parse the dbt project before the Dagster definitions read its manifest.

    The dbt assets load the manifest when their module is imported: a manifest older than
    the models would name nodes the build no longer matches, so it is refreshed first. The
    parse is skipped when neither the project's sources nor the manifest changed since the
    last parse made here (a stamp beside the manifest records their digest). Its
    ``partial_parse.msgpack`` lets the run's ``dbt build`` skip its own parse (the as-of time
    reaches dbt as an environment variable, read only when executing) while the profile
    (the warehouse, memory limit and threads) is the one this parse saw.
    """
    from dagster_dbt import DbtProject

    from orchestration.settings import DBT_PROJECT_DIR

    put_python_bin_on_path()  # the parse runs this environment's dbt
    project = DbtProject(project_dir=DBT_PROJECT_DIR)
    stamp = project.manifest_path.with_name("tallyhouse-parsed.sha256")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    # One parse at a time: two runs started together must not write the manifest at once.
    with open(stamp.with_suffix(".lock"), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = _dbt_sources_digest(DBT_PROJECT_DIR, project.manifest_path)
        if stamp.exists() and stamp.read_text(encoding="utf-8") == current:
            return
        project.preparer.prepare(project)
        stamp.write_text(_dbt_sources_digest(DBT_PROJECT_DIR, project.manifest_path), "utf-8")


def _failure_report(result) -> list[str]:
    """Names of the failed checks and steps of a Dagster run, with their messages."""
    lines: list[str] = []
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            key = evaluation.asset_check_key
            lines.append(
                f"check failed: {key.name} on {key.asset_key.to_user_string()}"
                + (" (blocking)" if getattr(evaluation, "blocking", False) else "")
            )
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE" and event.step_failure_data is not None:
            error = event.step_failure_data.error
            message = error.message.strip().splitlines()[0] if error else "unknown error"
            lines.append(f"step failed: {event.step_key}: {message}")
    return lines


def _configuration_errors(settings: Settings) -> list[str]:
    import duckdb

    try:
        con = duckdb.connect(str(settings.warehouse), read_only=True)
    except duckdb.Error:
        return []
    try:
        rows = con.execute(
            "select message from intermediate.int_configuration_errors order by all"
        ).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    return [f"configuration error: {row[0]}" for row in rows]


def _summary(settings: Settings) -> list[str]:
    import duckdb

    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        counts = []
        for name in SUMMARY_MARTS:
            rows = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            counts.append(f"  marts.{name}: {rows:,} rows")
        totals = con.execute(
            "select sum(rows_seen), sum(rows_loaded), sum(rows_quarantined), "
            "sum(rows_duplicate), sum(rows_suppressed) from marts.ingest_log"
        ).fetchone()
    finally:
        con.close()
    seen, loaded, quarantined, duplicate, suppressed = (int(v or 0) for v in totals)
    return [
        *counts,
        f"  rows seen {seen:,} = loaded {loaded:,} + quarantined {quarantined:,} "
        f"+ duplicate {duplicate:,} + suppressed {suppressed:,}",
    ]


def _published(settings: Settings) -> list[str]:
    """Where BI tools, Parquet readers and people look: the publication's paths."""
    from orchestration.publication import current_folder, read_manifest

    folder = current_folder(settings.publication_dir)
    if folder is None:
        return ["published: nothing (no publication yet)"]
    root = settings.publication_dir
    manifest = read_manifest(folder)
    lines = [
        f"published (publication {manifest['publication']}, as of {manifest['as_of']}):",
        f"  BI tools, DuckDB CLI: {root / 'marts.duckdb'}  (read-only; schema marts)",
        f"  Parquet, one per mart: {root / 'parquet'}/<mart>.parquet",
        f"  manifest: {root / 'manifest.json'}",
    ]
    if (root / "dashboards" / "index.html").exists():
        lines.append(f"  dashboards: {root / 'dashboards' / 'index.html'}")
    return lines


def _sqlite_pragmas(connection, _record) -> None:
    """The local instance's SQLite files in write-ahead-log mode, synced at checkpoints.

    A run stores some 800 events on an empty landing zone, each in its own transaction of
    the run's and the index's SQLite files; by default every commit waits for the disk.
    With ``journal_mode = wal`` and ``synchronous = normal`` a commit survives the process
    and the file stays consistent; only the last commits before a power loss may be lost.
    PostgreSQL storage (the production instance) is not touched.
    """
    import sqlite3

    if isinstance(connection, sqlite3.Connection):
        connection.execute("pragma journal_mode = wal")
        connection.execute("pragma synchronous = normal")


def _sqlite_write_ahead_log() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def _keep_sqlite_engines() -> None:
    """One SQLAlchemy engine per SQLite file for the local instance's run and event storage.

    Dagster's SQLite storages create an engine for every statement they run and dispose of
    it after, so SQLAlchemy compiles each statement again, every time: a full run over 127
    arrival days stores some 5,000 events (a materialization per raw table and day among
    them). Here the engines are kept, per database URL and options, for the life of the
    process; each still opens a new SQLite connection per use (the storages' ``NullPool``),
    so other processes (the UI, a second run) see the files exactly as before. PostgreSQL
    storage is not touched.
    """
    from dagster._core.storage.event_log.sqlite import sqlite_event_log
    from dagster._core.storage.runs.sqlite import sqlite_run_storage

    for module in (sqlite_event_log, sqlite_run_storage):
        factory = getattr(module, "create_engine", None)
        if factory is None or getattr(factory, "keeps_engines", False):
            continue
        module.create_engine = _engine_keeper(factory)


def _engine_keeper(factory):
    """``factory`` (SQLAlchemy's ``create_engine``), returning the same engine for the same
    URL and options."""
    engines = {}

    def create_engine(url, **options):
        key = (str(url), repr(sorted(options.items())))
        if key not in engines:
            engines[key] = factory(url, **options)
        return engines[key]

    create_engine.keeps_engines = True
    return create_engine


def _instance():
    """The Dagster instance of DAGSTER_HOME, else the repository's local one."""
    from dagster import DagsterInstance

    _sqlite_write_ahead_log()
    _keep_sqlite_engines()

    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    home = REPO_ROOT / ".dagster_home"  # git-ignored: a fresh clone does not have it yet
    home.mkdir(parents=True, exist_ok=True)
    return DagsterInstance.local_temp(tempdir=str(home))


def _finalized_months(settings: Settings) -> list[str]:
    """Billing months (YYYY-MM) whose invoices are all finalized in marts.invoices."""
    import duckdb

    con = duckdb.connect(str(settings.warehouse), read_only=True)
    try:
        rows = con.execute(
            "select strftime(period_start, '%Y-%m') from marts.invoices "
            "group by period_start having bool_and(finalized) order by period_start"
        ).fetchall()
    finally:
        con.close()
    return [row[0] for row in rows]


def run_pipeline(settings: Settings, verbose: bool = False) -> int:
    """Materialize every asset through Dagster, checks included; 0 on success, 1 on failure.

    Two runs: ``materialize_all`` over the arrival days from the earliest file not yet in the
    warehouse to the as-of day (ingest, checks, dbt), then ``close_period`` over the
    finalized months present. The terminal shows a line per phase (``progress.RunProgress``);
    everything Dagster and dbt say goes to a log file, and to the terminal too with
    ``verbose``.
    """
    from orchestration.preflight import check_run
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
    from orchestration.progress import RunProgress, log_path_for

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
        _prepare_dbt_manifest()
        from orchestration.definitions import (
            CLOSE_PERIOD_JOB,
            MATERIALIZE_ALL_JOB,
            PUBLISH_JOB,
            build_definitions,
        )
        from orchestration.defs.ingest.partitions import landing_arrival_range, landing_file_count
        from orchestration.defs.publication.assets import PUBLISHED_KEYS
        from orchestration.defs.tags import range_tags
        from orchestration.progress import progress_logger

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
    with _instance() as instance, progress.capture():
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
        for line in _failure_report(result) + _configuration_errors(settings):
            say(f"  {line}")
        for line in failed_run_notes(result, settings):
            say(f"  {line}")
        return 1
    say(f"tallyhouse run succeeded in {elapsed:.1f}s (run {result.run_id}); warehouse:")
    for line in _summary(settings):
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
    with _instance() as instance, progress.capture():
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
        for line in _failure_report(published):
            say(f"  {line}")
        say("  the previous publication stays in place")
        return 1
    for line in _published(settings):
        say(line)
    return 0


def _close_months(settings: Settings, job, run_config: dict, progress) -> int:
    """Close the finalized months present in the marts (marts.period_closes), in a run."""
    from dagster import PartitionKeyRange

    from orchestration.defs.billing_close.assets import CLOSE_MONTHS
    from orchestration.defs.tags import range_tags

    say = progress.say
    keys = set(CLOSE_MONTHS.get_partition_keys())
    months = [month for month in _finalized_months(settings) if month in keys]
    if not months:
        say("period closes: no finalized month yet")
        return 0

    started = time.monotonic()
    progress.start_phase("close")
    progress.phases[-1].detail = f"months {months[0]} .. {months[-1]} into marts.period_closes"
    with _instance() as instance, progress.capture():
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
        for line in _failure_report(closed):
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
        publish_dir=args.publish_dir, lock_timeout=args.lock_timeout,
    )
    if args.full_refresh:
        os.environ["TALLYHOUSE_FULL_REFRESH"] = "1"
    return run_pipeline(settings, verbose=args.verbose)


def cmd_demo(args: argparse.Namespace) -> int:
    from orchestration.generate import generate_landing

    folder = Path(args.dir).resolve()
    landing = folder / "landing"
    warehouse = folder / "warehouse.duckdb"
    if not landing.exists() or args.regenerate:
        _print(f"generating a landing zone of {args.scale:,} meter readings in {landing}")
        generate_landing(landing, scale=args.scale, seed=args.seed, progress=_print)
    settings = load_settings(landing, warehouse, args.as_of, None)
    code = run_pipeline(settings, verbose=args.verbose)
    if code == 0:
        published = settings.publication_dir
        _print("")
        _print(f"dashboards: {published / 'dashboards' / 'index.html'}   (open in a browser)")
        _print(f"published marts: {published / 'marts.duckdb'}   (BI tools and the DuckDB CLI, "
               "read-only: duckdb -readonly FILE -c 'select * from marts.marts.invoices')")
        _print(f"warehouse: {warehouse}   (the pipeline's workspace; readers use the above)")
        _print(
            f"  asset graph: TALLYHOUSE_LANDING={landing} TALLYHOUSE_WAREHOUSE={warehouse} "
            "make ui   (then open http://127.0.0.1:3000)"
        )
    return code


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.export import export_period

    settings = load_settings(warehouse=args.warehouse, as_of=None)
    if not settings.warehouse.exists():
        _error(
            f"warehouse {settings.warehouse} does not exist: run tallyhouse run first, or set "
            "--warehouse or TALLYHOUSE_WAREHOUSE"
        )
        return 2
    try:
        written = export_period(settings.warehouse, Path(args.out), args.period, args.client)
    except ValueError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _print(f"error: cannot write the export to {args.out}: {exc.strerror or exc}")
        return 2
    for path, rows in written:
        _print(f"{path}: {rows:,} rows")
    if not written:
        _print(
            "nothing to export for that period"
            + (f" and client {args.client}" if args.client else "")
        )
    return 0


def _whole_numbers(flag: str, text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise SettingsError(
            f"{flag} must be whole numbers separated by commas (e.g. 5,10,15), got {text!r}"
        ) from None


def cmd_backtest(args: argparse.Namespace) -> int:
    from orchestration import backtest

    def build(landing: Path, warehouse: Path, as_of: str) -> int:
        return run_pipeline(load_settings(landing, warehouse, as_of, args.grace_hours))

    try:
        seeds = _whole_numbers("--seeds", args.seeds) if args.seeds else []
        days = _whole_numbers("--days", args.days)
        return backtest.run(
            Path(args.landing), Path(args.warehouse_dir), seeds, days, args.scale, args.as_of,
            build, _print,
        )
    except SettingsError:
        raise
    except ValueError as exc:
        _error(str(exc))
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tallyhouse",
        description="Usage-billing warehouse: land meter readings and service events, get bills.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    generate = commands.add_parser(
        "generate",
        help="write a realistic synthetic landing zone",
        description="Write a deterministic, realistic synthetic landing zone.",
    )
    generate.add_argument("--out", required=True, help="folder to write the landing zone into")
    generate.add_argument(
        "--scale",
        type=_at_least(1),
        default=DEFAULT_DEMO_SCALE,
        help=f"number of meter readings (default {DEFAULT_DEMO_SCALE:,})",
    )
    generate.add_argument("--seed", type=_at_least(0), default=7, help="random seed (default 7)")
    generate.set_defaults(func=cmd_generate)

    run = commands.add_parser(
        "run",
        help="materialize every asset through Dagster, checks included",
        description="Ingest the landing zone and build every mart as of a time; exits non-zero "
        "when a blocking check fails. Settings default to the TALLYHOUSE_* variables.",
    )
    run.add_argument("--landing", help="landing zone folder (TALLYHOUSE_LANDING)")
    run.add_argument("--warehouse", help="DuckDB warehouse file (TALLYHOUSE_WAREHOUSE)")
    run.add_argument(
        "--as-of",
        dest="as_of",
        help="as-of time, ISO-8601, no offset = UTC (TALLYHOUSE_AS_OF; default now)",
    )
    run.add_argument(
        "--grace-hours",
        dest="grace_hours",
        type=_at_least(0),
        help="hours after a period's end that still count (TALLYHOUSE_GRACE_HOURS; default 48)",
    )
    run.add_argument(
        "--lock-wait",
        dest="lock_wait",
        type=float,
        help="seconds to wait while another run holds the warehouse "
        "(TALLYHOUSE_LOCK_WAIT_SECONDS; default 60)",
    )
    run.add_argument(
        "--full-refresh",
        dest="full_refresh",
        action="store_true",
        help="rebuild the incremental models from scratch instead of reusing the rows of "
        "unchanged files and periods (TALLYHOUSE_FULL_REFRESH=1); the marts are the same",
    )
    run.add_argument(
        "--verbose", action="store_true",
        help="print everything Dagster and dbt say (always written to the run's log file)",
    )
    run.add_argument(
        "--publish-dir",
        dest="publish_dir",
        help="folder BI tools read the published marts from (TALLYHOUSE_PUBLISH_DIR; default "
        "published/ beside the warehouse)",
    )
    run.add_argument(
        "--lock-timeout",
        dest="lock_timeout",
        help="seconds to wait for another process that holds the warehouse open "
        "(TALLYHOUSE_LOCK_TIMEOUT; default 60)",
    )
    run.set_defaults(func=cmd_run)

    demo = commands.add_parser(
        "demo",
        help="generate a landing zone, run it, and say where to look",
        description="Generate a landing zone into a local folder, run the pipeline on it and "
        "print where the warehouse is.",
    )
    demo.add_argument(
        "--dir",
        default=str(DEFAULT_LOCAL_DIR / "demo"),
        help="folder for the demo landing zone and warehouse",
    )
    demo.add_argument(
        "--scale",
        type=_at_least(1),
        default=DEFAULT_DEMO_SCALE,
        help=f"number of meter readings (default {DEFAULT_DEMO_SCALE:,})",
    )
    demo.add_argument("--seed", type=_at_least(0), default=7, help="random seed (default 7)")
    demo.add_argument(
        "--as-of",
        dest="as_of",
        default="2026-11-05T00:00:00Z",
        help="as-of time of the demo run (default 2026-11-05T00:00:00Z)",
    )
    demo.add_argument(
        "--regenerate", action="store_true", help="write the landing zone again even when it exists"
    )
    demo.add_argument(
        "--verbose", action="store_true",
        help="print everything Dagster and dbt say (always written to the run's log file)",
    )
    demo.set_defaults(func=cmd_demo)
    export = commands.add_parser(
        "export",
        help="write a period's bills as CSV, one file per unit type",
        description="Export marts.billing_readings of one period as CSV files, one per billing "
        "type (unit type), with exact decimal strings.",
    )
    export.add_argument(
        "--period", type=_month, help="YYYY-MM (default: the latest finalized period)"
    )
    export.add_argument("--out", required=True, help="folder to write the CSV files into")
    export.add_argument("--client", help="only this client's rows")
    export.add_argument("--warehouse", help="DuckDB warehouse file (TALLYHOUSE_WAREHOUSE)")
    export.set_defaults(func=cmd_export)
    backtest = commands.add_parser(
        "backtest",
        help="score the projections against finalized periods (MAPE per aggregation)",
        description="Build a warehouse per landing zone, replay every finalized period a few "
        "days in with only the records known then, and print the mean absolute percentage "
        "error of each method's projected final usage, per aggregation.",
    )
    backtest.add_argument(
        "--landing", required=True,
        help="landing zone; with --seeds, the folder that holds one generated zone per seed",
    )
    backtest.add_argument("--seeds", help="generator seeds, e.g. 7,11 (zones DIR/seed=S)")
    backtest.add_argument(
        "--days", default="5,10,15,20,25", help="replay days (default 5,10,15,20,25)"
    )
    backtest.add_argument(
        "--scale", type=_at_least(1), default=DEFAULT_DEMO_SCALE,
        help=f"meter readings per generated zone (default {DEFAULT_DEMO_SCALE:,})",
    )
    backtest.add_argument(
        "--as-of", dest="as_of", help="as-of time of the builds (default: the latest arrival)"
    )
    backtest.add_argument(
        "--grace-hours", dest="grace_hours", type=_at_least(0), help="default 48"
    )
    backtest.add_argument(
        "--warehouse-dir", dest="warehouse_dir", default=str(DEFAULT_LOCAL_DIR / "backtest"),
        help="folder for the backtest warehouses",
    )
    backtest.set_defaults(func=cmd_backtest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; a problem a person must fix is one line on standard error (exit 2)."""
    import duckdb

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        _error(str(exc))
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        _error(f"cannot use{where}: {(exc.strerror or str(exc)).lower()}")
    except duckdb.Error as exc:
        from orchestration.preflight import describe_duckdb_error

        warehouse = getattr(args, "warehouse", None) or os.environ.get("TALLYHOUSE_WAREHOUSE")
        _error(describe_duckdb_error(exc, Path(warehouse or "the warehouse")))
    return 2


if __name__ == "__main__":
    sys.exit(main())
