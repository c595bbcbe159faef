"""The dbt project as Dagster assets: staging, rating, billing and the public marts.

dbt tests become asset checks; ``dbt build`` skips every model downstream of a failing
test of severity error, so a failing check leaves the billing marts as they were.
"""

import contextlib
import functools
import importlib.metadata
import json
import logging
import os
import time
from collections.abc import Mapping
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetObservation,
    Failure,
    MetadataValue,
    Output,
)
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)
from packaging import version

from orchestration.defs.constants import WAREHOUSE_POOL, raw_key, run_settings
from orchestration.defs.dbt_columns import with_column_metadata
from orchestration.defs.dbt_docs import asset_description, readable_manifest
from orchestration.ingest.feeds import FEEDS_BY_NAME
from orchestration.ingest.loader import connect
from orchestration.settings import DBT_PROJECT_DIR, Settings, put_python_bin_on_path
from orchestration.warehouse_lock import WarehouseBusy, wait_for_warehouse

logger = logging.getLogger(__name__)

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
if not dbt_project.manifest_path.exists():  # a fresh checkout: parse the project once
    put_python_bin_on_path()
    dbt_project.preparer.prepare(dbt_project)


class TallyhouseTranslator(DagsterDbtTranslator):
    """Models are keyed by schema and name (``marts/invoices``), sources by their meta key;
    descriptions in words, without the SQL (``dbt_docs``)."""

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] not in ("model", "seed", "snapshot"):
            return spec
        return spec.replace_attributes(description=asset_description(manifest, props))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)


class TallyhouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt command, without its in-process dbt adapter.

    dagster-dbt loads dbt's profile, project and adapter in the Dagster process before it
    starts every dbt command (4.5 s on an idle 2-core machine), only to read columns model by
    model afterwards; here the columns are read in one query once dbt has finished
    (``dbt_columns.with_column_metadata``), so the adapter is never loaded."""

    @functools.cached_property
    def _cli_version(self) -> version.Version:
        """dbt-core's version, read from the installed package: dagster-dbt asks the dbt
        executable (``dbt --version``, 5 to 9 s of the run) to tell dbt Core from the Fusion
        engine. The executable is the dbt of this environment (``put_python_bin_on_path``)."""
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None


translator = TallyhouseTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_code_references=True)
)
# the manifest with readable check names and descriptions (dbt_docs.readable_manifest)
dbt_manifest = readable_manifest(json.loads(dbt_project.manifest_path.read_bytes()))


@dbt_assets(
    manifest=dbt_manifest,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="tallyhouse_dbt",
    pool=WAREHOUSE_POOL,
)
def tallyhouse_dbt(context: AssetExecutionContext, dbt: DbtCliResource):
    settings = run_settings(context)
    context.log.info(f"dbt build as of {settings.as_of_iso} into {settings.warehouse}")
    # dbt unit tests are code tests: the test suite runs them, production runs do not.
    args = ["build", "--exclude", "test_type:unit"]
    if full_refresh_requested():
        # The incremental models (usage records, bound records, bucket usage) rebuilt from
        # scratch; the marts come out the same, only slower.
        context.log.info("full refresh: the incremental models are rebuilt from scratch")
        args.append("--full-refresh")
    # dbt fails at once when another process holds the file: wait for it here first.
    try:
        wait_for_warehouse(settings.warehouse, settings.lock_timeout, settings.publication_dir)
    except WarehouseBusy as busy:
        raise Failure(description=str(busy)) from None
    # The run's parameters reach dbt as environment variables: the dbt process inherits
    # this process's environment when dbt.cli starts it.
    with _environment(settings.dbt_env()):
        invocation = dbt.cli(args, context=context)
    if column_metadata_enabled():
        yield from _with_columns(invocation, settings, context)
    else:
        yield from invocation.stream()
    yield from ingest_observations(settings)


def _with_columns(invocation: DbtCliInvocation, settings: Settings, context):
    """dbt's events in their order, once dbt has finished, the models' outputs with their
    column schema and lineage (read in one query: ``dbt_columns``); a failed build still
    reports what it built, then fails."""
    events, failure = [], None
    started = time.monotonic()
    try:
        events.extend(invocation.stream())
    except Exception as exc:  # dbt failed: report what was built, then fail as before
        failure = exc
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


def ingest_observations(settings: Settings):
    """What became of every landed row, per feed, as metadata of its raw table.

    Quarantine and deduplication are decided by the dbt models as of T, so the figures are
    read from ``marts.ingest_log`` once dbt has built it (and released the file).
    """
    sums = ", ".join(f"sum({name})" for name in INGEST_COUNTS)
    con = connect(
        settings.warehouse, settings.memory_limit, settings.threads,
        lock_timeout=settings.lock_timeout,
    )
    try:
        rows = con.execute(
            f"select feed, count(*), {sums} from marts.ingest_log group by feed order by feed"
        ).fetchall()
    finally:
        con.close()
    for feed, files, *counts in rows:
        metadata = {"as_of": settings.as_of_iso, "files": MetadataValue.int(files)}
        for name, value in zip(INGEST_COUNTS, counts, strict=True):
            metadata[name] = MetadataValue.int(int(value))
        yield AssetObservation(
            asset_key=raw_key(FEEDS_BY_NAME[feed].raw_table),
            description="rows seen = loaded + quarantined + duplicate + suppressed "
            "(per file: marts.ingest_log)",
            metadata=metadata,
        )


@contextlib.contextmanager
def _environment(values: Mapping[str, str]):
    """``os.environ`` with ``values`` set, restored afterwards."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def full_refresh_requested() -> bool:
    """``TALLYHOUSE_FULL_REFRESH=1`` (``tallyhouse run --full-refresh``) rebuilds every model."""
    return os.environ.get("TALLYHOUSE_FULL_REFRESH", "") not in ("", "0")


def column_metadata_enabled() -> bool:
    """Column schema and lineage on each model's materialization (one catalog query after
    the build); TALLYHOUSE_COLUMN_LINEAGE=0 turns them off."""
    return os.environ.get("TALLYHOUSE_COLUMN_LINEAGE", "1") != "0"
