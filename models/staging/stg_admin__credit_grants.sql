with snapshot_rows as (
    {{ admin_snapshot_rows('credit_grants') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    grant_id,
    client_id,
    try_cast(amount as decimal(24, 6)) as amount,
    {{ try_cast_instant('received_at') }} as received_at,
    {{ try_cast_instant('expires_at') }} as expires_at
from snapshot_rows
where coalesce(grant_id, '') <> ''
