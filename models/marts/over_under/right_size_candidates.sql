-- Clients paying for capacity they do not use. Rule: in the client's latest finalized
-- period, every bucket with buffer_amount > 0 (U below a commit that costs money). One row
-- per such bucket with the client's totals; client_rank orders clients by their total
-- buffer money (largest first, ties by client_id), bucket_rank the rows by buffer money.
-- pct_unused = 100 * buffer_units / commit_units, 2 places.
with finalized as (
    select * from {{ ref('billing_readings') }}
    where finalized
),

latest_periods as (
    select
        client_id,
        max(period_start) as period_start
    from finalized
    group by client_id
),

unused as (
    select finalized.*
    from finalized
    inner join latest_periods
        on
            finalized.client_id = latest_periods.client_id
            and finalized.period_start = latest_periods.period_start
    where finalized.buffer_amount > 0
),

client_totals as (
    select
        client_id,
        sum(committed_amount) as client_committed_amount,
        sum(buffer_amount) as client_buffer_amount,
        {{ string_agg_distinct_sorted('unit_type', "', '") }} as client_unit_types
    from unused
    group by client_id
),

final as (
    select
        unused.client_id,
        unused.period_start,
        unused.bucket_id,
        unused.unit_type,
        unused.commit_units,
        unused.usage,
        unused.committed_amount,
        unused.buffer_units,
        unused.buffer_amount,
        cast(
            cast({{ round_div(
                decimal10_to_units('unused.buffer_units') ~ ' * 10000',
                decimal10_to_units('unused.commit_units')
            ) }} as decimal(38, 2)) * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as pct_unused,
        client_totals.client_unit_types,
        client_totals.client_committed_amount,
        client_totals.client_buffer_amount,
        dense_rank() over (
            order by client_totals.client_buffer_amount desc, unused.client_id asc
        ) as client_rank,
        row_number() over (
            order by unused.buffer_amount desc, unused.client_id asc, unused.bucket_id asc
        ) as bucket_rank,
        {{ as_of() }} as calculated_at
    from unused
    inner join client_totals on unused.client_id = client_totals.client_id
)

select * from final
