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

import csv
import functools
import hashlib
import math
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from orchestration.ingest.feeds import FEEDS_BY_NAME

USAGE_START = date(2026, 7, 1)
USAGE_END = date(2026, 11, 4)  # inclusive; the demo runs as of 2026-11-05T00:00:00Z
FIRST_SNAPSHOT = date(2026, 7, 1)
MAX_FILE_ROWS = 1_000_000
DEFAULT_BAD_ROW_SHARE = 0.002
DUPLICATE_SHARE = 0.001
EVENTS_PER_READING = 0.25
MICRO = 1_000_000
SECONDS_PER_DAY = 86_400
EPOCH = date(1970, 1, 1)

READING_COLUMNS = FEEDS_BY_NAME["meter_readings"].columns
EVENT_COLUMNS = FEEDS_BY_NAME["service_events"].columns

READING_BAD_REASONS = (
    "missing_field",
    "unparsable_number",
    "non_finite_number",
    "negative_value",
    "unparsable_timestamp",
    "unknown_unit_type",
)
EVENT_BAD_REASONS = (
    "missing_field",
    "unparsable_number",
    "non_finite_number",
    "non_positive_quantity",
    "unparsable_timestamp",
    "unknown_service",
)


# ---------------------------------------------------------------------------------------------
# The customer base: clients, assets, unit types, meter series and event streams
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Client:
    client_id: str
    name: str
    timezone: str  # empty = UTC
    net_terms_days: str  # empty = 30
    created_at: str
    listed_from: date
    timestamp_style: str = "z"  # how this client's service events write their timestamps


@dataclass(frozen=True)
class Asset:
    asset_id: str
    client_id: str  # empty = unassigned
    source_type: str
    name: str
    description: str
    listed_from: date = FIRST_SNAPSHOT
    acknowledged: bool = True


@dataclass(frozen=True)
class UnitType:
    unit_type: str
    description: str
    meter_kind: str
    aggregation: str
    base_price: str
    overage_price: str
    auto_provision: bool = False
    filter_pattern: str = ""


@dataclass(frozen=True)
class Series:
    """The readings of one asset and unit type: a rate (delta, cumulative) or a level (gauge)."""

    asset_id: str
    source_type: str
    unit_type: str
    meter_kind: str
    weight: float  # share of the day's readings
    rate_per_hour: float = 0.0  # delta and cumulative
    level: float = 0.0  # gauge
    swing: float = 0.0  # gauge: daily swing as a share of the level
    drift_per_day: float = 0.0  # gauge: growth of the level per day
    whole_units: bool = False
    description: str = ""
    active_from: date = USAGE_START
    counter_resets: tuple[date, ...] = ()
    late: tuple[tuple[date, date], ...] = ()  # (usage day, arrival day) of delayed readings
    planned: bool = True  # False: a workload the client's commit and limit were not sized for


@dataclass(frozen=True)
class Stream:
    """Service events of one client, project, service and direction."""

    client_id: str
    project: str
    service: str
    direction: str  # as written; empty means out
    weight: float
    mean_quantity: float
    quantity_decimals: int
    users: tuple[str, ...] = ()
    unrouted_share: float = 0.0  # share of events without a user
    late: tuple[tuple[date, date], ...] = ()

    @property
    def unit_type(self) -> str:
        return SERVICE_UNIT_TYPES[(self.service, self.direction or "out")]


@dataclass(frozen=True)
class BucketPlan:
    bucket_id: str
    client_id: str
    name: str
    source_type: str
    unit_type: str
    aggregation: str  # empty = the unit type's
    commit_factor: float  # commit = expected monthly usage * factor, rounded
    base_price: str
    overage_price: str
    created_at: str = "2026-07-01T00:00:00Z"
    listed_from: date = FIRST_SNAPSHOT
    enabled: bool = True
    reviewed: bool = True
    repriced: tuple[date, str] | None = None  # (arrival of the new price, new overage price)


SERVICE_UNIT_TYPES: dict[tuple[str, str], str] = {
    ("ai", "out"): "ai_tokens",
    ("chat", "out"): "chat_messages",
    ("image", "out"): "images",
    ("sms", "out"): "sms_outbound",
    ("sms", "in"): "sms_inbound",
    ("email", "out"): "email_outbound",
    ("email", "in"): "email_inbound",
    ("whatsapp", "out"): "whatsapp_outbound",
    ("whatsapp", "in"): "whatsapp_inbound",
    ("call", "out"): "call_minutes_outbound",
    ("call", "in"): "call_minutes_inbound",
    ("video_call", "out"): "video_call_minutes",
    ("bot", "out"): "bot_sessions",
}

CLIENTS_ADDED_LATER = date(2026, 9, 1)
NEW_ASSET_DAY = date(2026, 8, 15)
LATEST_ASSET_DAY = date(2026, 10, 30)
NEW_BUCKET_DAY = date(2026, 8, 10)
PRICE_CHANGE_DAY = date(2026, 10, 3)
SUPPRESSION_ADDED_DAY = date(2026, 9, 10)
USERS_CHANGED_DAY = date(2026, 10, 1)

CLIENTS = (
    Client("dlr-northgate", "Northgate Motors", "America/New_York", "30",
           "2026-05-20T14:00:00Z", FIRST_SNAPSHOT, "offset"),
    Client("dlr-riverside", "Riverside Auto Group", "Europe/Berlin", "21",
           "2026-05-28T09:30:00Z", FIRST_SNAPSHOT, "offset"),
    Client("cc-brightline", "Brightline Contact Centre", "UTC", "15",
           "2026-04-02T08:00:00Z", FIRST_SNAPSHOT),
    Client("cc-harbor", "Harbor Support Services", "America/Chicago", "30",
           "2026-06-10T16:45:00Z", FIRST_SNAPSHOT, "naive"),
    Client("inf-acme", "Acme Cloud Works", "UTC", "30", "2026-03-15T00:00:00Z", FIRST_SNAPSHOT),
    Client("inf-globex", "Globex Hosting", "", "", "2026-01-10T00:00:00Z", FIRST_SNAPSHOT),
    Client("inf-initech", "Initech Data", "UTC", "45", "2026-08-28T00:00:00Z",
           CLIENTS_ADDED_LATER),
)

UNIT_TYPES = (
    UnitType("cpu_hours", "vCPU hours", "delta", "sum", "0.045", "0.06"),
    UnitType("gpu_hours", "GPU hours", "delta", "sum", "1.8", "2.4"),
    UnitType("api_requests", "API requests (counter)", "cumulative", "sum", "0.000002",
             "0.000003"),
    UnitType("active_vms", "running virtual machines", "gauge", "max", "12", "15"),
    UnitType("memory_gb", "provisioned memory, GB", "gauge", "time_weighted_avg", "0.9", "1.2"),
    UnitType("storage_gb", "stored data, GB", "gauge", "time_weighted_avg", "0.02", "0.025"),
    UnitType("snapshots", "retained snapshots", "gauge", "latest", "0.05", "0.08"),
    UnitType("backup_jobs", "backup job runs", "delta", "count", "0.5", "0.75"),
    UnitType("egress_gb", "network egress, GB", "delta", "sum", "0.08", "0.12"),
    UnitType("ingress_gb", "network ingress, GB", "delta", "sum", "0.01", "0.02"),
    UnitType("requests_served", "load balancer requests (counter)", "cumulative", "sum",
             "0.000001", "0.0000015"),
    UnitType("ip_addresses", "public IP addresses", "gauge", "max", "1.5", "2",
             auto_provision=True, filter_pattern="net-*"),
    UnitType("ai_tokens", "AI tokens", "delta", "sum", "0.000004", "0.000006"),
    UnitType("chat_messages", "chat messages", "delta", "sum", "0.002", "0.003"),
    UnitType("images", "generated images", "delta", "sum", "0.02", "0.04"),
    UnitType("sms_outbound", "SMS segments sent", "delta", "sum", "0.0075", "0.01"),
    UnitType("sms_inbound", "SMS segments received", "delta", "sum", "0.0075", "0.01"),
    UnitType("email_outbound", "emails sent", "delta", "sum", "0.0004", "0.0006"),
    UnitType("email_inbound", "emails received", "delta", "sum", "0.0002", "0.0004"),
    UnitType("whatsapp_outbound", "WhatsApp messages sent", "delta", "sum", "0.005", "0.007"),
    UnitType("whatsapp_inbound", "WhatsApp messages received", "delta", "sum", "0.003", "0.005"),
    UnitType("call_minutes_outbound", "outbound call minutes", "delta", "sum", "0.013", "0.02"),
    UnitType("call_minutes_inbound", "inbound call minutes", "delta", "sum", "0.0085", "0.012"),
    UnitType("video_call_minutes", "video call minutes", "delta", "sum", "0.004", "0.006"),
    UnitType("bot_sessions", "bot sessions", "delta", "sum", "0.1", "0.15"),
)

