"""Backtest of the projections: replay finalized periods a few days in and score each method.

For every finalized period of a warehouse and every replay day d, the replay time is
T_d = local midnight at the start of day d + 1 of the period (d whole days observed). Only
records that would have been known at T_d count: recorded before T_d and arrived on or
before T_d. Each method projects the bucket's final usage from them; the score is the mean
absolute percentage error against the bucket's final usage U (buckets whose U is 0 have
no percentage error and are left out). Everything is one DuckDB query over the
warehouse's intermediate tables; dbt is not re-run.

Methods (sum and count; every other aggregation keeps U to date, CONTRACT 3.7):
- ``run_rate``: U_d / f, f = elapsed share of the period (the contract's baseline).
- ``weekday_profile``: U_d + for each remaining day the mean daily usage of that weekday
  over the observed days, or the mean of all observed days when that weekday was not seen.
- ``cumulative_trend``: a least-squares line through the cumulative usage at the end of
  each observed day, read at the period's end (never below U_d; run-rate with one day).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

METHODS = ("run_rate", "weekday_profile", "cumulative_trend")
DEFAULT_DAYS = (5, 10, 15, 20, 25)
AGGREGATIONS = ("sum", "count", "max", "latest", "time_weighted_avg", "unique_count")

BACKTEST_SQL = """
with periods as (
    select
        client_id,
        period_start,
        timezone,
        start_at,
        end_at,
        date_diff('day', period_start, period_end) as period_days
    from intermediate.int_client_periods
    where finalized
),

replays as (
    select
        periods.*,
        days.replay_day,
        timezone(
            periods.timezone, cast(periods.period_start + to_days(days.replay_day) as timestamp)
        ) as replay_at
    from periods
    cross join (select unnest($days::integer[]) as replay_day) as days
    where days.replay_day between 1 and periods.period_days - 1
),

actuals as (
    select
        client_id,
        bucket_id,
        period_start,
        aggregation,
        cast(usage as double) as actual_usage
    from marts.billing_readings
    where finalized and usage > 0
),

bucket_replays as (
    select
        actuals.*,
        replays.replay_day,
        replays.replay_at,
        replays.timezone,
        replays.start_at,
        replays.end_at,
        replays.period_days
    from actuals
    inner join replays
        on actuals.client_id = replays.client_id and actuals.period_start = replays.period_start
),

known as (
    select
        bucket_replays.replay_day,
        bucket_replays.replay_at,
        bucket_replays.timezone,
        records.client_id,
        records.period_start,
        records.bucket_id,
        records.aggregation,
        records.asset_id,
        records.unit_type,
        records.meter_kind,
        records.is_carry_in,
        records.recorded_at,
        records.arrived,
        records.file_name,
        records.row_number,
        records.user_id,
        records.start_at,
        cast(records.value as double) as value,
        lag(cast(records.value as double)) over (
            partition by
                bucket_replays.replay_day, records.client_id, records.period_start,
                records.asset_id, records.unit_type
            order by records.recorded_at, records.arrived, records.file_name, records.row_number
        ) as previous_value,
        lead(records.recorded_at) over (
            partition by
                bucket_replays.replay_day, records.client_id, records.period_start,
                records.bucket_id, records.asset_id, records.unit_type
            order by records.recorded_at, records.arrived, records.file_name, records.row_number
        ) as next_recorded_at
    from intermediate.int_bound_records as records
    inner join bucket_replays
        on
            records.client_id = bucket_replays.client_id
            and records.period_start = bucket_replays.period_start
            and records.bucket_id = bucket_replays.bucket_id
    where
        records.is_bill
        and records.arrived_at <= bucket_replays.replay_at
        and records.recorded_at < bucket_replays.replay_at
),

