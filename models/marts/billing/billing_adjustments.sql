-- Late data never rewrites a finalized bill (CONTRACT 3.5). When records of a finalized
-- period P arrive after its cutoff, P's cost is recomputed at the horizon of each later
-- invoice period A that let them in, with P's configuration; the per-bucket difference
-- from the previous computation is booked on A's invoice. The lines telescope: the bill
-- plus all adjustments equal P's cost with all its data.
with ratings as (
    select * from {{ ref('int_bucket_ratings') }}
),

horizons as (
    select * from {{ ref('int_rating_horizons') }}
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
)

select
    client_id,
    bucket_id,
    period_start as original_period_start,
    invoice_period_start,
    cast(amount as decimal(38, 2)) as amount,
    unit_type,
    source_type,
    horizon_at as known_as_of,
    {{ as_of() }} as calculated_at
from differences
where not is_bill and amount <> 0
