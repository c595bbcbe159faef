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
        try_cast(raw_rows.quantity as double) as quantity_double,
        try_cast(raw_rows.quantity as decimal(38, 10)) as quantity_decimal,
        try_cast(raw_rows.event_ts as timestamptz) as event_at
    from {{ source('raw', 'service_events') }} as raw_rows
    inner join files on raw_rows.content_hash = files.content_hash
)

select
    typed.*,
    typed.client_id || '/' || typed.project as asset_id,
    service_map.unit_type,
    case
        when coalesce(typed.event_id, '') = '' then 'missing_field'
        when coalesce(typed.client_id, '') = '' then 'missing_field'
        when coalesce(typed.service, '') = '' then 'missing_field'
        when coalesce(typed.event_ts, '') = '' then 'missing_field'
        when coalesce(typed.quantity, '') = '' then 'missing_field'
        when isnan(typed.quantity_double) or isinf(typed.quantity_double) then 'non_finite_number'
        when typed.quantity_decimal is null then 'unparsable_number'
        when typed.quantity_decimal <= 0 then 'non_positive_quantity'
        when typed.event_at is null then 'unparsable_timestamp'
        when service_map.unit_type is null then 'unknown_service'
        when known_unit_types.unit_type is null then 'unknown_unit_type'
    end as reason,
    case
        when coalesce(typed.event_id, '') = '' then 'event_id is empty'
        when coalesce(typed.client_id, '') = '' then 'client_id is empty'
        when coalesce(typed.service, '') = '' then 'service is empty'
        when coalesce(typed.event_ts, '') = '' then 'event_ts is empty'
        when coalesce(typed.quantity, '') = '' then 'quantity is empty'
        when isnan(typed.quantity_double) or isinf(typed.quantity_double)
            then 'quantity ' || typed.quantity || ' is not a finite number'
        when typed.quantity_decimal is null
            then 'quantity ' || typed.quantity || ' is not a decimal number'
        when typed.quantity_decimal <= 0
            then 'quantity ' || typed.quantity || ' must be greater than 0'
        when typed.event_at is null
            then 'event_ts ' || typed.event_ts || ' is not an ISO-8601 timestamp'
        when service_map.unit_type is null
            then
                'service ' || typed.service || ' with direction ' || typed.direction
                || ' is not a known service'
        when known_unit_types.unit_type is null
            then
                'unit type ' || service_map.unit_type
                || ' of this service is not in the admin unit_types snapshot'
    end as problem
from typed
left join {{ ref('service_unit_types') }} as service_map
    on typed.service = service_map.service and typed.direction = service_map.direction
left join known_unit_types on service_map.unit_type = known_unit_types.unit_type