quantities as (
    select
        *,
        case
            when meter_kind = 'cumulative' and previous_value is null then 0
            when meter_kind = 'cumulative' and value < previous_value then value
            when meter_kind = 'cumulative' then value - previous_value
            else value
        end as quantity,
        date_diff(
            'day', period_start, cast(timezone(timezone, recorded_at) as date)
        ) as day_index,
        greatest(
            epoch_us(least(coalesce(next_recorded_at, replay_at), replay_at))
            - epoch_us(greatest(recorded_at, start_at)),
            0
        ) as held_us
    from known
),

per_asset as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        asset_id,
        any_value(aggregation) as aggregation,
        sum(quantity) filter (where not is_carry_in) as asset_sum,
        count(*) filter (where not is_carry_in) as asset_count,
        max(value) filter (where not is_carry_in) as asset_max,
        max_by(value, (recorded_at, arrived, file_name, row_number))
            filter (where not is_carry_in) as asset_latest,
        sum(value * held_us) as asset_level_us
    from quantities
    group by all
),

users as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        count(distinct user_id) filter (where not is_carry_in) as distinct_users
    from quantities
    group by all
),

to_date as (
    select
        per_asset.replay_day,
        per_asset.client_id,
        per_asset.period_start,
        per_asset.bucket_id,
        coalesce(sum(per_asset.asset_sum), 0) as sum_usage,
        coalesce(sum(per_asset.asset_count), 0) as count_usage,
        coalesce(sum(per_asset.asset_max), 0) as max_usage,
        coalesce(sum(per_asset.asset_latest), 0) as latest_usage,
        coalesce(sum(per_asset.asset_level_us), 0) as level_us,
        any_value(users.distinct_users) as distinct_users
    from per_asset
    left join users
        on
            per_asset.replay_day = users.replay_day
            and per_asset.client_id = users.client_id
            and per_asset.period_start = users.period_start
            and per_asset.bucket_id = users.bucket_id
    group by all
),

usage_to_date as (
    select
        bucket_replays.*,
        case bucket_replays.aggregation
            when 'sum' then coalesce(to_date.sum_usage, 0)
            when 'count' then coalesce(to_date.count_usage, 0)
            when 'max' then coalesce(to_date.max_usage, 0)
            when 'latest' then coalesce(to_date.latest_usage, 0)
            when 'time_weighted_avg' then coalesce(to_date.level_us, 0)
                / (epoch_us(bucket_replays.replay_at) - epoch_us(bucket_replays.start_at))
            when 'unique_count' then coalesce(to_date.distinct_users, 0)
        end as usage_to_date,
        (epoch_us(bucket_replays.replay_at) - epoch_us(bucket_replays.start_at))
        / (epoch_us(bucket_replays.end_at) - epoch_us(bucket_replays.start_at)) as elapsed_share
    from bucket_replays
    left join to_date
        on
            bucket_replays.replay_day = to_date.replay_day
            and bucket_replays.client_id = to_date.client_id
            and bucket_replays.period_start = to_date.period_start
            and bucket_replays.bucket_id = to_date.bucket_id
),

daily_known as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        day_index,
        case any_value(aggregation)
            when 'count' then count(*)
            else sum(quantity)
        end as day_usage
    from quantities
    where not is_carry_in and aggregation in ('sum', 'count')
    group by all
),

days as (
    select
        usage_to_date.replay_day,
        usage_to_date.client_id,
        usage_to_date.period_start,
        usage_to_date.bucket_id,
        grid.day_index,
        dayofweek(usage_to_date.period_start + to_days(grid.day_index)) as weekday,
        grid.day_index < usage_to_date.replay_day as is_observed
    from usage_to_date
    cross join lateral (
        select unnest(range(usage_to_date.period_days)) as day_index
    ) as grid
    where usage_to_date.aggregation in ('sum', 'count')
),

daily as (
    select
        days.*,
        coalesce(daily_known.day_usage, 0) as day_usage
    from days
    left join daily_known
        on
            days.replay_day = daily_known.replay_day
            and days.client_id = daily_known.client_id
            and days.period_start = daily_known.period_start
            and days.bucket_id = daily_known.bucket_id
            and days.day_index = daily_known.day_index
),

