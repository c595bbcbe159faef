-- Resource usage per asset, unit type and billing period (the records of each billed period
-- known at its bill, bound to a bucket or not), aggregated as the asset's bucket (or unit
-- type) aggregates (CONTRACT 3.3, per asset), and compared only with assets whose figure
-- means the same: the same unit type and aggregation in the same period. The disproportionate
-- consumers: an asset whose usage is more than 3 times the median usage of the OTHER assets
-- of its group, compared exactly as 2 * usage > 3 * (lower + upper middle of the others).
-- Leaving the asset out keeps an outlier from raising its own yardstick, so the rule holds
-- from 2 assets up (usage > 3 * the other asset's); a lone asset is never flagged.
-- Each asset's usage is int_asset_usage's at the bill's horizon: for sum, count, max, latest
-- and unique_count an asset with records inside the period, for time_weighted_avg every
-- asset with a level in a non-empty window (a carried-in level counts).
with asset_usage as (
    select
        client_id,
        period_start,
        unit_type,
        asset_id,
        source_type,
        aggregation,
        {{ money('usage') }} as usage
    from {{ ref('int_asset_usage') }}
    where
        is_bill
        and (
            (aggregation in ('sum', 'count', 'max', 'latest', 'unique_count') and records > 0)
            or (aggregation = 'time_weighted_avg' and window_us > 0)
        )
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
        max(other_usage) filter (where other_rank = {{ int_div('other_count + 1', '2') }})
        + max(other_usage) filter (where other_rank = {{ int_div('other_count', '2') }} + 1) as middle_sum
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
            {{ exact_product('others_middle.middle_sum', 'cast(0.5 as decimal(2, 1))', 6, 1) }}
            as decimal(38, 7)
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
