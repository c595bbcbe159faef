"""The dbt project and its parsed manifest, which the dbt assets are defined from.

Nothing here runs at import: ``prepare_dbt_manifest`` parses the project when asked
(``tallyhouse run`` before it loads the definitions, ``make ui`` before ``dagster dev``, the
test session once), and ``load_manifest`` only reads what the last parse wrote.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

from dagster_dbt import DbtProject

from orchestration import compat
from orchestration.digest import file_digest, files_digest, text_digest
from orchestration.settings import DBT_PROJECT_DIR, put_python_bin_on_path

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "macros", "models", "seeds", "snapshots",
                 "tests")

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR)


class ManifestMissing(RuntimeError):
    """The dbt project has not been parsed yet; the message says how to parse it."""


def dbt_sources_digest(project_dir: Path, manifest: Path) -> str:
    """A digest of the dbt project's sources and of the manifest parsed from them."""
    paths = []
    for part in PROJECT_PARTS:
        root = project_dir / part
        if root.is_file():
            paths.append(root)
        elif root.is_dir():
            paths.extend(p for p in root.rglob("*") if p.is_file())
    parsed = file_digest(manifest) if manifest.exists() else "no manifest"
    return text_digest(files_digest(paths, project_dir) + parsed)


def prepare_dbt_manifest(project: DbtProject = dbt_project) -> None:
    """Parse the dbt project before the Dagster definitions read its manifest.

    A manifest older than the models would name nodes the build no longer matches, so it is
    refreshed first. The parse is skipped when neither the project's sources nor the
    manifest changed since the last parse made here (a stamp beside the manifest records
    their digest). Its ``partial_parse.msgpack`` lets the run's ``dbt build`` skip its own
    parse (the as-of time reaches dbt as an environment variable, read only when executing)
    while the profile (the warehouse, memory limit and threads) is the one this parse saw.
    """
    put_python_bin_on_path()  # the parse runs this environment's dbt
    project_dir = Path(project.project_dir)
    stamp = project.manifest_path.with_name("tallyhouse-parsed.sha256")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    # One parse at a time: two runs started together must not write the manifest at once.
    with open(stamp.with_suffix(".lock"), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        current = dbt_sources_digest(project_dir, project.manifest_path)
        if stamp.exists() and stamp.read_text(encoding="utf-8") == current:
            return
        # The asset graph is the same whichever engine builds it: the manifest is always
        # DuckDB's parse, so that a run on Spark and a DuckDB one never overwrite each
        # other's (dbt build on Spark parses again in its own target folder).
        duckdb_parse = {"TALLYHOUSE_ENGINE": "duckdb", "TALLYHOUSE_DBT_TARGET": ""}
        with compat.dbt_subprocess_env(duckdb_parse):
            project.preparer.prepare(project)
        stamp.write_text(dbt_sources_digest(project_dir, project.manifest_path), "utf-8")


def load_manifest(project: DbtProject = dbt_project) -> dict[str, Any]:
    """The manifest the last parse wrote; ``ManifestMissing`` when there is none."""
    path = project.manifest_path
    if not path.exists():
        raise ManifestMissing(
            f"{path} is missing: parse the dbt project first (make ui, or python -c "
            "'from orchestration.defs.transform.manifest import prepare_dbt_manifest; "
            "prepare_dbt_manifest()')"
        )
    return json.loads(path.read_bytes())
