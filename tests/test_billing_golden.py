"""Golden bills (CONTRACT 1, 3.1-3.4, 3.7): a hand-written landing zone, bills worked out by hand.

Configuration arrives 2026-02-15; every bucket was created 2026-01-01. The bills of March 2026
are checked at three as-of times:
  T1 = 2026-03-16T00:00Z  March open (a draft): records arrived by T1 only;
  T2 = 2026-04-03T04:00Z  March just finalized for both clients (acme's cutoff Apr 3 00:00Z,
                          nyc's Apr 1 04:00Z + 48 h = Apr 3 04:00Z);
  T3 = 2026-06-01T00:00Z  long finalized; a March reading that arrived May 10 is an adjustment
                          on May's invoice, never a change to March's bill.

Client acme (UTC). March = [Mar 1, Apr 1), 31 days.
  b_cpu    compute/cpu_hours, delta, sum; commit 10, base 1, overage 1.5; assets srv-1, srv-2
           (old-1 is disregarded: its 100 never counts). Readings 4.5 (Mar 2), 3.25 (Mar 10),
           2.125 (Mar 5), 6 (Mar 20, arrived Mar 21), late 1 (Mar 31, arrived May 10).
           T1: U = 4.5 + 3.25 + 2.125 = 9.875 -> under; committed 10.00, buffer 0.125 units,
               buffer 0.125 * 1 = 0.125; final 10.00.
           T2: U = 15.875 -> over 5.875 * 1.5 = 8.8125; final 18.8125 -> 18.81.
           With the late reading: U = 16.875 -> 10 + 6.875 * 1.5 = 20.3125 -> 20.31: +1.50 on May.
  b_cpu_old  the same key, enabled = false: never billed.
  b_req    compute/requests, delta, count; commit 5, base 0.10, overage 0.20; asset api-1,
           records Mar 3, 4, 12, 25 and a resend of Mar 3 (same reading_id, billed once).
           T1: 3 records -> under, buffer 2 units = 0.20; final 0.50. T2: 4 -> buffer 0.10; 0.50.
  b_egress network/egress_gb, cumulative, sum; commit 100, base 0.05, overage 0.08; asset
           rtr-1: 1000 (Feb 27, carried in), 1040 (Mar 5), 1100 (Mar 12), 30 (Mar 18: a counter
           reset), 95 (Mar 28). T1: 40 + 60 = 100 -> on_commit, final 5.00.
           T2: 100 + 30 + 65 = 195 -> over 95 * 0.08 = 7.60; final 12.60.
  b_store  storage/storage_gb, gauge, time_weighted_avg; commit 50, base 0.10, overage 0.20.
           disk-1: 40 (Feb 20, carried in), 100 (Mar 11), 10 (Mar 21); disk-2: 62 (Mar 16,
           arrived Mar 17), nothing before (level 0).
           T1 (window Mar 1 - Mar 16, 15 days): disk-1 40 * 10 + 100 * 5 = 900 -> 900 / 15 = 60
               -> over 10 * 0.2 = 2.00; committed 5.00; final 7.00.
           T2 (31 days): disk-1 40 * 10 + 100 * 10 + 10 * 11 = 1510; disk-2 62 * 16 = 992;
               2502 / 31 = 80.7096774.. -> U 80.709677; overage 30.709677 * 0.2 = 6.1419354
               -> 6.141935; final 5 + 6.1419354 = 11.14.
  b_vms    compute/vms, gauge, max; commit 3, base 5, overage 7; asset cl-1: 9 (Feb 28, before
           the period: max ignores it), 2 (Mar 2), 4 (Mar 9), 3 (Mar 20).
           T1 and T2: U 4 -> committed 15 + overage 7 = 22.00.
  b_temp   compute/temp_c, gauge, latest; commit 0, base 0, overage 0.5; asset cl-1: 20 (Mar 3),
           18.5 (Mar 14), 21 (Mar 30). T1: 18.5 -> 9.25. T2: 21 -> 10.50.
  auto     compute/gpu_hours has no bucket; the unit type auto-provisions for assets matching
           gpu-*: gpu-1 binds to auto:acme:compute:gpu_hours (commit 0, prices 2 / 3):
           1.5 -> overage 4.50; gpux-1 does not match: unbound, not billed.
  b_chat   services/chat_messages, aggregation unique_count (the unit type says sum); commit 2,
           base 10, overage 12. Users u1 (Mar 2), u2 (Mar 3), u1 (Mar 20), u3 (Mar 21), an event
           with no user (Mar 22). T1: {u1, u2} = 2 -> on_commit, 20.00. T2: 3 -> 20 + 12 = 32.00.
  b_ai     services/ai_tokens, sum; commit 1000, base 0.002, overage 0.003. 600 (store-a, Mar 4),
           300.5 (default project, Mar 10), 400 (Mar 25).
           T1: 900.5 -> buffer 99.5 units * 0.002 = 0.199; final 2.00.
           T2: 1300.5 -> overage 300.5 * 0.003 = 0.9015; final 2.9015 -> 2.90.
  acme March at T2: 18.81 + 0.50 + 12.60 + 11.14 + 22.00 + 10.50 + 4.50 + 32.00 + 2.90 = 114.95;
  b_req is under and the others over: mixed. Due Apr 1 + 30 days = May 1: pending at T2; a
  payment of 114.95 for 2026-03 arrives May 20: paid at T3.
Client nyc (America/New_York, net terms 15). March = [Mar 1 05:00Z, Apr 1 04:00Z): 743 hours,
the clocks go forward on Mar 8.
  n_cpu    compute/cpu_hours, sum; commit 0, base 0, overage 1; asset nyc-1: 7 at Mar 1 03:00Z
           (Feb 28 22:00 local: February), 2 at Mar 1 06:00Z, 3 at Apr 1 03:30Z (Mar 31 23:30
           local), 11 at Apr 1 04:30Z (April). February 7.00, March 5.00, April 11.00.
  n_disk   storage/storage_gb, time_weighted_avg; commit 0, base 0, overage 1; asset nyc-d: 10 at
           Mar 1 05:00Z, 20 at Mar 16 04:00Z (midnight local). 10 * 359 h + 20 * 384 h = 11270;
           11270 / 743 = 15.1682368.. -> 15.168237; final 15.17. At T1 the window is 355 hours
           (Mar 1 05:00Z - Mar 16 00:00Z) at level 10: 10.
  Projection at T1: f = 355 / 743; n_cpu 2 / f = 4.1859154.. -> 4.185915, cost 4.19, no
  pct_of_commit (commit 0), over_commit.
  n_req    compute/requests, created Mar 20: not in February; owes its commit 5 * 1 in March.
Client off is disabled: never billed. Assets lost-1 and new-1 have no client: unassigned;
new-1 first reports on Mar 12, so it is new as of T1 (within the 7 days before) only.
Client late is listed by a clients snapshot of Mar 2, inside February's grace window (cutoff
Mar 3), and its bucket l_req (commit 2, base 1.5) was created Feb 25: the snapshot configures
February, so its first invoice is February's, owing the whole commit 2 * 1.5 = 3.00.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest

from tests.pipeline import (
    BUCKETS,
    CLIENTS,
    EVENTS,
    READINGS,
    UNIT_TYPES,
    build_marts,
    read,
    write_csv,
)

T1 = "2026-03-16T00:00:00Z"
T2 = "2026-04-03T04:00:00Z"
T3 = "2026-06-01T00:00:00Z"


def _readings(root: Path, arrived: str, name: str, *rows: str) -> None:
    write_csv(root / f"meter_readings/arrived={arrived}/{name}.csv", READINGS, *rows)


def _landing(root: Path) -> Path:
    admin = root / "admin"
    day = "arrived=2026-02-15"
    write_csv(
        admin / f"clients/{day}/clients.csv",
        CLIENTS,
        "acme,Acme Cloud,UTC,,true,2026-01-01",
        "nyc,NYC Contact Centre,America/New_York,15,true,2026-01-01",
        "off,Former Client,,,false,2026-01-01",
    )
    write_csv(
        admin / f"unit_types/{day}/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU hours,delta,sum,false,1,2,",
        "requests,API requests,delta,count,false,0.1,0.2,",
        "egress_gb,Egress,cumulative,sum,false,0.05,0.08,",
        "storage_gb,Storage,gauge,time_weighted_avg,false,0.1,0.2,",
        "vms,Running VMs,gauge,max,false,5,7,",
        "temp_c,Temperature,gauge,latest,false,0,0.5,",
        "gpu_hours,GPU hours,delta,sum,true,2,3,gpu-*",
        "chat_messages,Chat messages,delta,sum,false,0.01,0.02,",
        "ai_tokens,AI tokens,delta,sum,false,0.002,0.003,",
    )
    write_csv(
        admin / f"buckets/{day}/buckets.csv",
        BUCKETS,
        "b_cpu,acme,CPU,compute,cpu_hours,,10,1,1.5,true,true,2026-01-01",
        "b_cpu_old,acme,CPU (old),compute,cpu_hours,,99,9,9,true,false,2026-01-01",
        "b_req,acme,Requests,compute,requests,,5,0.10,0.20,true,true,2026-01-01",
        "b_egress,acme,Egress,network,egress_gb,,100,0.05,0.08,true,true,2026-01-01",
        "b_store,acme,Storage,storage,storage_gb,,50,0.10,0.20,true,true,2026-01-01",
        "b_vms,acme,VMs,compute,vms,,3,5,7,true,true,2026-01-01",
        "b_temp,acme,Temperature,compute,temp_c,,0,0,0.5,true,true,2026-01-01",
        "b_chat,acme,Chat seats,services,chat_messages,unique_count,2,10,12,true,true,2026-01-01",
        "b_ai,acme,AI,services,ai_tokens,,1000,0.002,0.003,true,true,2026-01-01",
        "n_cpu,nyc,CPU,compute,cpu_hours,,0,0,1,true,true,2026-01-01",
        "n_disk,nyc,Disk,storage,storage_gb,,0,0,1,true,true,2026-01-01",
        "n_req,nyc,Requests,compute,requests,,5,1,2,true,true,2026-03-20T00:00:00Z",
        "o_cpu,off,CPU,compute,cpu_hours,,10,1,1,true,true,2026-01-01",
        "l_req,late,Requests,compute,requests,,2,1.5,2,true,true,2026-02-25",
    )
    write_csv(
        admin / f"assets/{day}/assets.csv",
        "asset_id,client_id,source_type,name,description,ack,enabled,created_at",
        *(
            f"{asset},{client},{source},{asset},,true,true,2026-01-01"
            for asset, client, source in (
                ("srv-1", "acme", "compute"), ("srv-2", "acme", "compute"),
                ("old-1", "acme", "compute"), ("api-1", "acme", "compute"),
                ("rtr-1", "acme", "network"), ("disk-1", "acme", "storage"),
                ("disk-2", "acme", "storage"), ("cl-1", "acme", "compute"),
                ("gpu-1", "acme", "compute"), ("gpux-1", "acme", "compute"),
                ("nyc-1", "nyc", "compute"), ("nyc-d", "nyc", "storage"),
                ("off-1", "off", "compute"), ("lost-1", "", "compute"),
                ("new-1", "", "compute"),
            )
        ),
    )
    write_csv(  # a client listed from Mar 2, inside February's grace window
        admin / "clients/arrived=2026-03-02/clients.csv",
        CLIENTS,
        "acme,Acme Cloud,UTC,,true,2026-01-01",
        "nyc,NYC Contact Centre,America/New_York,15,true,2026-01-01",
        "off,Former Client,,,false,2026-01-01",
        "late,Late Joiner,,,true,2026-02-20",
    )
    write_csv(
        admin / f"disregarded_assets/{day}/disregarded_assets.csv",
        "asset_id,reason,disregarded_at",
        "old-1,decommissioned,2026-02-01T00:00:00Z",
    )
    write_csv(
        admin / "payments/arrived=2026-05-20/payments.csv",
        "payment_id,client_id,period,amount,paid_at",
        "pay1,acme,2026-03,114.95,2026-05-19T00:00:00Z",
    )
    # before the period: carried-in levels and counters
    _readings(
        root, "2026-02-28", "feb",
        "e0,rtr-1,network,egress_gb,2026-02-27T00:00:00Z,1000",
        "d0,disk-1,storage,storage_gb,2026-02-20T00:00:00Z,40",
        "v0,cl-1,compute,vms,2026-02-28T00:00:00Z,9",
    )
    _readings(
        root, "2026-03-02", "d0302",
        "n0,nyc-1,compute,cpu_hours,2026-03-01T03:00:00Z,7",
        "n1,nyc-1,compute,cpu_hours,2026-03-01T06:00:00Z,2",
        "nd1,nyc-d,storage,storage_gb,2026-03-01T05:00:00Z,10",
    )
    _readings(
        root, "2026-03-03", "d0303",
        "c1,srv-1,compute,cpu_hours,2026-03-02T10:00:00Z,4.5",
        "v1,cl-1,compute,vms,2026-03-02T00:00:00Z,2",
    )
    _readings(
        root, "2026-03-04", "d0304",
        "q1,api-1,compute,requests,2026-03-03T08:00:00Z,7",
        "t1,cl-1,compute,temp_c,2026-03-03T00:00:00Z,20",
    )
    _readings(
        root, "2026-03-05", "d0305",
        "q2,api-1,compute,requests,2026-03-04T08:00:00Z,1",
        "x1,old-1,compute,cpu_hours,2026-03-04T00:00:00Z,100",
        "q1,api-1,compute,requests,2026-03-03T08:00:00Z,7",  # a resend of q1
    )
    _readings(
        root, "2026-03-06", "d0306",
        "c2,srv-2,compute,cpu_hours,2026-03-05T00:00:00Z,2.125",
        "e1,rtr-1,network,egress_gb,2026-03-05T00:00:00Z,1040",
    )
    _readings(
        root, "2026-03-08", "d0308",
        "g1,gpu-1,compute,gpu_hours,2026-03-07T00:00:00Z,1.5",
        "g2,gpux-1,compute,gpu_hours,2026-03-07T00:00:00Z,5",
    )
    _readings(root, "2026-03-10", "d0310", "v2,cl-1,compute,vms,2026-03-09T00:00:00Z,4")
    _readings(root, "2026-03-11", "d0311", "c3,srv-1,compute,cpu_hours,2026-03-10T00:00:00Z,3.25")
    _readings(root, "2026-03-12", "d0312", "d1,disk-1,storage,storage_gb,2026-03-11T00:00:00Z,100")
    _readings(root, "2026-03-13", "new", "w1,new-1,compute,cpu_hours,2026-03-12T00:00:00Z,1")
    _readings(
        root, "2026-03-13", "d0313",
        "q3,api-1,compute,requests,2026-03-12T08:00:00Z,2",
        "e2,rtr-1,network,egress_gb,2026-03-12T00:00:00Z,1100",
    )
    _readings(root, "2026-03-15", "d0315", "t2,cl-1,compute,temp_c,2026-03-14T00:00:00Z,18.5")
    _readings(
        root, "2026-03-17", "d0317",
        "d2,disk-2,storage,storage_gb,2026-03-16T00:00:00Z,62",
        "nd2,nyc-d,storage,storage_gb,2026-03-16T04:00:00Z,20",
        "o1,off-1,compute,cpu_hours,2026-03-16T00:00:00Z,50",
        "l1,lost-1,compute,cpu_hours,2026-03-16T00:00:00Z,3",
    )
    _readings(root, "2026-03-19", "d0319", "e3,rtr-1,network,egress_gb,2026-03-18T00:00:00Z,30")
    _readings(
        root, "2026-03-21", "d0321",
        "c4,srv-2,compute,cpu_hours,2026-03-20T00:00:00Z,6",
        "v3,cl-1,compute,vms,2026-03-20T00:00:00Z,3",
    )
    _readings(root, "2026-03-22", "d0322", "d3,disk-1,storage,storage_gb,2026-03-21T00:00:00Z,10")
    _readings(root, "2026-03-26", "d0326", "q4,api-1,compute,requests,2026-03-25T08:00:00Z,9")
    _readings(root, "2026-03-29", "d0329", "e4,rtr-1,network,egress_gb,2026-03-28T00:00:00Z,95")
    _readings(root, "2026-03-31", "d0331", "t3,cl-1,compute,temp_c,2026-03-30T00:00:00Z,21")
    _readings(
        root, "2026-04-02", "d0402",
        "n2,nyc-1,compute,cpu_hours,2026-04-01T03:30:00Z,3",
        "n3,nyc-1,compute,cpu_hours,2026-04-01T04:30:00Z,11",
    )
    _readings(root, "2026-05-10", "late", "c5,srv-1,compute,cpu_hours,2026-03-31T23:00:00Z,1")
    # service events as JSON lines with typed numbers
    events = [
        ("s1", "acme", "", "u1", "chat", "", "2026-03-02T09:00:00Z", 5, "2026-03-03"),
        ("s2", "acme", "", "u2", "chat", "out", "2026-03-03T09:00:00Z", 1, "2026-03-04"),
        ("s3", "acme", "store-a", "", "ai", "out", "2026-03-04T09:00:00Z", 600, "2026-03-05"),
        ("s4", "acme", "", "", "ai", "", "2026-03-10T09:00:00Z", 300.5, "2026-03-11"),
        ("s5", "acme", "", "u1", "chat", "out", "2026-03-20T09:00:00Z", 2, "2026-03-21"),
        ("s6", "acme", "", "u3", "chat", "out", "2026-03-21T09:00:00Z", 1, "2026-03-22"),
        ("s7", "acme", "", "", "chat", "out", "2026-03-22T09:00:00Z", 4, "2026-03-23"),
        ("s8", "acme", "store-a", "u1", "ai", "out", "2026-03-25T09:00:00Z", 400, "2026-03-26"),
    ]
    names = EVENTS.split(",")
    for *values, arrived in events:
        folder = root / f"service_events/arrived={arrived}"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / "events.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(dict(zip(names, values, strict=True))) + "\n")
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One warehouse built as of T1, T2 and T3 in turn; a copy of it after each run."""
    root = tmp_path_factory.mktemp("golden")
    landing = _landing(root / "landing")
    warehouse = root / "warehouse.duckdb"
    copies = {}
    for label, as_of in (("t1", T1), ("t2", T2), ("t3", T3)):
        build_marts(landing, warehouse, as_of)
        copies[label] = warehouse.with_name(f"{label}.duckdb")
        shutil.copy(warehouse, copies[label])
    return copies


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
