"""The private Dagster and dagster-dbt names of ``orchestration.compat`` still exist.

An upgrade of Dagster or dagster-dbt that moves one of them fails here, by name."""

from __future__ import annotations

from dagster_dbt import DbtCliResource

from orchestration import compat


def test_partition_range_tags_are_the_ones_dagster_writes() -> None:
    assert compat.ASSET_PARTITION_RANGE_START_TAG == "dagster/asset_partition_range_start"
    assert compat.ASSET_PARTITION_RANGE_END_TAG == "dagster/asset_partition_range_end"


def test_dbt_cli_resource_still_has_the_adapter_hook_the_project_overrides() -> None:
    assert callable(getattr(DbtCliResource, compat.DBT_CORE_ADAPTER_HOOK, None))


def test_sqlite_storages_still_create_engines_at_module_level() -> None:
    modules = compat.sqlite_storage_modules()
    assert len(modules) == 2
    for module in modules:
        assert callable(getattr(module, "create_engine", None)), module.__name__
