"""SHA-256 digests of files, folders and text: the one place the project hashes anything.

Ingest keys landed files on their content, code versions and the dbt parse stamp key on the
files they were made from; all of them hash the same way, here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_BLOCK = 1 << 20


def text_digest(text: str, length: int | None = None) -> str:
    """The hex SHA-256 of ``text`` (UTF-8), cut to ``length`` characters when given."""
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def file_digest(path: Path) -> str:
    """The hex SHA-256 of one file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def files_digest(paths: Iterable[Path], root: Path, length: int | None = None) -> str:
    """One hex SHA-256 over several files: each file's path relative to ``root``, then its
    bytes, in path order; a renamed or changed file changes it."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:length]
