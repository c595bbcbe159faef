-- Each client of the newest clients snapshot arrived on or before T, one row per client with
-- its name (from the client's last row when the snapshot lists it more than once).
with clients as (
    {{ current_admin_rows('clients') }}
)

select
    client_id,
    max_by(client_name, row_number) as client_name
from clients
group by client_id
