-- Resource usage per asset, unit type and billing period (the records of each billed period
-- known at its bill, bound to a bucket or not), aggregated as the asset's bucket (or unit
-- type) aggregates (CONTRACT 3.3, per asset), and compared only with assets whose figure
-- means the same: the same unit type and aggregation in the same period. The disproportionate
-- consumers: an asset whose usage is more than 3 times the median usage of the OTHER assets
-- of its group, compared exactly as 2 * usage > 3 * (lower + upper middle of the others).
-- Leaving the asset out keeps an outlier from raising its own yardstick, so the rule holds
-- from 2 assets up (usage > 3 * the other asset's); a lone asset is never flagged.
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
        any_value(aggregation) as aggregation,
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
        'time_weighted_avg' as aggregation,
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
        aggregation,
        {{ money('asset_usage') }} as usage
    from simple_usage
    union all
    select
        client_id,
        period_start,
        unit_type,
        asset_id,
        source_type,
        aggregation,
        asset_usage as usage
    from weighted_usage
),

with_totals as (
    select
        *,
        sum(usage) over peers as total_usage,
        count(*) over peers as assets
    from asset_usage
    window peers as (partition by period_start, unit_type, aggregation)
),

-- Every asset beside each other asset of its group, ranked by usage: the others' median is
-- the mean of their lower and upper middle (the same one when their number is odd).
others as (
    select
        asset.period_start,
        asset.unit_type,
        asset.aggregation,
        asset.client_id,
        asset.asset_id,
        other.usage as other_usage,
        row_number() over (
            partition by
                asset.period_start, asset.unit_type, asset.aggregation, asset.client_id,
                asset.asset_id
            order by other.usage
        ) as other_rank,
        count(*) over (
            partition by
                asset.period_start, asset.unit_type, asset.aggregation, asset.client_id,
                asset.asset_id
        ) as other_count
    from asset_usage as asset
    inner join asset_usage as other
        on
            asset.period_start = other.period_start
            and asset.unit_type = other.unit_type
            and asset.aggregation = other.aggregation
            and not (
                asset.asset_id = other.asset_id
                and asset.client_id is not distinct from other.client_id
            )
),

others_middle as (
    select
        period_start,
        unit_type,
        aggregation,
        client_id,
        asset_id,
        max(other_usage) filter (where other_rank = (other_count + 1) // 2)
        + max(other_usage) filter (where other_rank = other_count // 2 + 1) as middle_sum
    from others
    group by period_start, unit_type, aggregation, client_id, asset_id
),

final as (
    select
        with_totals.period_start,
        with_totals.unit_type,
        with_totals.aggregation,
        {{ usage_unit('with_totals.unit_type', 'with_totals.aggregation') }} as usage_unit,
        with_totals.client_id,
        with_totals.asset_id,
        with_totals.source_type,
        with_totals.usage,
        with_totals.total_usage,
        with_totals.assets,
        case
            when with_totals.total_usage > 0
                then cast(
                    {{ round_div(
                        decimal10_to_units('with_totals.usage') ~ ' * 10000',
                        decimal10_to_units('with_totals.total_usage')
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as usage_share_pct,
        cast(
            others_middle.middle_sum * cast(0.5 as decimal(2, 1)) as decimal(38, 7)
        ) as others_median_usage,
        case
            when others_middle.middle_sum > 0
                then cast(
                    {{ round_div(
                        decimal10_to_units('with_totals.usage') ~ ' * 200',
                        decimal10_to_units('others_middle.middle_sum')
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as times_others_median,
        coalesce(2 * with_totals.usage > 3 * others_middle.middle_sum, false)
            as is_heavy_consumer,
        {{ as_of() }} as calculated_at
    from with_totals
    left join others_middle
        on
            with_totals.period_start = others_middle.period_start
            and with_totals.unit_type = others_middle.unit_type
            and with_totals.aggregation = others_middle.aggregation
            and with_totals.asset_id = others_middle.asset_id
            and with_totals.client_id is not distinct from others_middle.client_id
)

select * from final