cumulative as (
    select
        *,
        sum(day_usage) over (
            partition by replay_day, client_id, period_start, bucket_id
            order by day_index
        ) as cumulative_usage
    from daily
    where is_observed
),

trend as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        regr_intercept(cumulative_usage, day_index + 1) as intercept,
        regr_slope(cumulative_usage, day_index + 1) as slope
    from cumulative
    group by all
),

profile as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        weekday,
        avg(day_usage) as weekday_mean
    from daily
    where is_observed
    group by all
),

overall as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        avg(day_usage) as overall_mean
    from daily
    where is_observed
    group by all
),

remaining as (
    select
        daily.replay_day,
        daily.client_id,
        daily.period_start,
        daily.bucket_id,
        sum(coalesce(profile.weekday_mean, overall.overall_mean)) as profile_remaining
    from daily
    inner join overall
        on
            daily.replay_day = overall.replay_day
            and daily.client_id = overall.client_id
            and daily.period_start = overall.period_start
            and daily.bucket_id = overall.bucket_id
    left join profile
        on
            daily.replay_day = profile.replay_day
            and daily.client_id = profile.client_id
            and daily.period_start = profile.period_start
            and daily.bucket_id = profile.bucket_id
            and daily.weekday = profile.weekday
    where not daily.is_observed
    group by all
),

forecasts as (
    select
        usage_to_date.*,
        case
            when usage_to_date.aggregation in ('sum', 'count')
                then usage_to_date.usage_to_date / usage_to_date.elapsed_share
            else usage_to_date.usage_to_date
        end as run_rate,
        case
            when usage_to_date.aggregation in ('sum', 'count')
                then usage_to_date.usage_to_date + coalesce(remaining.profile_remaining, 0)
            else usage_to_date.usage_to_date
        end as weekday_profile,
        case
            when usage_to_date.aggregation in ('sum', 'count') and trend.slope is not null
                then greatest(
                    trend.intercept + trend.slope * usage_to_date.period_days,
                    usage_to_date.usage_to_date
                )
            when usage_to_date.aggregation in ('sum', 'count')
                then usage_to_date.usage_to_date / usage_to_date.elapsed_share
            else usage_to_date.usage_to_date
        end as cumulative_trend
    from usage_to_date
    left join remaining
        on
            usage_to_date.replay_day = remaining.replay_day
            and usage_to_date.client_id = remaining.client_id
            and usage_to_date.period_start = remaining.period_start
            and usage_to_date.bucket_id = remaining.bucket_id
    left join trend
        on
            usage_to_date.replay_day = trend.replay_day
            and usage_to_date.client_id = trend.client_id
            and usage_to_date.period_start = trend.period_start
            and usage_to_date.bucket_id = trend.bucket_id
)

select
    aggregation,
    replay_day,
    client_id,
    bucket_id,
    period_start,
    actual_usage,
    usage_to_date,
    run_rate,
    weekday_profile,
    cumulative_trend
from forecasts
order by aggregation, replay_day, client_id, bucket_id, period_start
"""


@dataclass(frozen=True)
class Replay:
    """One bucket-period replayed at one day: its final usage and each method's projection."""

    aggregation: str
    replay_day: int
    client_id: str
    bucket_id: str
    period_start: object
    actual_usage: float
    usage_to_date: float
    run_rate: float
    weekday_profile: float
    cumulative_trend: float

    def ape(self, method: str) -> float:
        """Absolute percentage error of ``method`` against the final usage."""
        return abs(getattr(self, method) - self.actual_usage) / self.actual_usage * 100


@dataclass(frozen=True)
class Score:
    """Mean absolute percentage error of each method for one aggregation."""

    aggregation: str
    bucket_periods: int
    replays: int
    mape: dict[str, float]


