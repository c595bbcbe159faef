-- Usage that no bill counts, per reason, client, asset, unit type and period: the records
-- of unbound assets (assigned, bound to no bucket in a billed period) and of unassigned
-- assets (UTC months), aggregated per asset as a bucket would aggregate them (the unit
-- type's aggregation, CONTRACT 3.3 per asset: macro aggregate_asset_usage), rounded to 6
-- places, and valued at the unit type's template price:
-- unbilled_amount = usage * base_price, rounded to the cent half away from zero.
with records as (
    select * from {{ ref('int_unbilled_records') }}
    where aggregation is not null
),

per_asset as (
    {{ aggregate_asset_usage(
        'records',
        ['unbilled_reason', 'client_id', 'period_start', 'asset_id', 'unit_type'],
        measures=[
            'any_value(timezone) as timezone',
            'any_value(period_end) as period_end',
            'coalesce(max(source_type) filter (where not is_carry_in), max(source_type))'
            ~ ' as source_type',
            'any_value(base_price) as base_price',
            'bool_and(finalized) as finalized',
            'max(recorded_at) filter (where not is_carry_in) as last_recorded_at',
        ],
    ) }}
),

final as (
    select
        unbilled_reason,
        client_id,
        asset_id,
        unit_type,
        source_type,
        period_start,
        period_end,
        timezone,
        aggregation,
        {{ money('usage') }} as usage,
        records,
        base_price,
        {{ money(exact_product(money('usage'), 'base_price', 6, 12), 2) }} as unbilled_amount,
        last_recorded_at,
        finalized,
        {{ as_of() }} as calculated_at
    from per_asset
    where records > 0 or coalesce(usage, 0) <> 0
)

select * from final
