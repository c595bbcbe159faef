-- Credit grants drawn down over finalized invoices (CONTRACT 3.6).
-- Invoices are paid in period order; a grant can pay invoice P when received_at < end(P) and
-- expires_at > end(P); grants are drawn in order of expires_at, received_at, grant_id, each as
-- far as its remaining balance and the amount still due allow. Draft invoices take no credit;
-- a negative amount due or grant amount counts as 0; a grant listed twice counts once (its
-- first listing in order of client_id, expires_at, received_at).
-- Computed grant by grant (each only sees what the grants before it left due): grant n pays
-- its eligible invoices in period order, so what it pays invoice P is what remains of it
-- after its earlier eligible invoices, up to what is still due on P. The amounts leave as
-- exact decimal text (cast back to DECIMAL downstream): at the scale of the grant (6), or of
-- the invoice (2) when the grant pays all of an invoice nothing else paid.
with recursive invoices as (
    select
        client_id,
        period_start,
        end_at,
        cast(case when subtotal > 0 then subtotal else 0 end as decimal(38, 6)) as due
    from {{ ref('int_invoice_charges') }}
    where finalized
),

listings as (
    select
        grant_id,
        client_id,
        amount,
        received_at,
        expires_at,
        row_number() over (
            partition by grant_id
            order by client_id asc, expires_at asc, received_at asc
        ) as listing
    from {{ ref('int_credit_grants_current') }}
    where amount is not null and received_at is not null and expires_at is not null
),

grants as (
    select
        grant_id,
        client_id,
        cast(case when amount > 0 then amount else 0 end as decimal(38, 6)) as amount,
        received_at,
        expires_at,
        row_number() over (
            partition by client_id
            order by expires_at asc, received_at asc, grant_id asc
        ) as grant_rank
    from listings
    where listing = 1
),

-- one row per finalized invoice of a client with grants and grant drawn so far (grant_rank):
-- due_left is what grants 1..grant_rank left due; applied what grant grant_rank paid
drawdown as (
    select
        client_id,
        period_start,
        end_at,
        due,
        due as due_left,
        cast(0 as bigint) as grant_rank,
        cast(null as {{ dbt.type_string() }}) as grant_id,
        cast(0 as decimal(38, 6)) as applied,
        false as whole_invoice
    from invoices
    where client_id in (select grants.client_id from grants)

    union all

    select
        client_id,
        period_start,
        end_at,
        due,
        cast(due_left - applied as decimal(38, 6)) as due_left,
        grant_rank,
        grant_id,
        applied,
        applied = due and due < grant_left as whole_invoice
    from (
        select
            client_id,
            period_start,
            end_at,
            due,
            due_left,
            grant_rank,
            grant_id,
            grant_left,
            cast(
                case
                    when not eligible then 0
                    when due_left < grant_left then due_left
                    else grant_left
                end as decimal(38, 6)
            ) as applied
        from (
            select
                client_id,
                period_start,
                end_at,
                due,
                due_left,
                grant_rank,
                grant_id,
                eligible,
                cast(
                    case
                        when amount > paid_before then amount - paid_before
                        else 0
                    end as decimal(38, 6)
                ) as grant_left
            from (
                select
                    drawdown.client_id,
                    drawdown.period_start,
                    drawdown.end_at,
                    drawdown.due,
                    drawdown.due_left,
                    grants.grant_rank,
                    grants.grant_id,
                    grants.amount,
                    grants.received_at < drawdown.end_at
                    and drawdown.end_at < grants.expires_at as eligible,
                    -- what the grant paid the invoices before (all it could, up to its amount)
                    coalesce(sum(
                        case
                            when
                                grants.received_at < drawdown.end_at
                                and drawdown.end_at < grants.expires_at
                                then drawdown.due_left
                            else 0
                        end
                    ) over (
                        partition by drawdown.client_id
                        order by drawdown.period_start asc
                        rows between unbounded preceding and 1 preceding
                    ), 0) as paid_before
                from drawdown
                inner join grants
                    on
                        drawdown.client_id = grants.client_id
                        and grants.grant_rank = drawdown.grant_rank + 1
            ) as eligibility
        ) as balances
    ) as draws
)

select
    grant_id,
    client_id,
    period_start,
    case
        when whole_invoice then cast(cast(applied as decimal(38, 2)) as {{ dbt.type_string() }})
        else cast(applied as {{ dbt.type_string() }})
    end as applied_amount
from drawdown
where grant_rank > 0 and applied > 0
