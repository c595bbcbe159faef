-- Per unit type and period: units used over every client's bucket of that unit type, the
-- change against the previous period (the month before), and the overage and buffer money.
-- period_start is the local month start; clients in different timezones share a month.
with readings as (
    select * from {{ ref('billing_readings') }}
),

per_period as (
    select
        unit_type,
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
        bool_and(finalized) as finalized
    from readings
    group by unit_type, period_start
),

final as (
    select
        current_period.unit_type,
        current_period.period_start,
        current_period.units_used,
        previous_period.units_used as previous_units_used,
        current_period.units_used
        - coalesce(previous_period.units_used, 0) as units_change,
        current_period.commit_units,
        current_period.overage_units,
        current_period.overage_amount,
        current_period.buffer_units,
        current_period.buffer_amount,
        current_period.bucket_count,
        current_period.buckets_over,
        current_period.buckets_under,
        current_period.finalized,
        {{ as_of() }} as calculated_at
    from per_period as current_period
    left join per_period as previous_period
        on
            current_period.unit_type = previous_period.unit_type
            and previous_period.period_start
            = cast(current_period.period_start - interval 1 month as date)
)

select * from final
