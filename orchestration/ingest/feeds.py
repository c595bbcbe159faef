"""The landing zone's feeds and admin tables: their columns and which of them are required."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from orchestration.settings import DBT_PROJECT_DIR


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


def _admin_tables() -> tuple[Feed, ...]:
    """The admin tables as the dbt project defines them once (var ``admin_tables``)."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return tuple(
        Feed(
            name=f"admin/{table}",
            folder=f"admin/{table}",
            raw_table=f"admin_{table}",
            columns=tuple(spec["columns"]),
            required=tuple(spec["required"]),
        )
        for table, spec in project["vars"]["admin_tables"].items()
    )


# Admin snapshots: only the identifying and money columns are required; a missing optional
# column reads as empty, which the contract gives a meaning for (e.g. timezone = UTC).
ADMIN_TABLES: tuple[Feed, ...] = _admin_tables()

ALL_FEEDS: tuple[Feed, ...] = ADMIN_TABLES + USAGE_FEEDS
FEEDS_BY_NAME: dict[str, Feed] = {feed.name: feed for feed in ALL_FEEDS}
SUPPORTED_SUFFIXES = (".csv", ".parquet", ".jsonl")
