-- Every user of the newest users snapshot arrived on or before T, as marts.service_users
-- shows them (e-mail masked), with the number of channels the user is reachable on (the
-- non-empty names of the ;-separated channels list).
select
    user_id,
    client_id,
    name,
    email_masked,
    role,
    channels,
    cast({{ count_nonblank_items("coalesce(channels, '')", "';'", item='channel') }} as bigint) as channel_count,
    is_active,
    created_at,
    deactivated_at,
    calculated_at
from {{ ref('service_users') }}
