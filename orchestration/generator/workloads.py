"""What each customer does: the meter series of the infrastructure assets, the users and
event streams of the dealers and contact centres, and every client's buckets."""

from __future__ import annotations

from datetime import date, timedelta

from orchestration.generator.catalog import (
    CLIENTS_ADDED_LATER,
    DEALER_OUTAGE,
    LATEST_ASSET_DAY,
    NETWORK_OUTAGE,
    NEW_ASSET_DAY,
    NEW_BUCKET_DAY,
    PRICE_CHANGE_DAY,
    SMS_OUTAGE,
    UNIT_TYPES,
    USAGE_START,
    BucketPlan,
    Series,
    Stream,
)


def meter_series() -> tuple[Series, ...]:
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


def event_streams() -> tuple[Stream, ...]:
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


def bucket_plans() -> tuple[BucketPlan, ...]:
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

