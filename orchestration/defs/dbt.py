"""The dbt project as Dagster assets: staging, rating, billing and the public marts.

dbt tests become asset checks; ``dbt build`` skips every model downstream of a failing
test of severity error, so a failing check leaves the billing marts as they were.
"""

import json
import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliInvocation,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.defs.constants import WAREHOUSE_POOL, run_settings
from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)
if not dbt_project.manifest_path.exists():  # a fresh checkout: parse the project once
    dbt_project.preparer.prepare(dbt_project)


class TallyhouseTranslator(DagsterDbtTranslator):
    """Models are keyed by schema and name (``marts/invoices``), sources by their meta key."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            return AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)


translator = TallyhouseTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_code_references=False)
)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=translator,
    name="tallyhouse_dbt",
    pool=WAREHOUSE_POOL,
)
def tallyhouse_dbt(context: AssetExecutionContext, dbt: DbtCliResource):
    settings = run_settings(context)
    dbt_vars = json.dumps(settings.dbt_vars())
    context.log.info(f"dbt build as of {settings.as_of_iso} into {settings.warehouse}")
    # dbt unit tests are code tests: the test suite runs them, production runs do not.
    args = ["build", "--vars", dbt_vars, "--exclude", "test_type:unit"]
    invocation = dbt.cli(args, context=context)
    if not column_metadata_enabled():
        yield from invocation.stream()
        return
    try:
        yield from invocation.stream().fetch_column_metadata()
    finally:
        release_warehouse(invocation)


def column_metadata_enabled() -> bool:
    """Column schema and lineage on each model's materialization; TALLYHOUSE_COLUMN_LINEAGE=0
    turns them off."""
    return os.environ.get("TALLYHOUSE_COLUMN_LINEAGE", "1") != "0"


def release_warehouse(invocation: DbtCliInvocation) -> None:
    """Close the DuckDB file that dagster-dbt's in-process adapter opened to read columns.

    dbt-duckdb keeps its connection open for the life of the process, and DuckDB refuses a
    second connection with another configuration (a read-only one, or another writer) while
    it is open: the next step, the command line's summary and the next run need the file.
    """
    adapter = invocation.adapter
    if adapter is None:
        return
    adapter.connections.cleanup_all()
    manager = type(adapter.connections)
    environment = getattr(manager, "_ENV", None)
    if environment is not None:
        environment.close()
    if hasattr(manager, "close_all_connections"):
        manager.close_all_connections()
