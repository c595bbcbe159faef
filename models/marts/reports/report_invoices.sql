-- Every invoice with its client's name (newest clients snapshot) and status as of T, and the
-- days it is overdue: the number of days from its due date to T's local date in the client's
-- timezone when the invoice is overdue, else 0.
with invoices as (
    select * from {{ ref('invoices') }}
),

clients as (
    select * from {{ ref('int_clients_current') }}
),

final as (
    select
        invoices.client_id,
        clients.client_name,
        invoices.period_start,
        invoices.period_end,
        invoices.due_date,
        invoices.charges,
        invoices.adjustments,
        invoices.subtotal,
        invoices.credits_applied,
        invoices.amount_due,
        invoices.paid_amount,
        invoices.balance,
        invoices.status,
        case
            when invoices.status = 'overdue'
                then {{ date_diff_days(
                    'invoices.due_date',
                    'cast(' ~ instant_to_local(as_of(), 'invoices.timezone') ~ ' as date)'
                ) }}
            else 0
        end as days_overdue,
        invoices.finalized,
        {{ as_of() }} as calculated_at
    from invoices
    left join clients on invoices.client_id = clients.client_id
)

select * from final
