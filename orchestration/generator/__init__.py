"""A deterministic, realistic synthetic landing zone (CONTRACT section 2).

Three kinds of customers use the platform from 2026-07-01 to 2026-11-04, each day's records
landing the next day:

- dealership groups spend on AI, chat and image services per branch (service events whose
  project is the branch);
- contact centres whose agents send and receive SMS, email and WhatsApp, take and make calls
  and video calls and run bots (service events with user_id and direction);
- infrastructure customers whose compute, storage and network assets report meter readings
  of every meter kind: delta, cumulative counters (with a few resets) and gauges.

Admin snapshots change over time (a new bucket, a new asset, a client added, a price change,
a suppression rule added, monthly payment snapshots). Usage limits sit 10% above each
client's expected monthly charges; a batch worker Acme starts in November, which neither its
commit nor its limit was sized for, takes its projected charges over the limit (at_risk).
Some records land late, after their month's cutoff, so that the warehouse books adjustments;
a small share of rows is bad (one of every usage reason code of CONTRACT 2.4), some readings
and events are resent, and one file is landed twice.

Bulk rows are generated one arrival day at a time (at most ``MAX_FILE_ROWS`` rows a file)
with numpy and written with pyarrow, so memory stays flat whatever the scale. The same
seed and scale give byte-identical files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from orchestration.generator.admin import write_admin
from orchestration.generator.bad_rows import Tally
from orchestration.generator.catalog import DEFAULT_BAD_ROW_SHARE
from orchestration.generator.plan import make_plan
from orchestration.generator.usage import write_usage
from orchestration.ingest.feeds import FEEDS_BY_NAME

__all__ = ["generate_landing"]

LANDING_FOLDERS = ("meter_readings", "service_events", "admin")


def generate_landing(
    out: Path,
    scale: int,
    seed: int,
    progress: Callable[[str], None],
    bad_rows: float = DEFAULT_BAD_ROW_SHARE,
) -> dict[str, int]:
    """Write a landing zone of ``scale`` meter readings (and about scale/4 service events)
    into ``out``; the same arguments always give the same bytes. ``bad_rows`` is the share of
    usage rows that break a contract rule (0 for none). Returns what was written."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    out = Path(out)
    for folder in LANDING_FOLDERS:
        if (out / folder).exists():
            shutil.rmtree(out / folder)
    out.mkdir(parents=True, exist_ok=True)
    plan = make_plan(scale, seed, bad_rows)
    tally = Tally()
    write_admin(out, plan, tally)
    progress(f"admin: {tally.admin_files} snapshots of {len(_admin_tables())} tables")
    write_usage(out, plan, tally, progress)
    return {
        "meter_readings": tally.meter_readings,
        "service_events": tally.service_events,
        "late_rows": tally.late_rows,
        "bad_rows": tally.bad_rows,
        "duplicate_rows": tally.duplicate_rows,
        "relanded_files": tally.relanded_files,
        "admin_snapshots": tally.admin_files,
        "files": tally.files,
    }


def _admin_tables() -> list[str]:
    return [name.removeprefix("admin/") for name in FEEDS_BY_NAME if name.startswith("admin/")]
