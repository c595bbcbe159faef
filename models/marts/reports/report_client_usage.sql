-- Each client's usage per billing period in three groups: storage (unit type storage_gb),
-- bandwidth (egress_gb and ingress_gb) and everything else, with what each group was billed
-- (sum of bucket final costs). The three costs add up to the invoice's charges.
with readings as (
    select * from {{ ref('billing_readings') }}
),

final as (
    select
        client_id,
        period_start,
        {{ money("coalesce(sum(usage) filter (where unit_type = 'storage_gb'), 0)") }}
            as storage_gb,
        cast(
            coalesce(sum(final_cost) filter (where unit_type = 'storage_gb'), 0)
            as decimal(38, 2)
        ) as storage_cost,
        {{ money("coalesce(sum(usage) filter (where unit_type = 'egress_gb'), 0)") }}
            as egress_gb,
        {{ money("coalesce(sum(usage) filter (where unit_type = 'ingress_gb'), 0)") }}
            as ingress_gb,
        {{ money(
            "coalesce(sum(usage) filter (where unit_type in ('egress_gb', 'ingress_gb')), 0)"
        ) }} as bandwidth_gb,
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
