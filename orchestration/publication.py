"""The publication: what BI tools, Parquet readers and people open, never the warehouse.

Layout of ``publish_dir``::

    publications/<id>/marts.duckdb          schema marts, as in the warehouse
    publications/<id>/parquet/<mart>.parquet
    publications/<id>/manifest.json
    publications/<id>/dashboards/           (orchestration.dashboards)
    current -> publications/<id>            swapped atomically by each publication
    marts.duckdb -> current/marts.duckdb    fixed links through ``current``
    parquet -> current/parquet
    manifest.json -> current/manifest.json
    dashboards -> publications/<id>/dashboards

A publication is written into a hidden folder, synced to disk, renamed to its id and then
made current by renaming a new ``current`` link over the old one (``rename(2)`` is atomic):
a reader that opens any published path sees one complete publication. No published file
is ever written again or truncated, so a reader holding one open keeps reading it and never
stands in a run's way; the folders of old publications are removed once seven newer ones
exist (a reader holding a removed file keeps it until it closes it, as Linux does).
DuckDB does the copying: no row passes through Python.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.warehouse import attach, connect_memory

KEEP = 7  # publications kept, the current one included
PUBLICATIONS = "publications"
CURRENT = "current"
MANIFEST = "manifest.json"
DATABASE = "marts.duckdb"
PARQUET = "parquet"
DASHBOARDS = "dashboards"
THROUGH_CURRENT = (DATABASE, PARQUET, MANIFEST)  # top-level links that go through current/
# A mart's content checksum, the same whether read from marts.duckdb or from its Parquet file
# (with the session time zone UTC): the sum of the first 64 bits of the MD5 of every row's
# text, as 32 hexadecimal digits. Order-free, and a duplicated row changes it.
CHECKSUM_SQL = "printf('%032x', coalesce(sum(md5_number_upper(cast(r as varchar))::hugeint), 0))"


@dataclass(frozen=True)
class Publication:
    """One publication: its id, folder, and per mart the row count and checksum."""

    id: str
    folder: Path
    marts: dict[str, dict[str, object]]

    @property
    def database(self) -> Path:
        return self.folder / DATABASE


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def publication_id(published_at: datetime, run_id: str) -> str:
    """Sorts as the publications were made: ``20261105T060102Z-5c3fde29``."""
    return f"{published_at.astimezone(UTC):%Y%m%dT%H%M%SZ}-{run_id[:8]}"


def mart_checksums(con: duckdb.DuckDBPyConnection, relations: dict[str, str]) -> dict:
    """Row count and content checksum of each ``name -> relation`` (a table or a Parquet
    scan such as ``read_parquet('x.parquet')``), computed by DuckDB."""
    con.execute("set TimeZone = 'UTC'")
    result = {}
    for name, relation in relations.items():
        rows, checksum = con.execute(
            f"select count(*), {CHECKSUM_SQL} from {relation} as r"
        ).fetchone()
        result[name] = {"rows": int(rows), "checksum": checksum}
    return result


def _copy_marts(con: duckdb.DuckDBPyConnection, folder: Path) -> list[str]:
    """Schema marts of the attached ``warehouse`` into the attached ``publication`` and into
    Parquet files: tables (views become tables), columns, types and comments."""
    marts = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = 'warehouse' and table_schema = 'marts' order by 1"
        ).fetchall()
    ]
    con.execute("create schema publication.marts")
    con.execute("begin transaction")  # one snapshot of the warehouse for every mart
    for mart in marts:
        con.execute(
            f"create table publication.marts.{_name(mart)} as "
            f"select * from warehouse.marts.{_name(mart)}"
        )
    for mart, comment in con.execute(
        "select table_name, comment from duckdb_tables() where database_name = 'warehouse' "
        "and schema_name = 'marts' and comment is not null"
    ).fetchall():
        con.execute(f"comment on table publication.marts.{_name(mart)} is {_literal(comment)}")
    for mart, column, comment in con.execute(
        "select table_name, column_name, comment from duckdb_columns() "
        "where database_name = 'warehouse' and schema_name = 'marts' and comment is not null"
    ).fetchall():
        con.execute(
            f"comment on column publication.marts.{_name(mart)}.{_name(column)} "
            f"is {_literal(comment)}"
        )
    con.execute("commit")
    con.execute("detach warehouse")
    (folder / PARQUET).mkdir()
    for mart in marts:
        # Parquet has no 128-bit integer: such columns go as DECIMAL(38, 0), exact.
        wide = [
            row[0]
            for row in con.execute(
                "select column_name from duckdb_columns() where database_name = 'publication' "
                "and schema_name = 'marts' and table_name = ? and data_type in ('HUGEINT', "
                "'UHUGEINT')",
                [mart],
            ).fetchall()
        ]
        replace = (
            " replace (" + ", ".join(f"cast({_name(c)} as decimal(38, 0)) as {_name(c)}"
                                     for c in wide) + ")"
            if wide
            else ""
        )
        target = folder / PARQUET / f"{mart}.parquet"
        con.execute(
            f"copy (select *{replace} from publication.marts.{_name(mart)}) "
            f"to {_literal(str(target))} "
            "(format parquet, compression zstd)"
        )
    return marts


def sync_tree(folder: Path) -> None:
    """Every file and folder under ``folder`` on disk before it is made visible."""
    for path in sorted(folder.rglob("*"), reverse=True) + [folder]:
        flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
        descriptor = os.open(path, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def swap_link(link: Path, target: str) -> None:
    """Point ``link`` at ``target`` (relative to the link's folder) in one ``rename``."""
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(target)
    os.replace(temporary, link)


def current_folder(publish_dir: Path) -> Path | None:
    """The folder of the current publication, or None before the first one."""
    link = publish_dir / CURRENT
    return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def _kept(publish_dir: Path, new_id: str, keep: int) -> list[str]:
    """Ids of the publications kept once ``new_id`` is current, newest first."""
    root = publish_dir / PUBLICATIONS
    ids = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    return sorted(set(ids[-(keep - 1):] if keep > 1 else []) | {new_id}, reverse=True)[:keep]


def _listing(publish_dir: Path, ids: list[str], new: dict) -> list[dict]:
    listed = []
    for pub_id in ids:
        if pub_id == new["publication"]:
            manifest = new
        else:
            try:
                manifest = read_manifest(publish_dir / PUBLICATIONS / pub_id)
            except (OSError, ValueError):
                continue
        listed.append({
            "id": pub_id,
            "as_of": manifest.get("as_of"),
            "run_id": manifest.get("run_id"),
            "published_at": manifest.get("published_at"),
            "path": f"{PUBLICATIONS}/{pub_id}",
        })
    return listed


def _prune(publish_dir: Path, kept: list[str]) -> None:
    """Remove publications not kept, and hidden folders of publications that never finished;
    never a folder a top-level link points at."""
    root = publish_dir / PUBLICATIONS
    in_use = {
        (publish_dir / link).resolve().relative_to(root.resolve()).parts[0]
        for link in (CURRENT, DASHBOARDS)
        if (publish_dir / link).is_symlink()
        and (publish_dir / link).resolve().is_relative_to(root.resolve())
    }
    for folder in root.iterdir():
        if folder.name in kept or folder.name in in_use:
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _link_top_level(publish_dir: Path) -> None:
    """The fixed links ``marts.duckdb``, ``parquet`` and ``manifest.json`` -> ``current/``."""
    for entry in THROUGH_CURRENT:
        link = publish_dir / entry
        if link.is_symlink() and os.readlink(link) == f"{CURRENT}/{entry}":
            continue
        if link.exists() and not link.is_symlink():
            raise RuntimeError(
                f"{link} is not a link into {publish_dir / CURRENT}: move it away; the "
                "publication owns this folder"
            )
        swap_link(link, f"{CURRENT}/{entry}")


def publish(
    warehouse: Path,
    publish_dir: Path,
    *,
    as_of: str,
    run_id: str,
    lock_timeout: float,
    keep: int = KEEP,
    now: datetime | None = None,
) -> Publication:
    """Copy schema marts of ``warehouse`` into a new publication and make it current."""
    published_at = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    pub_id = publication_id(published_at, run_id)
    root = publish_dir / PUBLICATIONS
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".{pub_id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        con = connect_memory()
        try:
            attach(con, staging / DATABASE, "publication")
            attach(con, warehouse, "warehouse", read_only=True, lock_timeout=lock_timeout,
                   publish_dir=publish_dir)
            marts = _copy_marts(con, staging)
            counted = mart_checksums(con, {m: f"publication.marts.{_name(m)}" for m in marts})
            con.execute("detach publication")
        finally:
            con.close()
        for mart in marts:
            counted[mart]["parquet"] = f"{PARQUET}/{mart}.parquet"
        manifest = {
            "publication": pub_id,
            "as_of": as_of,
            "run_id": run_id,
            "published_at": published_at.isoformat(),
            "database": DATABASE,
            "dashboards": f"{DASHBOARDS}/index.html",
            "checksum": "per mart: " + CHECKSUM_SQL + " over its rows r, TimeZone UTC",
            "marts": counted,
        }
        kept = _kept(publish_dir, pub_id, keep)
        manifest["publications"] = _listing(publish_dir, kept, manifest)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        sync_tree(staging)
        folder = root / pub_id
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_link(publish_dir / CURRENT, f"{PUBLICATIONS}/{pub_id}")
    _link_top_level(publish_dir)
    _prune(publish_dir, kept)
    return Publication(id=pub_id, folder=folder, marts=counted)
