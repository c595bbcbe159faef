with snapshot_rows as (
    {{ admin_snapshot_rows('unit_types') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    unit_type,
    description,
    lower(meter_kind) as meter_kind,
    lower(aggregation) as aggregation,
    {{ parse_bool('auto_provision', 'false') }} as auto_provision,
    try_cast(nullif(base_price, '') as decimal(18, 6)) as base_price,
    try_cast(nullif(overage_price, '') as decimal(18, 6)) as overage_price,
    base_price as base_price_text,
    overage_price as overage_price_text,
    coalesce(filter_pattern, '') as filter_pattern
from snapshot_rows
where coalesce(unit_type, '') <> ''
