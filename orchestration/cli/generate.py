"""``tallyhouse generate``: write a synthetic landing zone."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from orchestration.cli.console import say as _print


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.generator import generate_landing

    started = time.monotonic()
    counts = generate_landing(Path(args.out), scale=args.scale, seed=args.seed, progress=_print)
    elapsed = time.monotonic() - started
    summary = ", ".join(f"{k}={v:,}" for k, v in counts.items())
    _print(f"landing zone written to {Path(args.out).resolve()} in {elapsed:.1f}s ({summary})")
    return 0
