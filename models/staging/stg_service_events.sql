-- Service events as landed (raw.service_events), every value typed beside its text and the
-- defaults of CONTRACT 2.2 applied (project 'default', direction 'out'); one row per landed
-- row of each loaded content hash. Validation is int_service_events_validated.
with source as (
    select * from {{ source('raw', 'service_events') }}
),

renamed as (
    select
        content_hash,
        arrived,
        row_number,
        raw,
        nullif(event_id, '') as event_id,
        client_id,
        coalesce(nullif(project, ''), 'default') as project,
        nullif(user_id, '') as user_id,
        lower(service) as service,
        coalesce(nullif(lower(direction), ''), 'out') as direction,
        event_ts,
        quantity,
        malformed,
        {{ try_cast_double('quantity') }} as quantity_double,
        try_cast(quantity as decimal(38, 10)) as quantity_decimal,
        {{ try_cast_instant('event_ts') }} as event_at
    from source
)

select * from renamed