def replays(warehouse: Path, days: Sequence[int] = DEFAULT_DAYS) -> list[Replay]:
    """Every (bucket, finalized period, replay day) with each method's projected usage."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(BACKTEST_SQL, {"days": list(days)}).fetchall()
    finally:
        con.close()
    return [Replay(*row) for row in rows]


def score(rows: Iterable[Replay]) -> list[Score]:
    """MAPE per aggregation and method, in the order of AGGREGATIONS."""
    grouped: dict[str, list[Replay]] = {}
    for row in rows:
        grouped.setdefault(row.aggregation, []).append(row)
    scores = []
    for aggregation in sorted(grouped, key=lambda a: (AGGREGATIONS + (a,)).index(a)):
        group = grouped[aggregation]
        scores.append(
            Score(
                aggregation=aggregation,
                bucket_periods=len({(r.client_id, r.bucket_id, r.period_start) for r in group}),
                replays=len(group),
                mape={m: sum(r.ape(m) for r in group) / len(group) for m in METHODS},
            )
        )
    return scores


def backtest(warehouse: Path, days: Sequence[int] = DEFAULT_DAYS) -> list[Score]:
    return score(replays(warehouse, days))


def format_table(scores: Sequence[Score], title: str) -> str:
    """The scores as a fixed-width table, MAPE in percent, the best method of a row starred."""
    header = f"{'aggregation':<18} {'buckets':>8} {'replays':>8}" + "".join(
        f" {m:>17}" for m in METHODS
    )
    lines = [title, header, "-" * len(header)]
    for s in scores:
        best = min(s.mape.values())
        tied = max(s.mape.values()) - best < 1e-9
        cells = "".join(
            f" {s.mape[m]:>16.3f}{'*' if s.mape[m] - best < 1e-9 and not tied else ' '}"
            for m in METHODS
        )
        lines.append(f"{s.aggregation:<18} {s.bucket_periods:>8} {s.replays:>8}{cells}")
    if not scores:
        lines.append("(no finalized bucket-period with usage > 0)")
    return "\n".join(lines)


def latest_arrival(landing: Path) -> datetime:
    """00:00 UTC of the latest arrival folder in a landing zone: every file is known then."""
    dates = [
        date.fromisoformat(folder.name.split("=", 1)[1])
        for folder in landing.glob("**/arrived=*")
        if folder.is_dir()
    ]
    if not dates:
        raise ValueError(f"no arrived=YYYY-MM-DD folder under {landing}")
    return datetime.combine(max(dates), datetime.min.time(), tzinfo=UTC)


def landing_zones(
    landing: Path, seeds: Sequence[int], scale: int, progress: Callable[[str], None]
) -> list[tuple[str, Path]]:
    """(label, landing zone) to backtest: ``landing`` itself, or one generated zone per seed."""
    if not seeds:
        return [(landing.name, landing)]
    from orchestration.generator import generate_landing

    zones = []
    for seed in seeds:
        zone = landing / f"seed={seed}"
        if not zone.exists():
            progress(f"generating a landing zone of {scale:,} meter readings in {zone}")
            generate_landing(zone, scale=scale, seed=seed, progress=progress)
        zones.append((f"seed {seed}", zone))
    return zones


def run(
    landing: Path,
    warehouse_dir: Path,
    seeds: Sequence[int],
    days: Sequence[int],
    scale: int,
    as_of: str | None,
    build: Callable[[Path, Path, str], int],
    progress: Callable[[str], None],
) -> int:
    """Build a warehouse per landing zone with ``build`` and print the backtest of each."""
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    tables = []
    for label, zone in landing_zones(landing, seeds, scale, progress):
        when = as_of or latest_arrival(zone).strftime("%Y-%m-%dT%H:%M:%SZ")
        warehouse = warehouse_dir / f"{label.replace(' ', '-')}.duckdb"
        code = build(zone, warehouse, when)
        if code != 0:
            return code
        days_text = ",".join(str(d) for d in days)
        tables.append(
            format_table(
                backtest(warehouse, days),
                f"backtest {label} ({zone}), as of {when}, replay days {days_text}: "
                "MAPE of projected final usage, percent",
            )
        )
    for table in tables:
        progress("")
        progress(table)
    return 0
