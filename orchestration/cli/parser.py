"""The ``tallyhouse`` argument parser: one subcommand per job."""

from __future__ import annotations

import argparse

from orchestration.cli.backtest import cmd_backtest
from orchestration.cli.demo import cmd_demo
from orchestration.cli.export import cmd_export
from orchestration.cli.generate import cmd_generate
from orchestration.cli.run import cmd_run
from orchestration.settings import DEFAULT_LOCAL_DIR, ENGINES

DEFAULT_DEMO_SCALE = 200_000


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (and where to read more) instead of the
    whole usage text."""

    def error(self, message: str):
        self.exit(2, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def _month(text: str) -> str:
    """An argparse type: a month as YYYY-MM."""
    import re

    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"must be a month as YYYY-MM, got {text!r}")
    return text


def _at_least(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number of at least {minimum}, got {text!r}"
            )
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tallyhouse",
        description="Usage-billing warehouse: land meter readings and service events, get bills.",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    generate = commands.add_parser(
        "generate",
        help="write a realistic synthetic landing zone",
        description="Write a deterministic, realistic synthetic landing zone.",
    )
    generate.add_argument("--out", required=True, help="folder to write the landing zone into")
    generate.add_argument(
        "--scale",
        type=_at_least(1),
        default=DEFAULT_DEMO_SCALE,
        help=f"number of meter readings (default {DEFAULT_DEMO_SCALE:,})",
    )
    generate.add_argument("--seed", type=_at_least(0), default=7, help="random seed (default 7)")
    generate.set_defaults(func=cmd_generate)

    run = commands.add_parser(
        "run",
        help="materialize every asset through Dagster, checks included",
        description="Ingest the landing zone and build every mart as of a time; exits non-zero "
        "when a blocking check fails. Settings default to the TALLYHOUSE_* variables.",
    )
    run.add_argument("--landing", help="landing zone folder (TALLYHOUSE_LANDING)")
    run.add_argument("--warehouse", help="DuckDB warehouse file (TALLYHOUSE_WAREHOUSE)")
    run.add_argument(
        "--as-of",
        dest="as_of",
        help="as-of time, ISO-8601, no offset = UTC (TALLYHOUSE_AS_OF; default now)",
    )
    run.add_argument(
        "--grace-hours",
        dest="grace_hours",
        type=_at_least(0),
        help="hours after a period's end that still count (TALLYHOUSE_GRACE_HOURS; default 48)",
    )
    run.add_argument(
        "--lock-wait",
        dest="lock_wait",
        type=float,
        help="seconds to wait while another run holds the warehouse "
        "(TALLYHOUSE_LOCK_WAIT_SECONDS; default 60)",
    )
    run.add_argument(
        "--full-refresh",
        dest="full_refresh",
        action="store_true",
        help="rebuild the incremental models from scratch instead of reusing the rows of "
        "unchanged files and periods (TALLYHOUSE_FULL_REFRESH=1); the marts are the same",
    )
    run.add_argument(
        "--engine",
        choices=ENGINES,
        help="what builds the dbt models: duckdb, in the warehouse file, or spark, with Apache "
        "Spark (needs Java 17 and `pip install tallyhouse[spark]`; TALLYHOUSE_ENGINE; default "
        "duckdb); the marts and the publication are the same",
    )
    run.add_argument(
        "--verbose", action="store_true",
        help="print everything Dagster and dbt say (always written to the run's log file)",
    )
    run.add_argument(
        "--publish-dir",
        dest="publish_dir",
        help="folder BI tools read the published marts from (TALLYHOUSE_PUBLISH_DIR; default "
        "published/ beside the warehouse)",
    )
    run.add_argument(
        "--lock-timeout",
        dest="lock_timeout",
        help="seconds to wait for another process that holds the warehouse open "
        "(TALLYHOUSE_LOCK_TIMEOUT; default 60)",
    )
    run.set_defaults(func=cmd_run)

    demo = commands.add_parser(
        "demo",
        help="generate a landing zone, run it, and say where to look",
        description="Generate a landing zone into a local folder, run the pipeline on it and "
        "print where the warehouse is.",
    )
    demo.add_argument(
        "--dir",
        default=str(DEFAULT_LOCAL_DIR / "demo"),
        help="folder for the demo landing zone and warehouse",
    )
    demo.add_argument(
        "--scale",
        type=_at_least(1),
        default=DEFAULT_DEMO_SCALE,
        help=f"number of meter readings (default {DEFAULT_DEMO_SCALE:,})",
    )
    demo.add_argument("--seed", type=_at_least(0), default=7, help="random seed (default 7)")
    demo.add_argument(
        "--as-of",
        dest="as_of",
        default="2026-11-05T00:00:00Z",
        help="as-of time of the demo run (default 2026-11-05T00:00:00Z)",
    )
    demo.add_argument(
        "--regenerate", action="store_true", help="write the landing zone again even when it exists"
    )
    demo.add_argument(
        "--verbose", action="store_true",
        help="print everything Dagster and dbt say (always written to the run's log file)",
    )
    demo.set_defaults(func=cmd_demo)
    export = commands.add_parser(
        "export",
        help="write a period's bills as CSV, one file per unit type",
        description="Export marts.billing_readings of one period as CSV files, one per billing "
        "type (unit type), with exact decimal strings.",
    )
    export.add_argument(
        "--period", type=_month, help="YYYY-MM (default: the latest finalized period)"
    )
    export.add_argument("--out", required=True, help="folder to write the CSV files into")
    export.add_argument("--client", help="only this client's rows")
    export.add_argument("--warehouse", help="DuckDB warehouse file (TALLYHOUSE_WAREHOUSE)")
    export.set_defaults(func=cmd_export)
    backtest = commands.add_parser(
        "backtest",
        help="score the projections against finalized periods (MAPE per aggregation)",
        description="Build a warehouse per landing zone, replay every finalized period a few "
        "days in with only the records known then, and print the mean absolute percentage "
        "error of each method's projected final usage, per aggregation.",
    )
    backtest.add_argument(
        "--landing", required=True,
        help="landing zone; with --seeds, the folder that holds one generated zone per seed",
    )
    backtest.add_argument("--seeds", help="generator seeds, e.g. 7,11 (zones DIR/seed=S)")
    backtest.add_argument(
        "--days", default="5,10,15,20,25", help="replay days (default 5,10,15,20,25)"
    )
    backtest.add_argument(
        "--scale", type=_at_least(1), default=DEFAULT_DEMO_SCALE,
        help=f"meter readings per generated zone (default {DEFAULT_DEMO_SCALE:,})",
    )
    backtest.add_argument(
        "--as-of", dest="as_of", help="as-of time of the builds (default: the latest arrival)"
    )
    backtest.add_argument(
        "--grace-hours", dest="grace_hours", type=_at_least(0), help="default 48"
    )
    backtest.add_argument(
        "--warehouse-dir", dest="warehouse_dir", default=str(DEFAULT_LOCAL_DIR / "backtest"),
        help="folder for the backtest warehouses",
    )
    backtest.set_defaults(func=cmd_backtest)
    return parser
