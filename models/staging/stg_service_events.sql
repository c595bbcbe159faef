-- Service events of loaded files as of T, typed and mapped to their unit type, each with
-- the rule it breaks (if any). An event is usage of the asset <client_id>/<project>.
with files as (
    select
        file,
        file_name,
        arrived,
        content_hash
    from {{ ref('stg_raw__files') }}
    where feed = 'service_events' and status = 'loaded'
),

known_unit_types as (
    select distinct unit_type
    from {{ ref('stg_admin__unit_types') }}
    where snapshot_arrived = (
        select max(versions.snapshot_arrived) from {{ ref('stg_admin__versions') }} as versions
        where versions.table_name = 'unit_types'
    )
),

typed as (
    select
        files.file,
        files.file_name,
        files.arrived,
        raw_rows.row_number,
        raw_rows.raw,
        nullif(raw_rows.event_id, '') as event_id,
        raw_rows.client_id,
        coalesce(nullif(raw_rows.project, ''), 'default') as project,
        nullif(raw_rows.user_id, '') as user_id,
        lower(raw_rows.service) as service,
        coalesce(nullif(lower(raw_rows.direction), ''), 'out') as direction,
        raw_rows.event_ts,
        raw_rows.quantity,
        raw_rows.malformed,
        try_cast(raw_rows.quantity as double) as quantity_double,
        try_cast(raw_rows.quantity as decimal(38, 10)) as quantity_decimal,
        try_cast(raw_rows.event_ts as timestamptz) as event_at
    from {{ source('raw', 'service_events') }} as raw_rows
    inner join files on raw_rows.content_hash = files.content_hash
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
