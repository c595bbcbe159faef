-- Credit grants of the newest credit_grants snapshot arrived on or before T.
select grants.*
from {{ ref('stg_admin__credit_grants') }} as grants
inner join {{ ref('stg_admin__versions') }} as versions
    on
        versions.table_name = 'credit_grants'
        and versions.is_latest
        and grants.snapshot_arrived = versions.snapshot_arrived
