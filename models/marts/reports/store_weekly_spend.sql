-- Spend on platform services per client, billing month, week and service category (AI,
-- Chat, Image, Other). Each services bucket's final cost is allocated to the weeks of its
-- month by the week's share of the bucket's usage, to the cent, with largest remainders
-- (ties by the earlier week), so a month's weeks add up exactly to its services charges
-- (macro weekly_spread_ctes, shared with store_weekly_spend_by_project). Weeks start on
-- Monday in the client's timezone; the first and last week of a month are cut at the
-- month's bounds. A bucket without usage (its commit only) is one row with an empty
-- week_start.
with costs as (
    select
        client_id,
        period_start,
        bucket_id,
        unit_type,
        timezone,
        finalized,
        cast(final_cost * 100 as {{ type_int128() }}) as cost_cents
    from {{ ref('billing_readings') }}
    where source_type = 'services'
),

{{ weekly_spread_ctes(carry=['unit_type']) }},

service_categories as (
    {{ service_categories() }}
),

final as (
    select
        spread.client_id,
        spread.period_start,
        spread.week_start,
        coalesce(service_categories.category, 'Other') as category,
        cast(
            sum(spread.cents) * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as spend,
        cast(sum(spread.events) as bigint) as events,
        count(distinct spread.bucket_id) as buckets,
        bool_and(spread.finalized) as finalized,
        {{ as_of() }} as calculated_at
    from spread
    left join service_categories on spread.unit_type = service_categories.unit_type
    group by all
)

select * from final
