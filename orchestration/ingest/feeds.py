"""The landing zone's feeds and admin tables: their columns and which of them are required."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feed:
    """A landed dataset: where its files live and the columns the contract gives it."""

    name: str  # feed name as written in marts.ingest_log and marts.quarantine
    folder: str  # path under the landing root
    raw_table: str  # table in schema raw
    columns: tuple[str, ...]
    required: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.folder.startswith("admin/")


USAGE_FEEDS: tuple[Feed, ...] = (
    Feed(
        name="meter_readings",
        folder="meter_readings",
        raw_table="meter_readings",
        columns=(
            "reading_id",
            "asset_id",
            "source_type",
            "unit_type",
            "reading_ts",
            "value",
            "description",
        ),
        required=("asset_id", "source_type", "unit_type", "reading_ts", "value"),
    ),
    Feed(
        name="service_events",
        folder="service_events",
        raw_table="service_events",
        columns=(
            "event_id",
            "client_id",
            "project",
            "user_id",
            "service",
            "direction",
            "event_ts",
            "quantity",
        ),
        required=("event_id", "client_id", "service", "event_ts", "quantity"),
    ),
)


def _admin(table: str, columns: str, required: str) -> Feed:
    return Feed(
        name=f"admin/{table}",
        folder=f"admin/{table}",
        raw_table=f"admin_{table}",
        columns=tuple(columns.split()),
        required=tuple(required.split()),
    )


# Admin snapshots: only the identifying and money columns are required; a missing optional
# column reads as empty, which the contract gives a meaning for (e.g. timezone = UTC).
ADMIN_TABLES: tuple[Feed, ...] = (
    _admin("clients", "client_id name timezone net_terms_days enabled created_at", "client_id"),
    _admin(
        "assets",
        "asset_id client_id source_type name description ack enabled created_at",
        "asset_id",
    ),
    _admin(
        "unit_types",
        "unit_type description meter_kind aggregation auto_provision base_price overage_price "
        "filter_pattern",
        "unit_type meter_kind aggregation",
    ),
    _admin(
        "buckets",
        "bucket_id client_id name source_type unit_type aggregation commit_units base_price "
        "overage_price reviewed enabled created_at",
        "bucket_id client_id source_type unit_type commit_units base_price overage_price",
    ),
    _admin("suppressions", "pattern pattern_type reason created_at", "pattern pattern_type"),
    _admin("disregarded_assets", "asset_id reason disregarded_at", "asset_id"),
    _admin(
        "credit_grants",
        "grant_id client_id amount received_at expires_at",
        "grant_id client_id amount received_at expires_at",
    ),
    _admin("usage_limits", "client_id monthly_limit", "client_id monthly_limit"),
    _admin(
        "payments",
        "payment_id client_id period amount paid_at",
        "payment_id client_id period amount",
    ),
    _admin(
        "api_keys", "api_key_id name role client_id key_hash enabled last_used_at", "api_key_id"
    ),
    _admin(
        "users", "user_id client_id name email role channels created_at deactivated_at", "user_id"
    ),
)

ALL_FEEDS: tuple[Feed, ...] = ADMIN_TABLES + USAGE_FEEDS
FEEDS_BY_NAME: dict[str, Feed] = {feed.name: feed for feed in ALL_FEEDS}
SUPPORTED_SUFFIXES = (".csv", ".parquet", ".jsonl")
