with snapshot_rows as (
    {{ admin_snapshot_rows('disregarded_assets') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    asset_id,
    reason,
    {{ try_cast_instant('disregarded_at') }} as disregarded_at
from snapshot_rows
where coalesce(asset_id, '') <> ''
