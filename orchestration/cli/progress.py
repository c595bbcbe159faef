"""The terminal view of ``tallyhouse run``: a few lines, one per phase, and a live status line.

Phases: discover (the landing zone's files), ingest (files and rows per second), checks (the
expectation suites on the raw feeds), dbt (nodes k of N), publish and period closes. On a
terminal the current phase is a spinner line with its elapsed time, refreshed several times
a second; when the output is not a terminal (a pipe, a CI log), a line says where the run is
whenever nothing was printed for ``HEARTBEAT_SECONDS``.

Everything Dagster and dbt say goes to a log file (its path is printed first); with
``verbose`` it goes to the terminal too, line by line, and the view prints nothing else.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from dagster import Field, logger

HEARTBEAT_SECONDS = 10.0
# dbt's result lines: "12 of 255 OK created sql table model marts.invoices ..... [OK in 0.1s]"
DBT_RESULT = re.compile(
    r"\b(?P<k>\d+) of (?P<n>\d+) (?P<status>OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)(?P<rest>\s.*|$)"
)
DBT_NODE = re.compile(r"\b(?:model|seed|snapshot|test) (?P<name>[\w.]+)|(?P<test>\w+) \.")
# ingest's line per file: "meter_readings: [3/9] <path>: loaded, 1,000 rows seen, 990 loaded"
INGEST_FILE = re.compile(r"^\S+: \[\d+/\d+\] .*: (?P<status>\w+), (?P<seen>[\d,]+) rows seen")

_CURRENT: RunProgress | None = None  # the view the Dagster logger reports to


def log_path_for(warehouse: Path, now: datetime | None = None) -> Path:
    """``<warehouse folder>/logs/run-<UTC time>-<pid>.log``."""
    import os

    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return warehouse.parent / "logs" / f"run-{stamp}-{os.getpid()}.log"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}m{rest:02d}s"


@dataclass
class Phase:
    name: str
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    detail: str = ""

    def elapsed(self) -> float:
        return (self.ended or time.monotonic()) - self.started


@dataclass
class Counters:
    files: int = 0
    rows: int = 0
    last_file_at: float | None = None  # when ingest reported its last file
    materializations: int = 0  # recorded by the ingest step (one per raw table and day)
    checks_passed: int = 0
    checks_failed: int = 0
    dbt_done: set[int] = field(default_factory=set)
    dbt_total: int = 0
    dbt_failed: int = 0
    dbt_last: str = ""


class _Lines(io.TextIOBase):
    """A text stream that hands every complete line to ``sink``."""

    def __init__(self, sink) -> None:
        self._sink = sink
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._sink(line)
        return len(text)

    def flush(self) -> None:
        pass


class RunProgress:
    """The view of one ``tallyhouse run`` (both of its Dagster runs)."""

    def __init__(self, log_path: Path, verbose: bool = False, out: TextIO | None = None) -> None:
        self.log_path = log_path
        self.verbose = verbose
        self.out = out or sys.stdout
        self.counters = Counters()
        self.phases: list[Phase] = []
        self._lock = threading.RLock()
        self._log: TextIO | None = None
        self._live = None
        self._last_output = time.monotonic()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        self._started = time.monotonic()

    # -- life cycle --------------------------------------------------------------------
    def __enter__(self) -> RunProgress:
        global _CURRENT
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115
        self.say(f"log: {self.log_path}")
        if not self.verbose and self._is_terminal():
            from rich.console import Console
            from rich.live import Live

            console = Console(file=self.out)
            self._live = Live(
                _Renderable(self), console=console, refresh_per_second=4, transient=True,
                redirect_stdout=False, redirect_stderr=False,
            )
            self._live.start()
        elif not self.verbose:
            self._heartbeat = threading.Thread(target=self._beat, daemon=True)
            self._heartbeat.start()
        _CURRENT = self
        return self

    def __exit__(self, *exc_info) -> None:
        global _CURRENT
        self.end_phase()
        _CURRENT = None
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=5)
        if self._live is not None:
            self._live.stop()
        if self._log is not None:
            self._log.close()

    def _is_terminal(self) -> bool:
        return bool(getattr(self.out, "isatty", lambda: False)())

    @contextlib.contextmanager
    def capture(self):
        """Standard output and error (dbt's lines, warnings) into the log, within the block."""
        with contextlib.redirect_stdout(_Lines(self.output_line)), contextlib.redirect_stderr(
            _Lines(self.output_line)
        ):
            yield

    # -- what the terminal shows -------------------------------------------------------
    def say(self, line: str) -> None:
        """A line for the terminal (and the log)."""
        with self._lock:
            self._write_log(line)
            if self._live is not None:
                self._live.console.print(line, highlight=False, markup=False, soft_wrap=True)
            else:
                print(line, file=self.out, flush=True)
            self._last_output = time.monotonic()

    def start_phase(self, name: str) -> None:
        with self._lock:
            current = self.phases[-1] if self.phases else None
            if current is not None and current.ended is None and current.name == name:
                return
            self.end_phase()
            self.phases.append(Phase(name))

    def end_phase(self) -> None:
        with self._lock:
            if not self.phases or self.phases[-1].ended is not None:
                return
            phase = self.phases[-1]
            phase.ended = time.monotonic()
            if not self.verbose:
                self.say(self.phase_line(phase))

    def phase_line(self, phase: Phase) -> str:
        detail = self.detail(phase)
        return f"  {phase.name:<10} {detail:<58} {_duration(phase.elapsed()):>7}"

    def detail(self, phase: Phase) -> str:
        c = self.counters
        if phase.name == "ingest":
            # the rate over the loading itself; Dagster then records a materialization per
            # raw table and arrival day, which the elapsed time includes
            loading = (c.last_file_at or time.monotonic()) - phase.started
            rate = c.rows / loading if loading > 0 else 0.0
            text = f"{c.files:,} files, {c.rows:,} rows ({rate:,.0f} rows/s)"
            if c.last_file_at is not None and time.monotonic() - c.last_file_at > 5:
                quiet = (phase.ended or time.monotonic()) - c.last_file_at
                text += (f"; {_duration(quiet)} recording {c.materializations:,} "
                         "materializations")
            return text
        if phase.name == "checks":
            failed = f", {c.checks_failed} failed" if c.checks_failed else ""
            return f"{c.checks_passed + c.checks_failed} expectation suites{failed}"
        if phase.name == "dbt":
            failed = f", {c.dbt_failed} failed" if c.dbt_failed else ""
            total = c.dbt_total or "?"
            last = f"  {c.dbt_last}" if phase.ended is None and c.dbt_last else ""
            return f"{len(c.dbt_done)} of {total} models and tests{failed}{last}"
        if phase.name == "verify" and not phase.detail:
            return "checks on the built marts (freshness, previous period)"
        return phase.detail

    def status_line(self) -> str:
        with self._lock:
            if not self.phases or self.phases[-1].ended is not None:
                return f"running  {_duration(time.monotonic() - self._started)}"
            phase = self.phases[-1]
            return f"{phase.name} {self.detail(phase)}  {_duration(phase.elapsed())}"

    def _beat(self) -> None:
        while not self._stop.wait(1.0):
            if time.monotonic() - self._last_output >= HEARTBEAT_SECONDS:
                self.say(f"  ... {self.status_line()}")

    # -- what Dagster and dbt say ------------------------------------------------------
    def _write_log(self, line: str) -> None:
        if self._log is not None:
            self._log.write(line + "\n")
            self._log.flush()

    def output_line(self, line: str) -> None:
        """A line dbt (or anything else in the run) wrote to standard output or error."""
        with self._lock:
            self._write_log(line)
            if self.verbose:
                print(line, file=self.out, flush=True)
            match = DBT_RESULT.search(line)
            if match:
                c = self.counters
                c.dbt_total = int(match["n"])
                c.dbt_done.add(int(match["k"]))
                if match["status"] in ("ERROR", "FAIL"):
                    c.dbt_failed += 1
                node = DBT_NODE.search(match["rest"])
                if node:
                    c.dbt_last = node["name"] or node["test"] or ""

    def record(self, record: logging.LogRecord) -> None:
        """A Dagster log record of the run (from ``progress_logger``)."""
        meta = getattr(record, "dagster_meta", None) or {}
        message = record.getMessage()
        stamp = datetime.fromtimestamp(record.created, UTC).strftime("%H:%M:%S")
        line = f"{stamp} {record.levelname:<7} {message}"
        with self._lock:
            self._write_log(line)
            if self.verbose:
                print(line, file=self.out, flush=True)
            step = meta.get("step_key") or ""
            event = meta.get("dagster_event")
            kind = getattr(event, "event_type_value", None)
            if kind == "STEP_START":
                self.start_phase(phase_of_step(step))
            elif kind == "ASSET_MATERIALIZATION" and phase_of_step(step) == "ingest":
                self.counters.materializations += 1
            elif kind == "ASSET_CHECK_EVALUATION" and phase_of_step(step) == "checks":
                passed = getattr(event.event_specific_data, "passed", True)
                if passed:
                    self.counters.checks_passed += 1
                else:
                    self.counters.checks_failed += 1
            original = meta.get("orig_message") or ""
            match = INGEST_FILE.match(original)
            if match and match["status"] != "already_loaded":
                self.counters.files += 1
                self.counters.rows += int(match["seen"].replace(",", ""))
                self.counters.last_file_at = time.monotonic()


def phase_of_step(step_key: str) -> str:
    """The phase a Dagster step belongs to, from its key."""
    if "ingest" in step_key:
        return "ingest"
    if "tallyhouse_dbt" in step_key:
        return "dbt"
    if "gx_" in step_key:
        return "checks"
    if "publish" in step_key:
        return "publish"
    if "period_close" in step_key:
        return "close"
    # the remaining steps are the checks on the built marts (freshness, previous period)
    return "verify" if step_key else "run"


class _Renderable:
    """The live line: a spinner, the phase, its progress and elapsed time."""

    def __init__(self, progress: RunProgress) -> None:
        from rich.spinner import Spinner

        self._progress = progress
        self._spinner = Spinner("dots")

    def __rich_console__(self, console, options):
        from rich.text import Text

        self._spinner.text = Text(self._progress.status_line())
        yield self._spinner


class _Forward(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        if _CURRENT is not None:
            _CURRENT.record(record)


@logger(
    config_schema={"log_level": Field(str, is_required=False, default_value="INFO")},
    description="Everything the run logs, to the run's log file and the progress view of "
    "tallyhouse run.",
)
def progress_logger(init_context) -> logging.Logger:
    level = init_context.logger_config["log_level"]
    log = logging.Logger("tallyhouse.run", level=logging.getLevelName(level.upper()))
    log.addHandler(_Forward())
    return log
