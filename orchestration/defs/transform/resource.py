"""The dbt command the dbt assets run: this environment's dbt, without dagster-dbt's
in-process adapter."""

from __future__ import annotations

import functools
import importlib.metadata
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

from orchestration import compat


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else (shutil.which("dbt") or "dbt")


class TallyhouseDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt command, without its in-process dbt adapter.

    dagster-dbt loads dbt's profile, project and adapter in the Dagster process before it
    starts every dbt command (4.5 s on an idle 2-core machine), only to read columns model by
    model afterwards; here the columns are read in one query once dbt has finished
    (``columns.with_column_metadata``), so the adapter is never loaded."""

    @functools.cached_property
    def _cli_version(self) -> version.Version:  # compat.DBT_CLI_VERSION
        """dbt-core's version, read from the installed package: dagster-dbt asks the dbt
        executable (``dbt --version``, 5 to 9 s of the run) to tell dbt Core from the Fusion
        engine. The executable is the dbt of this environment (``dbt_executable``)."""
        return version.parse(importlib.metadata.version("dbt-core"))


def _no_adapter(self, args):
    return None


# dagster-dbt's hook that loads the adapter (compat.DBT_CORE_ADAPTER_HOOK) does nothing here.
setattr(TallyhouseDbtCliResource, compat.DBT_CORE_ADAPTER_HOOK, _no_adapter)
