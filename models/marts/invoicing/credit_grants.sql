-- Every credit grant of the newest snapshot with what finalized invoices drew from it and
-- its status as of T: expired once expires_at <= T, depleted at 0 remaining, else available.
with grants as (
    select * from {{ ref('int_credit_grants_current') }}
),

applied as (
    select
        grant_id,
        sum(cast(applied_amount as decimal(38, 6))) as applied_amount
    from {{ ref('int_credit_allocations') }}
    group by grant_id
),

balances as (
    select
        grants.grant_id,
        grants.client_id,
        grants.amount,
        cast(coalesce(applied.applied_amount, 0) as decimal(38, 6)) as applied_amount,
        grants.received_at,
        grants.expires_at
    from grants
    left join applied on grants.grant_id = applied.grant_id
)

select
    grant_id,
    client_id,
    amount,
    applied_amount,
    cast(amount - applied_amount as decimal(38, 6)) as remaining,
    received_at,
    expires_at,
    case
        when expires_at <= {{ as_of() }} then 'expired'
        when amount - applied_amount = 0 then 'depleted'
        else 'available'
    end as status,
    {{ as_of() }} as calculated_at
from balances
