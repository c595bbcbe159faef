"""Every private Dagster and dagster-dbt name the project relies on, in one place.

These are not public APIs: an upgrade may move or remove them. ``tests/test_compat.py`` checks
each one against the installed versions, so that an upgrade that breaks one fails there, by
name, rather than somewhere in a run.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from types import ModuleType

# Run tags Dagster sets on a run that materializes a range of partitions.
from dagster._core.storage.tags import (  # noqa: F401  (re-exported)
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

# dagster-dbt's DbtCliResource method that loads dbt's adapter in the Dagster process before
# every dbt command; the project's resource overrides it to do nothing.
DBT_CORE_ADAPTER_HOOK = "_initialize_dbt_core_adapter"
# dagster-dbt's DbtCliResource property that asks the dbt executable for its version; the
# project's resource reads the installed dbt-core package instead.
DBT_CLI_VERSION = "_cli_version"


def sqlite_storage_modules() -> tuple[ModuleType, ...]:
    """The modules of Dagster's SQLite run and event-log storages, whose module-level
    ``create_engine`` the command line wraps so that engines are kept per database."""
    from dagster._core.storage.event_log.sqlite import sqlite_event_log
    from dagster._core.storage.runs.sqlite import sqlite_run_storage

    return (sqlite_event_log, sqlite_run_storage)


# dagster-dbt starts dbt with a copy of this process's environment: ``DbtCliResource.cli``
# builds it and hands it to ``DbtCliInvocation.run`` (its ``env`` keyword), and no public
# parameter adds to it. ``dbt_subprocess_env`` adds to it, for the dbt processes started
# within the block, without touching ``os.environ``.
_DBT_ENV: ContextVar[Mapping[str, str] | None] = ContextVar("tallyhouse_dbt_env", default=None)


def _install_dbt_env_hook() -> None:
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

    original = DbtCliInvocation.run
    if getattr(original, "tallyhouse_env_hook", False):
        return

    def run(cls, *args, env: Mapping[str, str], **kwargs):
        return original.__func__(cls, *args, env={**env, **(_DBT_ENV.get() or {})}, **kwargs)

    run.tallyhouse_env_hook = True
    DbtCliInvocation.run = classmethod(run)


@contextlib.contextmanager
def dbt_subprocess_env(values: Mapping[str, str]) -> Iterator[None]:
    """Within the block, the dbt processes dagster-dbt starts get ``values`` on top of the
    environment they inherit."""
    _install_dbt_env_hook()
    token = _DBT_ENV.set({**(_DBT_ENV.get() or {}), **values})
    try:
        yield
    finally:
        _DBT_ENV.reset(token)
