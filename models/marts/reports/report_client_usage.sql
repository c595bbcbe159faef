-- Each client's usage per billing period in three groups: storage (unit type storage_gb),
-- bandwidth (egress_gb and ingress_gb) and everything else, with what each group was billed
-- (sum of bucket final costs). The three costs add up to the invoice's charges. Usage adds
-- only like figures: gigabytes are the U of buckets that measure gigabytes (a storage level
-- taken as a peak, latest value or time-weighted average, one aggregation at a time; a
-- transfer volume summed), and a bandwidth bucket that counts transfers is a number of
-- transfers, never gigabytes. A figure with nothing to measure it is empty, not 0.
with readings as (
    select
        *,
        unit_type = 'storage_gb' and aggregation in ('max', 'latest', 'time_weighted_avg')
            as is_storage_level,
        unit_type in ('egress_gb', 'ingress_gb') and aggregation = 'sum' as is_transfer_volume,
        unit_type in ('egress_gb', 'ingress_gb') and aggregation = 'count' as is_transfer_count
    from {{ ref('billing_readings') }}
),

final as (
    select
        client_id,
        period_start,
        case
            when count(distinct aggregation) filter (where is_storage_level) = 1
                then {{ money('sum(usage) filter (where is_storage_level)') }}
        end as storage_gb,
        case
            when count(distinct aggregation) filter (where is_storage_level) = 1
                then any_value(aggregation) filter (where is_storage_level)
            when count(distinct aggregation) filter (where is_storage_level) > 1
                then 'mixed'
        end as storage_aggregation,
        cast(
            coalesce(sum(final_cost) filter (where unit_type = 'storage_gb'), 0)
            as decimal(38, 2)
        ) as storage_cost,
        {{ money("sum(usage) filter (where is_transfer_volume and unit_type = 'egress_gb')") }}
            as egress_gb,
        {{ money("sum(usage) filter (where is_transfer_volume and unit_type = 'ingress_gb')") }}
            as ingress_gb,
        {{ money('sum(usage) filter (where is_transfer_volume)') }} as bandwidth_gb,
        {{ money('sum(usage) filter (where is_transfer_count)') }} as bandwidth_transfers,
        cast(
            coalesce(
                sum(final_cost) filter (where unit_type in ('egress_gb', 'ingress_gb')), 0
            ) as decimal(38, 2)
        ) as bandwidth_cost,
        cast(
            coalesce(
                sum(final_cost) filter (
                    where unit_type not in ('storage_gb', 'egress_gb', 'ingress_gb')
                ),
                0
            ) as decimal(38, 2)
        ) as other_cost,
        count(*) filter (
            where unit_type not in ('storage_gb', 'egress_gb', 'ingress_gb')
        ) as other_buckets,
        cast(sum(final_cost) as decimal(38, 2)) as total_cost,
        bool_and(finalized) as finalized,
        {{ as_of() }} as calculated_at
    from readings
    group by client_id, period_start
)

select * from final
