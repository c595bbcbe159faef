"""The private Dagster and dagster-dbt names of ``orchestration.compat`` still exist.

An upgrade of Dagster or dagster-dbt that moves one of them fails here, by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
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


class _Started(Exception):
    """Raised in place of starting dbt: carries the environment it would have had."""

    def __init__(self, env: dict) -> None:
        super().__init__("dbt not started")
        self.env = env


def test_dbt_processes_get_the_run_settings_without_touching_os_environ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster_dbt.core import dbt_cli_invocation

    def popen(*args, env, **kwargs):
        raise _Started(env)

    monkeypatch.setattr(dbt_cli_invocation.subprocess, "Popen", popen)
    environ = dict(os.environ)
    with (
        compat.dbt_subprocess_env({"TALLYHOUSE_AS_OF": "2026-03-03T12:00:00+00:00"}),
        pytest.raises(_Started) as started,
    ):
        dbt_cli_invocation.DbtCliInvocation.run(
            args=["dbt", "build"], env={"DBT_LOG_FORMAT": "json"}, manifest={},
            dagster_dbt_translator=None, project_dir=tmp_path, target_path=tmp_path,
            raise_on_error=True, context=None, adapter=None, cli_version=None,
        )
    assert started.value.env == {
        "DBT_LOG_FORMAT": "json", "TALLYHOUSE_AS_OF": "2026-03-03T12:00:00+00:00",
    }
    assert dict(os.environ) == environ
    with pytest.raises(_Started) as outside:  # outside the block: dagster-dbt's env alone
        dbt_cli_invocation.DbtCliInvocation.run(
            args=["dbt", "build"], env={"DBT_LOG_FORMAT": "json"}, manifest={},
            dagster_dbt_translator=None, project_dir=tmp_path, target_path=tmp_path,
            raise_on_error=True, context=None, adapter=None, cli_version=None,
        )
    assert outside.value.env == {"DBT_LOG_FORMAT": "json"}


def test_the_project_resource_skips_the_adapter_hook() -> None:
    from orchestration.defs.transform.resource import TallyhouseDbtCliResource

    hook = getattr(TallyhouseDbtCliResource, compat.DBT_CORE_ADAPTER_HOOK)
    assert hook is not getattr(DbtCliResource, compat.DBT_CORE_ADAPTER_HOOK)
    assert hook(None, ["build"]) is None


def test_the_project_resource_reads_the_dbt_version_from_the_package() -> None:
    import importlib.metadata

    from orchestration.defs.transform.manifest import dbt_project
    from orchestration.defs.transform.resource import TallyhouseDbtCliResource

    assert compat.DBT_CLI_VERSION in vars(DbtCliResource)  # the name dagster-dbt reads
    resource = TallyhouseDbtCliResource(project_dir=dbt_project)
    version = getattr(resource, compat.DBT_CLI_VERSION)
    assert str(version) == importlib.metadata.version("dbt-core")
