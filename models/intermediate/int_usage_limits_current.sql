-- Each client's monthly usage limit in the newest usage_limits snapshot arrived on or before T,
-- one row per client (the largest limit when the snapshot lists the client more than once).
with limits as (
    {{ current_admin_rows('usage_limits') }}
)

select
    client_id,
    max(monthly_limit) as monthly_limit
from limits
group by client_id
