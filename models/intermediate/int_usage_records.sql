-- Valid meter readings and service events as one stream of usage records, each with its
-- deduplication key; the first by (arrival, file base name, row number) is billed, the
-- others are kept and flagged as duplicates.
with readings as (
    select
        'meter_readings' as feed,
        case
            when reading_id is not null then 'id:' || reading_id
            else 'key:' || asset_id || chr(31) || unit_type || chr(31) || epoch_us(reading_at)
        end as record_key,
        asset_id,
        cast(null as varchar) as event_client_id,
        source_type,
        unit_type,
        reading_at as recorded_at,
        value_decimal as value,
        cast(null as varchar) as user_id,
        description,
        file,
        file_name,
        arrived,
        row_number
    from {{ ref('stg_meter_readings') }}
    where reason is null
),

events as (
    select
        'service_events' as feed,
        'id:' || event_id as record_key,
        asset_id,
        client_id as event_client_id,
        'services' as source_type,
        unit_type,
        event_at as recorded_at,
        quantity_decimal as value,
        user_id,
        cast(null as varchar) as description,
        file,
        file_name,
        arrived,
        row_number
    from {{ ref('stg_service_events') }}
    where reason is null
),

unioned as (
    select * from readings
    union all
    select * from events
)

select
    *,
    {{ arrived_at('arrived') }} as arrived_at,
    row_number() over (
        partition by feed, record_key order by arrived, file_name, row_number
    ) > 1 as is_duplicate
from unioned
