-- Each services bucket's final cost allocated to its assets (projects or branches,
-- <client_id>/<project>) by usage share, to the cent, so that the allocations add up exactly
-- to the bucket's cost: every share is floored to the cent and the cents left over go one
-- each to the largest remainders (ties by asset_id). An asset's usage is aggregated as the
-- bucket does (CONTRACT 3.3 per asset, int_asset_usage). A bucket without
-- usage (its commit only) puts its whole cost on one '(unallocated)' row.
with bills as (
    select
        client_id,
        period_start,
        bucket_id,
        unit_type,
        final_cost,
        finalized,
        cast(final_cost * 100 as {{ type_int128() }}) as cost_cents
    from {{ ref('billing_readings') }}
    where source_type = 'services'
),

-- Each asset's usage in the bucket at the bill (int_asset_usage: the sum of quantities, the
-- number of events, or its distinct users), for the assets with events in the period.
asset_usage as (
    select
        client_id,
        period_start,
        bucket_id,
        asset_id,
        usage
    from {{ ref('int_asset_usage') }}
    where is_bill and records > 0 and bucket_id is not null and source_type = 'services'
),

weighted as (
    select
        bills.client_id,
        bills.period_start,
        bills.bucket_id,
        bills.unit_type,
        bills.final_cost,
        bills.finalized,
        bills.cost_cents,
        asset_usage.asset_id,
        asset_usage.usage,
        {{ decimal10_to_units('asset_usage.usage') }} as usage_units,
        sum({{ decimal10_to_units('asset_usage.usage') }}) over (
            partition by bills.client_id, bills.period_start, bills.bucket_id
        ) as total_units
    from bills
    inner join asset_usage
        on
            bills.client_id = asset_usage.client_id
            and bills.period_start = asset_usage.period_start
            and bills.bucket_id = asset_usage.bucket_id
),

shares as (
    {{ largest_remainder_cents('weighted', tie_break='asset_id') }}
),

allocated as (
    select
        client_id,
        period_start,
        bucket_id,
        unit_type,
        asset_id,
        usage,
        cast(
            {{ round_div('usage_units * 10000', 'total_units') }}
            * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as usage_share_pct,
        cast(allocated_cents * cast(0.01 as decimal(3, 2)) as decimal(38, 2)) as allocated_cost,
        final_cost as bucket_final_cost,
        finalized
    from shares
),

unallocated as (
    select
        bills.client_id,
        bills.period_start,
        bills.bucket_id,
        bills.unit_type,
        '(unallocated)' as asset_id,
        cast(0 as decimal(38, 10)) as usage,
        cast(null as decimal(38, 2)) as usage_share_pct,
        bills.final_cost as allocated_cost,
        bills.final_cost as bucket_final_cost,
        bills.finalized
    from bills
    where not exists (
        select 1 from shares
        where
            shares.client_id = bills.client_id
            and shares.period_start = bills.period_start
            and shares.bucket_id = bills.bucket_id
    )
),

service_categories as (
    {{ service_categories() }}
),

all_rows as (
    select * from allocated
    union all
    select * from unallocated
),

final as (
    select
        all_rows.client_id,
        all_rows.period_start,
        all_rows.bucket_id,
        all_rows.asset_id,
        case
            when all_rows.asset_id = '(unallocated)' then '(unallocated)'
            else substr(all_rows.asset_id, length(all_rows.client_id) + 2)
        end as project,
        all_rows.unit_type,
        coalesce(service_categories.category, 'Other') as category,
        {{ money('all_rows.usage') }} as usage,
        all_rows.usage_share_pct,
        all_rows.allocated_cost,
        all_rows.bucket_final_cost,
        all_rows.finalized,
        {{ as_of() }} as calculated_at
    from all_rows
    left join service_categories on all_rows.unit_type = service_categories.unit_type
)

select * from final
