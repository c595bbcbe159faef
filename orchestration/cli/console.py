"""What the command line prints: progress lines on standard output, problems on standard
error."""

from __future__ import annotations

import sys


def say(message: str) -> None:
    print(message, flush=True)


def error(message: str) -> None:
    """One line on standard error that says what to fix."""
    print(f"error: {message}", file=sys.stderr, flush=True)
