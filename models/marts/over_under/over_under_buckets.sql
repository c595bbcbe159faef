-- Every bucket's over/under position per billed period (CONTRACT 3.4): over when U > C, under
-- when U < C; overage is the money billed above the commit, buffer the money paid for
-- unused commit. pct_of_commit = 100 * U / C, 2 places, empty when C = 0.
with readings as (
    select * from {{ ref('billing_readings') }}
),

final as (
    select
        client_id,
        bucket_id,
        unit_type,
        source_type,
        period_start,
        period_end,
        usage,
        commit_units,
        status,
        overage_units,
        overage_amount,
        buffer_units,
        buffer_amount,
        committed_amount,
        final_cost,
        case
            when commit_units > 0
                then cast(
                    cast({{ round_div(
                        decimal10_to_units('usage') ~ ' * 10000',
                        decimal10_to_units('commit_units')
                    ) }} as decimal(38, 2)) * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as pct_of_commit,
        finalized,
        calculated_at
    from readings
)

select * from final
