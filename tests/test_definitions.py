"""The Dagster code location loads, and its asset graph is one finance can read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster import AssetKey

from orchestration.settings import REPO_ROOT

PUBLIC_MARTS = (
    "billing_readings", "billing_adjustments", "invoices", "credit_grants", "projections",
    "over_under_clients", "assets", "usage_limits", "audit_log", "quarantine", "ingest_log",
)


def test_dagster_definitions_validate() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "dagster"), "definitions", "validate",
         "-m", "orchestration.definitions"],
        cwd=REPO_ROOT, capture_output=True, text=True, check=False,
        env={**os.environ, "DAGSTER_HOME": str(REPO_ROOT)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_every_public_mart_is_reachable_from_the_raw_feeds() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    raw_feeds = {AssetKey(["raw", "meter_readings"]), AssetKey(["raw", "service_events"])}
    for mart in PUBLIC_MARTS:
        key = AssetKey(["marts", mart])
        assert key in graph.get_all_asset_keys(), mart
        ancestors = set(graph.upstream_key_iterator(key))
        if mart == "audit_log":  # the audit log is made of admin snapshots only
            assert AssetKey(["raw", "admin_buckets"]) in ancestors
        else:
            assert raw_feeds <= ancestors, f"{mart} is not fed by the raw feeds"


def test_every_asset_has_a_group_an_owner_and_a_description() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.group_name and node.group_name != "default", key
        assert node.owners, key
        assert node.description, key
