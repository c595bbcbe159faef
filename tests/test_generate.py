"""The synthetic landing zone: deterministic, laid out as CONTRACT section 2 says, realistic,
and billable end to end by ``tallyhouse run``.

Every expectation is read back from the written files (CSV, Parquet, JSON lines) with DuckDB
or the csv module and checked against the contract's own tables, never against the
generator's counters.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.generator import generate_landing
from orchestration.ingest.loader import SECRET_PATTERN
from tests.fixtures.generated import (
    ADMIN_COLUMNS,
    EVENT_COLUMNS,
    EVENT_REASONS,
    EVENT_REQUIRED,
    FITTING_AGGREGATIONS,
    LANDED_PATH,
    READING_COLUMNS,
    READING_REASONS,
    READING_REQUIRED,
    SCALE,
    SERVICE_PAIRS,
    generated_landing,
)
from tests.fixtures.generated import (
    admin_snapshots as _admin,
)
from tests.fixtures.generated import (
    committed_amount as _committed_amount,
)
from tests.fixtures.generated import (
    files as _files,
)
from tests.fixtures.generated import (
    hashes as _hashes,
)
from tests.fixtures.generated import (
    newest as _newest,
)
from tests.fixtures.generated import (
    quiet as _quiet,
)
from tests.fixtures.generated import (
    text_rows as _text_rows,
)


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated_landing(tmp_path_factory.mktemp("generated") / "landing")



# ---------------------------------------------------------------------------------------------


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(
    landing: Path, tmp_path: Path
) -> None:
    generate_landing(tmp_path / "again", scale=SCALE, seed=7, progress=_quiet)
    generate_landing(tmp_path / "other", scale=SCALE, seed=8, progress=_quiet)
    first = _hashes(landing)
    assert _hashes(tmp_path / "again") == first
    other = _hashes(tmp_path / "other")
    usage = [p for p in first if not p.startswith("admin/")]
    changed = [p for p in usage if other.get(p) != first[p]]
    assert len(changed) > len(usage) // 2


def test_layout_and_headers_follow_the_contract(landing: Path) -> None:
    paths = [p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file()]
    for path in paths:
        match = LANDED_PATH.match(path)
        assert match, f"{path} is not where CONTRACT section 2 puts landed files"
        if match.group(3):
            assert match.group(3) == match.group(4)  # admin/<table>/.../<table>.csv
    for feed, columns, required in (
        ("meter_readings", READING_COLUMNS, READING_REQUIRED),
        ("service_events", EVENT_COLUMNS, EVENT_REQUIRED),
    ):
        for suffix in ("csv", "parquet", "jsonl"):
            assert _files(landing, feed, suffix), f"{feed} has no .{suffix} file"
        for path in _files(landing, feed, "csv"):
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            assert set(header) == columns, path
        for path in _files(landing, feed, "parquet"):
            names = set(pq.read_schema(path).names)
            assert required <= names <= columns, path
        for path in _files(landing, feed, "jsonl"):
            for line in path.read_text(encoding="utf-8").splitlines():
                assert set(json.loads(line)) == columns, path
    assert {p.name for p in (landing / "admin").iterdir()} == set(ADMIN_COLUMNS)
    for table, columns in ADMIN_COLUMNS.items():
        snapshots = sorted((landing / "admin" / table).glob("arrived=*/*.csv"))
        assert snapshots, table
        for path in snapshots:
            header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
            assert header == columns.split(), path


def test_usage_runs_from_july_to_november_and_some_lands_after_the_cutoff(landing: Path) -> None:
    con = _text_rows(landing, "meter_readings")
    first, last, early, late = con.execute(
        """
        with typed as (
            select arrived, try_cast(reading_ts as timestamptz) as happened from rows
        )
        select min(happened), max(happened),
               count(*) filter (where happened >= arrived),
               count(*) filter (
                   where arrived
                         > date_trunc('month', happened) + interval 1 month + interval 48 hour
               )
        from typed where happened is not null
        """
    ).fetchone()
    assert first.date() == date(2026, 7, 1)
    assert last.date() == date(2026, 11, 4)
    assert early == 0  # nothing lands before it happened
    assert late > 0  # readings of a month that land after its cutoff
    con = _text_rows(landing, "service_events")
    late_events = con.execute(
        """
        select count(*) from rows
        where arrived > date_trunc('month', try_cast(event_ts as timestamptz))
                        + interval 1 month + interval 48 hour
        """
    ).fetchone()[0]
    assert late_events > 0
    arrivals = {p.parent.name for p in (landing / "meter_readings").glob("arrived=*/*")}
    assert "arrived=2026-07-02" in arrivals and "arrived=2026-11-05" in arrivals


def _reading_reasons(con: duckdb.DuckDBPyConnection, unit_types: set[str]) -> dict[str, int]:
    known = ", ".join(f"'{u}'" for u in sorted(unit_types))
    rows = con.execute(
        f"""
        select case
            when coalesce(asset_id, '') = '' or coalesce(source_type, '') = ''
                 or coalesce(unit_type, '') = '' or coalesce(reading_ts, '') = ''
                 or coalesce(value, '') = '' then 'missing_field'
            when lower(trim(value)) in ('nan', 'inf', '-inf', '+inf', 'infinity', '-infinity')
                then 'non_finite_number'
            when try_cast(value as decimal(38, 10)) is null then 'unparsable_number'
            when try_cast(value as decimal(38, 10)) < 0 then 'negative_value'
            when try_cast(reading_ts as timestamptz) is null then 'unparsable_timestamp'
            when unit_type not in ({known}) then 'unknown_unit_type'
        end as reason, count(*)
        from rows group by all
        """
    ).fetchall()
    return {reason: count for reason, count in rows}


def _event_reasons(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    pairs = ", ".join(f"'{s}/{d}'" for s, d in SERVICE_PAIRS)
    rows = con.execute(
        f"""
        select case
            when coalesce(event_id, '') = '' or coalesce(client_id, '') = ''
                 or coalesce(service, '') = '' or coalesce(event_ts, '') = ''
                 or coalesce(quantity, '') = '' then 'missing_field'
            when lower(trim(quantity)) in ('nan', 'inf', '-inf', '+inf', 'infinity', '-infinity')
                then 'non_finite_number'
            when try_cast(quantity as decimal(38, 10)) is null then 'unparsable_number'
            when try_cast(quantity as decimal(38, 10)) <= 0 then 'non_positive_quantity'
            when try_cast(event_ts as timestamptz) is null then 'unparsable_timestamp'
            when lower(service) || '/' || coalesce(nullif(lower(direction), ''), 'out')
                 not in ({pairs}) then 'unknown_service'
        end as reason, count(*)
        from rows group by all
        """
    ).fetchall()
    return {reason: count for reason, count in rows}


def test_default_output_has_a_few_bad_rows_of_every_reason(landing: Path) -> None:
    unit_types = {row["unit_type"] for row in _newest(landing, "unit_types")}
    readings = _reading_reasons(_text_rows(landing, "meter_readings"), unit_types)
    events = _event_reasons(_text_rows(landing, "service_events"))
    assert set(readings) >= READING_REASONS, readings
    assert set(events) >= EVENT_REASONS, events
    for counts in (readings, events):
        bad = sum(n for reason, n in counts.items() if reason is not None)
        assert bad < 0.05 * sum(counts.values())  # far from the expectation gate's 50 %


def test_no_bad_rows_when_asked_for_none(tmp_path: Path) -> None:
    generate_landing(tmp_path, scale=2_000, seed=3, progress=_quiet, bad_rows=0)
    unit_types = {row["unit_type"] for row in _newest(tmp_path, "unit_types")}
    readings = _reading_reasons(_text_rows(tmp_path, "meter_readings"), unit_types)
    events = _event_reasons(_text_rows(tmp_path, "service_events"))
    assert set(readings) == {None} and set(events) == {None}


def test_resent_records_and_a_file_landed_twice(landing: Path) -> None:
    for feed, key in (("meter_readings", "reading_id"), ("service_events", "event_id")):
        con = _text_rows(landing, feed)
        resent = con.execute(
            f"""
            select count(*) from (
                select {key} from rows where coalesce({key}, '') <> ''
                group by {key} having count(distinct file) > 1 and count(distinct arrived) > 1
            )
            """
        ).fetchone()[0]
        assert resent > 0, feed
    by_content = defaultdict(list)
    for path in landing.glob("*/arrived=*/*"):
        by_content[hashlib.sha256(path.read_bytes()).hexdigest()].append(path)
    twice = [paths for paths in by_content.values() if len(paths) > 1]
    assert twice
    assert any(len({p.parent.name for p in paths}) > 1 for paths in twice)
    assert any(len({p.name for p in paths}) > 1 for paths in twice)


def test_configuration_is_valid(landing: Path) -> None:
    unit_types = {row["unit_type"]: row for row in _newest(landing, "unit_types")}
    for row in unit_types.values():
        assert row["aggregation"] in FITTING_AGGREGATIONS[row["meter_kind"]], row
    for service_unit in SERVICE_PAIRS.values():
        assert unit_types[service_unit]["meter_kind"] == "delta"
    assert any(r["auto_provision"] == "true" and r["filter_pattern"] for r in unit_types.values())
    used: set[str] = set()
    for arrived, buckets in _admin(landing, "buckets").items():
        enabled = [b for b in buckets if b["enabled"] == "true"]
        keys = [(b["client_id"], b["source_type"], b["unit_type"]) for b in enabled]
        assert len(keys) == len(set(keys)), f"two enabled buckets alike in {arrived}"
        for bucket in enabled:
            unit = unit_types[bucket["unit_type"]]
            aggregation = bucket["aggregation"] or unit["aggregation"]
            used.add(aggregation)
            if bucket["source_type"] == "services":
                assert aggregation in {"sum", "count", "unique_count"}, bucket
            else:
                assert aggregation in FITTING_AGGREGATIONS[unit["meter_kind"]], bucket
            # created by the day its snapshot lands (local midnight at the latest): it bills the
            # period it lands in and every later one
            created = datetime.fromisoformat(bucket["created_at"])
            assert created <= datetime.combine(arrived + timedelta(days=1), time(), UTC), bucket
    assert used == {"sum", "count", "max", "latest", "time_weighted_avg", "unique_count"}


def test_the_customer_base_is_realistic(landing: Path) -> None:
    clients = _newest(landing, "clients")
    assert any(c["timezone"] not in ("", "UTC") for c in clients)
    assert len(_admin(landing, "clients")) > 1  # a client added later
    assets = _newest(landing, "assets")
    assert any(a["client_id"] == "" for a in assets)
    disregarded = {row["asset_id"] for row in _newest(landing, "disregarded_assets")}
    assert disregarded and disregarded <= {a["asset_id"] for a in assets}
    keys = _newest(landing, "api_keys")
    assert all(re.fullmatch(r"[0-9a-f]{64}", k["key_hash"]) for k in keys)
    for path in (landing / "admin").rglob("*.csv"):
        for row in csv.reader(path.open(encoding="utf-8")):
            assert not any(re.match(SECRET_PATTERN, value) for value in row), path
    users = _newest(landing, "users")
    assert {u["role"] for u in users} >= {"agent", "supervisor"}
    assert all(u["channels"] for u in users)
    grants = _newest(landing, "credit_grants")
    assert any(g["expires_at"][:7] == g["received_at"][:7] for g in grants)  # expires unused
    assert _newest(landing, "payments") and _newest(landing, "usage_limits")
    assert len(_admin(landing, "payments")) >= 3  # one snapshot a month

    events = _text_rows(landing, "service_events")
    pairs = set(events.execute(
        "select distinct lower(service), coalesce(nullif(lower(direction), ''), 'out') from rows"
    ).fetchall())
    assert set(SERVICE_PAIRS) <= pairs
    branches = events.execute(
        "select count(distinct project) from rows where client_id like 'dlr-%'"
    ).fetchone()[0]
    assert branches > 2
    readings = _text_rows(landing, "meter_readings")
    kinds = {unit_types_row["meter_kind"] for unit_types_row in _newest(landing, "unit_types")
             if readings.execute("select count(*) from rows where unit_type = ?",
                                 [unit_types_row["unit_type"]]).fetchone()[0]}
    assert kinds == {"delta", "cumulative", "gauge"}
    counters = [u["unit_type"] for u in _newest(landing, "unit_types")
                if u["meter_kind"] == "cumulative"]
    resets = readings.execute(
        f"""
        with typed as (
            select asset_id, unit_type, try_cast(reading_ts as timestamptz) as happened,
                   try_cast(value as decimal(38, 10)) as value
            from rows where unit_type in ({", ".join(f"'{c}'" for c in counters)})
        ), ordered as (
            select value,
                   lag(value) over (partition by asset_id, unit_type order by happened) as before
            from typed where happened is not null and value is not null
        )
        select count(*) from ordered where value < before
        """
    ).fetchone()[0]
    assert resets > 0  # a counter that went back to zero
    matched = 0
    for rule in _newest(landing, "suppressions"):
        column = "asset_id" if rule["pattern_type"] == "asset_id" else "description"
        matched += readings.execute(
            f"select count(*) from rows where {column} glob ?", [rule["pattern"]]
        ).fetchone()[0]
    assert matched > 0


def test_usage_limits_leave_headroom_above_the_committed_spend(landing: Path) -> None:
    """A limit is a budget above what the client has committed to pay every month anyway:
    one below it would be exceeded on the first day of every month, whatever the usage."""
    buckets = _admin(landing, "buckets")
    july_buckets = buckets[max(d for d in buckets if d <= date(2026, 8, 3))]
    limits = _newest(landing, "usage_limits")
    assert {row["client_id"] for row in limits} >= {"inf-acme"}
    for row in limits:
        committed = _committed_amount(july_buckets, row["client_id"])
        assert Decimal(row["monthly_limit"]) > committed, row


