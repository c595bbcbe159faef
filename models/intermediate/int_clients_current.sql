-- Each client of the newest clients snapshot arrived on or before T, one row per client with
-- its name (from the client's last row when the snapshot lists it more than once).
select
    clients.client_id,
    max_by(clients.client_name, clients.row_number) as client_name
from {{ ref('stg_admin__clients') }} as clients
inner join {{ ref('stg_admin__versions') }} as versions
    on
        versions.table_name = 'clients'
        and versions.is_latest
        and clients.snapshot_arrived = versions.snapshot_arrived
group by clients.client_id
