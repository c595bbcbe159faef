-- Every client's monthly bill against its usage limit, for every billed period: the
-- invoice's charges (whole commits included, adjustments not, as in marts.usage_limits), the
-- monthly limit of the newest usage_limits snapshot, and the charges as a percent of it.
with invoices as (
    select * from {{ ref('invoices') }}
),

limits as (
    select * from {{ ref('int_usage_limits_current') }}
),

final as (
    select
        invoices.client_id,
        invoices.period_start,
        invoices.charges,
        limits.monthly_limit,
        case
            when limits.monthly_limit > 0
                then cast(
                    {{ round_div(
                        decimal10_to_units('invoices.charges') ~ ' * 10000',
                        decimal10_to_units('limits.monthly_limit')
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as pct_of_limit,
        coalesce(invoices.charges > limits.monthly_limit, false) as is_over_limit,
        invoices.finalized,
        {{ as_of() }} as calculated_at
    from invoices
    left join limits on invoices.client_id = limits.client_id
)

select * from final
