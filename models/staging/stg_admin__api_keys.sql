-- API keys are exposed only as id, name, role, client and hash.
with snapshot_rows as (
    {{ admin_snapshot_rows('api_keys') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    api_key_id,
    name as api_key_name,
    role,
    nullif(client_id, '') as client_id,
    key_hash,
    {{ parse_bool('enabled') }} as is_enabled,
    {{ try_cast_instant('last_used_at') }} as last_used_at
from snapshot_rows
where coalesce(api_key_id, '') <> ''
