-- Each client of the newest clients snapshot arrived on or before T, one row per client: each
-- column from the client's last row that has it, when the snapshot lists it more than once.
with clients as (
    {{ current_admin_rows('clients') }}
)

select
    client_id,
    max_by(client_name, row_number) as client_name,
    max_by(timezone, row_number) as timezone,
    max_by(net_terms_days, row_number) as net_terms_days,
    max_by(is_enabled, row_number) as is_enabled,
    max_by(created_at, row_number) as created_at
from clients
group by client_id
