-- A bucket's usage U per (client, period, horizon), CONTRACT 3.3: aggregated per asset,
-- then added up over the bucket's assets (distinct users for unique_count), rounded to 6
-- places half away from zero. time_weighted_avg integrates each asset's level over the
-- window in exact integer arithmetic (value in 1e-10 units times microseconds).
-- Incremental like int_bound_records: only horizons with a new fingerprint are aggregated.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='fingerprint',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_stale_fingerprints(ref('int_horizon_fingerprints')) }}",
) }}

-- Not materialized: three CTEs read it, and DuckDB would otherwise copy every new bound
-- record into temporary storage first; each reads int_bound_records with its own filter.
with bound as not materialized (
    select bound_records.* from {{ ref('int_bound_records') }} as bound_records
    where
        bound_records.bucket_id is not null
    {% if incremental_on('fingerprint') -%}
        and not exists (
            select 1 from {{ this }} as usage_before
            where usage_before.fingerprint = bound_records.fingerprint
        )
    {%- endif %}
),

segments as (
    select
        *,
        greatest(
            epoch_us(least(
                coalesce(
                    lead(recorded_at) over (
                        partition by
                            client_id, period_start, horizon_at, bucket_id, asset_id,
                            unit_type
                        order by recorded_at, arrived, file_name, row_number
                    ),
                    window_end_at
                ),
                window_end_at
            )) - epoch_us(greatest(recorded_at, start_at)),
            0
        ) as held_us
    from bound
    where aggregation = 'time_weighted_avg'
),

per_asset as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        asset_id,
        case any_value(aggregation)
            when 'sum' then coalesce(sum(quantity) filter (where not is_carry_in), 0)
            when 'count' then count(*) filter (where not is_carry_in)
            when 'max' then coalesce(max(value) filter (where not is_carry_in), 0)
            when 'latest' then coalesce(
                max_by(value, (recorded_at, arrived, file_name, row_number))
                filter (where not is_carry_in),
                0
            )
        end as asset_usage
    from bound
    where aggregation in ('sum', 'count', 'max', 'latest')
    group by client_id, period_start, horizon_at, fingerprint, bucket_id, asset_id
),

simple_usage as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        {{ money('sum(asset_usage)') }} as usage
    from per_asset
    group by client_id, period_start, horizon_at, fingerprint, bucket_id
),

weighted_usage as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        {{ micros_to_decimal6(round_div(
            "sum(" ~ decimal10_to_units("value") ~ " * cast(held_us as hugeint))",
            "cast(epoch_us(any_value(window_end_at)) - epoch_us(any_value(start_at)) as hugeint)"
            ~ " * 10000"
        )) }} as usage
    from segments
    group by client_id, period_start, horizon_at, fingerprint, bucket_id
    having epoch_us(any_value(window_end_at)) > epoch_us(any_value(start_at))
),

distinct_users as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        cast(count(distinct user_id) as decimal(38, 6)) as usage
    from bound
    where aggregation = 'unique_count' and not is_carry_in
    group by all
)

select * from simple_usage
union all
select * from weighted_usage
union all
select * from distinct_users
