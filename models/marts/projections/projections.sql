-- Run-rate projection of the period containing T (CONTRACT 3.7): f = elapsed share of the
-- period; sum and count usage is projected as U / f (6 places), every other aggregation
-- keeps U. The projected usage is rated like a bill.
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
        epoch_us({{ as_of() }}) - epoch_us(periods.start_at) as elapsed_us,
        epoch_us(periods.end_at) - epoch_us(periods.start_at) as length_us
    from {{ ref('int_bucket_ratings') }} as ratings
    inner join periods
        on ratings.client_id = periods.client_id and ratings.period_start = periods.period_start
    where ratings.is_bill
),

projected as (
    select
        *,
        case
            when aggregation in ('sum', 'count') and elapsed_us > 0
                then {{ mul_div_round6('usage', 'length_us', 'elapsed_us') }}
            else usage
        end as projected_usage
    from current_bills
),

rated as (
    select
        *,
        commit_units * base_price
        + greatest(projected_usage - commit_units, 0) * overage_price as projected_exact
    from projected
)

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
    'run_rate' as method
from rated
