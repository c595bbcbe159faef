-- Each asset's usage per (client, period, horizon, bucket, unit type), CONTRACT 3.3
-- aggregated per asset (macro aggregate_asset_usage): the records of every horizon, bound
-- to a bucket or not (bucket_id empty: the asset is unbound). The one place usage is
-- aggregated per asset; the bucket's usage (int_bucket_usage), the reports and the
-- unbilled usage read it. Incremental like int_bound_records: only horizons with a new
-- fingerprint are aggregated.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='fingerprint',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_stale_fingerprints(ref('int_horizon_fingerprints')) }}",
) }}

-- Not materialized: both halves of the aggregation read it with their own filter, and
-- DuckDB would otherwise copy every new bound record into temporary storage first.
with bound as {{ not_materialized() }} (
    select bound_records.* from {{ ref('int_bound_records') }} as bound_records
    where {{ fingerprint_not_built('bound_records') }}
),

per_asset as (
    {{ aggregate_asset_usage(
        'bound',
        ['client_id', 'period_start', 'horizon_at', 'bucket_id', 'asset_id', 'unit_type'],
        measures=[
            'any_value(fingerprint) as fingerprint',
            'bool_and(is_bill) as is_bill',
            'any_value(source_type) as source_type',
        ],
    ) }}
)

select
    client_id,
    period_start,
    horizon_at,
    fingerprint,
    is_bill,
    bucket_id,
    asset_id,
    unit_type,
    source_type,
    aggregation,
    records,
    usage,
    level_units_us,
    window_us
from per_asset
