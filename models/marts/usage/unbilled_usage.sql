-- Usage that no bill counts, per reason, client, asset, unit type and period: the records
-- of unbound assets (assigned, bound to no bucket in a billed period) and of unassigned
-- assets (UTC months), aggregated per asset as a bucket would aggregate them (the unit
-- type's aggregation), rounded to 6 places, and valued at the unit type's template price:
-- unbilled_amount = usage * base_price, rounded to the cent half away from zero.
with records as (
    select * from {{ ref('int_unbilled_records') }}
    where aggregation is not null
),

segments as (
    select
        *,
        greatest(
            epoch_us(least(
                coalesce(
                    lead(recorded_at) over (
                        partition by unbilled_reason, client_id, period_start, asset_id, unit_type
                        order by recorded_at, arrived, file_name, row_number
                    ),
                    window_end_at
                ),
                window_end_at
            )) - epoch_us(greatest(recorded_at, start_at)),
            0
        ) as held_us
    from records
    where aggregation = 'time_weighted_avg'
),

weighted as (
    select
        unbilled_reason,
        client_id,
        period_start,
        asset_id,
        unit_type,
        {{ micros_to_decimal6(round_div(
            "sum(" ~ decimal10_to_units("value") ~ " * cast(held_us as hugeint))",
            "cast(epoch_us(any_value(window_end_at)) - epoch_us(any_value(start_at)) as hugeint)"
            ~ " * 10000"
        )) }} as usage
    from segments
    group by unbilled_reason, client_id, period_start, asset_id, unit_type
    having epoch_us(any_value(window_end_at)) > epoch_us(any_value(start_at))
),

per_asset as (
    select
        unbilled_reason,
        client_id,
        any_value(timezone) as timezone,
        period_start,
        any_value(period_end) as period_end,
        asset_id,
        unit_type,
        coalesce(
            max(source_type) filter (where not is_carry_in), max(source_type)
        ) as source_type,
        any_value(aggregation) as aggregation,
        any_value(base_price) as base_price,
        bool_and(finalized) as finalized,
        count(*) filter (where not is_carry_in) as records,
        case any_value(aggregation)
            when 'sum' then coalesce(sum(quantity) filter (where not is_carry_in), 0)
            when 'count' then count(*) filter (where not is_carry_in)
            when 'max' then coalesce(max(value) filter (where not is_carry_in), 0)
            when 'latest'
                then coalesce(
                    max_by(value, (recorded_at, arrived, file_name, row_number))
                    filter (where not is_carry_in),
                    0
                )
            when 'unique_count' then count(distinct user_id) filter (where not is_carry_in)
        end as simple_usage,
        max(recorded_at) filter (where not is_carry_in) as last_recorded_at
    from records
    group by unbilled_reason, client_id, period_start, asset_id, unit_type
),

final as (
    select
        per_asset.unbilled_reason,
        per_asset.client_id,
        per_asset.asset_id,
        per_asset.unit_type,
        per_asset.source_type,
        per_asset.period_start,
        per_asset.period_end,
        per_asset.timezone,
        per_asset.aggregation,
        {{ money('coalesce(weighted.usage, per_asset.simple_usage)') }} as usage,
        per_asset.records,
        per_asset.base_price,
        {{ money(
            money('coalesce(weighted.usage, per_asset.simple_usage)') ~ ' * per_asset.base_price', 2
        ) }} as unbilled_amount,
        per_asset.last_recorded_at,
        per_asset.finalized,
        {{ as_of() }} as calculated_at
    from per_asset
    left join weighted
        on
            per_asset.unbilled_reason = weighted.unbilled_reason
            and per_asset.client_id is not distinct from weighted.client_id
            and per_asset.period_start = weighted.period_start
            and per_asset.asset_id = weighted.asset_id
            and per_asset.unit_type = weighted.unit_type
    where per_asset.records > 0 or coalesce(weighted.usage, 0) <> 0
)

select * from final
