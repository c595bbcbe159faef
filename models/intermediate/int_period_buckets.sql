-- The buckets each billed period owes: enabled in the period's buckets snapshot and created
-- before the period's end, with the aggregation resolved from the period's unit types.
with periods as (
    select
        client_id,
        period_start,
        end_at,
        buckets_version,
        unit_types_version
    from {{ ref('int_client_periods') }}
)

select
    periods.client_id,
    periods.period_start,
    buckets.bucket_id,
    buckets.bucket_name,
    buckets.source_type,
    buckets.unit_type,
    coalesce(buckets.aggregation, unit_types.aggregation) as aggregation,
    unit_types.meter_kind,
    buckets.commit_units,
    buckets.base_price,
    buckets.overage_price,
    buckets.is_reviewed,
    false as is_auto
from periods
inner join {{ ref('stg_admin__buckets') }} as buckets
    on
        periods.buckets_version = buckets.snapshot_arrived
        and periods.client_id = buckets.client_id
left join {{ ref('stg_admin__unit_types') }} as unit_types
    on
        periods.unit_types_version = unit_types.snapshot_arrived
        and buckets.unit_type = unit_types.unit_type
where
    buckets.is_enabled
    and (buckets.created_at is null or buckets.created_at < periods.end_at)
