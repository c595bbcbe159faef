"""The Dagster code location loads, and its asset graph is one finance can read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dagster import AssetKey

from orchestration.settings import REPO_ROOT

PUBLIC_MARTS = (
    "billing_readings", "billing_adjustments", "invoices", "credit_grants", "projections",
    "over_under_clients", "assets", "usage_limits", "audit_log", "quarantine", "ingest_log",
)

# Groups in the order money flows: landed files to raw, staging, rating, the bills, then what
# finance reads about them.
FLOW_GROUPS = {
    "ingest", "reference", "staging", "rating", "billing", "projections", "over_under",
    "reports", "ingest_quality", "publication",
}


def test_dagster_definitions_validate() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate",
         "-m", "orchestration.definitions"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "DAGSTER_HOME": str(REPO_ROOT)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_public_mart_is_reachable_from_the_raw_feeds() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    raw_feeds = {AssetKey(["raw", "meter_readings"]), AssetKey(["raw", "service_events"])}
    for mart in PUBLIC_MARTS:
        key = AssetKey(["marts", mart])
        assert key in graph.get_all_asset_keys(), mart
        ancestors = set(graph.upstream_key_iterator(key))
        if mart == "audit_log":  # the audit log is made of admin snapshots only
            assert AssetKey(["raw", "admin_buckets"]) in ancestors
        else:
            assert raw_feeds <= ancestors, f"{mart} is not fed by the raw feeds"


def test_every_asset_has_a_group_an_owner_and_a_description() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.group_name and node.group_name != "default", key
        assert node.owners, key
        assert node.description, key


def test_every_asset_and_check_is_in_the_warehouse_pool_whose_limit_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.defs.constants import WAREHOUSE_POOL

    definitions = [*defs.assets, *defs.asset_checks]
    assert len(definitions) >= 5  # ingest, dbt, two expectation suites, freshness checks
    for definition in definitions:
        assert definition.op.pool == WAREHOUSE_POOL, definition.op.name
    # dbt's tests run inside the dbt op, so the dbt checks hold the same pool
    graph = defs.resolve_asset_graph()
    dbt_checks = [key for key in graph.asset_check_keys if key.name.startswith("not_null")]
    assert dbt_checks

    # the repository's dagster.yaml, in a home of its own (its storage paths are relative)
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.chdir(tmp_path)
    with DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
        instance.event_log_storage.initialize_concurrency_limit_to_default(WAREHOUSE_POOL)
        assert instance.event_log_storage.get_concurrency_info(WAREHOUSE_POOL).slot_count == 1


def test_assets_carry_kinds_and_code_versions() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.code_version, key
        kinds = node.kinds
        assert "duckdb" in kinds, key
    invoices = graph.get(AssetKey(["marts", "invoices"]))
    assert "dbt" in invoices.kinds
    assert "team:finance" in invoices.owners
    groups = {graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups <= FLOW_GROUPS, groups - FLOW_GROUPS


def test_production_instance_config_validates(monkeypatch: pytest.MonkeyPatch) -> None:
    """deploy/dagster.production.yaml against Dagster's own schemas, without a database."""
    from dagster._config import process_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster._serdes.config_class import ConfigurableClassData
    from dagster_docker import DockerRunLauncher
    from dagster_postgres import DagsterPostgresStorage

    env = {
        "DAGSTER_PG_HOST": "db.internal", "DAGSTER_PG_PORT": "5432",
        "DAGSTER_PG_USERNAME": "dagster", "DAGSTER_PG_PASSWORD": "secret",
        "DAGSTER_PG_DB": "dagster", "TALLYHOUSE_IMAGE": "tallyhouse:1",
        "TALLYHOUSE_DOCKER_NETWORK": "tallyhouse", "DAGSTER_COMPUTE_LOG_DIR": "/data/logs",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config, custom_class = dagster_instance_config(
        str(REPO_ROOT / "deploy"), "dagster.production.yaml"
    )
    assert custom_class is None
    storage = process_config(DagsterPostgresStorage.config_type(), config["storage"]["postgres"])
    assert storage.success, storage.errors
    assert storage.value["postgres_db"]["hostname"] == "db.internal"
    assert storage.value["postgres_db"]["port"] == 5432

    launcher = config["run_launcher"]
    assert (launcher["module"], launcher["class"]) == ("dagster_docker", "DockerRunLauncher")
    checked = process_config(DockerRunLauncher.config_type(), launcher["config"])
    assert checked.success, checked.errors
    rehydrated = ConfigurableClassData(
        launcher["module"], launcher["class"], yaml.safe_dump(launcher["config"])
    ).rehydrate(DockerRunLauncher)  # builds the launcher; Docker is only called at launch
    assert rehydrated.image == "tallyhouse:1"

    assert config["concurrency"]["pools"]["default_limit"] == 1
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    assert {"key": "tallyhouse/warehouse", "value": "write", "limit": 1} in limits


def _materializable(defs) -> list:
    graph = defs.resolve_asset_graph()
    nodes = [graph.get(key) for key in graph.get_all_asset_keys()]
    return [node for node in nodes if node.is_materializable]


def test_descriptions_are_words_not_sql() -> None:
    """No asset's description carries its SQL (the code is a code reference), and the
    project's shorthand (T, CONTRACT sections) is spelled out."""
    from orchestration.definitions import defs

    nodes = _materializable(defs)
    assert len(nodes) > 60
    for node in nodes:
        text = node.description or ""
        lowered = text.lower()
        assert "select " not in lowered and "{{" not in text and "```" not in text, node.key
        assert "CONTRACT" not in text, node.key
        assert " T " not in f" {text} ".replace(".", " ").replace(",", " "), node.key
    invoices = defs.resolve_asset_graph().get(AssetKey(["marts", "invoices"]))
    assert "Grain: one row per client_id, period_start." in invoices.description
    assert "intermediate.int_invoice_charges" in invoices.description  # where it comes from
    references = invoices.metadata["dagster/code_references"].code_references
    assert [Path(r.file_path).name for r in references] == ["invoices.sql"]


def test_every_check_says_what_it_protects_under_a_readable_name() -> None:
    from orchestration.definitions import defs

    specs = [spec for definition in [*defs.assets, *defs.asset_checks]
             for spec in definition.check_specs]
    graph = defs.resolve_asset_graph()
    assert {spec.key for spec in specs} == set(graph.asset_check_keys)
    assert len(specs) > 180
    for spec in specs:
        assert spec.description, spec.key
        assert len(spec.name) <= 60, spec.name
    by_name = {(s.asset_key.to_user_string(), s.name): s for s in specs}
    gate = by_name[("intermediate/int_configuration_errors", "assert_no_configuration_errors")]
    assert gate.description.startswith("A bad configuration must never produce a quietly "
                                       "wrong bill (billing rules 3.3).")
    assert gate.description.endswith("Blocking: a failure stops every model downstream.")
    unique = by_name[("marts/invoices", "unique_combination_invoices_client_id__period_start")]
    assert unique.description == (
        "One row per client_id, period_start: a repeated combination would bill or count "
        "the same thing twice. Blocking: a failure stops every model downstream."
    )


def test_dbt_check_names_are_cut_to_sixty_characters() -> None:
    from orchestration.defs.transform.docs import short_check_name

    test = {
        "name": "unique_combination_int_forecast_daily_usage_client_id__bucket_id__period_start"
                "__day_index",
        "attached_node": "model.tallyhouse.int_forecast_daily_usage",
    }
    # model name dropped, unique_combination -> unique: 53 characters
    assert short_check_name(test) == "unique_client_id__bucket_id__period_start__day_index"
    long = {"name": "expression_is_true_m_" + "x" * 80, "attached_node": "model.p.m"}
    short = short_check_name(long)
    assert len(short) == 60 and short.startswith("expression_is_true_xxx")
    assert short_check_name({"name": "not_null_invoices_client_id"}) == (
        "not_null_invoices_client_id"
    )


def test_arrival_day_partitions_start_at_the_landing_zones_first_day(tmp_path: Path) -> None:
    """The code location, loaded for a landing zone, starts its partitions at its first
    arrival day (a fresh process: the partitions are defined at import)."""
    from tests.pipeline import READINGS, write_csv

    landing = tmp_path / "landing"
    write_csv(landing / "meter_readings/arrived=2026-03-02/a.csv", READINGS)
    write_csv(landing / "service_events/arrived=2026-02-27/b.csv", "event_id")
    script = (
        "from orchestration.definitions import defs; "
        "from dagster import AssetKey; "
        "node = defs.resolve_asset_graph().get(AssetKey(['raw', 'meter_readings'])); "
        "print(node.partitions_def.get_first_partition_key())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True,
        check=False, env={**os.environ, "TALLYHOUSE_LANDING": str(landing)}, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "2026-02-27"


def test_publication_comes_after_every_mart_and_the_dashboards_after_it() -> None:
    """A failing check on any mart skips the publication; the screens trace back to the raw
    feeds through it; every job that builds the marts publishes them."""
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    published = AssetKey(["published", "marts"])
    dashboards = AssetKey(["published", "dashboards"])
    marts = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert marts and marts <= set(graph.get(published).parent_keys)
    assert set(graph.get(dashboards).parent_keys) == {published}
    assert AssetKey(["raw", "meter_readings"]) in set(graph.upstream_key_iterator(dashboards))
    for key in (published, dashboards):
        assert graph.get(key).group_name == "publication"
        assert "team:finance" in graph.get(key).owners
    for job in ("materialize_all", "nightly_rating"):
        selected = defs.resolve_job_def(job).asset_layer.selected_asset_keys
        assert {published, dashboards} <= selected, job


def test_loading_the_definitions_parses_nothing_and_writes_no_environment() -> None:
    """Even under ``dagster dev`` (DAGSTER_IS_DEV_CLI): the manifest is the one prepared
    beforehand, and the process environment (PATH included) is left as it was."""
    from orchestration.defs.transform.manifest import dbt_project

    manifest = dbt_project.manifest_path
    before = manifest.stat().st_mtime_ns
    code = (
        "import os; before = dict(os.environ); "
        "from orchestration.definitions import defs; "
        "assert dict(os.environ) == before, set(os.environ.items()) ^ set(before.items()); "
        "print(len(defs.resolve_asset_graph().get_all_asset_keys()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp"),
             "DAGSTER_IS_DEV_CLI": "1", "DO_NOT_TRACK": "1"},
        check=False, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert int(result.stdout.split()[-1]) > 90
    assert manifest.stat().st_mtime_ns == before
