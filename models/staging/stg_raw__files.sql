-- Every landed file that arrived on or before T, with its ingest status as of T: the first
-- file of a content hash by (arrival, file name) is loaded, later ones are duplicate_file.
-- A file outside the layout whose folder gives no arrival date is seen at every T. A
-- rejected file always has a message: one registered without (the same bytes as a rejected
-- file, by an earlier version of ingest) takes the first such file's.
with manifest as (
    select *
    from {{ source('raw', 'file_manifest') }}
    where arrived is null or {{ arrived_at('arrived') }} <= {{ as_of() }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by feed, content_hash order by arrived, file_name, file
        ) as hash_rank,
        first_value(file) over (
            partition by feed, content_hash order by arrived, file_name, file
        ) as first_file,
        {{ first_value_ignore_nulls('message') }} over (
            partition by feed, content_hash order by arrived, file_name, file
            rows between unbounded preceding and unbounded following
        ) as first_message
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
    case
        when status <> 'rejected' then message
        when coalesce(message, '') <> '' then message
        when hash_rank > 1
            then
                'file ' || file || ' has the same bytes as ' || first_file
                || ', which was rejected'
                || coalesce(' (' || first_message || ')', '')
        else 'file ' || file || ' could not be read'
    end as message,
    case
        when status = 'rejected' then 'rejected'
        when hash_rank = 1 then 'loaded'
        else 'duplicate_file'
    end as status
from ranked
