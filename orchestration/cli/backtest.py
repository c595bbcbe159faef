"""``tallyhouse backtest``: score the projections against finalized periods."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.cli.console import error as _error
from orchestration.cli.console import say as _print
from orchestration.cli.run import run_pipeline
from orchestration.settings import SettingsError, load_settings


def _whole_numbers(flag: str, text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise SettingsError(
            f"{flag} must be whole numbers separated by commas (e.g. 5,10,15), got {text!r}"
        ) from None


def cmd_backtest(args: argparse.Namespace) -> int:
    from orchestration import backtest

    def build(landing: Path, warehouse: Path, as_of: str) -> int:
        return run_pipeline(load_settings(landing, warehouse, as_of, args.grace_hours))

    try:
        seeds = _whole_numbers("--seeds", args.seeds) if args.seeds else []
        days = _whole_numbers("--days", args.days)
        return backtest.run(
            Path(args.landing), Path(args.warehouse_dir), seeds, days, args.scale, args.as_of,
            build, _print,
        )
    except SettingsError:
        raise
    except ValueError as exc:
        _error(str(exc))
        return 2
