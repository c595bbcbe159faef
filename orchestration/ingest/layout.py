"""The landing zone's layout: which files can be read, and why every other file cannot.

A file is read when it sits at ``<feed folder>/arrived=YYYY-MM-DD/<name>.<csv|parquet|jsonl>``
(a real date), is not hidden, can be opened, and is not a symlink leading out of the landing
zone. Every other regular file (or symlink) under the landing zone is a *stray*: it is
registered as rejected with a sentence saying why, so nothing that lands goes unseen.
Symlinks are never followed out of the landing zone, and messages name paths relative to
the landing root only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.ingest.feeds import ALL_FEEDS, SUPPORTED_SUFFIXES, Feed

ARRIVED_PREFIX = "arrived="
NO_FEED = "landing"  # the feed named in ingest_log for a file outside every feed folder


@dataclass(frozen=True)
class Placement:
    """Where a file under the landing zone belongs, and why it cannot be read (if so)."""

    relpath: str
    feed_name: str
    arrived: date | None
    problem: str | None  # None: the file is read


def arrival_of(folder: str) -> date | None:
    """The date of an ``arrived=YYYY-MM-DD`` folder name; None for any other name."""
    if not folder.startswith(ARRIVED_PREFIX):
        return None
    text = folder[len(ARRIVED_PREFIX) :]
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None  # arrived=2026-7-3 is not YYYY-MM-DD
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _feed_of(parts: tuple[str, ...]) -> tuple[Feed | None, int]:
    """The feed whose folder holds ``parts``, and how many parts name that folder."""
    for feed in ALL_FEEDS:
        folder = tuple(feed.folder.split("/"))
        if parts[: len(folder)] == folder and len(parts) > len(folder):
            return feed, len(folder)
    return None, 0


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def place(landing: Path, path: Path) -> Placement:
    """Where ``path`` (a file or symlink under ``landing``) belongs and whether it is read."""
    root = landing.resolve()
    parts = path.relative_to(landing).parts
    relpath = "/".join(parts)
    feed, depth = _feed_of(parts)
    rest = parts[depth:]
    folder_date = arrival_of(rest[0]) if len(rest) > 1 else None
    feed_name = feed.name if feed else NO_FEED

    def rejected(why: str) -> Placement:
        return Placement(relpath, feed_name, folder_date, f"file {relpath} {why}")

    if feed is None:
        if parts[0] == "admin" and len(parts) > 2:
            return rejected(f"is in admin/{parts[1]}, which is not an admin table")
        feeds = ", ".join(f.folder for f in ALL_FEEDS if not f.is_admin)
        return rejected(f"is not in a feed folder ({feeds} or admin/<table>)")
    if any(part.startswith(".") for part in rest):
        return rejected("is hidden (its name or a folder's starts with a dot)")
    if len(rest) == 1:
        return rejected(f"lies directly in {feed.folder}/, not in an arrived=YYYY-MM-DD folder")
    if folder_date is None:
        return rejected(f"is in folder {rest[0]}, which is not arrived=YYYY-MM-DD with a real date")
    if len(rest) > 2:
        return rejected(f"is in a nested folder ({'/'.join(rest[1:-1])}) inside {rest[0]}")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        shown = path.suffix or "no extension"
        return rejected(f"has {shown}; only .csv, .parquet and .jsonl files are read")
    if path.is_symlink():
        if not _inside(path, root):
            return rejected("is a symlink leading out of the landing zone; it is not followed")
        if not path.resolve().is_file():
            return rejected("is a symlink to something that is not a file; it is not followed")
    if not os.access(path, os.R_OK):
        return rejected("cannot be opened for reading (permission denied)")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return rejected(f"cannot be opened for reading ({exc.strerror or 'error'})")
    return Placement(relpath, feed_name, folder_date, None)


def walk(landing: Path, under: str | None = None) -> Iterator[tuple[Path, Placement]]:
    """Every regular file and symlink under ``landing`` (or its folder ``under``) with its
    placement, in path order. Symlinked folders are reported, never entered."""
    top = landing / under if under else landing
    if not top.is_dir() or top.is_symlink():
        return
    found: list[Path] = []
    for folder, dirs, files in os.walk(top, followlinks=False):
        base = Path(folder)
        for name in dirs:
            if (base / name).is_symlink():
                found.append(base / name)
        found.extend(base / name for name in files)
    for path in sorted(found, key=lambda p: p.relative_to(landing).parts):
        if path.is_symlink() and path.resolve().is_dir():
            relpath = path.relative_to(landing).as_posix()
            feed, depth = _feed_of(path.relative_to(landing).parts)
            rest = path.relative_to(landing).parts[depth:]
            yield path, Placement(
                relpath,
                feed.name if feed else NO_FEED,
                arrival_of(rest[0]) if len(rest) > 1 else None,
                f"file {relpath} is a symlink to a folder; it is not followed",
            )
            continue
        if path.is_symlink() or path.is_file():
            yield path, place(landing, path)