ASSETS = (
    *(Asset(f"vm-acme-web-0{i}", "inf-acme", "compute", f"web-0{i}",
            f"web server {i} (eu-west-1)") for i in range(1, 5)),
    Asset("vm-acme-web-05", "inf-acme", "compute", "web-05", "web server 5 (eu-west-1)",
          listed_from=NEW_ASSET_DAY, acknowledged=False),
    Asset("vm-acme-batch-01", "inf-acme", "compute", "batch-01", "nightly batch worker",
          listed_from=LATEST_ASSET_DAY, acknowledged=False),
    Asset("vm-acme-canary", "inf-acme", "compute", "canary", "canary node (eu-west-1)"),
    Asset("cl-acme-prod", "inf-acme", "compute", "prod cluster", "production cluster"),
    Asset("st-acme-main", "inf-acme", "storage", "main volume", "primary block storage"),
    Asset("net-acme-edge-1", "inf-acme", "network", "edge 1", "edge gateway eu-west-1"),
    Asset("edge-acme-07", "inf-acme", "network", "edge 7", "edge gateway us-east-1"),
    Asset("vm-globex-db-01", "inf-globex", "compute", "db-01", "database primary"),
    Asset("vm-globex-db-02", "inf-globex", "compute", "db-02", "database replica"),
    Asset("vm-globex-legacy-01", "inf-globex", "compute", "legacy-01", "legacy mail server"),
    Asset("gpu-globex-01", "inf-globex", "compute", "gpu-01", "GPU render node"),
    Asset("st-globex-archive", "inf-globex", "storage", "archive", "cold archive"),
    Asset("lb-globex-01", "inf-globex", "network", "lb-01", "public load balancer"),
    Asset("vm-initech-01", "inf-initech", "compute", "etl-01", "ETL worker",
          listed_from=CLIENTS_ADDED_LATER),
    Asset("st-initech-01", "inf-initech", "storage", "lake", "data lake volume",
          listed_from=CLIENTS_ADDED_LATER),
    Asset("vm-orphan-01", "", "compute", "orphan-01", "unclaimed build runner",
          acknowledged=False),
)

DISREGARDED = (("vm-globex-legacy-01", "decommissioned; billed under a separate contract",
                "2026-06-20T00:00:00Z"),)

SUPPRESSIONS = (
    ("test-*", "asset_id", "internal load-test machines", "2026-06-20T00:00:00Z",
     FIRST_SNAPSHOT),
    ("*synthetic probe*", "description", "monitoring probes are not customer usage",
     "2026-06-20T00:00:00Z", FIRST_SNAPSHOT),
    ("*canary*", "description", "canary traffic is free from September",
     "2026-09-10T00:00:00Z", SUPPRESSION_ADDED_DAY),
)

NETWORK_OUTAGE = tuple((date(2026, 8, day), date(2026, 9, 21)) for day in range(28, 32))
DEALER_OUTAGE = ((date(2026, 9, 29), date(2026, 10, 16)), (date(2026, 9, 30), date(2026, 10, 16)))
SMS_OUTAGE = ((date(2026, 10, 30), date(2026, 11, 4)), (date(2026, 10, 31), date(2026, 11, 4)))


def _series() -> tuple[Series, ...]:
    web = tuple(
        s
        for i in range(1, 6)
        for s in (
            Series(f"vm-acme-web-0{i}", "compute", "cpu_hours", "delta", 6.0,
                   rate_per_hour=4.0 + i, description=f"web server {i} (eu-west-1)",
                   active_from=NEW_ASSET_DAY if i == 5 else USAGE_START),
            Series(f"vm-acme-web-0{i}", "compute", "memory_gb", "gauge", 1.5, level=16.0 * i,
                   swing=0.25, description=f"web server {i} (eu-west-1)",
                   active_from=NEW_ASSET_DAY if i == 5 else USAGE_START),
        )
    )
    counters = tuple(
        Series(f"vm-acme-web-0{i}", "compute", "api_requests", "cumulative", 2.0,
               rate_per_hour=40_000.0 * i, whole_units=True,
               counter_resets=(date(2026, 10, 9),) if i == 2 else ())
        for i in range(1, 5)
    )
    return (
        *web,
        *counters,
        # A workload Acme started in November that its commit and usage limit were not sized
        # for: its projection crosses the limit (at_risk) while its charges so far do not.
        Series("vm-acme-batch-01", "compute", "cpu_hours", "delta", 2.0, rate_per_hour=16.0,
               description="nightly batch worker", active_from=LATEST_ASSET_DAY + timedelta(2),
               planned=False),
        Series("vm-acme-canary", "compute", "cpu_hours", "delta", 2.0, rate_per_hour=2.0,
               description="canary node (eu-west-1)"),
        Series("cl-acme-prod", "compute", "active_vms", "gauge", 1.0, level=14.0, swing=0.3,
               whole_units=True),
        Series("st-acme-main", "storage", "storage_gb", "gauge", 2.0, level=1800.0, swing=0.02,
               drift_per_day=0.004),
        Series("st-acme-main", "storage", "snapshots", "gauge", 0.6, level=40.0, swing=0.1,
               whole_units=True),
        Series("st-acme-main", "storage", "backup_jobs", "delta", 0.6, rate_per_hour=1.0,
               whole_units=True),
        Series("net-acme-edge-1", "network", "egress_gb", "delta", 5.0, rate_per_hour=9.0,
               late=NETWORK_OUTAGE),
        Series("net-acme-edge-1", "network", "ingress_gb", "delta", 3.0, rate_per_hour=4.0,
               late=NETWORK_OUTAGE),
        Series("net-acme-edge-1", "network", "requests_served", "cumulative", 2.0,
               rate_per_hour=250_000.0, whole_units=True),
        Series("net-acme-edge-1", "network", "ip_addresses", "gauge", 0.5, level=8.0,
               swing=0.2, whole_units=True),
        Series("edge-acme-07", "network", "egress_gb", "delta", 2.0, rate_per_hour=3.0),
        Series("edge-acme-07", "network", "ip_addresses", "gauge", 0.4, level=4.0, swing=0.2,
               whole_units=True),
        Series("vm-globex-db-01", "compute", "cpu_hours", "delta", 5.0, rate_per_hour=8.0,
               description="database primary"),
        Series("vm-globex-db-02", "compute", "cpu_hours", "delta", 5.0, rate_per_hour=6.0,
               description="database replica"),
        Series("vm-globex-db-01", "compute", "memory_gb", "gauge", 1.0, level=64.0, swing=0.1,
               description="database primary"),
        Series("vm-globex-legacy-01", "compute", "cpu_hours", "delta", 2.0, rate_per_hour=2.0,
               description="legacy mail server"),
        Series("gpu-globex-01", "compute", "gpu_hours", "delta", 1.5, rate_per_hour=0.7,
               description="GPU render node"),
        Series("st-globex-archive", "storage", "storage_gb", "gauge", 1.5, level=12_000.0,
               swing=0.01),
        Series("st-globex-archive", "storage", "snapshots", "gauge", 0.5, level=120.0,
               swing=0.05, whole_units=True),
        Series("lb-globex-01", "network", "egress_gb", "delta", 4.0, rate_per_hour=5.0),
        Series("lb-globex-01", "network", "requests_served", "cumulative", 2.0,
               rate_per_hour=120_000.0, whole_units=True,
               counter_resets=(date(2026, 8, 14), date(2026, 10, 20))),
        Series("vm-initech-01", "compute", "cpu_hours", "delta", 3.0, rate_per_hour=3.0,
               description="ETL worker", active_from=CLIENTS_ADDED_LATER),
        Series("st-initech-01", "storage", "storage_gb", "gauge", 1.0, level=600.0, swing=0.02,
               drift_per_day=0.01, active_from=CLIENTS_ADDED_LATER),
        Series("vm-orphan-01", "compute", "cpu_hours", "delta", 1.5, rate_per_hour=1.0,
               description="unclaimed build runner"),
        Series("test-loadgen-01", "compute", "cpu_hours", "delta", 1.0, rate_per_hour=16.0,
               description="load generator"),
        Series("probe-eu-1", "network", "egress_gb", "delta", 0.8, rate_per_hour=0.1,
               description="synthetic probe eu-west-1"),
    )


