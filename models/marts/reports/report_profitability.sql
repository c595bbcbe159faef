-- What each client's bill earns per billing period: revenue (the invoice's charges) against
-- the cost of serving it (each bucket's usage U times the unit cost of its unit type from
-- the seed unit_costs, summed exactly and rounded to the cent half away from zero), the
-- margin and the margin as a percent of revenue.
with readings as (
    select * from {{ ref('billing_readings') }}
),

invoices as (
    select * from {{ ref('invoices') }}
),

costs as (
    select
        readings.client_id,
        readings.period_start,
        sum(
            {{ exact_product('readings.usage', 'coalesce(unit_costs.unit_cost, 0)', 6, 10) }}
        ) as cost_exact,
        count(*) filter (where unit_costs.unit_type is null) as unpriced_buckets
    from readings
    left join {{ ref('unit_costs') }} as unit_costs
        on readings.unit_type = unit_costs.unit_type
    group by readings.client_id, readings.period_start
),

amounts as (
    select
        invoices.client_id,
        invoices.period_start,
        invoices.charges as revenue,
        {{ money('coalesce(costs.cost_exact, 0)', 2) }} as cost_of_service,
        coalesce(costs.unpriced_buckets, 0) as unpriced_buckets,
        invoices.finalized
    from invoices
    left join costs
        on invoices.client_id = costs.client_id and invoices.period_start = costs.period_start
),

final as (
    select
        client_id,
        period_start,
        revenue,
        cost_of_service,
        cast(revenue - cost_of_service as decimal(38, 2)) as margin,
        case
            when revenue > 0
                then cast(
                    {{ round_div(
                        'cast((revenue - cost_of_service) * 100 as ' ~ type_int128() ~ ') * 10000',
                        'cast(revenue * 100 as ' ~ type_int128() ~ ')'
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as margin_pct,
        unpriced_buckets,
        finalized,
        {{ as_of() }} as calculated_at
    from amounts
)

select * from final
