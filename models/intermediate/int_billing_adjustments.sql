-- Late data never rewrites a finalized bill (CONTRACT 3.5). When records of a finalized
-- period P arrive after its cutoff, P's cost is recomputed at the horizon of each later
-- invoice period A that let them in, with P's configuration; the per-bucket difference
-- from the previous computation is booked on A's invoice. The lines telescope: the bill
-- plus all adjustments equal P's cost with all its data. Only billed periods have lines:
-- late records of a period that was not billed bill nothing, and a line whose invoice period
-- A is not billed (no bucket in A, so no invoice) is booked on the invoice of the next billed
-- period after A, once there is one.
with ratings as (
    select * from {{ ref('int_bucket_ratings') }}
),

billed as (
    select
        client_id,
        period_start
    from {{ ref('int_billed_periods') }}
),

horizons as (
    select horizons.*
    from {{ ref('int_rating_horizons') }} as horizons
    inner join billed
        on horizons.client_id = billed.client_id and horizons.period_start = billed.period_start
),

buckets_ever as (
    select distinct
        client_id,
        period_start,
        bucket_id,
        unit_type,
        source_type
    from ratings
),

costs as (
    select
        horizons.client_id,
        horizons.period_start,
        horizons.invoice_period_start,
        horizons.horizon_at,
        horizons.is_bill,
        buckets_ever.bucket_id,
        buckets_ever.unit_type,
        buckets_ever.source_type,
        coalesce(ratings.final_cost, 0) as cost
    from horizons
    inner join buckets_ever
        on
            horizons.client_id = buckets_ever.client_id
            and horizons.period_start = buckets_ever.period_start
    left join ratings
        on
            horizons.client_id = ratings.client_id
            and horizons.period_start = ratings.period_start
            and horizons.horizon_at = ratings.horizon_at
            and buckets_ever.bucket_id = ratings.bucket_id
),

differences as (
    select
        *,
        cost - lag(cost) over (
            partition by client_id, period_start, bucket_id order by horizon_at
        ) as amount
    from costs
),

booked as (
    select
        differences.client_id,
        differences.bucket_id,
        differences.period_start,
        differences.unit_type,
        differences.source_type,
        differences.horizon_at,
        differences.amount,
        min(billed.period_start) as invoice_period_start
    from differences
    inner join billed
        on
            differences.client_id = billed.client_id
            and differences.invoice_period_start <= billed.period_start
    where not differences.is_bill and differences.amount <> 0
    group by all
),

lines as (
    select
        client_id,
        bucket_id,
        period_start,
        invoice_period_start,
        unit_type,
        source_type,
        sum(amount) as amount,
        max(horizon_at) as known_as_of
    from booked
    group by client_id, bucket_id, period_start, invoice_period_start, unit_type, source_type
)

select
    client_id,
    bucket_id,
    period_start as original_period_start,
    invoice_period_start,
    cast(amount as decimal(38, 2)) as amount,
    unit_type,
    source_type,
    known_as_of
from lines
where amount <> 0
