-- The periods a client is billed for: a period of int_client_periods with at least one
-- bucket in it at its bill horizon min(cutoff, T). A configured bucket is in the period when
-- it is enabled in the period's configuration and created before the period's end; an
-- auto-provisioned bucket when a record of the period binds to it. Only these periods get an
-- invoice, billing and over/under rows, and only their records make an asset unbound.
with bills as (
    select distinct
        client_id,
        period_start
    from {{ ref('int_bucket_ratings') }}
    where is_bill
)

select periods.*
from {{ ref('int_client_periods') }} as periods
inner join bills
    on periods.client_id = bills.client_id and periods.period_start = bills.period_start
