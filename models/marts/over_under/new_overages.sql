-- Buckets heading into overage: forecast over commit in the period containing T
-- (forecast_status of marts.projections) while the same bucket was within its commit
-- (under or on_commit) in the client's previous period.
with projected as (
    select * from {{ ref('projections') }}
    where forecast_status = 'over_commit'
),

previous as (
    select * from {{ ref('billing_readings') }}
),

final as (
    select
        projected.client_id,
        projected.bucket_id,
        projected.unit_type,
        projected.period_start,
        projected.commit_units,
        projected.current_usage,
        projected.forecast_usage,
        projected.forecast_method,
        greatest(projected.forecast_usage - projected.commit_units, 0) as forecast_overage_units,
        projected.forecast_cost,
        projected.projected_usage,
        previous.period_start as previous_period_start,
        previous.usage as previous_usage,
        previous.commit_units as previous_commit_units,
        previous.status as previous_status,
        previous.finalized as previous_finalized,
        projected.calculated_at
    from projected
    inner join previous
        on
            projected.client_id = previous.client_id
            and projected.bucket_id = previous.bucket_id
            and previous.period_start = cast(projected.period_start - interval 1 month as date)
    where previous.status in ('under', 'on_commit')
)

select * from final
