"""The dbt project as Dagster assets: staging, rating, billing and the public marts.

dbt tests become asset checks; ``dbt build`` skips every model downstream of a failing
test of severity error, so a failing check leaves the billing marts as they were.
"""

import time

from dagster import (
    AssetExecutionContext,
    AssetObservation,
    Failure,
    MetadataValue,
    Output,
)
from dagster_dbt import DbtCliInvocation, dbt_assets

from orchestration import compat
from orchestration.defs.constants import WAREHOUSE_POOL, raw_key
from orchestration.defs.resources import TallyhouseSettings
from orchestration.defs.transform.columns import with_column_metadata
from orchestration.defs.transform.docs import readable_manifest
from orchestration.defs.transform.manifest import dbt_project, load_manifest
from orchestration.defs.transform.resource import TallyhouseDbtCliResource
from orchestration.defs.transform.translator import translator
from orchestration.ingest.feeds import FEEDS_BY_NAME
from orchestration.settings import Settings
from orchestration.spark.marts import copy_spark_tables, spark_tables
from orchestration.warehouse import WarehouseResource, wait_until_writable
from orchestration.warehouse_lock import WarehouseBusy


@dbt_assets(
    # the manifest with readable check names and descriptions (docs.readable_manifest)
    manifest=readable_manifest(load_manifest()),
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="tallyhouse_dbt",
    pool=WAREHOUSE_POOL,
)
def tallyhouse_dbt(
    context: AssetExecutionContext,
    dbt: TallyhouseDbtCliResource,
    tallyhouse: TallyhouseSettings,
    warehouse: WarehouseResource,
):
    settings = tallyhouse.for_run(context, warehouse)
    context.log.info(f"dbt build as of {settings.as_of_iso} into {settings.warehouse}")
    # dbt unit tests are code tests: the test suite runs them, production runs do not.
    args = ["build", "--exclude", "test_type:unit"]
    if settings.full_refresh:  # TALLYHOUSE_FULL_REFRESH=1 (tallyhouse run --full-refresh)
        # The incremental models (usage records, bound records, bucket usage) rebuilt from
        # scratch; the marts come out the same, only slower.
        context.log.info("full refresh: the incremental models are rebuilt from scratch")
        args.append("--full-refresh")
    # dbt fails at once when another process holds the file: wait for it here first.
    try:
        wait_until_writable(settings.warehouse, settings.lock_timeout, settings.publication_dir)
    except WarehouseBusy as busy:
        raise Failure(description=str(busy)) from None
    # The run's settings (its as-of time among them) reach dbt as the environment of the
    # dbt process (profiles.yml and macro run_parameter read them).
    with compat.dbt_subprocess_env(settings.env()):
        invocation = dbt.cli(args, context=context)
        # column schema and lineage on each model's materialization (one catalog query after
        # the build); TALLYHOUSE_COLUMN_LINEAGE=0 turns them off. On Spark, the marts are
        # copied into the warehouse once dbt has finished (orchestration/spark/marts.py).
        if settings.column_lineage or settings.engine == "spark":
            yield from _after_build(invocation, settings, warehouse, context)
        else:
            yield from invocation.stream()
    yield from ingest_observations(settings, warehouse)


def _after_build(
    invocation: DbtCliInvocation, settings: Settings, warehouse: WarehouseResource, context
):
    """dbt's events in their order, once dbt has finished: on Spark, after its marts are
    copied into the warehouse; with the models' column schema and lineage (read in one query:
    ``columns``) unless turned off. A failed build still reports what it built, then fails."""
    events, failure = [], None
    started = time.monotonic()
    try:
        events.extend(invocation.stream())
    except Exception as exc:  # dbt failed: report what was built, then fail as before
        failure = exc
    if settings.engine == "spark":
        con = warehouse.connect()
        try:
            copy_spark_tables(
                con,
                spark_tables(settings.spark_home / "warehouse", invocation.manifest),
                context.log.info,
            )
        finally:
            con.close()
    if not settings.column_lineage:
        yield from events
        if failure is not None:
            raise failure
        return
    built = time.monotonic()
    outputs = list(with_column_metadata(
        [event for event in events if isinstance(event, Output)], settings.warehouse,
        invocation.manifest, invocation.dagster_dbt_translator, invocation.target_path,
        invocation.project,
    ))
    context.log.info(
        f"column schema and lineage of {len(outputs)} models in "
        f"{time.monotonic() - built:.1f}s after dbt's {built - started:.1f}s"
    )
    outputs = iter(outputs)
    for event in events:
        yield next(outputs) if isinstance(event, Output) else event
    if failure is not None:
        raise failure


INGEST_COUNTS = (
    "rows_seen", "rows_loaded", "rows_quarantined", "rows_duplicate", "rows_suppressed"
)


def ingest_observations(settings: Settings, warehouse: WarehouseResource):
    """What became of every landed row, per feed, as metadata of its raw table.

    Quarantine and deduplication are decided by the dbt models as of T, so the figures are
    read from ``marts.ingest_log`` once dbt has built it (and released the file).
    """
    sums = ", ".join(f"sum({name})" for name in INGEST_COUNTS)
    con = warehouse.connect()
    try:
        rows = con.execute(
            f"select feed, count(*), {sums} from marts.ingest_log group by feed order by feed"
        ).fetchall()
    finally:
        con.close()
    for feed, files, *counts in rows:
        if feed not in FEEDS_BY_NAME:  # stray files (outside every feed) have no raw table
            continue
        metadata = {"as_of": settings.as_of_iso, "files": MetadataValue.int(files)}
        for name, value in zip(INGEST_COUNTS, counts, strict=True):
            metadata[name] = MetadataValue.int(int(value))
        yield AssetObservation(
            asset_key=raw_key(FEEDS_BY_NAME[feed].raw_table),
            description="rows seen = loaded + quarantined + duplicate + suppressed "
            "(per file: marts.ingest_log)",
            metadata=metadata,
        )
