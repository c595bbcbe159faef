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
    try_cast(commit_units as decimal(24, 6)) as commit_units,
    try_cast(base_price as decimal(18, 6)) as base_price,
    try_cast(overage_price as decimal(18, 6)) as overage_price,
    commit_units as commit_units_text,
    base_price as base_price_text,
    overage_price as overage_price_text,
    {{ parse_bool('reviewed', 'false') }} as is_reviewed,
    {{ parse_bool('enabled') }} as is_enabled,
    try_cast(created_at as timestamptz) as created_at
from snapshot_rows
where coalesce(bucket_id, '') <> ''
