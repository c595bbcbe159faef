-- Usage across all clients per billing period, unit type and aggregation: the total of the
-- buckets' usage U over buckets that measure the same thing (a count of messages never
-- adds to a count of distinct users, nor a peak to an average), how many clients have such
-- a bucket (and how many used it), and what it was billed (sum of final costs).
with readings as (
    select * from {{ ref('billing_readings') }}
),

final as (
    select
        period_start,
        unit_type,
        aggregation,
        {{ usage_unit('unit_type', 'aggregation') }} as usage_unit,
        {{ money('sum(usage)') }} as total_usage,
        count(distinct client_id) as clients,
        count(distinct client_id) filter (where usage > 0) as clients_with_usage,
        count(*) as buckets,
        cast(sum(final_cost) as decimal(38, 2)) as cost,
        bool_and(finalized) as finalized,
        {{ as_of() }} as calculated_at
    from readings
    group by period_start, unit_type, aggregation
)

select * from final
