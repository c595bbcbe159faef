-- The snapshot versions of every admin table that arrived on or before T: one per arrival
-- day with a readable file (an empty snapshot is a version too: the table was emptied).
with versions as (
    select distinct
        replace(feed, 'admin/', '') as table_name,
        arrived as snapshot_arrived,
        {{ arrived_at('arrived') }} as snapshot_at
    from {{ ref('stg_raw__files') }}
    where feed like 'admin/%' and status in ('loaded', 'duplicate_file')
)

select
    *,
    snapshot_arrived = max(snapshot_arrived) over (partition by table_name) as is_latest
from versions
