-- Clients ranked by revenue (invoice charges) in every period, with their share of the
-- period's revenue; the dashboard shows the current month (is_current_period) and its
-- first ten. Ties rank by client_id.
with invoices as (
    select * from {{ ref('invoices') }}
),

clients as (
    select * from {{ ref('int_clients_current') }}
),

projected as (
    select
        client_id,
        period_start,
        sum(projected_cost) as projected_cost
    from {{ ref('projections') }}
    group by client_id, period_start
),

ranked as (
    select
        invoices.period_start,
        invoices.client_id,
        invoices.charges as revenue,
        sum(invoices.charges) over (partition by invoices.period_start) as period_revenue,
        row_number() over (
            partition by invoices.period_start
            order by invoices.charges desc, invoices.client_id asc
        ) as revenue_rank,
        projected.projected_cost,
        invoices.finalized
    from invoices
    left join projected
        on
            invoices.client_id = projected.client_id
            and invoices.period_start = projected.period_start
),

final as (
    select
        ranked.period_start,
        ranked.revenue_rank,
        ranked.client_id,
        clients.client_name,
        ranked.revenue,
        cast(ranked.period_revenue as decimal(38, 2)) as period_revenue,
        case
            when ranked.period_revenue > 0
                then cast(
                    {{ round_div(
                        'cast(ranked.revenue * 100 as ' ~ type_int128() ~ ') * 10000',
                        'cast(ranked.period_revenue * 100 as ' ~ type_int128() ~ ')'
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as revenue_share_pct,
        ranked.projected_cost,
        ranked.finalized,
        ranked.period_start = cast(
            date_trunc('month', {{ instant_to_local(as_of(), "'UTC'") }}) as date
        ) as is_current_period,
        {{ as_of() }} as calculated_at
    from ranked
    left join clients on ranked.client_id = clients.client_id
)

select * from final
