-- Every loaded usage file as of T (meter readings and service events) with a fingerprint of
-- everything its usage records depend on: the file (path, name, arrival, content hash), the
-- unit types known as of T and the project's code. int_usage_records keys its rows on it.
with files as (
    select
        feed,
        file,
        file_name,
        arrived,
        content_hash
    from {{ ref('stg_raw__files') }}
    where status = 'loaded' and feed in ('meter_readings', 'service_events')
),

known_unit_types as (
    select {{ known_unit_types_digest() }} as digest
)

select
    files.feed,
    files.file,
    files.arrived,
    md5(concat_ws(
        '|',
        files.feed,
        files.file,
        files.file_name,
        files.arrived,
        files.content_hash,
        known_unit_types.digest,
        '{{ code_digest() }}'
    )) as file_fingerprint
from files
cross join known_unit_types
