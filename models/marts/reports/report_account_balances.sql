-- Each client's account as of T over its finalized invoices (drafts are not yet owed):
-- invoiced (subtotals: charges and adjustments), credits applied, payments received against
-- them, and the balance outstanding = invoiced - credits - paid; with the overdue part, the
-- draft charges still to come and the credit still available.
with invoices as (
    select * from {{ ref('invoices') }}
),

clients as (
    select * from {{ ref('int_clients_current') }}
),

available_credit as (
    select
        client_id,
        sum(remaining) as available_credit
    from {{ ref('credit_grants') }}
    where status = 'available'
    group by client_id
),

accounts as (
    select
        client_id,
        coalesce(sum(subtotal) filter (where finalized), 0) as invoiced,
        coalesce(sum(credits_applied) filter (where finalized), 0) as credits,
        coalesce(sum(paid_amount) filter (where finalized), 0) as paid,
        coalesce(sum(balance) filter (where finalized), 0) as balance_outstanding,
        coalesce(sum(balance) filter (where status = 'overdue'), 0) as balance_overdue,
        count(*) filter (where status = 'overdue') as invoices_overdue,
        coalesce(sum(subtotal) filter (where not finalized), 0) as draft_charges
    from invoices
    group by client_id
),

final as (
    select
        accounts.client_id,
        clients.client_name,
        cast(accounts.invoiced as decimal(38, 6)) as invoiced,
        cast(accounts.credits as decimal(38, 6)) as credits,
        cast(accounts.paid as decimal(38, 6)) as paid,
        cast(accounts.balance_outstanding as decimal(38, 6)) as balance_outstanding,
        cast(accounts.balance_overdue as decimal(38, 6)) as balance_overdue,
        accounts.invoices_overdue,
        cast(accounts.draft_charges as decimal(38, 6)) as draft_charges,
        cast(coalesce(available_credit.available_credit, 0) as decimal(38, 6))
            as available_credit,
        {{ as_of() }} as calculated_at
    from accounts
    left join clients on accounts.client_id = clients.client_id
    left join available_credit on accounts.client_id = available_credit.client_id
)

select * from final
