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
        raw_rows.malformed,
        try_cast(raw_rows.value as double) as value_double,
        try_cast(raw_rows.value as decimal(38, 10)) as value_decimal,
        try_cast(raw_rows.reading_ts as timestamptz) as reading_at
    from {{ source('raw', 'meter_readings') }} as raw_rows
    inner join files on raw_rows.content_hash = files.content_hash
)

{% set checks = malformed_checks('typed.malformed')
    + required_checks([
        ('typed.asset_id', 'asset_id'), ('typed.source_type', 'source_type'),
        ('typed.unit_type', 'unit_type'), ('typed.reading_ts', 'reading_ts'),
        ('typed.value', 'value')])
    + number_checks('typed.value', 'value', 'non_negative')
    + timestamp_checks('typed.reading_ts', 'reading_ts')
    + [['known_unit_types.unit_type is null', 'unknown_unit_type',
        "'unit_type ' || typed.unit_type || ' is not in the admin unit_types snapshot'"]] %}

select
    typed.*,
    {{ check_reason(checks) }} as reason,
    {{ check_problem(checks) }} as problem
from typed
left join known_unit_types on typed.unit_type = known_unit_types.unit_type
