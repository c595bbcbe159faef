with snapshot_rows as (
    {{ admin_snapshot_rows('users') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    user_id,
    nullif(client_id, '') as client_id,
    {{ redact_text('name') }} as user_name,  -- secrets redacted, e-mail addresses masked
    email,
    role,
    {{ redact_text('channels') }} as channels,
    {{ try_cast_instant('created_at') }} as created_at,
    {{ try_cast_instant("nullif(deactivated_at, '')") }} as deactivated_at
from snapshot_rows
where coalesce(user_id, '') <> ''
