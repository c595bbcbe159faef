-- The daily usage of every sum and count bucket in the period containing T, one row per
-- local day of the period (days without records hold 0), from the records known at T.
-- A day is complete once its end (local midnight) is at or before T; remaining_us is the
-- part of the day still to come (the whole day for a future day, 0 for a complete one).
with open_periods as (
    select
        client_id,
        timezone,
        period_start,
        {{ date_diff_days('period_start', 'period_end') }} as period_days
    from {{ ref('int_client_periods') }}
    where start_at <= {{ as_of() }} and {{ as_of() }} < end_at
),

buckets as (
    select
        ratings.client_id,
        ratings.period_start,
        ratings.bucket_id,
        ratings.aggregation,
        open_periods.timezone,
        open_periods.period_days
    from {{ ref('int_bucket_ratings') }} as ratings
    inner join open_periods
        on
            ratings.client_id = open_periods.client_id
            and ratings.period_start = open_periods.period_start
    where ratings.is_bill and ratings.aggregation in ('sum', 'count')
),

day_numbers as (
    select
        client_id,
        period_start,
        bucket_id,
        aggregation,
        timezone,
        {{ unnest_range('period_days') }} as day_index
    from buckets
),

days as (
    select
        client_id,
        period_start,
        bucket_id,
        aggregation,
        timezone,
        day_index,
        {{ local_day_bounds('cast(day_index as integer)') }}
    from day_numbers
),

records as (
    select
        records.*,
        {{ date_diff_days(
            'records.period_start',
            'cast(' ~ instant_to_local('records.recorded_at', 'buckets.timezone') ~ ' as date)'
        ) }} as day_index
    from {{ ref('int_bound_records') }} as records
    inner join buckets
        on
            records.client_id = buckets.client_id
            and records.period_start = buckets.period_start
            and records.bucket_id = buckets.bucket_id
    where records.is_bill and not records.is_carry_in
),

-- A day's usage is the bucket's records of that day aggregated as CONTRACT 3.3 aggregates
-- them (sum and count: the assets' usage added up).
daily as (
    select
        client_id,
        period_start,
        bucket_id,
        day_index,
        {{ usage_of_records(aggregations=('sum', 'count')) }} as day_usage
    from records
    group by client_id, period_start, bucket_id, day_index
),

final as (
    select
        days.client_id,
        days.period_start,
        days.bucket_id,
        days.aggregation,
        days.day_index,
        days.local_date,
        {{ day_of_week('days.local_date') }} as weekday,
        days.day_start_at,
        days.day_end_at,
        coalesce(daily.day_usage, cast(0 as decimal(38, 10))) as day_usage,
        days.day_end_at <= {{ as_of() }} as is_complete,
        {{ epoch_us('days.day_end_at') }} - {{ epoch_us('days.day_start_at') }} as day_us,
        greatest(
            {{ epoch_us('days.day_end_at') }}
            - greatest({{ epoch_us(as_of()) }}, {{ epoch_us('days.day_start_at') }}),
            0
        ) as remaining_us
    from days
    left join daily
        on
            days.client_id = daily.client_id
            and days.period_start = daily.period_start
            and days.bucket_id = daily.bucket_id
            and days.day_index = daily.day_index
)

select * from final
