-- Every bucket with its history: one row per version of a bucket's configuration, from the
-- buckets snapshots arrived on or before T. A version is valid from the arrival of the first
-- snapshot that shows it (00:00 UTC) until the arrival of the first later snapshot that
-- changes the bucket or no longer lists it (valid_to; empty while current). Consecutive
-- snapshots that show the bucket unchanged are one version. Disabled buckets are listed like
-- the others. Auto-provisioned buckets (auto:<client>:<source type>:<unit type>) exist only
-- in billing: one row each, valid from the start of the first period a record bound to it,
-- with commit 0 and the template prices of the newest unit types snapshot.
with configured as (
    select * from {{ ref('int_bucket_versions') }}
),

current_unit_types as (
    select * from {{ ref('int_unit_types_current') }}
),

auto_buckets as (
    select
        ratings.bucket_id,
        any_value(ratings.client_id) as client_id,
        any_value(ratings.bucket_name) as bucket_name,
        any_value(ratings.source_type) as source_type,
        any_value(ratings.unit_type) as unit_type,
        any_value(ratings.aggregation) as aggregation,
        cast(0 as decimal(24, 6)) as commit_units,
        false as is_reviewed,
        true as is_enabled,
        cast(null as {{ type_instant() }}) as created_at,
        min(
            {{ local_to_instant('cast(ratings.period_start as timestamp)', 'ratings.timezone') }}
        ) as valid_from,
        cast(null as {{ type_instant() }}) as valid_to,
        true as is_auto
    from {{ ref('int_bucket_ratings') }} as ratings
    where ratings.is_auto and ratings.is_bill
    group by ratings.bucket_id
),

template_prices as (
    select
        unit_type,
        max_by(base_price, row_number) as base_price,
        max_by(overage_price, row_number) as overage_price
    from current_unit_types
    group by unit_type
),

auto_priced as (
    select
        auto_buckets.*,
        template_prices.base_price,
        template_prices.overage_price
    from auto_buckets
    left join template_prices on auto_buckets.unit_type = template_prices.unit_type
),

all_versions as (
    {{ union_all_by_name(
        ['select * from configured', 'select * from auto_priced'],
        columns=[
            'bucket_id', 'valid_from', 'valid_to', 'client_id', 'bucket_name', 'source_type',
            'unit_type', 'aggregation', 'commit_units', 'base_price', 'overage_price',
            'is_reviewed', 'is_enabled', 'is_auto', 'created_at',
        ],
    ) }}
)

select
    bucket_id,
    valid_from,
    valid_to,
    valid_to is null as is_current,
    client_id,
    bucket_name,
    source_type,
    unit_type,
    aggregation,
    commit_units,
    base_price,
    overage_price,
    is_reviewed,
    is_enabled,
    is_auto,
    created_at,
    {{ as_of() }} as calculated_at
from all_versions
