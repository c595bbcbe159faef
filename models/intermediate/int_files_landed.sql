-- Every landed file as of T with its ingest status (stg_raw__files) and the rows of its
-- content that suppression rules dropped at ingest (rows_suppressed; null when none).
with suppressed as (
    select
        content_hash,
        sum(rows_suppressed) as rows_suppressed
    from {{ ref('stg_raw__suppressed_rows') }}
    group by content_hash
)

select
    files.*,
    suppressed.rows_suppressed
from {{ ref('stg_raw__files') }} as files
left join suppressed on files.content_hash = suppressed.content_hash
