-- Service events of the files loaded as of T, mapped to their unit type (seed
-- service_unit_types), each with the rule of CONTRACT 2.4 it breaks (reason, problem; null
-- when valid). An event is usage of the asset <client_id>/<project>.
{{ config(materialized='view') }}

with {{ usage_validation_inputs('service_events') }},

typed as (
    select
        files.file,
        files.file_name,
        files.arrived,
        events.row_number,
        events.raw,
        events.event_id,
        events.client_id,
        events.project,
        events.user_id,
        events.service,
        events.direction,
        events.event_ts,
        events.quantity,
        events.malformed,
        events.quantity_double,
        events.quantity_decimal,
        events.event_at
    from {{ ref('stg_service_events') }} as events
    inner join files on events.content_hash = files.content_hash
)

{% set checks = malformed_checks('typed.malformed')
    + required_checks([
        ('typed.event_id', 'event_id'), ('typed.client_id', 'client_id'),
        ('typed.service', 'service'), ('typed.event_ts', 'event_ts'),
        ('typed.quantity', 'quantity')])
    + number_checks('typed.quantity', 'quantity', 'positive')
    + timestamp_checks('typed.event_ts', 'event_ts')
    + [['service_map.unit_type is null', 'unknown_service',
        "'service ' || typed.service || ' with direction ' || typed.direction"
        ~ " || ' is not a known service'"],
       ['known_unit_types.unit_type is null', 'unknown_unit_type',
        "'unit type ' || service_map.unit_type"
        ~ " || ' of this service is not in the admin unit_types snapshot'"]] %}

select
    typed.*,
    typed.client_id || '/' || typed.project as asset_id,
    service_map.unit_type,
    {{ check_reason(checks) }} as reason,
    {{ check_problem(checks) }} as problem
from typed
left join {{ ref('service_unit_types') }} as service_map
    on typed.service = service_map.service and typed.direction = service_map.direction
left join known_unit_types on service_map.unit_type = known_unit_types.unit_type
