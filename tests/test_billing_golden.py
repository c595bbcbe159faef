"""Golden bills (CONTRACT 1, 3.1-3.4, 3.7) at three as-of times T1, T2 and T3.

On the golden zone (tests/fixtures/zones/golden.py), whose docstring works out every bill.
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import Built, read

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def runs(golden_runs: Built) -> dict[str, Path]:
    """One warehouse built as of T1, T2 and T3 in turn; a copy of it after each run."""
    return golden_runs.runs


def _bills(warehouse: Path, client: str, period: str) -> dict[str, dict]:
    rows = read(
        warehouse,
        f"select * from marts.billing_readings where client_id = '{client}' "
        f"and period_start = date '{period}'",
    )
    return {row["bucket_id"]: row for row in rows}


MARCH_T2 = {  # bucket: (usage, overage_amount, buffer_amount, final_cost, status)
    "b_cpu": (D("15.875"), D("8.8125"), D("0"), D("18.81"), "over"),
    "b_req": (D("4"), D("0"), D("0.1"), D("0.50"), "under"),
    "b_egress": (D("195"), D("7.6"), D("0"), D("12.60"), "over"),
    "b_store": (D("80.709677"), D("6.141935"), D("0"), D("11.14"), "over"),
    "b_vms": (D("4"), D("7"), D("0"), D("22.00"), "over"),
    "b_temp": (D("21"), D("10.5"), D("0"), D("10.50"), "over"),
    "auto:acme:compute:gpu_hours": (D("1.5"), D("4.5"), D("0"), D("4.50"), "over"),
    "b_chat": (D("3"), D("12"), D("0"), D("32.00"), "over"),
    "b_ai": (D("1300.5"), D("0.9015"), D("0"), D("2.90"), "over"),
}


def test_march_while_open(runs: dict[str, Path]) -> None:
    bills = _bills(runs["t1"], "acme", "2026-03-01")
    expected = {  # bucket: (usage, final_cost, status)
        "b_cpu": (D("9.875"), D("10.00"), "under"),
        "b_req": (D("3"), D("0.50"), "under"),
        "b_egress": (D("100"), D("5.00"), "on_commit"),
        "b_store": (D("60"), D("7.00"), "over"),
        "b_vms": (D("4"), D("22.00"), "over"),
        "b_temp": (D("18.5"), D("9.25"), "over"),
        "auto:acme:compute:gpu_hours": (D("1.5"), D("4.50"), "over"),
        "b_chat": (D("2"), D("20.00"), "on_commit"),
        "b_ai": (D("900.5"), D("2.00"), "under"),
    }
    assert {k: (v["usage"], v["final_cost"], v["status"]) for k, v in bills.items()} == expected
    assert not any(row["finalized"] for row in bills.values())
    assert bills["b_cpu"]["buffer_units"] == D("0.125")
    assert bills["b_ai"]["buffer_amount"] == D("0.199")
    nyc = _bills(runs["t1"], "nyc", "2026-03-01")
    assert (nyc["n_cpu"]["usage"], nyc["n_disk"]["usage"]) == (D("2"), D("10"))


def test_march_just_finalized(runs: dict[str, Path]) -> None:
    bills = _bills(runs["t2"], "acme", "2026-03-01")
    got = {
        k: (v["usage"], v["overage_amount"], v["buffer_amount"], v["final_cost"], v["status"])
        for k, v in bills.items()
    }
    assert got == MARCH_T2
    assert all(row["finalized"] for row in bills.values())
    auto = bills["auto:acme:compute:gpu_hours"]
    assert (auto["commit_units"], auto["is_auto"], auto["is_reviewed"]) == (D("0"), True, False)
    (client,) = read(
        runs["t2"],
        "select status, final_cost from marts.over_under_clients "
        "where client_id = 'acme' and period_start = date '2026-03-01'",
    )
    assert client == {"status": "mixed", "final_cost": D("114.95")}


def test_march_long_finalized_is_unchanged_and_the_late_reading_is_an_adjustment(
    runs: dict[str, Path],
) -> None:
    assert _bills(runs["t3"], "acme", "2026-03-01") == {
        k: {**v, "calculated_at": v["calculated_at"].replace(month=6, day=1, hour=0)}
        for k, v in _bills(runs["t2"], "acme", "2026-03-01").items()
    }
    adjustments = read(
        runs["t3"],
        "select client_id, bucket_id, original_period_start, invoice_period_start, amount "
        "from marts.billing_adjustments order by all",
    )
    assert [tuple(a.values()) for a in adjustments] == [
        ("acme", "b_cpu", *_dates("2026-03-01", "2026-05-01"), D("1.50")),
    ]


def _dates(*texts: str) -> tuple:
    from datetime import date

    return tuple(date.fromisoformat(t) for t in texts)


def test_local_month_boundaries_and_daylight_saving(runs: dict[str, Path]) -> None:
    nyc = {
        (str(r["period_start"]), r["bucket_id"]): (r["usage"], r["final_cost"])
        for r in read(runs["t3"], "select * from marts.billing_readings where client_id = 'nyc'")
    }
    assert nyc[("2026-02-01", "n_cpu")] == (D("7"), D("7.00"))
    assert nyc[("2026-03-01", "n_cpu")] == (D("5"), D("5.00"))
    assert nyc[("2026-04-01", "n_cpu")] == (D("11"), D("11.00"))
    assert nyc[("2026-03-01", "n_disk")] == (D("15.168237"), D("15.17"))
    (march,) = read(
        runs["t3"],
        "select period_end, due_date from marts.invoices "
        "where client_id = 'nyc' and period_start = date '2026-03-01'",
    )
    assert march == dict(zip(("period_end", "due_date"), _dates("2026-04-01", "2026-04-16"),
                             strict=True))


def test_projection_over_a_daylight_saving_month(runs: dict[str, Path]) -> None:
    rows = {
        r["bucket_id"]: r
        for r in read(runs["t1"], "select * from marts.projections where client_id = 'nyc'")
    }
    assert rows["n_cpu"]["projected_usage"] == D("4.185915")
    assert rows["n_cpu"]["projected_cost"] == D("4.19")
    assert rows["n_cpu"]["pct_of_commit"] is None
    assert rows["n_cpu"]["status"] == "over_commit"
    acme = {
        r["bucket_id"]: (r["projected_usage"], r["projected_cost"], r["pct_of_commit"], r["status"])
        for r in read(runs["t1"], "select * from marts.projections where client_id = 'acme'")
    }
    # f = 15 / 31: 9.875 * 31 / 15 = 20.408333..; 10 + 10.408333 * 1.5 = 25.6124995 -> 25.61
    assert acme["b_cpu"] == (D("20.408333"), D("25.61"), D("204.08"), "over_commit")
    # count: 3 * 31 / 15 = 6.2; 0.5 + 1.2 * 0.2 = 0.74
    assert acme["b_req"] == (D("6.2"), D("0.74"), D("124.00"), "over_commit")
    # time-weighted average and unique count keep U
    assert acme["b_store"] == (D("60"), D("7.00"), D("120.00"), "over_commit")
    assert acme["b_chat"] == (D("2"), D("20.00"), D("100.00"), "on_track")


def test_march_invoice_pending_then_paid(runs: dict[str, Path]) -> None:
    sql = (
        "select charges, subtotal, amount_due, paid_amount, balance, due_date, status "
        "from marts.invoices where client_id = 'acme' and period_start = date '2026-03-01'"
    )
    (t2,) = read(runs["t2"], sql)
    assert (t2["charges"], t2["balance"], t2["status"]) == (D("114.95"), D("114.95"), "pending")
    assert t2["due_date"] == _dates("2026-05-01")[0]
    (t3,) = read(runs["t3"], sql)
    assert (t3["paid_amount"], t3["balance"], t3["status"]) == (D("114.95"), D("0"), "paid")
    (may,) = read(
        runs["t3"],
        "select adjustments, status from marts.invoices "
        "where client_id = 'acme' and period_start = date '2026-05-01'",
    )
    assert may == {"adjustments": D("1.50"), "status": "draft"}


def test_disabled_client_disabled_bucket_and_flagged_assets(runs: dict[str, Path]) -> None:
    billed = read(runs["t3"], "select distinct client_id, bucket_id from marts.billing_readings")
    assert {r["client_id"] for r in billed} == {"acme", "nyc", "late"}  # not off: disabled
    assert "b_cpu_old" not in {r["bucket_id"] for r in billed}
    assets = {
        r["asset_id"]: r
        for r in read(runs["t3"], "select * from marts.assets where asset_id in "
                      "('old-1', 'gpux-1', 'lost-1', 'srv-1', 'acme/store-a', 'acme/default')")
    }
    assert assets["old-1"]["is_disregarded"] and not assets["old-1"]["is_unbound"]
    assert assets["gpux-1"]["is_unbound"] and not assets["gpux-1"]["is_unassigned"]
    assert assets["lost-1"]["is_unassigned"] and not assets["lost-1"]["is_unbound"]
    srv = assets["srv-1"]
    assert not (srv["is_unbound"] or srv["is_unassigned"] or srv["is_disregarded"])
    assert str(srv["first_seen"]) == "2026-03-02 10:00:00+00:00"
    assert str(srv["last_seen"]) == "2026-03-31 23:00:00+00:00"  # the late reading, known at T3
    assert assets["acme/store-a"]["client_id"] == "acme"
    assert assets["acme/default"]["source_type"] == "services"


def test_csv_export_of_one_client_holds_only_that_client(
    runs: dict[str, Path], tmp_path: Path
) -> None:
    import csv
    import subprocess
    import sys

    tallyhouse = str(Path(sys.executable).parent / "tallyhouse")
    out = tmp_path / "export"
    result = subprocess.run(
        [tallyhouse, "export", "--warehouse", str(runs["t2"]), "--out", str(out),
         "--period", "2026-03", "--client", "nyc"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # beside the CSV files, .tallyhouse-export names whose bills the folder holds
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        ".tallyhouse-export",
        "2026-03_cpu_hours.csv",
        "2026-03_requests.csv",
        "2026-03_storage_gb.csv",
    ]
    assert (out / ".tallyhouse-export").read_text(encoding="utf-8") == "nyc\n"
    for path in out.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "acme" not in text and "off" not in text.replace("overage", "")
    with (out / "2026-03_storage_gb.csv").open(encoding="utf-8") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["client_id"], row["usage"], row["final_cost"]) == ("nyc", "15.168237", "15.17")
    # without --client, the latest finalized period (March at T2), every client
    everyone = tmp_path / "all"
    subprocess.run(
        [tallyhouse, "export", "--warehouse", str(runs["t2"]), "--out", str(everyone)],
        capture_output=True, text=True, check=True,
    )
    with (everyone / "2026-03_cpu_hours.csv").open(encoding="utf-8") as handle:
        rows = {(r["client_id"], r["bucket_id"]): r["final_cost"] for r in csv.DictReader(handle)}
    assert rows == {("acme", "b_cpu"): "18.81", ("nyc", "n_cpu"): "5.00"}


def test_first_configuration_bucket_creation_and_new_assets(runs: dict[str, Path]) -> None:
    # configuration arrived Feb 15: January (ended Feb 1) is never billed
    assert read(runs["t3"], "select * from marts.billing_readings "
                "where period_start < date '2026-02-01'") == []
    # client late is listed by the snapshot of Mar 2, inside February's grace window: that
    # snapshot configures February, and l_req (created Feb 25) owes its whole commit
    invoices = read(runs["t3"], "select period_start::varchar as p, charges from marts.invoices "
                    "where client_id = 'late' order by 1")
    # (June has started at T3 = Jun 1 00:00: its draft exists too)
    assert [(r["p"], r["charges"]) for r in invoices] == [
        (month, D("3.00"))
        for month in ("2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01")
    ]
    # n_req was created Mar 20: not in February, owes its whole commit (5 * 1) in March
    periods = {
        str(r["period_start"]): (r["usage"], r["buffer_units"], r["final_cost"], r["status"])
        for r in read(runs["t3"], "select * from marts.billing_readings where bucket_id = 'n_req'")
    }
    assert "2026-02-01" not in periods
    assert periods["2026-03-01"] == (D("0"), D("5"), D("5.00"), "under")
    # new-1 first reported Mar 12 (known from Mar 13): new within the 7 days before T1 only
    new_at = {
        label: read(runs[label], "select is_new from marts.assets where asset_id = 'new-1'")
        for label in ("t1", "t3")
    }
    assert new_at == {"t1": [{"is_new": True}], "t3": [{"is_new": False}]}
    (srv,) = read(runs["t1"], "select is_new from marts.assets where asset_id = 'srv-1'")
    assert srv == {"is_new": False}  # first seen Mar 2, 14 days before T1