USERS = (
    *(("cc-brightline", f"u-bl-{i:03d}", f"Brightline Agent {i}", "agent",
       "sms;email;whatsapp;call;video_call") for i in range(1, 13)),
    ("cc-brightline", "u-bl-101", "Morgan Reyes", "supervisor", "call;video_call;email"),
    ("cc-brightline", "u-bl-102", "Sam Okafor", "supervisor", "call;video_call;email"),
    ("cc-brightline", "u-bl-bot", "Brightline Assistant", "bot", "bot;sms;whatsapp"),
    *(("cc-harbor", f"u-hb-{i:03d}", f"Harbor Agent {i}", "agent", "sms;email;call;whatsapp")
      for i in range(1, 7)),
    ("cc-harbor", "u-hb-101", "Alex Lindqvist", "supervisor", "call;email;video_call"),
    ("cc-harbor", "u-hb-bot", "Harbor Helper", "bot", "bot"),
    ("dlr-northgate", "u-ng-001", "Dana Whitfield", "manager", "ai;chat;image"),
    ("dlr-riverside", "u-rs-001", "Jonas Keller", "manager", "ai;chat;image"),
)
NEW_USER = ("cc-brightline", "u-bl-013", "Brightline Agent 13", "agent", "sms;email;whatsapp;call")
DEACTIVATED_USER = "u-hb-006"


def _users_of(client_id: str, role: str) -> tuple[str, ...]:
    return tuple(u[1] for u in USERS if u[0] == client_id and u[3] == role)


def _streams() -> tuple[Stream, ...]:
    dealer = tuple(
        Stream(client_id, branch, service, "", weight * share, mean, 0,
               late=DEALER_OUTAGE if (client_id, branch) == ("dlr-riverside", "harbour-view")
               else ())
        for client_id, branches in (
            ("dlr-northgate", (("downtown", 1.0), ("airport", 0.6), ("westside", 0.4))),
            ("dlr-riverside", (("main-street", 0.8), ("harbour-view", 0.5), ("", 0.2))),
        )
        for branch, share in branches
        for service, weight, mean in (("ai", 6.0, 1800.0), ("chat", 4.0, 6.0),
                                      ("image", 1.0, 2.0))
    )
    centre = tuple(
        Stream(client_id, "", service, direction, weight * size, mean, decimals,
               users=_users_of(client_id, "bot" if service == "bot" else "agent")
               + (_users_of(client_id, "supervisor") if service == "video_call" else ()),
               unrouted_share=unrouted,
               late=SMS_OUTAGE if (client_id, service, direction) == ("cc-brightline", "sms",
                                                                      "out") else ())
        for client_id, size in (("cc-brightline", 1.0), ("cc-harbor", 0.5))
        for service, direction, weight, mean, decimals, unrouted in (
            ("sms", "out", 5.0, 1.4, 0, 0.0),
            ("sms", "in", 4.0, 1.2, 0, 0.1),
            ("email", "out", 3.0, 1.0, 0, 0.0),
            ("email", "in", 3.0, 1.0, 0, 0.3),
            ("whatsapp", "out", 3.0, 1.0, 0, 0.0),
            ("whatsapp", "in", 3.0, 1.0, 0, 0.1),
            ("call", "out", 2.0, 4.5, 2, 0.0),
            ("call", "in", 3.0, 6.0, 2, 0.0),
            ("video_call", "out", 0.8, 18.0, 2, 0.0),
            ("bot", "out", 2.0, 1.0, 0, 0.0),
        )
    )
    return dealer + centre


LOCAL_MIDNIGHT_JULY = {
    "dlr-northgate": "2026-07-01T00:00:00-04:00",
    "dlr-riverside": "2026-07-01T00:00:00+02:00",
    "cc-harbor": "2026-07-01T00:00:00-05:00",
}

SERVICE_BUCKETS = (
    ("dlr-northgate", "ng", (("ai_tokens", "", 0.8), ("chat_messages", "", 1.0),
                             ("images", "", 1.2))),
    ("dlr-riverside", "rs", (("ai_tokens", "", 0.6), ("chat_messages", "", 1.0),
                             ("images", "count", 1.0))),
    ("cc-brightline", "bl", (("sms_outbound", "", 0.5), ("sms_inbound", "", 1.0),
                             ("email_outbound", "", 1.2), ("email_inbound", "", 1.0),
                             ("whatsapp_outbound", "unique_count", 0.75),
                             ("whatsapp_inbound", "", 1.0), ("call_minutes_outbound", "", 0.9),
                             ("call_minutes_inbound", "", 1.1), ("video_call_minutes", "", 1.0),
                             ("bot_sessions", "", 0.8))),
    ("cc-harbor", "hb", (("sms_outbound", "", 1.0), ("email_inbound", "count", 1.0),
                         ("call_minutes_inbound", "", 0.9), ("bot_sessions", "", 1.3))),
)

UNIT_PRICES = {u.unit_type: (u.base_price, u.overage_price) for u in UNIT_TYPES}


def _bucket_plans() -> tuple[BucketPlan, ...]:
    services = tuple(
        BucketPlan(f"b-{short}-{unit_type.replace('_', '-')}", client_id,
                   unit_type.replace("_", " "), "services", unit_type, aggregation, factor,
                   *(("25", "30") if aggregation == "unique_count" else UNIT_PRICES[unit_type]),
                   created_at=LOCAL_MIDNIGHT_JULY.get(client_id, "2026-07-01T00:00:00Z"))
        for client_id, short, buckets in SERVICE_BUCKETS
        for unit_type, aggregation, factor in buckets
    )
    return (
        *services,
        BucketPlan("b-hb-whatsapp-inbound", "cc-harbor", "whatsapp inbound", "services",
                   "whatsapp_inbound", "", 1.0, "0.003", "0.005",
                   created_at="2026-08-10T00:00:00Z", listed_from=NEW_BUCKET_DAY),
        BucketPlan("b-acme-cpu", "inf-acme", "compute hours", "compute", "cpu_hours", "", 0.9,
                   "0.045", "0.06"),
        BucketPlan("b-acme-memory", "inf-acme", "memory", "compute", "memory_gb", "", 1.0,
                   "0.9", "1.2"),
        BucketPlan("b-acme-api", "inf-acme", "API requests", "compute", "api_requests", "",
                   0.8, "0.000002", "0.000003"),
        BucketPlan("b-acme-vms", "inf-acme", "peak VMs", "compute", "active_vms", "", 1.0,
                   "12", "15"),
        BucketPlan("b-acme-storage", "inf-acme", "peak storage", "storage", "storage_gb", "max",
                   1.1, "0.02", "0.025"),
        BucketPlan("b-acme-snapshots", "inf-acme", "snapshots", "storage", "snapshots", "",
                   1.0, "0.05", "0.08"),
        BucketPlan("b-acme-backups", "inf-acme", "backup runs", "storage", "backup_jobs", "",
                   1.0, "0.5", "0.75"),
        BucketPlan("b-acme-egress", "inf-acme", "egress", "network", "egress_gb", "", 0.5,
                   "0.08", "0.12", repriced=(PRICE_CHANGE_DAY, "0.1")),
        BucketPlan("b-acme-ingress", "inf-acme", "ingress transfers", "network", "ingress_gb",
                   "count", 1.0, "0.001", "0.002"),
        BucketPlan("b-acme-lb", "inf-acme", "edge requests", "network", "requests_served", "",
                   1.0, "0.000001", "0.0000015"),
        BucketPlan("b-globex-cpu-2025", "inf-globex", "compute hours (2025 contract)", "compute",
                   "cpu_hours", "", 1.0, "0.06", "0.08", created_at="2025-01-01T00:00:00Z",
                   enabled=False),
        *(
            BucketPlan(f"b-globex-{short}", "inf-globex", name, source_type, unit_type,
                       aggregation, 2.0, base, overage)
            for short, name, source_type, unit_type, aggregation, base, overage in (
                ("cpu", "compute hours", "compute", "cpu_hours", "", "0.05", "0.07"),
                ("memory", "memory", "compute", "memory_gb", "", "1", "1.5"),
                ("storage", "archive storage", "storage", "storage_gb", "", "0.02", "0.03"),
                ("snapshot-checks", "snapshot checks", "storage", "snapshots", "count", "0.1",
                 "0.15"),
                ("egress", "egress", "network", "egress_gb", "", "0.09", "0.12"),
                ("lb", "load balancer requests", "network", "requests_served", "", "0.000001",
                 "0.000002"),
            )
        ),
        BucketPlan("b-initech-cpu", "inf-initech", "compute hours", "compute", "cpu_hours", "",
                   1.0, "0.05", "0.07", created_at="2026-08-28T00:00:00Z",
                   listed_from=CLIENTS_ADDED_LATER, reviewed=False),
        BucketPlan("b-initech-storage", "inf-initech", "lake storage", "storage", "storage_gb",
                   "", 1.0, "0.02", "0.03", created_at="2026-08-28T00:00:00Z",
                   listed_from=CLIENTS_ADDED_LATER, reviewed=False),
    )


