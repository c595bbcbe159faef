-- Each client's monthly usage limit in the newest usage_limits snapshot arrived on or before T,
-- one row per client (the largest limit when the snapshot lists the client more than once).
select
    limits.client_id,
    max(limits.monthly_limit) as monthly_limit
from {{ ref('stg_admin__usage_limits') }} as limits
inner join {{ ref('stg_admin__versions') }} as versions
    on
        versions.table_name = 'usage_limits'
        and versions.is_latest
        and limits.snapshot_arrived = versions.snapshot_arrived
group by limits.client_id
