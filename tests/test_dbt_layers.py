"""The dbt project's layers keep their meaning, read from the manifest of one ``dbt parse``.

staging: one view per source table, reading sources only (rename and cast).
intermediate: joins, validation and rules; never reads a mart.
marts: read intermediate models and other marts, never a source nor a staging model.
Every model has a description and a tested primary key; every relation a model reads is one
dbt knows (a ref or a source); the admin tables the sources declare are exactly the var
admin_tables of dbt_project.yml, the one definition of them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from orchestration.settings import DBT_PROJECT_DIR

PROJECT = "tallyhouse"

# Staging models that read another staging model besides their source: the admin snapshots
# select the files of a table (stg_raw__files) before they rename and cast.
STAGING_ON_FILES = {f"stg_admin__{table}" for table in (
    "api_keys", "assets", "buckets", "clients", "credit_grants", "disregarded_assets",
    "payments", "suppressions", "unit_types", "usage_limits", "users")} | {"stg_admin__versions"}

# A schema-qualified relation written in SQL instead of a ref() or a source().
LITERAL_RELATION = re.compile(
    r"\b(?:from|join)\s+(?:\{\{[^}]*\}\}\.|(?:raw|main|staging|intermediate|marts|reference)\.)"
    r"([A-Za-z_][A-Za-z0-9_]*)",
    re.IGNORECASE,
)
PRIMARY_KEY_TESTS = {"unique", "unique_combination"}


@functools.cache
def manifest() -> dict:
    target = Path(tempfile.mkdtemp(prefix="tallyhouse-layers-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLYHOUSE_")}
    env["TALLYHOUSE_WAREHOUSE"] = ":memory:"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), "parse", "--quiet",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(target / "target"), "--log-path", str(target / "logs")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return json.loads((target / "target" / "manifest.json").read_text())


def models() -> dict[str, dict]:
    return {node["name"]: node for node in manifest()["nodes"].values()
            if node["resource_type"] == "model" and node["package_name"] == PROJECT}


def layer(node: dict) -> str:
    return Path(node["original_file_path"]).parts[1]  # models/<layer>/...


def parents(node: dict) -> set[str]:
    return set(node["depends_on"]["nodes"])


def names(unique_ids: set[str], kind: str) -> set[str]:
    return {uid.split(".")[-1] if kind == "model" else ".".join(uid.split(".")[-2:])
            for uid in unique_ids if uid.startswith(kind + ".")}


def test_every_model_sits_in_a_layer_and_is_named_for_it() -> None:
    prefixes = {"staging": "stg_", "intermediate": "int_"}
    wrong = []
    for name, node in models().items():
        folder = layer(node)
        if folder not in ("staging", "intermediate", "marts"):
            wrong.append(f"{name}: in models/{folder}")
        elif folder in prefixes and not name.startswith(prefixes[folder]):
            wrong.append(f"{name}: a {folder} model's name starts with {prefixes[folder]}")
        elif folder == "marts" and name.startswith(("stg_", "int_")):
            wrong.append(f"{name}: a mart named like a {name.split('_')[0]} model")
    assert wrong == []


def test_staging_models_read_sources_only() -> None:
    wrong = {}
    for name, node in models().items():
        if layer(node) != "staging":
            continue
        allowed = {"stg_raw__files"} if name in STAGING_ON_FILES else set()
        read = names(parents(node), "model") - allowed
        if read:
            wrong[name] = sorted(read)
    assert wrong == {}


def test_no_mart_reads_a_source_or_a_staging_model() -> None:
    wrong = {}
    for name, node in models().items():
        if layer(node) != "marts":
            continue
        read = sorted(names(parents(node), "source")) + sorted(
            model for model in names(parents(node), "model") if model.startswith("stg_"))
        if read:
            wrong[name] = read
    assert wrong == {}


def test_intermediate_models_read_no_mart() -> None:
    every = models()
    wrong = {}
    for name, node in every.items():
        if layer(node) != "intermediate":
            continue
        read = sorted(model for model in names(parents(node), "model")
                      if model in every and layer(every[model]) == "marts")
        if read:
            wrong[name] = read
    assert wrong == {}


def test_every_model_has_a_description_and_a_tested_primary_key() -> None:
    keyed = set()
    for node in manifest()["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        if node.get("test_metadata", {}).get("name") in PRIMARY_KEY_TESTS:
            keyed.add(node["attached_node"].split(".")[-1])
    undescribed = sorted(name for name, node in models().items()
                         if not node["description"].strip())
    unkeyed = sorted(set(models()) - keyed)
    assert (undescribed, unkeyed) == ([], [])


def test_every_relation_read_is_one_dbt_knows() -> None:
    wrong = {}
    for name, node in models().items():
        literal = LITERAL_RELATION.findall(node["raw_code"])
        if literal:
            wrong[name] = literal
    for macro in manifest()["macros"].values():
        if macro["package_name"] == PROJECT and LITERAL_RELATION.findall(macro["macro_sql"]):
            wrong[macro["name"]] = LITERAL_RELATION.findall(macro["macro_sql"])
    assert wrong == {}
    sources = manifest()["sources"].values()
    declared = {(source["schema"], source["name"]) for source in sources}
    for node in models().values():
        for uid in names(parents(node), "source"):
            assert tuple(uid.split(".")) in declared


@pytest.fixture(scope="module")
def admin_tables() -> list[str]:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())
    return list(project["vars"]["admin_tables"])


def test_the_sources_declare_exactly_the_admin_tables_of_the_var(admin_tables: list[str]) -> None:
    declared = sorted(source["name"] for source in manifest()["sources"].values()
                      if source["name"].startswith("admin_"))
    assert declared == sorted(f"admin_{table}" for table in admin_tables)


def test_every_admin_table_reaches_quarantine_and_the_audit_log(admin_tables: list[str]) -> None:
    """Both read the var: a table added to it is quarantined and audited with no other edit."""
    every = models()
    for model in ("int_admin_rows_quarantined", "int_admin_snapshot_rows"):
        read = names(parents(every[model]), "source")
        assert read >= {f"raw.admin_{table}" for table in admin_tables}, model
        assert "admin_tables()" in every[model]["raw_code"], model
