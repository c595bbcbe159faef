-- Meter readings dropped at ingest by a suppression rule, counted per rule and content hash
-- (raw.suppressed_rows) as landed.
with source as (
    select * from {{ source('raw', 'suppressed_rows') }}
),

renamed as (
    select
        content_hash,
        file,
        arrived,
        pattern,
        pattern_type,
        rows_suppressed,
        loaded_at
    from source
)

select * from renamed
