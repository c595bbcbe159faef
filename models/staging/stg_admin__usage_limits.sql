with snapshot_rows as (
    {{ admin_snapshot_rows('usage_limits') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    client_id,
    try_cast(monthly_limit as decimal(24, 6)) as monthly_limit
from snapshot_rows
where coalesce(client_id, '') <> ''
