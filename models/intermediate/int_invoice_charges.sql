-- One invoice per client and billed period (int_billed_periods): the period's charges, the
-- adjustments booked to it, and its due date (local date of the period's end plus the
-- client's net terms).
with periods as (
    select
        periods.client_id,
        periods.timezone,
        periods.period_start,
        periods.period_end,
        periods.start_at,
        periods.end_at,
        periods.finalized,
        coalesce(any_value(clients.net_terms_days), 30) as net_terms_days
    from {{ ref('int_billed_periods') }} as periods
    left join {{ ref('stg_admin__clients') }} as clients
        on
            periods.client_id = clients.client_id
            and periods.clients_version = clients.snapshot_arrived
    group by all
),

charges as (
    select
        client_id,
        period_start,
        sum(final_cost) as charges
    from {{ ref('int_bucket_ratings') }}
    where is_bill
    group by client_id, period_start
),

adjustments as (
    select
        client_id,
        invoice_period_start as period_start,
        sum(amount) as adjustments
    from {{ ref('int_billing_adjustments') }}
    group by client_id, invoice_period_start
),

invoices as (
    select
        periods.*,
        cast(coalesce(charges.charges, 0) as decimal(38, 2)) as charges,
        cast(coalesce(adjustments.adjustments, 0) as decimal(38, 2)) as adjustments,
        cast(periods.period_end + {{ days_interval('periods.net_terms_days') }} as date) as due_date
    from periods
    left join charges
        on periods.client_id = charges.client_id and periods.period_start = charges.period_start
    left join adjustments
        on
            periods.client_id = adjustments.client_id
            and periods.period_start = adjustments.period_start
)

select
    *,
    charges + adjustments as subtotal,
    {{ local_to_instant('cast(due_date + interval 1 day as timestamp)', 'timezone') }} as due_end_at
from invoices
