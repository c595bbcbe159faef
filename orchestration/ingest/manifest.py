"""Bookkeeping in ``raw.file_manifest``: what became of each file, whether a file (or its
bytes) is already registered, and the strays registered as rejected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from orchestration.digest import file_digest
from orchestration.ingest.discovery import LandedFile, strays
from orchestration.ingest.layout import Placement
from orchestration.ingest.schema import ensure_raw_schema
from orchestration.ingest.statements import statement


@dataclass
class FileResult:
    """What loading one file did, for logs and Dagster metadata."""

    relpath: str
    status: str  # loaded | already_loaded | same_bytes | rejected
    rows_seen: int = 0
    rows_loaded: int = 0
    rows_suppressed: int = 0
    message: str = ""


@dataclass
class FeedResult:
    """What one ingest pass over a feed did."""

    feed: str
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_seen(self) -> int:
        return sum(f.rows_seen for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_suppressed(self) -> int:
        return sum(f.rows_suppressed for f in self.files)


def ingest_strays(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    as_of: datetime,
    progress: Callable[[str], None] | None = None,
    since: date | None = None,
) -> list[Placement]:
    """Register every stray not yet registered as a rejected file with its reason (no
    content hash: a stray is never read, and never stands for bytes landed elsewhere)."""
    ensure_raw_schema(con)
    known = {row[0] for row in con.execute(statement("manifest_files")).fetchall()}
    new = [placed for placed in strays(landing, as_of, since) if placed.relpath not in known]
    now = datetime.now(UTC)
    if not new:
        return []
    con.executemany(
        statement("register_stray"),
        [
            {
                "feed": placed.feed_name,
                "file": placed.relpath,
                "file_name": placed.relpath.rsplit("/", 1)[-1],
                "arrived": placed.arrived,
                "size_bytes": _size(landing / placed.relpath),
                "message": placed.problem,
                "loaded_at": now,
            }
            for placed in new
        ],
    )
    for placed in new:
        if progress:
            progress(f"{placed.feed_name}: rejected: {placed.problem}")
    return new


def _size(path: Path) -> int | None:
    try:
        return path.lstat().st_size
    except OSError:
        return None


def stage_manifest_entry(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str | None,
    status: str,
    rows_seen: int,
    message: str,
    now: datetime,
) -> None:
    """Stage a file's manifest entry, committed with its rows."""
    con.execute(
        statement("stage_manifest_entry"),
        {
            "feed": landed.feed.name,
            "file": landed.relpath,
            "file_name": landed.path.name,
            "arrived": landed.arrived,
            "content_hash": content_hash,
            "size_bytes": landed.path.stat().st_size,
            "status": status,
            "rows_seen": rows_seen,
            "message": message or None,
            "loaded_at": now,
        },
    )


def registered(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime
) -> FileResult | str:
    """The outcome for a file that needs no reading (its path, or its bytes, already
    registered), else the file's content hash."""
    known = con.execute(
        statement("file_registered"), {"feed": landed.feed.name, "file": landed.relpath}
    ).fetchone()
    if known:
        return FileResult(landed.relpath, "already_loaded")
    content_hash = file_digest(landed.path)
    same = con.execute(
        statement("same_bytes"), {"feed": landed.feed.name, "content_hash": content_hash}
    ).fetchone()
    if same is not None:
        # Same bytes already registered: its rows are loaded once, under the hash. A copy of a
        # rejected file is rejected for the same reason, and says so.
        rows_seen, status, first, why = same
        message = ""
        if status == "rejected":
            message = f"file {landed.relpath} has the same bytes as {first}, which was rejected"
            message += f" ({why})" if why else ""
        stage_manifest_entry(con, landed, content_hash, status, rows_seen, message, now)
        return FileResult(landed.relpath, "same_bytes", rows_seen=rows_seen, message=message)
    return content_hash
