-- Resource usage per asset, unit type and billing period (the records of each billed period
-- known at its bill, bound to a bucket or not), each asset's share of the unit type's usage
-- in the period, and the disproportionate consumers: an asset whose share is more than
-- three times the mean share of that unit type's assets in the period (share > 3 / n for n
-- assets with records), compared exactly as usage * n > 3 * total. An asset's usage is
-- aggregated as its bucket (or unit type) aggregates (CONTRACT 3.3, per asset).
-- Only the columns read below: the window of `segments` keeps every column of its rows
-- (some GB at 100 million readings), and the fingerprint and invocation id are the widest.
with bound as (
    select
        client_id,
        period_start,
        asset_id,
        source_type,
        unit_type,
        recorded_at,
        value,
        quantity,
        user_id,
        file_name,
        arrived,
        row_number,
        is_carry_in,
        start_at,
        window_end_at,
        aggregation
    from {{ ref('int_bound_records') }}
    where is_bill
),

segments as (
    select
        *,
        greatest(
            epoch_us(least(
                coalesce(
                    lead(recorded_at) over (
                        partition by client_id, period_start, asset_id, unit_type
                        order by recorded_at, arrived, file_name, row_number
                    ),
                    window_end_at
                ),
                window_end_at
            )) - epoch_us(greatest(recorded_at, start_at)),
            0
        ) as held_us
    from bound
    where aggregation = 'time_weighted_avg'
),

simple_usage as (
    select
        client_id,
        period_start,
        unit_type,
        asset_id,
        any_value(source_type) as source_type,
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
            when 'unique_count'
                then count(distinct user_id) filter (where not is_carry_in)
        end as asset_usage
    from bound
    where aggregation in ('sum', 'count', 'max', 'latest', 'unique_count')
    group by client_id, period_start, unit_type, asset_id
    having count(*) filter (where not is_carry_in) > 0
),

weighted_usage as (
    select
        client_id,
        period_start,
        unit_type,
        asset_id,
        any_value(source_type) as source_type,
        {{ micros_to_decimal6(round_div(
            "sum(" ~ decimal10_to_units("value") ~ " * cast(held_us as hugeint))",
            "cast(epoch_us(any_value(window_end_at)) - epoch_us(any_value(start_at)) as hugeint)"
            ~ " * 10000"
        )) }} as asset_usage
    from segments
    group by client_id, period_start, unit_type, asset_id
    having epoch_us(any_value(window_end_at)) > epoch_us(any_value(start_at))
),

asset_usage as (
    select
        client_id,
        period_start,
        unit_type,
        asset_id,
        source_type,
        {{ money('asset_usage') }} as usage
    from simple_usage
    union all
    select
        client_id,
        period_start,
        unit_type,
        asset_id,
        source_type,
        asset_usage as usage
    from weighted_usage
),

with_totals as (
    select
        *,
        sum(usage) over (partition by period_start, unit_type) as total_usage,
        count(*) over (partition by period_start, unit_type) as assets
    from asset_usage
),

final as (
    select
        period_start,
        unit_type,
        client_id,
        asset_id,
        source_type,
        usage,
        total_usage,
        assets,
        case
            when total_usage > 0
                then cast(
                    {{ round_div(
                        decimal10_to_units('usage') ~ ' * 10000',
                        decimal10_to_units('total_usage')
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as usage_share_pct,
        cast(
            {{ round_div('cast(10000 as hugeint)', 'cast(assets as hugeint)') }}
            * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as mean_share_pct,
        usage * assets > 3 * total_usage as is_heavy_consumer,
        {{ as_of() }} as calculated_at
    from with_totals
)

select * from final
