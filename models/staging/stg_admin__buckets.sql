with snapshot_rows as (
    {{ admin_snapshot_rows('buckets') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    bucket_id,
    client_id,
    name as bucket_name,
    source_type,
    unit_type,
    nullif(lower(aggregation), '') as aggregation,
    {{ parse_decimal('commit_units', 6, 24) }} as commit_units,
    {{ parse_decimal('base_price', 12, 24) }} as base_price,
    {{ parse_decimal('overage_price', 12, 24) }} as overage_price,
    commit_units as commit_units_text,
    base_price as base_price_text,
    overage_price as overage_price_text,
    {{ parse_bool('reviewed', 'false') }} as is_reviewed,
    {{ parse_bool('enabled') }} as is_enabled,
    {{ try_cast_instant('created_at') }} as created_at
from snapshot_rows
where coalesce(bucket_id, '') <> ''
