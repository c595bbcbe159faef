"""The ``tallyhouse`` command line: generate, run, demo."""

from __future__ import annotations

import argparse
import fcntl
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from orchestration.settings import DEFAULT_LOCAL_DIR, REPO_ROOT, Settings, load_settings

DEFAULT_DEMO_SCALE = 200_000
SUMMARY_MARTS = ("billing_readings", "over_under_clients", "assets", "quarantine", "ingest_log")


def _print(message: str) -> None:
    print(message, flush=True)


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.generate import generate_landing

    started = time.monotonic()
    counts = generate_landing(Path(args.out), scale=args.scale, seed=args.seed, progress=_print)
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{k}={v:,}" for k, v in counts.items())
    _print(f"landing zone written to {Path(args.out).resolve()} in {elapsed:.1f}s ({summary})")
    return 0


def put_python_bin_on_path() -> None:
    """dbt is installed beside this Python (the project's venv): child processes find it."""
    python_bin = str(Path(sys.executable).parent)
    if python_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = python_bin + os.pathsep + os.environ.get("PATH", "")


def _prepare_environment(settings: Settings) -> None:
    """Export the settings so that dbt, Dagster and every child process see the same run."""
    os.environ.update(settings.env())
    put_python_bin_on_path()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # column schema and lineage double the dbt step on small runs; the UI's runs keep them
    os.environ.setdefault("TALLYHOUSE_COLUMN_LINEAGE", "0")


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


def run_pipeline(settings: Settings) -> int:
    """Materialize every asset through Dagster, checks included; 0 on success, 1 on failure.

    Two runs: ``materialize_all`` over the arrival days from the earliest file not yet in the
    warehouse to the as-of day (ingest, checks, dbt), then ``close_period`` over the
    finalized months present.
    """
    if not settings.landing.is_dir():
        _print(f"error: landing zone {settings.landing} does not exist or is not a folder")
        return 2
    _prepare_environment(settings)
    from orchestration.warehouse_lock import WarehouseBusy, wait_for_warehouse

    try:  # a reader holding the warehouse: wait for it (bounded), else say who and why
        wait_for_warehouse(settings.warehouse, settings.lock_timeout, settings.publication_dir)
    except WarehouseBusy as busy:
        _print(f"tallyhouse run FAILED: {busy}")
        return 1
    _prepare_dbt_manifest()
    from orchestration.definitions import (
        CLOSE_PERIOD_JOB,
        MATERIALIZE_ALL_JOB,
        PUBLISH_JOB,
        build_definitions,
    )
    from orchestration.defs.automation import range_tags
    from orchestration.defs.ingest import landing_arrival_range
    from orchestration.defs.publication import PUBLISHED_KEYS

    defs = build_definitions()
    job = defs.resolve_job_def(MATERIALIZE_ALL_JOB)
    days = landing_arrival_range(settings.landing, settings.as_of, settings.warehouse)
    _print(
        f"tallyhouse run: landing {settings.landing}, warehouse {settings.warehouse}, "
        f"as of {settings.as_of_iso}, grace {settings.grace_hours}h, "
        f"arrival days {days.start} .. {days.end}"
    )
    started = time.monotonic()
    run_config = {"loggers": {"console": {"config": {"log_level": "INFO"}}}}
    # everything but the publication, which comes last: after the months are closed
    building = sorted(job.asset_layer.selected_asset_keys - PUBLISHED_KEYS)
    with _instance() as instance:
        result = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            tags={"tallyhouse/as_of": settings.as_of_iso, **range_tags(days)},
            asset_selection=building,
        )
    elapsed = time.monotonic() - started
    if not result.success:
        _print(f"tallyhouse run FAILED after {elapsed:.1f}s (run {result.run_id}):")
        for line in _failure_report(result) + _configuration_errors(settings):
            _print(f"  {line}")
        _print("  the billing marts keep their previous contents")
        return 1
    _print(f"tallyhouse run succeeded in {elapsed:.1f}s (run {result.run_id}); warehouse:")
    for line in _summary(settings):
        _print(line)
    code = _close_months(settings, defs.resolve_job_def(CLOSE_PERIOD_JOB), run_config)
    if code != 0:
        return code
    return _publish(settings, defs.resolve_job_def(PUBLISH_JOB), run_config, result.run_id)


def _publish(settings: Settings, job, run_config: dict, marts_run_id: str) -> int:
    """The publication and the dashboards, in a run of their own once the marts are final."""
    from orchestration.defs.publication import MARTS_RUN_TAG

    started = time.monotonic()
    with _instance() as instance:
        published = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            tags={"tallyhouse/as_of": settings.as_of_iso, MARTS_RUN_TAG: marts_run_id},
        )
    elapsed = time.monotonic() - started
    if not published.success:
        _print(f"publication FAILED after {elapsed:.1f}s (run {published.run_id}):")
        for line in _failure_report(published):
            _print(f"  {line}")
        _print("  the previous publication stays in place")
        return 1
    for line in _published(settings):
        _print(line)
    return 0


