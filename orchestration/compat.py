"""Every private Dagster and dagster-dbt name the project relies on, in one place.

These are not public APIs: an upgrade may move or remove them. ``tests/test_compat.py`` checks
each one against the installed versions, so that an upgrade that breaks one fails there, by
name, rather than somewhere in a run.
"""

from __future__ import annotations

from types import ModuleType

# Run tags Dagster sets on a run that materializes a range of partitions.
from dagster._core.storage.tags import (  # noqa: F401  (re-exported)
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

# dagster-dbt's DbtCliResource method that loads dbt's adapter in the Dagster process before
# every dbt command; the project's resource overrides it to do nothing.
DBT_CORE_ADAPTER_HOOK = "_initialize_dbt_core_adapter"


def sqlite_storage_modules() -> tuple[ModuleType, ...]:
    """The modules of Dagster's SQLite run and event-log storages, whose module-level
    ``create_engine`` the command line wraps so that engines are kept per database."""
    from dagster._core.storage.event_log.sqlite import sqlite_event_log
    from dagster._core.storage.runs.sqlite import sqlite_run_storage

    return (sqlite_event_log, sqlite_run_storage)
