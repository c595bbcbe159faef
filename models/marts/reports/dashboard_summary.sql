-- One row: the billing dashboard's headline figures as of T. The current month is the
-- calendar month of T in UTC, the last month the one before; revenue of a month is the sum
-- of its invoices' charges. The change compares whole months: the current month is partial
-- (running at T), so its projected revenue (dashboard_revenue_by_period) stands against last
-- month's. Client status counts and the average per client are for the last month; the
-- health figures say when billing and projections last ran and how many assets need
-- attention.
with months as (
    select
        cast(date_trunc('month', {{ instant_to_local(as_of(), "'UTC'") }}) as date) as current_period_start,
        cast(
            date_trunc('month', {{ instant_to_local(as_of(), "'UTC'") }}) - interval 1 month as date
        ) as last_period_start
),

revenue as (
    select * from {{ ref('dashboard_revenue_by_period') }}
),

projected as (
    select
        coalesce(sum(projected_cost), 0) as projected_revenue,
        max(calculated_at) as last_projection_at
    from {{ ref('projections') }}
),

statuses as (
    select
        count(*) filter (where clients.status = 'over') as clients_over,
        count(*) filter (where clients.status = 'under') as clients_under,
        count(*) filter (where clients.status = 'mixed') as clients_mixed,
        count(*) filter (where clients.status = 'on_commit') as clients_on_commit
    from {{ ref('over_under_clients') }} as clients
    inner join months on clients.period_start = months.last_period_start
),

asset_health as (
    select
        count(*) filter (where is_unassigned) as unassigned_assets,
        count(*) filter (where is_unbound) as unbound_assets,
        count(*) filter (where is_new) as new_assets
    from {{ ref('assets') }}
),

final as (
    select
        months.current_period_start,
        months.last_period_start,
        cast(projected.projected_revenue as decimal(38, 2)) as projected_revenue,
        coalesce(current_revenue.revenue, 0) as revenue_this_period,
        coalesce(current_revenue.projected_revenue, 0) as revenue_this_period_projected,
        coalesce(current_revenue.is_partial, true) as is_this_period_partial,
        coalesce(last_revenue.revenue, 0) as revenue_last_period,
        cast(
            coalesce(current_revenue.projected_revenue, 0)
            - coalesce(last_revenue.projected_revenue, 0)
            as decimal(38, 2)
        ) as revenue_change,
        current_revenue.revenue_change_pct,
        statuses.clients_over,
        statuses.clients_under,
        statuses.clients_mixed,
        statuses.clients_on_commit,
        coalesce(last_revenue.clients, 0) as clients_last_period,
        last_revenue.average_revenue_per_client as average_revenue_per_client_last_period,
        {{ as_of() }} as last_billing_at,
        projected.last_projection_at,
        asset_health.unassigned_assets,
        asset_health.unbound_assets,
        asset_health.new_assets,
        {{ as_of() }} as calculated_at,
        (
            select coalesce(sum(unbilled.unbilled_amount), 0)
            from {{ ref('unbilled_usage') }} as unbilled
        ) as unbilled_amount
    from months
    cross join projected
    cross join statuses
    cross join asset_health
    left join revenue as current_revenue
        on months.current_period_start = current_revenue.period_start
    left join revenue as last_revenue
        on months.last_period_start = last_revenue.period_start
)

select * from final
