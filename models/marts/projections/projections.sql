-- Projection of the period containing T. The contract's run-rate (CONTRACT 3.7): f = elapsed
-- share of the period; sum and count usage is projected as U / f (6 places), every other
-- aggregation keeps U; the projected usage is rated like a bill. Beside it, the forecast of
-- the method that seed forecast_methods chose for the bucket's aggregation by backtest:
-- weekday_profile = U + for each part of a day still to come, the mean usage of that
-- weekday over the complete days so far (the mean of all complete days when that weekday
-- was not seen yet); with no complete day yet it falls back to run_rate. Both forecasts are
-- the macros of forecast.sql, which the backtest (backtest_forecasts) scores.
with periods as (
    select
        client_id,
        period_start,
        start_at,
        end_at
    from {{ ref('int_client_periods') }}
    where start_at <= {{ as_of() }} and {{ as_of() }} < end_at
),

current_bills as (
    select
        ratings.*,
        {{ epoch_us(as_of()) }} - {{ epoch_us('periods.start_at') }} as elapsed_us,
        {{ epoch_us('periods.end_at') }} - {{ epoch_us('periods.start_at') }} as length_us
    from {{ ref('int_bucket_ratings') }} as ratings
    inner join periods
        on ratings.client_id = periods.client_id and ratings.period_start = periods.period_start
    where ratings.is_bill
),

days as (
    select * from {{ ref('int_forecast_daily_usage') }}
),

weekday_profiles as (
    {{ weekday_profile_remaining('days', ['client_id', 'period_start', 'bucket_id']) }}
),

methods as (
    select
        aggregation,
        method
    from {{ ref('forecast_methods') }}
),

projected as (
    select
        current_bills.*,
        {{ run_rate_forecast(
            'current_bills.aggregation', 'current_bills.usage',
            'current_bills.elapsed_us', 'current_bills.length_us'
        ) }} as projected_usage,
        {{ weekday_profile_forecast(
            'current_bills.aggregation', 'current_bills.usage', 'weekday_profiles.remaining_usage'
        ) }} as weekday_profile_usage,
        coalesce(methods.method, 'run_rate') as chosen_method
    from current_bills
    left join weekday_profiles
        on
            current_bills.client_id = weekday_profiles.client_id
            and current_bills.period_start = weekday_profiles.period_start
            and current_bills.bucket_id = weekday_profiles.bucket_id
    left join methods
        on current_bills.aggregation = methods.aggregation
),

forecast as (
    select
        *,
        case
            when chosen_method = 'weekday_profile' and weekday_profile_usage is not null
                then 'weekday_profile'
            else 'run_rate'
        end as forecast_method,
        case
            when chosen_method = 'weekday_profile' and weekday_profile_usage is not null
                then weekday_profile_usage
            else projected_usage
        end as forecast_usage
    from projected
),

rated as (
    select
        *,
        {{ exact_product('commit_units', 'base_price', 6, 12) }}
        + {{ exact_product('greatest(projected_usage - commit_units, 0)', 'overage_price', 6, 12) }}
            as projected_exact,
        {{ exact_product('commit_units', 'base_price', 6, 12) }}
        + {{ exact_product('greatest(forecast_usage - commit_units, 0)', 'overage_price', 6, 12) }}
            as forecast_exact
    from forecast
),

final as (
    select
        client_id,
        bucket_id,
        period_start,
        usage as current_usage,
        projected_usage,
        {{ money('projected_exact', 2) }} as projected_cost,
        case
            when commit_units > 0
                then cast(
                    cast({{ round_div(
                        decimal10_to_units('projected_usage') ~ ' * 10000',
                        decimal10_to_units('commit_units')
                    ) }} as decimal(38, 2)) * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as pct_of_commit,
        case when projected_usage > commit_units then 'over_commit' else 'on_track' end as status,
        {{ as_of() }} as calculated_at,
        unit_type,
        source_type,
        aggregation,
        commit_units,
        'run_rate' as method,
        forecast_method,
        forecast_usage,
        {{ money('forecast_exact', 2) }} as forecast_cost,
        case when forecast_usage > commit_units then 'over_commit' else 'on_track' end
            as forecast_status,
        weekday_profile_usage
    from rated
)

select * from final
