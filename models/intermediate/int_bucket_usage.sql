-- A bucket's usage U per (client, period, horizon), CONTRACT 3.3: its assets' usage
-- (int_asset_usage) added up by macro bucket_usage, rounded to 6 places half away from
-- zero; time_weighted_avg adds the assets' exact level integrals and divides once by the
-- window's length; unique_count is the exception the contract names: distinct users over
-- all the bucket's service events, not a sum over its assets.
-- Incremental like int_asset_usage: only horizons with a new fingerprint are aggregated.
{{ config(
    materialized=incremental_materialization(),
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
        and {{ fingerprint_not_built('asset_usage') }}
),

-- unique_count reads the bucket's records: distinct users do not add up over assets.
unique_count_records as (
    select bound_records.* from {{ ref('int_bound_records') }} as bound_records
    where
        bound_records.bucket_id is not null
        and bound_records.aggregation = 'unique_count'
        and {{ fingerprint_not_built('bound_records') }}
),

bucket_usage as (
    {{ bucket_usage(
        'asset_usage',
        'unique_count_records',
        ['client_id', 'period_start', 'horizon_at', 'fingerprint', 'bucket_id'],
    ) }}
)

select * from bucket_usage
