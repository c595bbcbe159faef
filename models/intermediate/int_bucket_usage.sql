-- A bucket's usage U per (client, period, horizon), CONTRACT 3.3: its assets' usage
-- (int_asset_usage) added up, rounded to 6 places half away from zero. time_weighted_avg
-- adds the assets' exact level integrals and divides once by the window's length;
-- unique_count is the exception the contract names: distinct users over all the bucket's
-- service events, not a sum over its assets.
-- Incremental like int_asset_usage: only horizons with a new fingerprint are aggregated.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='fingerprint',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_stale_fingerprints(ref('int_horizon_fingerprints')) }}",
) }}

with asset_usage as (
    select asset_usage.* from {{ ref('int_asset_usage') }} as asset_usage
    where
        asset_usage.bucket_id is not null
        and asset_usage.aggregation <> 'unique_count'
    {% if incremental_on('fingerprint') -%}
        and not exists (
            select 1 from {{ this }} as usage_before
            where usage_before.fingerprint = asset_usage.fingerprint
        )
    {%- endif %}
),

simple_usage as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        {{ money('sum(usage)') }} as usage
    from asset_usage
    where aggregation <> 'time_weighted_avg'
    group by client_id, period_start, horizon_at, fingerprint, bucket_id
),

weighted_usage as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        {{ time_weighted_usage('sum(level_units_us)', 'any_value(window_us)') }} as usage
    from asset_usage
    where aggregation = 'time_weighted_avg'
    group by client_id, period_start, horizon_at, fingerprint, bucket_id
    having any_value(window_us) > 0
),

distinct_users as (
    select
        client_id,
        period_start,
        horizon_at,
        fingerprint,
        bucket_id,
        cast(count(distinct user_id) as decimal(38, 6)) as usage
    from {{ ref('int_bound_records') }} as bound_records
    where
        bucket_id is not null
        and aggregation = 'unique_count'
        and not is_carry_in
    {% if incremental_on('fingerprint') -%}
        and not exists (
            select 1 from {{ this }} as usage_before
            where usage_before.fingerprint = bound_records.fingerprint
        )
    {%- endif %}
    group by all
)

select * from simple_usage
union all
select * from weighted_usage
union all
select * from distinct_users