# ---------------------------------------------------------------------------------------------
# Calendar and volumes
# ---------------------------------------------------------------------------------------------


def usage_days() -> list[date]:
    count = (USAGE_END - USAGE_START).days + 1
    return [USAGE_START + timedelta(days=i) for i in range(count)]


def _split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _epoch_day(day: date) -> int:
    return (day - EPOCH).days


def _active_weights(items: Sequence[Series] | Sequence[Stream], day: date) -> np.ndarray:
    weights = np.array([
        item.weight if getattr(item, "active_from", USAGE_START) <= day else 0.0
        for item in items
    ])
    return weights / weights.sum()


@dataclass(frozen=True)
class Plan:
    """Everything the generator needs, fixed by scale and seed."""

    scale: int
    seed: int
    bad_row_share: float
    days: list[date]
    readings_per_day: list[int]
    events_per_day: list[int]
    series: tuple[Series, ...]
    streams: tuple[Stream, ...]
    buckets: tuple[BucketPlan, ...]


def make_plan(scale: int, seed: int, bad_row_share: float) -> Plan:
    days = usage_days()
    return Plan(
        scale=scale,
        seed=seed,
        bad_row_share=bad_row_share,
        days=days,
        readings_per_day=_split_evenly(scale, len(days)),
        events_per_day=_split_evenly(round(scale * EVENTS_PER_READING), len(days)),
        series=_series(),
        streams=_streams(),
        buckets=_bucket_plans(),
    )


def _expected_monthly_usage(plan: Plan, bucket: BucketPlan) -> float:
    """What a bucket's usage comes to in a typical 30-day month of this plan."""
    unit = next(u for u in UNIT_TYPES if u.unit_type == bucket.unit_type)
    aggregation = bucket.aggregation or unit.aggregation
    july = USAGE_START + timedelta(days=14)
    if bucket.source_type == "services":
        streams = [s for s in plan.streams
                   if s.client_id == bucket.client_id and s.unit_type == bucket.unit_type]
        shares = _active_weights(plan.streams, july)
        events = sum(shares[plan.streams.index(s)] for s in streams) * plan.events_per_day[0] * 30
        if aggregation == "unique_count":
            return float(len({u for s in streams for u in s.users}))
        if aggregation == "count":
            return events
        return events * (streams[0].mean_quantity if streams else 0.0)
    day = max(july, bucket.listed_from)
    shares = _active_weights(plan.series, day)
    members = [i for i, s in enumerate(plan.series)
               if s.unit_type == bucket.unit_type and s.source_type == bucket.source_type
               and _asset_client(s.asset_id) == bucket.client_id
               and s.asset_id not in {d[0] for d in DISREGARDED} and s.planned]
    if aggregation == "count":
        return sum(shares[i] for i in members) * plan.readings_per_day[0] * 30
    if unit.meter_kind == "gauge":
        return sum(plan.series[i].level * (1 + plan.series[i].swing) for i in members)
    return sum(plan.series[i].rate_per_hour for i in members) * 24 * 30


def _asset_client(asset_id: str) -> str:
    return next((a.client_id for a in ASSETS if a.asset_id == asset_id), "")


def _round_commit(value: float) -> int:
    """Two significant figures, at least 1."""
    if value < 1:
        return 1
    magnitude = 10 ** max(int(math.floor(math.log10(value))) - 1, 0)
    return max(int(round(value / magnitude)) * magnitude, 1)


def commit_units(plan: Plan, bucket: BucketPlan) -> int:
    return _round_commit(_expected_monthly_usage(plan, bucket) * bucket.commit_factor)


# ---------------------------------------------------------------------------------------------
# Vectorised formatting
# ---------------------------------------------------------------------------------------------


def _byte_table(texts: Sequence[str], width: int) -> np.ndarray:
    """Texts as rows of a (len, width) uint8 matrix, padded with spaces."""
    padded = b"".join(t.encode().ljust(width) for t in texts)
    return np.frombuffer(padded, dtype=np.uint8).reshape(len(texts), width)


