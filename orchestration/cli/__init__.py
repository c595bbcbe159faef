"""The ``tallyhouse`` command line: generate, run, demo, export, backtest.

``main`` parses the arguments (``parser``) and runs the command's module (``run``,
``demo``, ``generate``, ``export``, ``backtest``); a problem a person must fix is one line on
standard error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from orchestration.cli.console import error as _error
from orchestration.cli.parser import build_parser
from orchestration.cli.run import run_pipeline
from orchestration.defs.transform.manifest import prepare_dbt_manifest
from orchestration.settings import SettingsError, put_python_bin_on_path

__all__ = [
    "build_parser",
    "main",
    "prepare_dbt_manifest",
    "put_python_bin_on_path",
    "run_pipeline",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; a problem a person must fix is one line on standard error (exit 2)."""
    import duckdb

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except SettingsError as exc:
        _error(str(exc))
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        _error(f"cannot use{where}: {(exc.strerror or str(exc)).lower()}")
    except duckdb.Error as exc:
        from orchestration.cli.preflight import describe_duckdb_error

        warehouse = getattr(args, "warehouse", None) or os.environ.get("TALLYHOUSE_WAREHOUSE")
        _error(describe_duckdb_error(exc, Path(warehouse or "the warehouse")))
    return 2


if __name__ == "__main__":
    sys.exit(main())
