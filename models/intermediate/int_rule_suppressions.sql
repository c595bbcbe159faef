-- What each suppression rule dropped at ingest from each meter readings file loaded as of T:
-- one row per rule (pattern, pattern_type) and file (a re-landed copy of a file counts once).
with loaded_files as (
    select
        file,
        arrived,
        content_hash
    from {{ ref('int_files_landed') }}
    where feed = 'meter_readings' and status = 'loaded'
)

select
    suppressed_rows.pattern,
    suppressed_rows.pattern_type,
    loaded_files.file,
    loaded_files.arrived,
    sum(suppressed_rows.rows_suppressed) as rows_suppressed
from {{ ref('stg_raw__suppressed_rows') }} as suppressed_rows
inner join loaded_files on suppressed_rows.content_hash = loaded_files.content_hash
group by all
