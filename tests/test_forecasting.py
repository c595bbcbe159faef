"""Forecasts of the open period and the backtest that chooses between them (CONTRACT 3.7).

A landing zone written by hand; every expected figure is worked out in the comments.

Client f1 (UTC). Bucket w1: compute/cpu_hours (delta, sum), commit 235, base 1, overage 2.
Asset vm-1 reports one reading a day at 12:00: 10 on Monday to Friday, 1 on Saturday and
Sunday, in one file per day that arrives the next day at 00:00 UTC. February and March
2026 both start on a Sunday.
  February (28 days: 20 weekdays, 8 weekend days): U = 20 * 10 + 8 * 1 = 208.
  March 1-12 (known as of T = 2026-03-13T00:00Z): Sundays 1 and 8, Saturday 7, nine
  weekdays: U = 9 * 10 + 3 * 1 = 93.
Bucket g1: compute/temp_c (gauge, max), commit 10, base 1, overage 1. Asset th-1 reports
  5 on Feb 3, 8 on Feb 9, 6 on Feb 20 (February's U = 8) and 4 on Mar 2.
Client f2 (America/New_York; summer time from Mar 8, so T = Mar 12 20:00 local, 4 hours
before the end of Thursday Mar 12). Bucket n1: services/sms_outbound with aggregation
count, commit 45, base 1, overage 0.5. Two SMS events on every local weekday of March
(12:00 and 13:00 local), none at weekends: 8 weekdays complete by T (Mar 2-6, 9-11) plus
both events of Mar 12: U = 9 * 2 = 18. Its March starts 05:00 UTC on Mar 1 and ends 04:00
UTC on Apr 1: 743 hours, of which 283 have elapsed at T.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal as D
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.pipeline import (
    BUCKETS,
    CLIENTS,
    EVENTS,
    READINGS,
    UNIT_TYPES,
    build_warehouse,
    read,
    write_csv,
)

NEW_YORK = ZoneInfo("America/New_York")
AS_OF = "2026-03-13T00:00:00Z"
GAUGE = {date(2026, 2, 3): 5, date(2026, 2, 9): 8, date(2026, 2, 20): 6, date(2026, 3, 2): 4}


def _landing(root: Path) -> Path:
    admin = root / "admin"
    write_csv(
        admin / "clients/arrived=2026-01-01/clients.csv",
        CLIENTS,
        "f1,Forecast One,UTC,30,true,2025-12-01",
        "f2,Forecast Two,America/New_York,30,true,2025-12-01",
    )
    write_csv(
        admin / "unit_types/arrived=2026-01-01/unit_types.csv",
        UNIT_TYPES,
        "cpu_hours,CPU hours,delta,sum,false,1,2,",
        "temp_c,Temperature,gauge,max,false,1,1,",
        "sms_outbound,SMS sent,delta,sum,false,1,1,",
    )
    write_csv(
        admin / "buckets/arrived=2026-01-01/buckets.csv",
        BUCKETS,
        "w1,f1,CPU,compute,cpu_hours,,235,1,2,true,true,2025-12-01",
        "g1,f1,Temperature,compute,temp_c,,10,1,1,true,true,2025-12-01",
        "n1,f2,SMS,services,sms_outbound,count,45,1,0.5,true,true,2025-12-01",
    )
    write_csv(
        admin / "assets/arrived=2026-01-01/assets.csv",
        "asset_id,client_id,source_type,name,description,ack,enabled,created_at",
        "vm-1,f1,compute,VM 1,,true,true,2025-12-01",
        "th-1,f1,compute,Thermometer,,true,true,2025-12-01",
    )
    day = date(2026, 2, 1)
    while day <= date(2026, 3, 12):
        value = 10 if day.weekday() < 5 else 1
        rows = [f"w{day:%m%d},vm-1,compute,cpu_hours,{day}T12:00:00Z,{value}"]
        if day in GAUGE:
            rows.append(f"g{day:%m%d},th-1,compute,temp_c,{day}T12:00:00Z,{GAUGE[day]}")
        arrived = day + timedelta(days=1)
        write_csv(root / f"meter_readings/arrived={arrived}/day.csv", READINGS, *rows)
        if day.month == 3 and day.weekday() < 5:
            events = [
                f"e{day:%m%d}{hour},f2,,u1,sms,out,"
                f"{datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK).isoformat()},1"
                for hour in (12, 13)
            ]
            write_csv(root / f"service_events/arrived={arrived}/day.csv", EVENTS, *events)
        day += timedelta(days=1)
    return root


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_warehouse(tmp_path_factory.mktemp("forecast"), _landing, AS_OF)


def _projection(warehouse: Path, bucket_id: str) -> dict:
    (row,) = read(
        warehouse,
        "select current_usage, projected_usage, projected_cost, pct_of_commit, status, "
        "forecast_method, forecast_usage, forecast_cost, forecast_status, weekday_profile_usage "
        f"from marts.projections where bucket_id = '{bucket_id}'",
    )
    return row


@pytest.mark.e2e
def test_run_rate_and_weekday_profile_of_a_weekday_shaped_bucket(warehouse: Path) -> None:
    row = _projection(warehouse, "w1")
    assert row["current_usage"] == D("93")
    # run-rate (CONTRACT 3.7): f = 12 / 31 days; 93 * 31 / 12 = 240.25
    assert row["projected_usage"] == D("240.25")
    assert row["projected_cost"] == D("245.50")  # 235 * 1 + (240.25 - 235) * 2
    assert row["pct_of_commit"] == D("102.23")  # 100 * 240.25 / 235 = 102.234
    assert row["status"] == "over_commit"
    # weekday profile: every weekday seen (Mon-Fri mean 10, Sat and Sun mean 1); March 13-31
    # holds 13 weekdays (13, 16-20, 23-27, 30, 31) and 6 weekend days: 93 + 130 + 6 = 229,
    # exactly March's usage if the shape holds (22 * 10 + 9 * 1)
    assert row["weekday_profile_usage"] == D("229")


@pytest.mark.e2e
def test_the_chosen_forecast_is_rated_like_a_bill(warehouse: Path) -> None:
    (seed,) = read(
        warehouse, "select method from reference.forecast_methods where aggregation = 'sum'"
    )
    row = _projection(warehouse, "w1")
    assert row["forecast_method"] == seed["method"]
    if seed["method"] == "weekday_profile":
        assert row["forecast_usage"] == D("229")
        assert row["forecast_cost"] == D("235.00")  # 229 < 235: the commit, 235 * 1
        assert row["forecast_status"] == "on_track"
    else:
        assert row["forecast_usage"] == D("240.25")
        assert row["forecast_cost"] == D("245.50")
        assert row["forecast_status"] == "over_commit"


@pytest.mark.e2e
def test_a_count_bucket_across_summer_time_with_a_partial_day(warehouse: Path) -> None:
    row = _projection(warehouse, "n1")
    assert row["current_usage"] == D("18")
    # run-rate: 18 * 743 / 283 = 47.2579505 -> 47.257951; 45 + 2.257951 * 0.5 = 46.1289755
    assert row["projected_usage"] == D("47.257951")
    assert row["projected_cost"] == D("46.13")
    assert row["pct_of_commit"] == D("105.02")  # 100 * 47.257951 / 45 = 105.01767
    # weekday profile: Mon-Fri mean 2, Sat and Sun 0. Thursday Mar 12 has 4 of its 24 hours
    # left: 2 * 4 / 24 = 0.333333; Mar 13-31 hold 13 weekdays: 26. 18 + 26.333333 = 44.333333
    assert row["weekday_profile_usage"] == D("44.333333")
    (seed,) = read(
        warehouse, "select method from reference.forecast_methods where aggregation = 'count'"
    )
    expected = D("44.333333") if seed["method"] == "weekday_profile" else D("47.257951")
    assert (row["forecast_method"], row["forecast_usage"]) == (seed["method"], expected)


@pytest.mark.e2e
def test_other_aggregations_keep_the_usage_so_far(warehouse: Path) -> None:
    row = _projection(warehouse, "g1")
    # max: U so far (4, on Mar 2) is the projection of both methods; commit 10 * 1 = 10.00
    assert (row["current_usage"], row["projected_usage"], row["forecast_usage"]) == (
        D("4"),
        D("4"),
        D("4"),
    )
    assert row["forecast_method"] == "run_rate"
    assert row["weekday_profile_usage"] is None
    assert (row["projected_cost"], row["forecast_cost"]) == (D("10.00"), D("10.00"))


@pytest.mark.e2e
def test_backtest_mape_on_february(warehouse: Path) -> None:
    """February replayed at days 5 and 10 (T = Feb 6 and Feb 11, 00:00 UTC).

    w1 (actual 208). Day 5: Sun 1 + Mon-Thu 4 * 10 = 41.
      run_rate 41 * 28 / 5 = 229.6 -> |229.6 - 208| / 208 = 10.384615 %
      weekday_profile: Fri and Sat not seen yet -> mean of the 5 days 8.2; Feb 6-28 hold
        8 Fri/Sat (65.6), 3 Sundays (3), 12 Mon-Thu (120): 41 + 188.6 = 229.6 -> 10.384615 %
      cumulative_trend: (x, cum) = (1,1) (2,11) (3,21) (4,31) (5,41): slope 10, intercept
        -9 -> at 28: 271 -> 63 / 208 = 30.288462 %
    Day 10: Feb 1-10 = Sun, Mon-Fri, Sat, Sun, Mon, Tue: 7 * 10 + 3 * 1 = 73.
      run_rate 73 * 28 / 10 = 204.4 -> 3.6 / 208 = 1.730769 %
      weekday_profile: every weekday seen; Feb 11-28 = 13 weekdays, 5 weekend days:
        73 + 130 + 5 = 208 -> 0 %
      cumulative_trend: cum = 1 11 21 31 41 51 52 53 63 73 at x = 1..10; mean x 5.5,
        mean cum 39.7, Sxy 622.5, Sxx 82.5: slope 7.545455, intercept -1.8 ->
        at 28: 209.472727 -> 1.472727 / 208 = 0.708042 %
    MAPE sum: run_rate (10.384615 + 1.730769) / 2 = 6.057692, weekday_profile 5.192308,
      cumulative_trend 15.498252.
    g1 (max, actual 8): day 5 knows 5 (37.5 %), day 10 knows 8 (0 %): 18.75 for every method.
    January (no usage) and f2's February (no usage) have no percentage error: left out.
    """
    from orchestration.backtest import backtest

    scores = {s.aggregation: s for s in backtest(warehouse, days=(5, 10))}
    assert sorted(scores) == ["max", "sum"]
    assert (scores["sum"].bucket_periods, scores["sum"].replays) == (1, 2)
    assert scores["sum"].mape == pytest.approx(
        {"run_rate": 6.057692, "weekday_profile": 5.192308, "cumulative_trend": 15.498252},
        abs=1e-6,
    )
    assert scores["max"].mape == pytest.approx(
        {"run_rate": 18.75, "weekday_profile": 18.75, "cumulative_trend": 18.75}
    )


@pytest.mark.e2e
def test_backtest_counts_only_records_known_at_the_replay(warehouse: Path) -> None:
    from orchestration.backtest import replays

    (day5,) = [r for r in replays(warehouse, days=(5,)) if r.bucket_id == "w1"]
    # Feb 1-5 readings arrived by Feb 6 00:00; Feb 6's reading (arrived Feb 7) is not known
    assert day5.usage_to_date == 41


def test_backtest_command_is_wired(capsys: pytest.CaptureFixture[str]) -> None:
    from orchestration.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["backtest", "--help"])
    assert exited.value.code == 0
    assert "--seeds" in capsys.readouterr().out
