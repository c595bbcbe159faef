-- Revenue per billing period and source type (compute, storage, network, services, ...):
-- the sum of the bucket final costs of that source type, so that a period's source types add
-- up to its invoices' charges, with each one's share of the period.
with readings as (
    select * from {{ ref('billing_readings') }}
),

by_source_type as (
    select
        period_start,
        source_type,
        cast(sum(final_cost) as decimal(38, 2)) as revenue,
        count(distinct client_id) as clients,
        count(*) as buckets,
        bool_and(finalized) as finalized
    from readings
    group by period_start, source_type
),

with_totals as (
    select
        *,
        sum(revenue) over (partition by period_start) as period_revenue
    from by_source_type
),

final as (
    select
        period_start,
        source_type,
        revenue,
        case
            when period_revenue > 0
                then cast(
                    {{ round_div(
                        'cast(revenue * 100 as ' ~ type_int128() ~ ') * 10000',
                        'cast(period_revenue * 100 as ' ~ type_int128() ~ ')'
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as revenue_share_pct,
        clients,
        buckets,
        finalized,
        period_start = cast(
            date_trunc('month', {{ instant_to_local(as_of(), "'UTC'") }}) as date
        ) - interval 1 month as is_last_period,
        {{ as_of() }} as calculated_at
    from with_totals
)

select * from final