def _close_months(settings: Settings, job, run_config: dict) -> int:
    """Close the finalized months present in the marts (marts.period_closes), in a run."""
    from dagster import PartitionKeyRange

    from orchestration.defs.automation import range_tags
    from orchestration.defs.period_close import CLOSE_MONTHS

    keys = set(CLOSE_MONTHS.get_partition_keys())
    months = [month for month in _finalized_months(settings) if month in keys]
    if not months:
        _print("period closes: no finalized month yet")
        return 0

    started = time.monotonic()
    with _instance() as instance:
        closed = job.execute_in_process(
            instance=instance,
            raise_on_error=False,
            run_config=run_config,
            tags={
                "tallyhouse/as_of": settings.as_of_iso,
                **range_tags(PartitionKeyRange(months[0], months[-1])),
            },
        )
    elapsed = time.monotonic() - started
    if not closed.success:
        _print(f"period closes FAILED after {elapsed:.1f}s (second run {closed.run_id}):")
        for line in _failure_report(closed):
            _print(f"  {line}")
        return 1
    _print(
        f"period closes: {months[0]} .. {months[-1]} written to marts.period_closes in a "
        f"second run ({closed.run_id}, {elapsed:.1f}s)"
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(
            args.landing, args.warehouse, args.as_of, args.grace_hours,
            publish_dir=args.publish_dir, lock_timeout=args.lock_timeout,
        )
    except ValueError as exc:
        _print(f"error: {exc}")
        return 2
    if args.full_refresh:
        os.environ["TALLYHOUSE_FULL_REFRESH"] = "1"
    return run_pipeline(settings)


def cmd_demo(args: argparse.Namespace) -> int:
    from orchestration.generate import generate_landing

    folder = Path(args.dir).resolve()
    landing = folder / "landing"
    warehouse = folder / "warehouse.duckdb"
    if not landing.exists() or args.regenerate:
        _print(f"generating a landing zone of {args.scale:,} meter readings in {landing}")
        generate_landing(landing, scale=args.scale, seed=args.seed, progress=_print)
    settings = load_settings(landing, warehouse, args.as_of, None)
    code = run_pipeline(settings)
    if code == 0:
        published = settings.publication_dir
        _print("")
        _print(f"dashboards: {published / 'dashboards' / 'index.html'}   (open in a browser)")
        _print(f"published marts: {published / 'marts.duckdb'}   (BI tools and the DuckDB CLI, "
               "read-only: duckdb -readonly FILE -c 'select * from marts.marts.invoices')")
        _print(f"warehouse: {warehouse}   (the pipeline's workspace; readers use the above)")
        _print(
            f"  asset graph: TALLYHOUSE_LANDING={landing} TALLYHOUSE_WAREHOUSE={warehouse} "
            "DAGSTER_HOME=$PWD .venv/bin/dagster dev"
        )
    return code


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.export import export_period

    settings = load_settings(warehouse=args.warehouse, as_of=None)
    if not settings.warehouse.exists():
        _print(f"error: warehouse {settings.warehouse} does not exist; run tallyhouse run first")
        return 2
    try:
        written = export_period(settings.warehouse, Path(args.out), args.period, args.client)
    except ValueError as exc:
        _print(f"error: {exc}")
        return 2
    for path, rows in written:
        _print(f"{path}: {rows:,} rows")
    if not written:
        _print(
            "nothing to export for that period"
            + (f" and client {args.client}" if args.client else "")
        )
    return 0


def cmd_backtest(args: argparse.Namespace) -> int:
    from orchestration import backtest

    def build(landing: Path, warehouse: Path, as_of: str) -> int:
        return run_pipeline(load_settings(landing, warehouse, as_of, args.grace_hours))

    try:
        seeds = [int(s) for s in args.seeds.split(",")] if args.seeds else []
        days = [int(d) for d in args.days.split(",")]
        return backtest.run(
            Path(args.landing), Path(args.warehouse_dir), seeds, days, args.scale, args.as_of,
            build, _print,
        )
    except ValueError as exc:
        _print(f"error: {exc}")
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tallyhouse",
        description="Usage-billing warehouse: land meter readings and service events, get bills.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser(
        "generate",
        help="write a realistic synthetic landing zone",
        description="Write a deterministic, realistic synthetic landing zone.",
    )
    generate.add_argument("--out", required=True, help="folder to write the landing zone into")
    generate.add_argument(
        "--scale",
        type=int,
        default=DEFAULT_DEMO_SCALE,
        help=f"number of meter readings (default {DEFAULT_DEMO_SCALE:,})",
    )
    generate.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
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
        type=int,
        help="hours after a period's end that still count (TALLYHOUSE_GRACE_HOURS; default 48)",
    )
    run.add_argument(
        "--full-refresh",
        dest="full_refresh",
        action="store_true",
        help="rebuild the incremental models from scratch instead of reusing the rows of "
        "unchanged files and periods (TALLYHOUSE_FULL_REFRESH=1); the marts are the same",
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
        type=int,
        default=DEFAULT_DEMO_SCALE,
        help=f"number of meter readings (default {DEFAULT_DEMO_SCALE:,})",
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--as-of",
        dest="as_of",
        default="2026-11-05T00:00:00Z",
        help="as-of time of the demo run (default 2026-11-05T00:00:00Z)",
    )
    demo.add_argument(
        "--regenerate", action="store_true", help="write the landing zone again even when it exists"
    )
    demo.set_defaults(func=cmd_demo)
    export = commands.add_parser(
        "export",
        help="write a period's bills as CSV, one file per unit type",
        description="Export marts.billing_readings of one period as CSV files, one per billing "
        "type (unit type), with exact decimal strings.",
    )
    export.add_argument("--period", help="YYYY-MM (default: the latest finalized period)")
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
        "--scale", type=int, default=DEFAULT_DEMO_SCALE,
        help=f"meter readings per generated zone (default {DEFAULT_DEMO_SCALE:,})",
    )
    backtest.add_argument(
        "--as-of", dest="as_of", help="as-of time of the builds (default: the latest arrival)"
    )
    backtest.add_argument("--grace-hours", dest="grace_hours", type=int, help="default 48")
    backtest.add_argument(
        "--warehouse-dir", dest="warehouse_dir", default=str(DEFAULT_LOCAL_DIR / "backtest"),
        help="folder for the backtest warehouses",
    )
    backtest.set_defaults(func=cmd_backtest)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
