-- Every unit type of the newest unit_types snapshot arrived on or before T (the last row of
-- the file wins when a name repeats), with its template prices exactly as configured.
with current_unit_types as (
    select * from {{ ref('int_unit_types_current') }}
)

select
    unit_type,
    max_by(description, row_number) as description,
    max_by(meter_kind, row_number) as meter_kind,
    max_by(aggregation, row_number) as aggregation,
    max_by(auto_provision, row_number) as auto_provision,
    max_by(base_price, row_number) as base_price,
    max_by(overage_price, row_number) as overage_price,
    max_by(filter_pattern, row_number) as filter_pattern,
    {{ as_of() }} as calculated_at
from current_unit_types
group by unit_type
