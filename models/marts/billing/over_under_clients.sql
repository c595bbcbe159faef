-- A client's over/under status per billed period (CONTRACT 3.4): over when some bucket is
-- over and none under, under when some is under and none over, mixed when both.
select
    client_id,
    period_start,
    case
        when bool_or(status = 'over') and bool_or(status = 'under') then 'mixed'
        when bool_or(status = 'over') then 'over'
        when bool_or(status = 'under') then 'under'
        else 'on_commit'
    end as status,
    sum(final_cost) as final_cost,
    sum(committed_amount) as committed_amount,
    sum(overage_amount) as overage_amount,
    sum(buffer_amount) as buffer_amount,
    bool_and(finalized) as finalized,
    any_value(period_end) as period_end,
    count(*) as bucket_count,
    count(*) filter (where status = 'over') as buckets_over,
    count(*) filter (where status = 'under') as buckets_under,
    {{ as_of() }} as calculated_at
from {{ ref('billing_readings') }}
group by client_id, period_start
