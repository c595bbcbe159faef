-- the first file (by arrival, name, path) of a feed registered with these bytes, committed
-- or staged
select
    registered.rows_seen,
    registered.status,
    registered.file,
    registered.message
from (
    select
        feed,
        content_hash,
        arrived,
        file_name,
        file,
        rows_seen,
        status,
        message
    from raw.file_manifest
    union all
    select
        feed,
        content_hash,
        arrived,
        file_name,
        file,
        rows_seen,
        status,
        message
    from _stage_manifest
) as registered
where registered.feed = $feed and registered.content_hash = $content_hash
order by registered.arrived, registered.file_name, registered.file
limit 1
