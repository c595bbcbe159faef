-- Each client's monthly bill against its usage limit, for the period containing T:
-- exceeded when charges so far pass the limit, at_risk when the projection does.
with limits as (
    select * from {{ ref('int_usage_limits_current') }}
),

current_periods as (
    select
        client_id,
        period_start
    from {{ ref('int_client_periods') }}
    where start_at <= {{ as_of() }} and {{ as_of() }} < end_at
),

charges as (
    select
        invoices.client_id,
        invoices.period_start,
        invoices.charges
    from {{ ref('invoices') }} as invoices
    inner join current_periods
        on
            invoices.client_id = current_periods.client_id
            and invoices.period_start = current_periods.period_start
),

projected as (
    select
        client_id,
        period_start,
        sum(projected_cost) as projected_charges
    from {{ ref('projections') }}
    group by client_id, period_start
)

select
    limits.client_id,
    charges.period_start,
    limits.monthly_limit,
    coalesce(charges.charges, 0) as charges,
    coalesce(projected.projected_charges, 0) as projected_charges,
    case
        when coalesce(charges.charges, 0) > limits.monthly_limit then 'exceeded'
        when coalesce(projected.projected_charges, 0) > limits.monthly_limit then 'at_risk'
        else 'ok'
    end as status,
    {{ as_of() }} as calculated_at
from limits
inner join charges on limits.client_id = charges.client_id
left join projected
    on charges.client_id = projected.client_id and charges.period_start = projected.period_start
