"""The customer base the generator plays: clients, assets, unit types and admin rules,
the days things change, and the shapes of a meter series, an event stream and a bucket."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import date

from orchestration.settings import REPO_ROOT

# The seed dbt reads to bind service events to unit types (CONTRACT 2.2): one definition.
SERVICE_UNIT_TYPES_SEED = REPO_ROOT / "seeds" / "service_unit_types.csv"

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
        return service_unit_types()[(self.service, self.direction or "out")]


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




@functools.cache
def service_unit_types() -> dict[tuple[str, str], str]:
    """(service, direction) -> the unit type its events are billed in, from the dbt seed."""
    with SERVICE_UNIT_TYPES_SEED.open(encoding="utf-8", newline="") as handle:
        return {
            (row["service"], row["direction"]): row["unit_type"]
            for row in csv.DictReader(handle)
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
