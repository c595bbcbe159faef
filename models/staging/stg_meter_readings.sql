-- Meter readings of loaded files as of T, typed, each with the rule it breaks (if any).
with files as (
    select
        file,
        file_name,
        arrived,
        content_hash
    from {{ ref('stg_raw__files') }}
    where feed = 'meter_readings' and status = 'loaded'
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
        nullif(raw_rows.reading_id, '') as reading_id,
        raw_rows.asset_id,
        raw_rows.source_type,
        raw_rows.unit_type,
        raw_rows.reading_ts,
        raw_rows.value,
        nullif(raw_rows.description, '') as description,
        try_cast(raw_rows.value as double) as value_double,
        try_cast(raw_rows.value as decimal(38, 10)) as value_decimal,
        try_cast(raw_rows.reading_ts as timestamptz) as reading_at
    from {{ source('raw', 'meter_readings') }} as raw_rows
    inner join files on raw_rows.content_hash = files.content_hash
)

select
    typed.*,
    case
        when coalesce(typed.asset_id, '') = '' then 'missing_field'
        when coalesce(typed.source_type, '') = '' then 'missing_field'
        when coalesce(typed.unit_type, '') = '' then 'missing_field'
        when coalesce(typed.reading_ts, '') = '' then 'missing_field'
        when coalesce(typed.value, '') = '' then 'missing_field'
        when isnan(typed.value_double) or isinf(typed.value_double) then 'non_finite_number'
        when typed.value_decimal is null then 'unparsable_number'
        when typed.value_decimal < 0 then 'negative_value'
        when typed.reading_at is null then 'unparsable_timestamp'
        when known_unit_types.unit_type is null then 'unknown_unit_type'
    end as reason,
    case
        when coalesce(typed.asset_id, '') = '' then 'asset_id is empty'
        when coalesce(typed.source_type, '') = '' then 'source_type is empty'
        when coalesce(typed.unit_type, '') = '' then 'unit_type is empty'
        when coalesce(typed.reading_ts, '') = '' then 'reading_ts is empty'
        when coalesce(typed.value, '') = '' then 'value is empty'
        when isnan(typed.value_double) or isinf(typed.value_double)
            then 'value ' || typed.value || ' is not a finite number'
        when typed.value_decimal is null then 'value ' || typed.value || ' is not a decimal number'
        when typed.value_decimal < 0 then 'value ' || typed.value || ' is negative'
        when typed.reading_at is null
            then 'reading_ts ' || typed.reading_ts || ' is not an ISO-8601 timestamp'
        when known_unit_types.unit_type is null
            then 'unit_type ' || typed.unit_type || ' is not in the admin unit_types snapshot'
    end as problem
from typed
left join known_unit_types on typed.unit_type = known_unit_types.unit_type
