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
    {{ parse_decimal('base_price', 12, 24) }} as base_price,
    {{ parse_decimal('overage_price', 12, 24) }} as overage_price,
    base_price as base_price_text,
    overage_price as overage_price_text,
    coalesce(filter_pattern, '') as filter_pattern
from snapshot_rows
where coalesce(unit_type, '') <> ''
