with snapshot_rows as (
    {{ admin_snapshot_rows('suppressions') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    pattern,
    lower(pattern_type) as pattern_type,
    reason,
    {{ try_cast_instant('created_at') }} as created_at
from snapshot_rows
where coalesce(pattern, '') <> ''
