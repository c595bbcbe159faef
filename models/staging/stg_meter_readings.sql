-- Meter readings as landed (raw.meter_readings), every value typed beside its text; one
-- row per landed row of each loaded content hash. Validation is int_meter_readings_validated.
with source as (
    select * from {{ source('raw', 'meter_readings') }}
),

renamed as (
    select
        content_hash,
        arrived,
        row_number,
        raw,
        nullif(reading_id, '') as reading_id,
        asset_id,
        source_type,
        unit_type,
        reading_ts,
        value,
        nullif(description, '') as description,
        malformed,
        {{ try_cast_double('value') }} as value_double,
        try_cast(value as decimal(38, 10)) as value_decimal,
        {{ try_cast_instant('reading_ts') }} as reading_at
    from source
)

select * from renamed
