-- Revenue per billing period: the sum of the period's invoice charges (bucket final costs;
-- adjustments for late data of earlier periods are shown beside it, not in it), the number
-- of invoiced clients, the average per client and the change from the month before.
with invoices as (
    select * from {{ ref('invoices') }}
),

periods as (
    select
        period_start,
        cast(sum(charges) as decimal(38, 2)) as revenue,
        cast(sum(adjustments) as decimal(38, 2)) as adjustments,
        count(*) as clients,
        bool_and(finalized) as finalized
    from invoices
    group by period_start
),

compared as (
    select
        current_period.*,
        coalesce(previous_period.revenue, cast(0 as decimal(38, 2))) as previous_revenue
    from periods as current_period
    left join periods as previous_period
        on current_period.period_start = cast(previous_period.period_start + interval 1 month as date)
),

final as (
    select
        period_start,
        revenue,
        previous_revenue,
        cast(revenue - previous_revenue as decimal(38, 2)) as revenue_change,
        case
            when previous_revenue > 0
                then cast(
                    {{ round_div(
                        'cast((revenue - previous_revenue) * 100 as hugeint) * 10000',
                        'cast(previous_revenue * 100 as hugeint)'
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as revenue_change_pct,
        clients,
        cast(
            {{ round_div(
                'cast(revenue * 100 as hugeint)',
                'cast(clients as hugeint)'
            ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as average_revenue_per_client,
        adjustments,
        finalized,
        {{ as_of() }} as calculated_at
    from compared
)

select * from final
