-- Every landed file that arrived on or before T, with its ingest status as of T: the first
-- file of a content hash by (arrival, file name) is loaded, later ones are duplicate_file.
with manifest as (
    select *
    from {{ source('raw', 'file_manifest') }}
    where {{ arrived_at('arrived') }} <= {{ as_of() }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by feed, content_hash order by arrived, file_name, file
        ) as hash_rank
    from manifest
)

select
    feed,
    file,
    file_name,
    arrived,
    content_hash,
    size_bytes,
    rows_seen,
    message,
    case
        when status = 'rejected' then 'rejected'
        when hash_rank = 1 then 'loaded'
        else 'duplicate_file'
    end as status
from ranked