def strings_from_bytes(matrix: np.ndarray, keep: np.ndarray | None = None) -> pa.Array:
    """A string array whose row i is the bytes of ``matrix[i]`` (only where ``keep[i]``)."""
    rows, width = matrix.shape
    if keep is None:
        offsets = np.arange(0, width * (rows + 1), width, dtype=np.int32)
        data = np.ascontiguousarray(matrix).reshape(-1)
    else:
        offsets = np.zeros(rows + 1, dtype=np.int32)
        np.cumsum(keep.sum(axis=1), out=offsets[1:])
        data = matrix[keep]
    return pa.Array.from_buffers(
        pa.string(), rows, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


TIMESTAMP_STYLES = {  # style -> (separator, suffix); "offset" writes the client's UTC offset
    "z": ("T", "Z"),
    "naive": (" ", ""),
    "utc_offset": ("T", "+00:00"),
    "offset": ("T", None),
}


class Formatter:
    """Timestamps as ISO-8601 strings, built from byte lookup tables (no per-row Python)."""

    def __init__(self, first: date, last: date) -> None:
        self.first_day = _epoch_day(first)
        count = (last - first).days + 1
        self.dates = _byte_table([(first + timedelta(days=i)).isoformat() for i in range(count)],
                                 10)
        seconds = np.arange(SECONDS_PER_DAY)
        digits = np.stack([seconds // 36000, seconds // 3600 % 10, seconds // 600 % 6,
                           seconds // 60 % 10, seconds % 60 // 10, seconds % 10], axis=1)
        times = np.full((SECONDS_PER_DAY, 8), ord(":"), dtype=np.uint8)
        times[:, [0, 1, 3, 4, 6, 7]] = digits + ord("0")
        self.times = times

    def timestamps(
        self, epoch: np.ndarray, style: str | Sequence[str],
        style_of_row: np.ndarray | None = None, offset_minutes: np.ndarray | None = None,
    ) -> pa.Array:
        """One style of TIMESTAMP_STYLES for all rows, or a list of styles and each row's
        position in it. z: 2026-07-01T10:00:00Z; naive: 2026-07-01 10:00:00 (UTC);
        utc_offset: ...+00:00; offset: the local time with its offset (``offset_minutes``)."""
        rows = len(epoch)
        offsets = np.zeros(rows, dtype=np.int64) if offset_minutes is None else offset_minutes
        styles = [style] if isinstance(style, str) else list(style)
        style_rows = np.zeros(rows, dtype=np.int64) if style_of_row is None else style_of_row
        local = epoch + offsets.astype(np.int64) * 60
        matrix = np.empty((rows, 25), dtype=np.uint8)
        matrix[:, :10] = self.dates[local // SECONDS_PER_DAY - self.first_day]
        matrix[:, 11:19] = self.times[local % SECONDS_PER_DAY]
        labels, codes = _suffix_codes(styles, style_rows, offsets)
        separators = np.array([ord(TIMESTAMP_STYLES[style][0]) for style, _ in labels],
                              dtype=np.uint8)
        suffixes = _byte_table([suffix for _, suffix in labels], 6)
        lengths = np.array([19 + len(suffix) for _, suffix in labels])
        matrix[:, 10] = separators[codes]
        matrix[:, 19:] = suffixes[codes]
        if len(labels) == 1:
            return strings_from_bytes(matrix[:, : lengths[0]])
        keep = np.arange(25)[None, :] < lengths[codes][:, None]
        return strings_from_bytes(matrix, keep)


def _suffix_codes(
    styles: list[str], style_of_row: np.ndarray, offset_minutes: np.ndarray
) -> tuple[list[tuple[str, str]], np.ndarray]:
    """The distinct (style, suffix) labels of the rows and each row's label number."""
    keys = style_of_row.astype(np.int64) * 10_000 + (offset_minutes.astype(np.int64) + 5_000)
    distinct, codes = np.unique(keys, return_inverse=True)
    labels = []
    for key in distinct.tolist():
        style = styles[key // 10_000]
        minutes = key % 10_000 - 5_000
        suffix = TIMESTAMP_STYLES[style][1]
        if suffix is None:
            sign = "+" if minutes >= 0 else "-"
            suffix = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        labels.append((style, suffix))
    return labels, codes.reshape(-1)


def decimals(micro_units: np.ndarray) -> pa.Array:
    """Exact decimal strings of values given in millionths, without trailing zeros."""
    values = micro_units.astype(np.int64)
    words = np.empty(2 * len(values), dtype=np.int64)
    words[0::2] = values
    words[1::2] = np.where(values < 0, -1, 0)
    typed = pa.Array.from_buffers(pa.decimal128(38, 6), len(values), [None, pa.py_buffer(words)])
    text = pc.utf8_rtrim(pc.cast(typed, pa.string()), characters="0")
    return pc.utf8_rtrim(text, characters=".")


def decimal_array(micro_units: np.ndarray, scale: int) -> pa.Array:
    """Typed decimals (parquet) from values in millionths."""
    values = micro_units.astype(np.int64) // 10 ** (6 - scale)
    words = np.empty(2 * len(values), dtype=np.int64)
    words[0::2] = values
    words[1::2] = np.where(values < 0, -1, 0)
    return pa.Array.from_buffers(pa.decimal128(18, scale), len(values), [None, pa.py_buffer(words)])


HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
ID_BITS = 48
ID_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15 & ((1 << ID_BITS) - 1) | 1)


def record_ids(prefix: str, numbers: np.ndarray, seed: int) -> pa.Array:
    """Unique ids like ``rd-3f9a0c12be41``: the record number scrambled by a bijection of
    48-bit integers (odd multiplier, seed mask), written as 12 hex digits."""
    mask = np.uint64((1 << ID_BITS) - 1)
    salt = np.uint64((seed * 0x5851F42D4C957F2D) & ((1 << ID_BITS) - 1))
    scrambled = ((numbers.astype(np.uint64) * ID_MULTIPLIER) & mask) ^ salt
    shifts = np.arange(ID_BITS - 4, -1, -4, dtype=np.uint64)
    nibbles = (scrambled[:, None] >> shifts[None, :]) & np.uint64(15)
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    matrix = np.empty((len(numbers), len(head) + len(shifts)), dtype=np.uint8)
    matrix[:, : len(head)] = head
    matrix[:, len(head) :] = HEX_DIGITS[nibbles]
    return strings_from_bytes(matrix)


def utc_offsets(epoch: np.ndarray, timezone: str) -> np.ndarray:
    """The zone's UTC offset in minutes at each instant (zones that change on the hour)."""
    if not timezone or timezone == "UTC":
        return np.zeros(len(epoch), dtype=np.int64)
    zone = ZoneInfo(timezone)
    hours = epoch // 3600
    first, last = int(hours.min()), int(hours.max())
    table = np.array([
        int(datetime.fromtimestamp(h * 3600, UTC).astimezone(zone).utcoffset().total_seconds())
        // 60
        for h in range(first, last + 1)
    ], dtype=np.int64)
    return table[hours - first]


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


def write_csv(table: pa.Table, path: Path) -> None:
    """A header row, then the rows unquoted (no value holds a comma, quote or line break)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write((",".join(table.column_names) + "\n").encode())
        pa_csv.write_csv(
            table, handle,
            write_options=pa_csv.WriteOptions(include_header=False, quoting_style="none"),
        )


def write_jsonl(table: pa.Table, path: Path) -> None:
    """One JSON object a line; every value a JSON string."""
    parts: list[pa.Array | str] = []
    for i, name in enumerate(table.column_names):
        parts.append(("{" if i == 0 else ",") + f'"{name}":"')
        parts.append(table.column(name).combine_chunks())
        parts.append('"')
    parts.append("}\n")
    lines = pc.binary_join_element_wise(*parts, "")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32, count=len(lines) + 1,
                            offset=lines.offset * 4)
    data = lines.buffers()[2]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(memoryview(data)[int(offsets[0]) : int(offsets[-1])])


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd")


def write_admin_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


# ---------------------------------------------------------------------------------------------
# Bad rows and duplicates
# ---------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What was written, counted as it is written."""

    meter_readings: int = 0
    service_events: int = 0
    bad_rows: int = 0
    duplicate_rows: int = 0
    late_rows: int = 0
    files: int = 0
    admin_files: int = 0
    relanded_files: int = 0
    reasons_used: dict[str, int] = field(default_factory=dict)


class BadRows:
    """Turns a small share of a feed's rows bad, cycling through its reason codes."""

    def __init__(self, reasons: tuple[str, ...], share: float, tally: Tally) -> None:
        self.reasons = reasons
        self.share = share
        self.tally = tally
        self.next_reason = 0
        self.owed = len(reasons) if share > 0 else 0  # every reason at least once, early

    def apply(self, table: pa.Table, rng: np.random.Generator) -> pa.Table:
        if self.share <= 0 or table.num_rows == 0:
            return table
        extra = min(self.owed, max(table.num_rows // 4, 1))
        count = min(int(round(table.num_rows * self.share)) + extra, table.num_rows // 2)
        if count == 0:
            return table
        self.owed -= min(extra, count)
        rows = np.sort(rng.choice(table.num_rows, size=count, replace=False))
        reasons = [self.reasons[(self.next_reason + i) % len(self.reasons)] for i in range(count)]
        self.next_reason = (self.next_reason + count) % len(self.reasons)
        edits: dict[str, tuple[list[int], list[str]]] = {}
        for number, (row, reason) in enumerate(zip(rows.tolist(), reasons, strict=True)):
            column, value = _breakage(table, row, reason, number)
            edits.setdefault(column, ([], []))[0].append(row)
            edits[column][1].append(value)
            self.tally.reasons_used[reason] = self.tally.reasons_used.get(reason, 0) + 1
        for column, (positions, values) in edits.items():
            table = _replace(table, column, positions, values)
        self.tally.bad_rows += count
        return table


_BREAKAGE: dict[str, tuple[str, tuple[str, ...]]] = {
    # reason -> (column kind, replacement values taken in turn)
    "missing_field": ("key", ("",)),
    "unparsable_number": ("number", ("n/a", "12.5.1", "1O.5", "twelve")),
    "non_finite_number": ("number", ("NaN", "Infinity", "-inf", "nan")),
    "unparsable_timestamp": ("timestamp", ("2026-13-45T10:00:00Z", "not a date", "31/07/2026",
                                           "last tuesday")),
    "unknown_unit_type": ("unit_type", ("cpu_seconds", "gpu_minutes", "egress_mb")),
    "unknown_service": ("service", ("fax", "pager", "telex")),
    "non_positive_quantity": ("number", ("0", "-1", "-2.5", "0.0")),
}


def _breakage(table: pa.Table, row: int, reason: str, number: int) -> tuple[str, str]:
    """The column to spoil and its bad value, for one row."""
    readings = "value" in table.column_names
    kinds = {
        "number": "value" if readings else "quantity",
        "timestamp": "reading_ts" if readings else "event_ts",
        "key": "asset_id" if readings else "event_id",
    }
    if reason == "negative_value":
        current = table.column("value")[row].as_py()
        return "value", f"-{current}" if current not in ("0", "") else "-1"
    kind, values = _BREAKAGE[reason]
    return kinds.get(kind, kind), values[number % len(values)]


def _replace(table: pa.Table, column: str, rows: list[int], values: list[str]) -> pa.Table:
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[rows] = True
    current = table.column(column).combine_chunks()
    updated = pc.replace_with_mask(current, pa.array(mask), pa.array(values, pa.string()))
    return table.set_column(table.column_names.index(column), column, updated)


# ---------------------------------------------------------------------------------------------
# Meter readings
# ---------------------------------------------------------------------------------------------


@dataclass
class ReadingChunk:
    """One day's readings of a set of series, in series order."""

    series: np.ndarray  # index into the plan's series
    epoch: np.ndarray  # seconds
    micro: np.ndarray  # value in millionths


class MeterState:
    """Counters and levels carried from one day to the next."""

    def __init__(self, series: Sequence[Series], rng: np.random.Generator) -> None:
        self.counters = rng.integers(1_000_000, 50_000_000, len(series)).astype(np.float64)
        self.phase = rng.uniform(0, 2 * np.pi, len(series))


def _series_day(
    series: Series, index: int, count: int, day: date, state: MeterState,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Timestamps and values (millionths) of one series on one day."""
    start = _epoch_day(day) * SECONDS_PER_DAY
    spacing = SECONDS_PER_DAY / count
    slots = np.arange(count) + 0.5 + rng.uniform(-0.3, 0.3, count)
    epoch = start + np.floor(slots * spacing).astype(np.int64)
    interval_hours = spacing / 3600
    if series.meter_kind == "delta":
        amounts = series.rate_per_hour * interval_hours * rng.gamma(4.0, 0.25, count)
        if series.whole_units:
            amounts = np.maximum(np.round(amounts), 1)
        micro = np.round(amounts * MICRO).astype(np.int64)
        return epoch, np.maximum(micro, 1)
    if series.meter_kind == "cumulative":
        steps = np.round(series.rate_per_hour * interval_hours * rng.gamma(4.0, 0.25, count))
        counter = state.counters[index] + np.cumsum(steps)
        if day in series.counter_resets:
            at = count // 2
            counter[at:] = np.cumsum(steps[at:])
        state.counters[index] = counter[-1]
        return epoch, (counter * MICRO).astype(np.int64)
    elapsed = (day - USAGE_START).days
    level = series.level * (1 + series.drift_per_day) ** elapsed
    wave = np.sin(2 * np.pi * (epoch - start) / SECONDS_PER_DAY + state.phase[index])
    values = level * (1 + series.swing * wave) * (1 + 0.01 * rng.standard_normal(count))
    values = np.maximum(values, 0)
    if series.whole_units:
        return epoch, np.round(values).astype(np.int64) * MICRO
    return epoch, np.round(values * 1000).astype(np.int64) * 1000


def readings_of_day(
    plan: Plan, day: date, state: MeterState, rng: np.random.Generator
) -> tuple[ReadingChunk | None, dict[date, ReadingChunk]]:
    """One usage day's readings, and the delayed ones by arrival day."""
    total = plan.readings_per_day[plan.days.index(day)]
    counts = rng.multinomial(total, _active_weights(plan.series, day))
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    late: dict[date, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    for index, series in enumerate(plan.series):
        delayed = dict(series.late).get(day)
        count = int(counts[index]) or (1 if delayed else 0)
        if count == 0:
            continue
        epoch, micro = _series_day(series, index, count, day, state, rng)
        target = late.setdefault(delayed, []) if delayed else parts
        target.append((np.full(count, index, dtype=np.int32), epoch, micro))
    return (
        _chunk(parts) if parts else None,
        {arrival: _chunk(chunks) for arrival, chunks in late.items()},
    )


def _chunk(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> ReadingChunk:
    series = np.concatenate([p[0] for p in parts])
    epoch = np.concatenate([p[1] for p in parts])
    micro = np.concatenate([p[2] for p in parts])
    order = np.argsort(epoch, kind="stable")
    return ReadingChunk(series[order], epoch[order], micro[order])


# Each collector writes timestamps its own way: compute with Z, network without an offset
# (UTC), storage with +00:00.
READING_STYLES = {"compute": "z", "network": "naive", "storage": "utc_offset"}


def reading_table(
    plan: Plan, chunk: ReadingChunk, first_id: int, formatter: Formatter
) -> pa.Table:
    """The readings as text columns, in the contract's order."""
    lookup = _series_lookup(plan)
    index = pa.array(chunk.series)
    styles = sorted(set(READING_STYLES.values()))
    style_of_series = np.array([styles.index(READING_STYLES[s.source_type])
                                for s in plan.series])
    columns: dict[str, pa.Array] = {}
    columns["reading_id"] = record_ids("rd-", first_id + np.arange(len(chunk.series)), plan.seed)
    columns["asset_id"] = pc.take(lookup["asset_id"], index)
    columns["source_type"] = pc.take(lookup["source_type"], index)
    columns["unit_type"] = pc.take(lookup["unit_type"], index)
    columns["reading_ts"] = formatter.timestamps(
        chunk.epoch, styles, style_of_series[chunk.series]
    )
    columns["value"] = decimals(chunk.micro)
    columns["description"] = pc.take(lookup["description"], index)
    return pa.table(columns)


def typed_reading_table(plan: Plan, chunk: ReadingChunk) -> pa.Table:
    """Parquet readings with typed columns: a zoned timestamp and a decimal value."""
    lookup = _series_lookup(plan)
    index = pa.array(chunk.series)
    return pa.table({
        "asset_id": pc.take(lookup["asset_id"], index),
        "source_type": pc.take(lookup["source_type"], index),
        "unit_type": pc.take(lookup["unit_type"], index),
        "reading_ts": pa.array(chunk.epoch * 1_000_000, pa.timestamp("us", tz="UTC")),
        "value": decimal_array(chunk.micro, 6),
    })


@functools.cache
def _series_columns(series: tuple[Series, ...]) -> dict[str, pa.Array]:
    """Each series' constant columns, to be taken row by row."""
    return {
        name: pa.array([getattr(s, name) for s in series])
        for name in ("asset_id", "source_type", "unit_type", "description")
    }


def _series_lookup(plan: Plan) -> dict[str, pa.Array]:
    return _series_columns(plan.series)


# ---------------------------------------------------------------------------------------------
# Service events
# ---------------------------------------------------------------------------------------------


@dataclass
class EventChunk:
    stream: np.ndarray
    epoch: np.ndarray
    micro: np.ndarray  # quantity in millionths
    user: np.ndarray  # index into the stream's users, -1 = none


Chunk = ReadingChunk | EventChunk

# Share of a client's events in each local hour: busy in business hours.
LOCAL_HOUR_WEIGHTS = np.array([0.3] * 7 + [2.0] * 12 + [0.8] * 5)


def _hour_weights(timezone: str, day: date) -> np.ndarray:
    offset = 0
    if timezone and timezone != "UTC":
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        offset = round(noon.astimezone(ZoneInfo(timezone)).utcoffset().total_seconds() / 3600)
    weights = np.roll(LOCAL_HOUR_WEIGHTS, -offset)  # utc hour h is local hour h + offset
    return weights / weights.sum()


CLIENTS_BY_ID = {c.client_id: c for c in CLIENTS}


def _stream_day(
    stream: Stream, count: int, day: date, hour_weights: dict[str, np.ndarray],
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    timezone = CLIENTS_BY_ID[stream.client_id].timezone
    if timezone not in hour_weights:
        hour_weights[timezone] = np.cumsum(_hour_weights(timezone, day))
    cumulative = hour_weights[timezone]
    hours = np.minimum(np.searchsorted(cumulative, rng.random(count) * cumulative[-1]), 23)
    epoch = np.sort(
        _epoch_day(day) * SECONDS_PER_DAY + hours * 3600 + rng.integers(0, 3600, count)
    )
    if stream.quantity_decimals == 0 and stream.mean_quantity <= 1.0:
        micro = np.full(count, MICRO, dtype=np.int64)
    elif stream.quantity_decimals == 0:
        amounts = 1 + rng.poisson(stream.mean_quantity - 1, count)
        micro = amounts.astype(np.int64) * MICRO
    else:
        minutes = np.maximum(rng.gamma(1.5, stream.mean_quantity / 1.5, count), 0.05)
        micro = np.round(minutes * 100).astype(np.int64) * (MICRO // 100)
        micro = np.maximum(micro, MICRO // 100)
    if stream.users:
        user = rng.integers(0, len(stream.users), count)
        user[rng.random(count) < stream.unrouted_share] = -1
    else:
        user = np.full(count, -1)
    return epoch, micro, user


def events_of_day(
    plan: Plan, day: date, rng: np.random.Generator
) -> tuple[EventChunk | None, dict[date, EventChunk]]:
    """One usage day's events, and the delayed ones by arrival day."""
    total = plan.events_per_day[plan.days.index(day)]
    counts = rng.multinomial(total, _active_weights(plan.streams, day))
    parts: list[tuple[np.ndarray, ...]] = []
    late: dict[date, list[tuple[np.ndarray, ...]]] = {}
    hour_weights: dict[str, np.ndarray] = {}
    for index, stream in enumerate(plan.streams):
        delayed = dict(stream.late).get(day)
        count = int(counts[index]) or (1 if delayed else 0)
        if count == 0:
            continue
        epoch, micro, user = _stream_day(stream, count, day, hour_weights, rng)
        target = late.setdefault(delayed, []) if delayed else parts
        target.append((np.full(count, index, dtype=np.int32), epoch, micro, user))
    return (
        _event_chunk(parts) if parts else None,
        {arrival: _event_chunk(chunks) for arrival, chunks in late.items()},
    )


def _event_chunk(parts: list[tuple[np.ndarray, ...]]) -> EventChunk:
    stream, epoch, micro, user = (np.concatenate([p[i] for p in parts]) for i in range(4))
    order = np.argsort(epoch, kind="stable")
    return EventChunk(stream[order], epoch[order], micro[order], user[order])


def _user_lookup(plan: Plan) -> tuple[pa.Array, np.ndarray]:
    """All users of all streams in one array, and each stream's first position in it."""
    names: list[str] = [""]
    starts = []
    for stream in plan.streams:
        starts.append(len(names))
        names.extend(stream.users)
    return pa.array(names), np.array(starts, dtype=np.int64)


def event_table(
    plan: Plan, chunk: EventChunk, first_id: int, formatter: Formatter
) -> pa.Table:
    index = pa.array(chunk.stream)
    streams = plan.streams
    users, starts = _user_lookup(plan)
    user_position = np.where(chunk.user >= 0, starts[chunk.stream] + chunk.user, 0)
    timestamps = _event_timestamps(plan, chunk, formatter)
    return pa.table({
        "event_id": record_ids("ev-", first_id + np.arange(len(chunk.stream)), plan.seed),
        "client_id": pc.take(pa.array([s.client_id for s in streams]), index),
        "project": pc.take(pa.array([s.project for s in streams]), index),
        "user_id": pc.take(users, pa.array(user_position)),
        "service": pc.take(pa.array([s.service for s in streams]), index),
        "direction": pc.take(pa.array([s.direction for s in streams]), index),
        "event_ts": timestamps,
        "quantity": decimals(chunk.micro),
    })


def _event_timestamps(plan: Plan, chunk: EventChunk, formatter: Formatter) -> pa.Array:
    """Each client writes its own style: with the local offset, UTC with Z, or no offset."""
    clients = [CLIENTS_BY_ID[s.client_id] for s in plan.streams]
    styles = sorted({c.timestamp_style for c in clients})
    style_of_stream = np.array([styles.index(c.timestamp_style) for c in clients])
    offsets = np.zeros(len(chunk.epoch), dtype=np.int64)
    for client in CLIENTS:
        if client.timestamp_style != "offset":
            continue
        streams = [i for i, c in enumerate(clients) if c is client]
        rows = np.isin(chunk.stream, streams)
        if rows.any():
            offsets[rows] = utc_offsets(chunk.epoch[rows], client.timezone)
    return formatter.timestamps(chunk.epoch, styles, style_of_stream[chunk.stream], offsets)


def typed_event_table(
    plan: Plan, chunk: EventChunk, first_id: int, formatter: Formatter
) -> pa.Table:
    table = event_table(plan, chunk, first_id, formatter)
    table = table.set_column(
        table.column_names.index("event_ts"), "event_ts",
        pa.array(chunk.epoch * 1_000_000, pa.timestamp("us", tz="UTC")),
    )
    return table.set_column(
        table.column_names.index("quantity"), "quantity", decimal_array(chunk.micro, 2)
    )


# ---------------------------------------------------------------------------------------------
# Writing the usage feeds
# ---------------------------------------------------------------------------------------------


def _arrival_folder(out: Path, feed: str, arrival: date) -> Path:
    return out / feed / f"arrived={arrival.isoformat()}"


def _format_of(feed: str, day_number: int) -> str:
    """Mostly CSV; on some days the export comes as Parquet (typed columns) or JSON lines."""
    parquet_day, jsonl_day = (6, 4) if feed == "meter_readings" else (2, 5)
    if day_number % 7 == parquet_day:
        return "parquet"
    if day_number % 9 == jsonl_day:
        return "jsonl"
    return "csv"


@dataclass
class UsageWriter:
    """Writes one feed's files, numbers its records, breaks and resends a few of them."""

    out: Path
    plan: Plan
    formatter: Formatter
    tally: Tally
    bad_rows: BadRows
    progress: Callable[[str], None]
    feed: str
    total_rows: int
    next_id: int = 1
    written: int = 0
    reported: int = 0

    def write(self, chunk: Chunk, name: str, arrival: date, fmt: str, rng: np.random.Generator,
              resend_to: date | None = None) -> None:
        size = len(chunk.epoch)
        parts = max(math.ceil(size / MAX_FILE_ROWS), 1)
        for part in range(parts):
            piece = _slice(chunk, part * size // parts, (part + 1) * size // parts)
            suffix = f"-part{part + 1:02d}" if parts > 1 else ""
            path = _arrival_folder(self.out, self.feed, arrival) / f"{name}{suffix}.{fmt}"
            self._write_piece(piece, path, fmt, rng, resend_to)
        self._report()

    def _write_piece(self, piece: Chunk, path: Path, fmt: str, rng: np.random.Generator,
                     resend_to: date | None) -> None:
        rows = len(piece.epoch)
        if fmt == "parquet":
            write_parquet(self._typed_table(piece), path)
        else:
            table = self._table(piece)
            if resend_to is not None:
                self._resend(table, path, resend_to, rng)
            table = self.bad_rows.apply(table, rng)
            (write_csv if fmt == "csv" else write_jsonl)(table, path)
        self.next_id += rows
        self.written += rows
        self.tally.files += 1

    def _table(self, piece: Chunk) -> pa.Table:
        if self.feed == "meter_readings":
            return reading_table(self.plan, piece, self.next_id, self.formatter)
        return event_table(self.plan, piece, self.next_id, self.formatter)

    def _typed_table(self, piece: Chunk) -> pa.Table:
        if self.feed == "meter_readings":
            return typed_reading_table(self.plan, piece)
        return typed_event_table(self.plan, piece, self.next_id, self.formatter)

    def _resend(self, table: pa.Table, path: Path, arrival: date,
                rng: np.random.Generator) -> None:
        """Some good rows sent again, ids kept, in a file of a later arrival day."""
        count = max(int(table.num_rows * DUPLICATE_SHARE), 1)
        rows = np.sort(rng.choice(table.num_rows, size=min(count, table.num_rows),
                                  replace=False))
        resent = table.take(pa.array(rows))
        target = _arrival_folder(self.out, self.feed, arrival) / f"resend-{path.stem}.csv"
        write_csv(resent, target)
        self.tally.duplicate_rows += resent.num_rows
        self.tally.files += 1

    def _report(self) -> None:
        step = max(self.total_rows // 20, MAX_FILE_ROWS)
        if self.written - self.reported >= step:
            self.reported = self.written
            self.progress(f"{self.feed}: {self.written:,} / {self.total_rows:,} rows")

    def finish(self) -> None:
        self.progress(f"{self.feed}: {self.written:,} / {self.total_rows:,} rows")


def _slice(chunk: Chunk, start: int, stop: int) -> Chunk:
    kind = type(chunk)
    return kind(**{name: getattr(chunk, name)[start:stop] for name in chunk.__dataclass_fields__})


def _day_rng(seed: int, day: date, stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, day.toordinal(), stream])


RESEND_EVERY_DAYS = 10
RELANDED_SOURCE_DAY = date(2026, 8, 10)
RELANDED_ARRIVAL = date(2026, 8, 13)


def write_usage(out: Path, plan: Plan, tally: Tally, progress: Callable[[str], None]) -> None:
    formatter = Formatter(USAGE_START - timedelta(days=31), USAGE_END + timedelta(days=31))
    readings = UsageWriter(out, plan, formatter, tally,
                           BadRows(READING_BAD_REASONS, plan.bad_row_share, tally), progress,
                           "meter_readings", sum(plan.readings_per_day))
    events = UsageWriter(out, plan, formatter, tally,
                         BadRows(EVENT_BAD_REASONS, plan.bad_row_share, tally), progress,
                         "service_events", sum(plan.events_per_day))
    state = MeterState(plan.series, np.random.default_rng([plan.seed, 0]))
    for number, day in enumerate(plan.days):
        arrival = day + timedelta(days=1)
        stamp = day.strftime("%Y%m%d")
        resend_to = day + timedelta(days=2) if number % RESEND_EVERY_DAYS == 3 else None
        rng = _day_rng(plan.seed, day, 1)
        on_time, late = readings_of_day(plan, day, state, rng)
        if on_time is not None:
            readings.write(on_time, f"telemetry-{stamp}", arrival,
                           _format_of("meter_readings", number), rng, resend_to)
        for late_arrival, chunk in late.items():
            readings.write(chunk, f"telemetry-backfill-{stamp}", late_arrival, "csv", rng)
            tally.late_rows += len(chunk.epoch)
        rng = _day_rng(plan.seed, day, 2)
        on_time_events, late_events = events_of_day(plan, day, rng)
        if on_time_events is not None:
            events.write(on_time_events, f"events-{stamp}", arrival,
                         _format_of("service_events", number), rng, resend_to)
        for late_arrival, chunk in late_events.items():
            events.write(chunk, f"events-delayed-{stamp}", late_arrival, "csv", rng)
            tally.late_rows += len(chunk.epoch)
    readings.finish()
    events.finish()
    tally.meter_readings = readings.written
    tally.service_events = events.written
    _reland(out, tally)


def _reland(out: Path, tally: Tally) -> None:
    """The same file delivered twice: a copy under another name, on a later day."""
    stamp = RELANDED_SOURCE_DAY.strftime("%Y%m%d")
    source_folder = _arrival_folder(out, "service_events", RELANDED_SOURCE_DAY + timedelta(1))
    sources = sorted(source_folder.glob(f"events-{stamp}*.csv"))
    if not sources:
        return
    source = sources[0]
    target = _arrival_folder(out, "service_events", RELANDED_ARRIVAL)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target / f"{source.stem}-redelivered.csv")
    tally.relanded_files += 1
    tally.files += 1


# ---------------------------------------------------------------------------------------------
# Admin snapshots
# ---------------------------------------------------------------------------------------------


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _admin_path(out: Path, table: str, arrival: date) -> Path:
    return out / "admin" / table / f"arrived={arrival.isoformat()}" / f"{table}.csv"


def _columns(table: str) -> tuple[str, ...]:
    return FEEDS_BY_NAME[f"admin/{table}"].columns


def _snapshot_days(*days: date) -> list[date]:
    return sorted({FIRST_SNAPSHOT, *days})


def write_admin(out: Path, plan: Plan, tally: Tally) -> None:
    writers: list[tuple[str, list[date], Callable[[date], list[list[object]]]]] = [
        ("clients", _snapshot_days(CLIENTS_ADDED_LATER), _client_rows),
        ("assets", _snapshot_days(NEW_ASSET_DAY, CLIENTS_ADDED_LATER, LATEST_ASSET_DAY),
         _asset_rows),
        ("unit_types", _snapshot_days(), lambda _: _unit_type_rows()),
        ("buckets", _snapshot_days(NEW_BUCKET_DAY, CLIENTS_ADDED_LATER, PRICE_CHANGE_DAY),
         lambda day: _bucket_rows(plan, day)),
        ("suppressions", _snapshot_days(SUPPRESSION_ADDED_DAY), _suppression_rows),
        ("disregarded_assets", _snapshot_days(), lambda _: [list(d) for d in DISREGARDED]),
        ("credit_grants", _snapshot_days(), lambda _: _credit_grant_rows(plan)),
        ("usage_limits", _snapshot_days(), lambda _: _usage_limit_rows(plan)),
        ("payments", PAYMENT_SNAPSHOTS, lambda day: _payment_rows(plan, day)),
        ("api_keys", _snapshot_days(USERS_CHANGED_DAY), lambda day: _api_key_rows(plan, day)),
        ("users", _snapshot_days(USERS_CHANGED_DAY), _user_rows),
    ]
    for table, days, rows_of in writers:
        for day in days:
            write_admin_csv(_admin_path(out, table, day), _columns(table), rows_of(day))
            tally.admin_files += 1
            tally.files += 1


def _client_rows(day: date) -> list[list[object]]:
    return [
        [c.client_id, c.name, c.timezone, c.net_terms_days, "true", c.created_at]
        for c in CLIENTS if c.listed_from <= day
    ]


def _asset_rows(day: date) -> list[list[object]]:
    return [
        [a.asset_id, a.client_id, a.source_type, a.name, a.description, _bool(a.acknowledged),
         "true", f"{(a.listed_from - timedelta(days=3)).isoformat()}T00:00:00Z"]
        for a in ASSETS if a.listed_from <= day
    ]


def _unit_type_rows() -> list[list[object]]:
    return [
        [u.unit_type, u.description, u.meter_kind, u.aggregation, _bool(u.auto_provision),
         u.base_price, u.overage_price, u.filter_pattern]
        for u in UNIT_TYPES
    ]


def _bucket_rows(plan: Plan, day: date) -> list[list[object]]:
    rows = []
    for b in plan.buckets:
        if b.listed_from > day:
            continue
        overage = b.repriced[1] if b.repriced and b.repriced[0] <= day else b.overage_price
        rows.append([b.bucket_id, b.client_id, b.name, b.source_type, b.unit_type,
                     b.aggregation, commit_units(plan, b), b.base_price, overage,
                     _bool(b.reviewed), _bool(b.enabled), b.created_at])
    return rows


def _suppression_rows(day: date) -> list[list[object]]:
    return [[p, t, r, c] for p, t, r, c, listed in SUPPRESSIONS if listed <= day]


def monthly_commit_charges(plan: Plan, client_id: str, day: date) -> Decimal:
    """Sum of committed amounts (commit x base, to the cent) of a client's enabled buckets."""
    total = Decimal(0)
    for row in _bucket_rows(plan, day):
        if row[1] == client_id and row[10] == "true":
            amount = Decimal(row[6]) * Decimal(row[7])
            total += amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


def _money(value: Decimal | float) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _credit_grant_rows(plan: Plan) -> list[list[object]]:
    acme_month = monthly_commit_charges(plan, "inf-acme", FIRST_SNAPSHOT)
    northgate_month = monthly_commit_charges(plan, "dlr-northgate", FIRST_SNAPSHOT)
    return [
        ["g-acme-onboarding", "inf-acme", _money(acme_month * Decimal("1.5")),
         "2026-06-20T00:00:00Z", "2027-06-30T00:00:00Z"],
        ["g-northgate-launch", "dlr-northgate", _money(northgate_month * 10),
         "2026-07-01T00:00:00Z", "2026-12-31T00:00:00Z"],
        ["g-harbor-promo", "cc-harbor", "150", "2026-07-10T00:00:00Z", "2026-07-25T00:00:00Z"],
    ]


def expected_monthly_charges(plan: Plan, client_id: str, day: date) -> Decimal:
    """What a client's enabled buckets are expected to charge in a typical month: each
    bucket's committed amount plus the overage of its expected usage above the commit."""
    total = Decimal(0)
    for bucket in plan.buckets:
        if bucket.client_id != client_id or not bucket.enabled or bucket.listed_from > day:
            continue
        commit = Decimal(commit_units(plan, bucket))
        expected = Decimal(str(round(_expected_monthly_usage(plan, bucket), 6)))
        amount = (commit * Decimal(bucket.base_price)
                  + max(expected - commit, Decimal(0)) * Decimal(bucket.overage_price))
        total += amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return total


USAGE_LIMIT_HEADROOM = Decimal("1.1")  # a limit 10% above the expected monthly charges


def _usage_limit_rows(plan: Plan) -> list[list[object]]:
    """Each limit is the client's expected monthly charges plus 10%, rounded up to a whole
    ten: above its committed spend and its usual month, so that only an unplanned workload
    (Acme's November batch worker) brings a projection over it."""
    rows: list[list[object]] = []
    for client_id in ("inf-acme", "cc-brightline", "dlr-northgate"):
        expected = expected_monthly_charges(plan, client_id, FIRST_SNAPSHOT)
        limit = (expected * USAGE_LIMIT_HEADROOM / 10).to_integral_value(rounding=ROUND_CEILING)
        rows.append([client_id, str(limit * 10)])
    return rows


PAYMENT_SNAPSHOTS = [date(2026, 9, 3), date(2026, 10, 3), date(2026, 11, 3)]
PAID_MONTHS = ("2026-07", "2026-08", "2026-09")


def _payment_rows(plan: Plan, day: date) -> list[list[object]]:
    """Globex pays its invoices in full (all its buckets stay under commit); Acme pays part of
    September; the dealers and contact centres have not paid yet."""
    rows: list[list[object]] = []
    for number, period in enumerate(PAID_MONTHS):
        if PAYMENT_SNAPSHOTS[number] > day:
            continue
        month_start = date.fromisoformat(f"{period}-01")
        paid_at = (month_start + timedelta(days=58)).isoformat() + "T15:00:00Z"
        globex = monthly_commit_charges(plan, "inf-globex", month_start)
        rows.append([f"p-globex-{period}", "inf-globex", period, _money(globex), paid_at])
        if period == "2026-09":
            acme = monthly_commit_charges(plan, "inf-acme", month_start) / 2
            rows.append([f"p-acme-{period}", "inf-acme", period, _money(acme), paid_at])
    return rows


API_KEYS = (
    ("key-admin-01", "billing admin console", "admin", ""),
    ("key-finance-01", "finance exports", "finance", ""),
    ("key-ingest-01", "telemetry collector", "ingest", ""),
    ("key-ingest-02", "service events relay", "ingest", ""),
    ("key-reader-acme", "Acme dashboard", "client_reader", "inf-acme"),
    ("key-reader-northgate", "Northgate BI", "client_reader", "dlr-northgate"),
)


def _api_key_rows(plan: Plan, day: date) -> list[list[object]]:
    rows = []
    for key_id, name, role, client_id in API_KEYS:
        key_hash = hashlib.sha256(f"{plan.seed}:{key_id}".encode()).hexdigest()
        rotated = key_id == "key-ingest-01" and day >= USERS_CHANGED_DAY
        last_used = min(day, USAGE_END).isoformat() + "T06:00:00Z"
        rows.append([key_id, name, role, client_id, key_hash, _bool(not rotated), last_used])
    return rows


def _user_rows(day: date) -> list[list[object]]:
    users = list(USERS) + ([NEW_USER] if day >= USERS_CHANGED_DAY else [])
    rows = []
    for client_id, user_id, name, role, channels in users:
        email = f"{user_id.replace('u-', '')}@{client_id.split('-', 1)[1]}.example"
        deactivated = (
            "2026-09-28T17:00:00Z" if user_id == DEACTIVATED_USER and day >= USERS_CHANGED_DAY
            else ""
        )
        created = "2026-09-29T09:00:00Z" if (client_id, user_id) == NEW_USER[:2] else (
            "2026-06-01T09:00:00Z")
        rows.append([user_id, client_id, name, email, role, channels, created, deactivated])
    return rows


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------

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
