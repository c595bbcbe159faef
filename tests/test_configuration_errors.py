"""Configuration errors (CONTRACT 3.3) stop billing and are named; a timezone change is ignored.

Each error below is planted in the one snapshot that rates January 2026 of client c1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pipeline import (
    ASSETS,
    BUCKETS,
    CLIENTS,
    READINGS,
    UNIT_TYPES,
    build_marts,
    dbt_build,
    ingest,
    read,
    write_csv,
)

pytestmark = pytest.mark.e2e

AS_OF = "2026-01-20T00:00:00Z"


def _base(root: Path, *buckets: str) -> Path:
    admin = root / "admin"
    write_csv(admin / "clients/arrived=2026-01-01/clients.csv", CLIENTS, "c1,C One,,,true,")
    write_csv(
        admin / "unit_types/arrived=2026-01-01/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU,delta,sum,false,1,2,",
        "egress_gb,Egress,cumulative,sum,false,1,2,",
        "chat_messages,Chat,delta,sum,false,1,2,",
        "disk_gb,Disk,gauge,sum,false,1,2,",  # a gauge cannot be summed
    )
    write_csv(admin / "buckets/arrived=2026-01-01/buckets.csv", BUCKETS, *buckets)
    write_csv(
        admin / "assets/arrived=2026-01-01/assets.csv",
        ASSETS,
        "vm-1,c1,compute,VM,,true,true,",
    )
    write_csv(
        root / "meter_readings/arrived=2026-01-06/a.csv",
        READINGS,
        "r1,vm-1,compute,cpu_hours,2026-01-05T00:00:00Z,3",
    )
    return root


def test_every_configuration_error_is_named_and_billing_is_not_built(tmp_path: Path) -> None:
    landing = _base(
        tmp_path / "landing",
        "dup1,c1,CPU,compute,cpu_hours,,1,1,1,true,true,",
        "dup2,c1,CPU again,compute,cpu_hours,,1,1,1,true,true,",
        "off,c1,CPU disabled,compute,cpu_hours,,1,1,1,true,false,",  # disabled: no clash
        "svc_max,c1,Chat,services,chat_messages,max,1,1,1,true,true,",
        "cum_latest,c1,Egress,network,egress_gb,latest,1,1,1,true,true,",
        "ok_count,c1,Egress count,storage,egress_gb,count,1,1,1,true,true,",
    )
    warehouse = tmp_path / "warehouse.duckdb"
    ingest(landing, warehouse, AS_OF)
    result = dbt_build(warehouse, AS_OF)
    assert result.returncode != 0
    assert "assert_no_configuration_errors" in result.stdout
    errors = read(
        warehouse,
        "select object_type, object_id, error_code from intermediate.int_configuration_errors "
        "order by all",
    )
    assert [tuple(e.values()) for e in errors] == [
        ("bucket", "cum_latest", "aggregation_does_not_fit_meter_kind"),
        ("bucket", "dup1, dup2", "duplicate_enabled_bucket"),
        ("bucket", "svc_max", "aggregation_does_not_fit_meter_kind"),
        ("unit_type", "disk_gb", "aggregation_does_not_fit_meter_kind"),
    ]
    billing = read(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "and table_name in ('billing_readings', 'invoices', 'billing_adjustments')",
    )
    assert billing == []  # dbt skipped every billing mart downstream of the failing test


def test_a_later_timezone_change_is_ignored(tmp_path: Path) -> None:
    landing = _base(tmp_path / "landing", "b1,c1,CPU,compute,cpu_hours,,1,1,1,true,true,")
    (landing / "admin/unit_types/arrived=2026-01-01/unit_types.csv").write_text(
        UNIT_TYPES + "\ncpu_hours,CPU,delta,sum,false,1,2,\n", encoding="utf-8"
    )
    # c1 moves to Tokyo on Jan 10: its months stay UTC months
    write_csv(
        landing / "admin/clients/arrived=2026-01-10/clients.csv", CLIENTS,
        "c1,C One,Asia/Tokyo,,true,",
    )
    write_csv(
        landing / "meter_readings/arrived=2026-02-01/b.csv",
        READINGS,
        "r2,vm-1,compute,cpu_hours,2026-01-31T20:00:00Z,4",  # Feb 1 05:00 in Tokyo
    )
    warehouse = tmp_path / "warehouse.duckdb"
    result = build_marts(landing, warehouse, "2026-02-10T00:00:00Z")
    assert "WARN 1 warn_client_timezone_changed" in result.stdout  # reported, not blocking
    (january,) = read(
        warehouse,
        "select usage, period_end from marts.billing_readings "
        "where period_start = date '2026-01-01'",
    )
    assert str(january["usage"]) == "7.000000"  # 3 + 4: both in January, UTC


def test_prices_and_commits_that_do_not_parse_exactly_are_named_errors(tmp_path: Path) -> None:
    """Prices have at most 12 places, commit_units at most 6; nothing is rounded or guessed."""
    landing = _base(
        tmp_path / "landing",
        "p13,c1,CPU,compute,cpu_hours,,1,1,0.0000000000015,true,true,",  # 13 places
        "pabc,c1,Egress,network,egress_gb,,1,abc,1,true,true,",
        "p1k,c1,Chat,services,chat_messages,,1,1,1_000,true,true,",
        "c7,c1,Egress count,storage,egress_gb,count,1.0000001,1,1,true,true,",  # 7 places
        "ok12,c1,CPU batch,batch,cpu_hours,,1,0.000000000001,0.123456789012,true,true,",
    )
    (landing / "admin/unit_types/arrived=2026-01-01/unit_types.csv").write_text(
        "\n".join((
            UNIT_TYPES,
            "cpu_hours,CPU,delta,sum,false,1,2,",
            "egress_gb,Egress,cumulative,sum,false,1,2,",
            "chat_messages,Chat,delta,sum,false,1,2,",
            "gpu_hours,GPU,delta,sum,true,1.0000000000001,2,gpu-*",  # template: 13 places
            "ram_gb,RAM,gauge,max,false,1e-6,,",  # not auto-provisioned, but still no exponent
        )) + "\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "warehouse.duckdb"
    ingest(landing, warehouse, AS_OF)
    result = dbt_build(warehouse, AS_OF)
    assert result.returncode != 0
    assert "assert_no_configuration_errors" in result.stdout
    errors = {
        (e["object_type"], e["object_id"]): (e["error_code"], e["message"])
        for e in read(
            warehouse,
            "select object_type, object_id, error_code, message "
            "from intermediate.int_configuration_errors",
        )
    }
    assert {key: code for key, (code, _) in errors.items()} == {
        ("bucket", "c7"): "invalid_commit_units",
        ("bucket", "p13"): "invalid_overage_price",
        ("bucket", "pabc"): "invalid_base_price",
        ("bucket", "p1k"): "invalid_overage_price",
        ("unit_type", "gpu_hours"): "invalid_template_price",
        ("unit_type", "ram_gb"): "invalid_template_price",
    }
    assert 'overage_price "0.0000000000015"' in errors[("bucket", "p13")][1]
    assert errors[("bucket", "p13")][1].startswith("invalid_overage_price: bucket p13 of client c1")
    assert 'base_price "1.0000000000001"' in errors[("unit_type", "gpu_hours")][1]
    prices = read(
        warehouse,
        "select base_price::varchar as b, overage_price::varchar as o "
        "from staging.stg_admin__buckets where bucket_id = 'ok12'",
    )
    assert prices == [{"b": "0.000000000001", "o": "0.123456789012"}]  # 12 places: exact
