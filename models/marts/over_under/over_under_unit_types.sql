-- Per unit type, aggregation and period: units used over every client's bucket of that unit
-- type that aggregates the same way (a peak never adds to an average, nor a count of records
-- to a sum), the change against the previous period (the month before), and the overage and
-- buffer money. period_start is the local month start; clients in different timezones share
-- a month. A period still running at T is partial: its change against a whole month is empty.
with readings as (
    select * from {{ ref('billing_readings') }}
),

per_period as (
    select
        unit_type,
        aggregation,
        period_start,
        sum(usage) as units_used,
        sum(commit_units) as commit_units,
        sum(overage_units) as overage_units,
        sum(overage_amount) as overage_amount,
        sum(buffer_units) as buffer_units,
        sum(buffer_amount) as buffer_amount,
        count(*) as bucket_count,
        count(*) filter (where status = 'over') as buckets_over,
        count(*) filter (where status = 'under') as buckets_under,
        bool_and(finalized) as finalized,
        bool_or({{ as_of() }} < {{ period_end_at('period_end', 'timezone') }}) as is_partial
    from readings
    group by unit_type, aggregation, period_start
),

final as (
    select
        current_period.unit_type,
        current_period.aggregation,
        {{ usage_unit('current_period.unit_type', 'current_period.aggregation') }} as usage_unit,
        current_period.period_start,
        current_period.units_used,
        previous_period.units_used as previous_units_used,
        case
            when not (current_period.is_partial or coalesce(previous_period.is_partial, false))
                then current_period.units_used - coalesce(previous_period.units_used, 0)
        end as units_change,
        current_period.commit_units,
        current_period.overage_units,
        current_period.overage_amount,
        current_period.buffer_units,
        current_period.buffer_amount,
        current_period.bucket_count,
        current_period.buckets_over,
        current_period.buckets_under,
        current_period.finalized,
        current_period.is_partial,
        {{ as_of() }} as calculated_at
    from per_period as current_period
    left join per_period as previous_period
        on
            current_period.unit_type = previous_period.unit_type
            and current_period.aggregation = previous_period.aggregation
            and previous_period.period_start
            = cast(current_period.period_start - interval 1 month as date)
)

select * from final
