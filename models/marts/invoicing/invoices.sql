-- One invoice per client and billed period (CONTRACT 3.6) with its status as of T: draft
-- for an open period, else paid when the balance is settled, overdue once T is past the
-- end of the due date in the client's timezone, else pending.
with invoices as (
    select * from {{ ref('int_invoice_charges') }}
),

credits as (
    select
        client_id,
        cast(period_start as date) as period_start,
        sum(cast(applied_amount as decimal(38, 6))) as credits_applied
    from {{ ref('int_credit_allocations') }}
    group by all
),

current_payments as (
    select * from {{ ref('int_payments_current') }}
),

payments as (
    select
        client_id,
        period_month,
        sum(amount) as paid_amount
    from current_payments
    group by all
),

amounts as (
    select
        invoices.*,
        coalesce(credits.credits_applied, 0) as credits_applied,
        coalesce(payments.paid_amount, 0) as paid_amount
    from invoices
    left join credits
        on invoices.client_id = credits.client_id and invoices.period_start = credits.period_start
    left join payments
        on
            invoices.client_id = payments.client_id
            and invoices.period_start = payments.period_month
)

select
    client_id,
    period_start,
    period_end,
    due_date,
    charges,
    adjustments,
    subtotal,
    cast(credits_applied as decimal(38, 6)) as credits_applied,
    cast(subtotal - credits_applied as decimal(38, 6)) as amount_due,
    cast(paid_amount as decimal(38, 6)) as paid_amount,
    cast(subtotal - credits_applied - paid_amount as decimal(38, 6)) as balance,
    case
        when not finalized then 'draft'
        when subtotal - credits_applied - paid_amount <= 0 then 'paid'
        when {{ as_of() }} >= due_end_at then 'overdue'
        else 'pending'
    end as status,
    finalized,
    timezone,
    {{ as_of() }} as calculated_at
from amounts
