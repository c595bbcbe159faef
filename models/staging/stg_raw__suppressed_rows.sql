-- Meter readings dropped at ingest by a suppression rule, counted per rule and content hash
-- (raw.suppressed_rows) as landed.
with source as (
    select * from {{ source('raw', 'suppressed_rows') }}
),

renamed as (
    select
        content_hash,
        pattern,
        pattern_type,
        rows_suppressed
    from source
)

select * from renamed
