"""``tallyhouse export``: a period's bills as CSV files."""

from __future__ import annotations

import argparse
from pathlib import Path

from orchestration.cli.console import error as _error
from orchestration.cli.console import say as _print
from orchestration.settings import load_settings


def cmd_export(args: argparse.Namespace) -> int:
    from orchestration.export import export_period

    settings = load_settings(warehouse=args.warehouse, as_of=None)
    if not settings.warehouse.exists():
        _error(
            f"warehouse {settings.warehouse} does not exist: run tallyhouse run first, or set "
            "--warehouse or TALLYHOUSE_WAREHOUSE"
        )
        return 2
    try:
        written = export_period(settings.warehouse, Path(args.out), args.period, args.client)
    except ValueError as exc:
        _error(str(exc))
        return 2
    except OSError as exc:
        _print(f"error: cannot write the export to {args.out}: {exc.strerror or exc}")
        return 2
    for path, rows in written:
        _print(f"{path}: {rows:,} rows")
    if not written:
        _print(
            "nothing to export for that period"
            + (f" and client {args.client}" if args.client else "")
        )
    return 0
