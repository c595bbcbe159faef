-- Revenue per billing period: the sum of the period's invoice charges (bucket final costs;
-- adjustments for late data of earlier periods are shown beside it, not in it), the number
-- of invoiced clients, the average per client and the change from the month before.
-- A period still running at T for some client is partial: its charges so far are a few days
-- of usage beside whole commits. The change compares like with like: whole periods, the
-- run-rate projection (marts.projections) standing in for a client whose period is running.
with invoices as (
    select * from {{ ref('invoices') }}
),

projected as (
    select
        client_id,
        period_start,
        sum(projected_cost) as projected_charges
    from {{ ref('projections') }}
    group by client_id, period_start
),

periods as (
    select
        invoices.period_start,
        cast(sum(invoices.charges) as decimal(38, 2)) as revenue,
        cast(
            sum(coalesce(projected.projected_charges, invoices.charges)) as decimal(38, 2)
        ) as projected_revenue,
        cast(sum(invoices.adjustments) as decimal(38, 2)) as adjustments,
        count(*) as clients,
        bool_and(invoices.finalized) as finalized,
        bool_or(projected.client_id is not null) as is_partial
    from invoices
    left join projected
        on
            invoices.client_id = projected.client_id
            and invoices.period_start = projected.period_start
    group by invoices.period_start
),

compared as (
    select
        current_period.*,
        coalesce(
            previous_period.projected_revenue, cast(0 as decimal(38, 2))
        ) as previous_revenue
    from periods as current_period
    left join periods as previous_period
        on current_period.period_start = cast(previous_period.period_start + interval 1 month as date)
),

final as (
    select
        period_start,
        revenue,
        projected_revenue,
        is_partial,
        previous_revenue,
        cast(projected_revenue - previous_revenue as decimal(38, 2)) as revenue_change,
        case
            when previous_revenue > 0
                then cast(
                    {{ round_div(
                        'cast((projected_revenue - previous_revenue) * 100 as ' ~ type_int128() ~ ') * 10000',
                        'cast(previous_revenue * 100 as ' ~ type_int128() ~ ')'
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as revenue_change_pct,
        clients,
        cast(
            {{ round_div(
                'cast(revenue * 100 as ' ~ type_int128() ~ ')',
                'cast(clients as ' ~ type_int128() ~ ')'
            ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as average_revenue_per_client,
        adjustments,
        finalized,
        {{ as_of() }} as calculated_at
    from compared
)

select * from final
