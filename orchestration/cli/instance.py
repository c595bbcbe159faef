"""The Dagster instance a command runs in, with the local SQLite storages made quick."""

from __future__ import annotations

import os

from orchestration.settings import REPO_ROOT


def _sqlite_pragmas(connection, _record) -> None:
    """The local instance's SQLite files in write-ahead-log mode, synced at checkpoints.

    A run stores some 800 events on an empty landing zone, each in its own transaction of
    the run's and the index's SQLite files; by default every commit waits for the disk.
    With ``journal_mode = wal`` and ``synchronous = normal`` a commit survives the process
    and the file stays consistent; only the last commits before a power loss may be lost.
    PostgreSQL storage (the production instance) is not touched.
    """
    import sqlite3

    if isinstance(connection, sqlite3.Connection):
        connection.execute("pragma journal_mode = wal")
        connection.execute("pragma synchronous = normal")


def _sqlite_write_ahead_log() -> None:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)


def _keep_sqlite_engines() -> None:
    """One SQLAlchemy engine per SQLite file for the local instance's run and event storage.

    Dagster's SQLite storages create an engine for every statement they run and dispose of
    it after, so SQLAlchemy compiles each statement again, every time: a full run over 127
    arrival days stores some 5,000 events (a materialization per raw table and day among
    them). Here the engines are kept, per database URL and options, for the life of the
    process; each still opens a new SQLite connection per use (the storages' ``NullPool``),
    so other processes (the UI, a second run) see the files exactly as before. PostgreSQL
    storage is not touched.
    """
    from orchestration.compat import sqlite_storage_modules

    for module in sqlite_storage_modules():
        factory = getattr(module, "create_engine", None)
        if factory is None or getattr(factory, "keeps_engines", False):
            continue
        module.create_engine = _engine_keeper(factory)


def _engine_keeper(factory):
    """``factory`` (SQLAlchemy's ``create_engine``), returning the same engine for the same
    URL and options."""
    engines = {}

    def create_engine(url, **options):
        key = (str(url), repr(sorted(options.items())))
        if key not in engines:
            engines[key] = factory(url, **options)
        return engines[key]

    create_engine.keeps_engines = True
    return create_engine


def dagster_instance():
    """The Dagster instance of DAGSTER_HOME, else the repository's local one."""
    from dagster import DagsterInstance

    _sqlite_write_ahead_log()
    _keep_sqlite_engines()

    if os.environ.get("DAGSTER_HOME"):
        return DagsterInstance.get()
    home = REPO_ROOT / ".dagster_home"  # git-ignored: a fresh clone does not have it yet
    home.mkdir(parents=True, exist_ok=True)
    return DagsterInstance.local_temp(tempdir=str(home))
