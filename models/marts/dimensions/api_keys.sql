-- Every API key of the newest api_keys snapshot arrived on or before T (the last row of the
-- file wins when an id repeats): its name, role, client, whether it is enabled and when it
-- was last used. The key's hash, like any secret, never reaches this mart.
with current_keys as (
    select * from {{ ref('int_api_keys_current') }}
)

select
    api_key_id,
    max_by(api_key_name, row_number) as api_key_name,
    max_by(role, row_number) as role,
    max_by(client_id, row_number) as client_id,
    max_by(is_enabled, row_number) as is_enabled,
    max_by(last_used_at, row_number) as last_used_at,
    {{ as_of() }} as calculated_at
from current_keys
group by api_key_id
