"""The dbt manifest, parsed before the Dagster definitions read it."""

from __future__ import annotations

import fcntl
from pathlib import Path

from orchestration.digest import file_digest, files_digest, text_digest
from orchestration.settings import put_python_bin_on_path

PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "macros", "models", "seeds", "snapshots",
                 "tests")


def _dbt_sources_digest(project_dir: Path, manifest: Path) -> str:
    """A digest of the dbt project's sources and of the manifest parsed from them."""
    paths = []
    for part in PROJECT_PARTS:
        root = project_dir / part
        paths += [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
    parsed = file_digest(manifest) if manifest.exists() else "no manifest"
    return text_digest(files_digest(paths, project_dir) + parsed)


def prepare_dbt_manifest() -> None:
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

    put_python_bin_on_path()  # the parse runs this environment's dbt
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
