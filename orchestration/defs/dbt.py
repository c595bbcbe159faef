"""The dbt project as Dagster assets: staging, rating, billing and the public marts.

dbt tests become asset checks; ``dbt build`` skips every model downstream of a failing
test of severity error, so a failing check leaves the billing marts as they were.
"""

import json
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.defs.constants import WAREHOUSE_POOL
from orchestration.settings import DBT_PROJECT_DIR, load_settings

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


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
    settings = load_settings()
    dbt_vars = json.dumps(settings.dbt_vars())
    context.log.info(f"dbt build as of {settings.as_of_iso} into {settings.warehouse}")
    # dbt unit tests are code tests: the test suite runs them, production runs do not.
    args = ["build", "--vars", dbt_vars, "--exclude", "test_type:unit"]
    yield from dbt.cli(args, context=context).stream()
