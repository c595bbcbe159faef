-- The knowledge horizons at which each period's cost is computed. The bill of P counts
-- records arrived on or before min(cutoff(P), T). For a finalized P, each later period A
-- whose horizon min(cutoff(A), T) let in records with a timestamp before end(P) recomputes
-- P's cost at that horizon; the difference is booked on A's invoice (CONTRACT 3.5).
with periods as (
    select * from {{ ref('int_client_periods') }}
),

pairs as (
    select
        original.client_id,
        original.period_start,
        original.end_at,
        original.finalized,
        invoice.period_start as invoice_period_start,
        invoice.horizon_at,
        lag(invoice.horizon_at) over (
            partition by original.client_id, original.period_start
            order by invoice.period_start
        ) as previous_horizon_at
    from periods as original
    inner join periods as invoice
        on
            original.client_id = invoice.client_id
            and original.period_start <= invoice.period_start
            and (original.finalized or original.period_start = invoice.period_start)
),

late_arrivals as (
    select
        arrived_at,
        min(recorded_at) as earliest_recorded_at
    from {{ ref('int_usage_records') }}
    where not is_duplicate
    group by arrived_at
)

select
    pairs.client_id,
    pairs.period_start,
    pairs.invoice_period_start,
    pairs.horizon_at,
    pairs.invoice_period_start = pairs.period_start as is_bill,
    case
        when pairs.finalized then pairs.end_at
        else least(pairs.end_at, {{ as_of() }})
    end as window_end_at
from pairs
where
    pairs.invoice_period_start = pairs.period_start
    or exists (
        select 1
        from late_arrivals
        where
            late_arrivals.arrived_at > pairs.previous_horizon_at
            and late_arrivals.arrived_at <= pairs.horizon_at
            and late_arrivals.earliest_recorded_at < pairs.end_at
    )
