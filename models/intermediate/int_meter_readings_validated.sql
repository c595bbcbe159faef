-- Meter readings of the files loaded as of T, each with the rule of CONTRACT 2.4 it breaks
-- (reason, problem; null when valid). int_usage_records bills the valid ones, quarantine
-- lists the others.
{{ config(materialized='view') }}

with {{ usage_validation_inputs('meter_readings') }},

typed as (
    select
        files.file,
        files.file_name,
        files.arrived,
        readings.row_number,
        readings.raw,
        readings.reading_id,
        readings.asset_id,
        readings.source_type,
        readings.unit_type,
        readings.reading_ts,
        readings.value,
        readings.description,
        readings.malformed,
        readings.value_double,
        readings.value_decimal,
        readings.reading_at
    from {{ ref('stg_meter_readings') }} as readings
    inner join files on readings.content_hash = files.content_hash
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
