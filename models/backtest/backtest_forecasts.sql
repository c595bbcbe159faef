-- Backtest of the projections: every finalized period replayed a few days in, each method's
-- forecast of the bucket's final usage beside it. For each replay day d (var backtest_days)
-- the replay time is T_d = local midnight at the start of day d + 1 of the period (d whole
-- days observed); only records known at T_d count: recorded before T_d and arrived on or
-- before T_d, their quantities chained again over what was known (a cumulative meter's
-- delta). Usage is aggregated and the forecasts made by the macros the projections use
-- (usage.sql, forecast.sql): run_rate, weekday_profile, and cumulative_trend (a
-- least-squares line through the cumulative usage at the end of each observed day, read
-- at the period's end, never below U_d; run_rate with one day). Buckets whose final usage
-- is 0 have no percentage error and are left out. Built only on demand:
-- `dbt run --select backtest_forecasts --vars '{backtest: true, backtest_days: [5, 10]}'`
-- (orchestration.backtest); the pipeline never builds it.
{{ config(enabled=var('backtest', false), schema='backtest', materialized='table') }}

with periods as (
    select
        client_id,
        period_start,
        timezone,
        start_at,
        end_at,
        {{ date_diff_days('period_start', 'period_end') }} as period_days
    from {{ ref('int_client_periods') }}
    where finalized
),

replay_days as (
    select {{ unnest_values(var('backtest_days', [5, 10, 15, 20, 25]), 'integer') }} as replay_day
),

replays as (
    select
        periods.*,
        replay_days.replay_day,
        {{ local_to_instant(
            'cast(periods.period_start + '
            ~ days_interval('replay_days.replay_day') ~ ' as timestamp)',
            'periods.timezone'
        ) }} as replay_at
    from periods
    cross join replay_days
    where replay_days.replay_day between 1 and periods.period_days - 1
),

actuals as (
    select
        client_id,
        bucket_id,
        period_start,
        aggregation,
        usage as actual_usage
    from {{ ref('billing_readings') }}
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
        bucket_replays.replay_at as window_end_at,
        records.value,
        {{ previous_reading_value(
            [
                'bucket_replays.replay_day', 'records.client_id', 'records.period_start',
                'records.asset_id', 'records.unit_type',
            ],
            alias='records',
        ) }} as previous_value
    from {{ ref('int_bound_records') }} as records
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
            when meter_kind = 'cumulative' then {{ cumulative_quantity() }}
            else value
        end as quantity,
        {{ date_diff_days(
            'period_start', 'cast(' ~ instant_to_local('recorded_at', 'timezone') ~ ' as date)'
        ) }} as day_index
    from known
),

asset_usage as (
    {{ aggregate_asset_usage(
        'quantities',
        ['replay_day', 'client_id', 'period_start', 'bucket_id', 'asset_id', 'unit_type'],
    ) }}
),

bucket_usage as (
    {{ bucket_usage(
        'asset_usage', 'quantities', ['replay_day', 'client_id', 'period_start', 'bucket_id']
    ) }}
),

usage_to_date as (
    select
        bucket_replays.*,
        coalesce(bucket_usage.usage, cast(0 as decimal(38, 6))) as usage_to_date,
        {{ epoch_us('bucket_replays.replay_at') }}
        - {{ epoch_us('bucket_replays.start_at') }} as elapsed_us,
        {{ epoch_us('bucket_replays.end_at') }}
        - {{ epoch_us('bucket_replays.start_at') }} as length_us
    from bucket_replays
    left join bucket_usage
        on
            bucket_replays.replay_day = bucket_usage.replay_day
            and bucket_replays.client_id = bucket_usage.client_id
            and bucket_replays.period_start = bucket_usage.period_start
            and bucket_replays.bucket_id = bucket_usage.bucket_id
),

daily_known as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        day_index,
        {{ usage_of_records(aggregations=('sum', 'count')) }} as day_usage
    from quantities
    where not is_carry_in and aggregation in ('sum', 'count')
    group by replay_day, client_id, period_start, bucket_id, day_index
),

day_numbers as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        timezone,
        {{ unnest_range('period_days', 'integer') }} as day_index
    from usage_to_date
    where aggregation in ('sum', 'count')
),

day_bounds as (
    select
        *,
        {{ local_day_bounds() }}
    from day_numbers
),

-- Every local day of the period: observed (complete) before the replay day, else wholly
-- still to come (the replay is at local midnight).
days as (
    select
        *,
        {{ day_of_week('local_date') }} as weekday,
        day_index < replay_day as is_complete,
        {{ epoch_us('day_end_at') }} - {{ epoch_us('day_start_at') }} as day_us
    from day_bounds
),

daily as (
    select
        days.*,
        case when days.is_complete then 0 else days.day_us end as remaining_us,
        coalesce(daily_known.day_usage, cast(0 as decimal(38, 10))) as day_usage
    from days
    left join daily_known
        on
            days.replay_day = daily_known.replay_day
            and days.client_id = daily_known.client_id
            and days.period_start = daily_known.period_start
            and days.bucket_id = daily_known.bucket_id
            and days.day_index = daily_known.day_index
),

weekday_profiles as (
    {{ weekday_profile_remaining('daily', ['replay_day', 'client_id', 'period_start', 'bucket_id']) }}
),

cumulative as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        cast(day_index + 1 as {{ type_int128() }}) as day_number,
        {{ decimal10_to_units(
            'sum(day_usage) over ('
            ~ 'partition by replay_day, client_id, period_start, bucket_id order by day_index)'
        ) }} as cumulative_units
    from daily
    where is_complete
),

trends as (
    select
        replay_day,
        client_id,
        period_start,
        bucket_id,
        cast(count(*) as {{ type_int128() }}) as n,
        sum(day_number) as sx,
        sum(day_number * day_number) as sxx,
        sum(cumulative_units) as sy,
        sum(day_number * cumulative_units) as sxy
    from cumulative
    group by replay_day, client_id, period_start, bucket_id
),

forecasts as (
    select
        usage_to_date.*,
        {{ run_rate_forecast(
            'usage_to_date.aggregation', 'usage_to_date.usage_to_date',
            'usage_to_date.elapsed_us', 'usage_to_date.length_us'
        ) }} as run_rate,
        coalesce(
            {{ weekday_profile_forecast(
                'usage_to_date.aggregation', 'usage_to_date.usage_to_date',
                'coalesce(weekday_profiles.remaining_usage, 0)'
            ) }},
            usage_to_date.usage_to_date
        ) as weekday_profile,
        {{ least_squares_at(
            'trends.n', 'trends.sx', 'trends.sxx', 'trends.sy', 'trends.sxy',
            'usage_to_date.period_days'
        ) }} as trend_usage
    from usage_to_date
    left join weekday_profiles
        on
            usage_to_date.replay_day = weekday_profiles.replay_day
            and usage_to_date.client_id = weekday_profiles.client_id
            and usage_to_date.period_start = weekday_profiles.period_start
            and usage_to_date.bucket_id = weekday_profiles.bucket_id
    left join trends
        on
            usage_to_date.replay_day = trends.replay_day
            and usage_to_date.client_id = trends.client_id
            and usage_to_date.period_start = trends.period_start
            and usage_to_date.bucket_id = trends.bucket_id
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
    case
        when aggregation in ('sum', 'count') and trend_usage is not null
            then greatest(trend_usage, usage_to_date)
        else run_rate
    end as cumulative_trend
from forecasts
