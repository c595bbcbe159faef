-- Overage and buffer money over the last 12 periods: the 12 months up to the latest billed
-- period (the one containing T, a draft until finalized), every client together, with the
-- change of overage and buffer against the month before. A period still running at T is
-- partial (overage so far, buffer of a commit not yet used up): its change against a whole
-- month would not compare like with like, so it is empty.
with readings as (
    select * from {{ ref('billing_readings') }}
),

per_period as (
    select
        period_start,
        sum(committed_amount) as committed_amount,
        sum(overage_amount) as overage_amount,
        sum(buffer_amount) as buffer_amount,
        sum(final_cost) as final_cost,
        count(distinct client_id) as client_count,
        count(distinct client_id) filter (where status = 'over') as clients_with_overage,
        count(distinct client_id) filter (where status = 'under') as clients_with_buffer,
        count(*) filter (where status = 'over') as buckets_over,
        count(*) filter (where status = 'under') as buckets_under,
        bool_and(finalized) as finalized,
        bool_or({{ as_of() }} < {{ period_end_at('period_end', 'timezone') }}) as is_partial
    from readings
    group by period_start
),

latest as (
    select max(period_start) as period_start
    from per_period
),

changes as (
    select
        *,
        case
            when not (is_partial or coalesce(lag(is_partial) over (order by period_start), false))
                then overage_amount - lag(overage_amount) over (order by period_start)
        end as overage_change,
        case
            when not (is_partial or coalesce(lag(is_partial) over (order by period_start), false))
                then buffer_amount - lag(buffer_amount) over (order by period_start)
        end as buffer_change
    from per_period
),

final as (
    select
        changes.period_start,
        changes.committed_amount,
        changes.overage_amount,
        changes.buffer_amount,
        changes.final_cost,
        changes.overage_change,
        changes.buffer_change,
        changes.client_count,
        changes.clients_with_overage,
        changes.clients_with_buffer,
        changes.buckets_over,
        changes.buckets_under,
        changes.finalized,
        changes.is_partial,
        {{ as_of() }} as calculated_at
    from changes
    cross join latest
    where changes.period_start > cast(latest.period_start - interval 12 month as date)
)

select * from final
