-- Every bucket of every (client, period, horizon) rated by CONTRACT 3.4: configured buckets
-- owe their commit even without usage; an auto-provisioned bucket exists only where a
-- record binds to it. Amounts keep 6 places; final_cost rounds the exact sum to the cent.
-- depends_on: {{ ref('int_configuration_errors') }}
with horizons as (
    select
        horizons.*,
        periods.timezone,
        periods.period_end,
        periods.finalized,
        periods.unit_types_version
    from {{ ref('int_rating_horizons') }} as horizons
    inner join {{ ref('int_client_periods') }} as periods
        on horizons.client_id = periods.client_id and horizons.period_start = periods.period_start
),

configured as (
    select
        horizons.*,
        buckets.bucket_id,
        buckets.bucket_name,
        buckets.source_type,
        buckets.unit_type,
        buckets.aggregation,
        buckets.commit_units,
        buckets.base_price,
        buckets.overage_price,
        buckets.is_reviewed,
        false as is_auto
    from horizons
    inner join {{ ref('int_period_buckets') }} as buckets
        on horizons.client_id = buckets.client_id and horizons.period_start = buckets.period_start
),

auto_bound as (
    select distinct
        client_id,
        period_start,
        horizon_at,
        bucket_id,
        source_type,
        unit_type
    from {{ ref('int_bound_records') }}
    where bucket_id like 'auto:%'
),

auto_provisioned as (
    select
        horizons.*,
        auto_bound.bucket_id,
        auto_bound.bucket_id as bucket_name,
        auto_bound.source_type,
        auto_bound.unit_type,
        unit_types.aggregation,
        cast(0 as decimal(24, 6)) as commit_units,
        unit_types.base_price,
        unit_types.overage_price,
        false as is_reviewed,
        true as is_auto
    from auto_bound
    inner join horizons
        on
            auto_bound.client_id = horizons.client_id
            and auto_bound.period_start = horizons.period_start
            and auto_bound.horizon_at = horizons.horizon_at
    inner join {{ ref('stg_admin__unit_types') }} as unit_types
        on
            horizons.unit_types_version = unit_types.snapshot_arrived
            and auto_bound.unit_type = unit_types.unit_type
),

buckets as (
    select * from configured
    union all
    select * from auto_provisioned
),

with_usage as (
    select
        buckets.*,
        coalesce(usage.usage, cast(0 as decimal(38, 6))) as usage
    from buckets
    left join {{ ref('int_bucket_usage') }} as usage
        on
            buckets.client_id = usage.client_id
            and buckets.period_start = usage.period_start
            and buckets.horizon_at = usage.horizon_at
            and buckets.bucket_id = usage.bucket_id
),

exact as (
    select
        *,
        {{ exact_product('commit_units', 'base_price', 6, 12) }} as committed_exact,
        greatest(usage - commit_units, 0) as overage_units_exact,
        greatest(commit_units - usage, 0) as buffer_units_exact
    from with_usage
)

select
    client_id,
    bucket_id,
    bucket_name,
    unit_type,
    source_type,
    aggregation,
    timezone,
    period_start,
    period_end,
    invoice_period_start,
    horizon_at,
    is_bill,
    is_auto,
    is_reviewed,
    usage,
    commit_units,
    base_price,
    overage_price,
    {{ money('committed_exact') }} as committed_amount,
    {{ money('overage_units_exact') }} as overage_units,
    {{ money(exact_product('overage_units_exact', 'overage_price', 6, 12)) }} as overage_amount,
    {{ money('buffer_units_exact') }} as buffer_units,
    {{ money(exact_product('buffer_units_exact', 'base_price', 6, 12)) }} as buffer_amount,
    {{ money('committed_exact + ' ~ exact_product('overage_units_exact', 'overage_price', 6, 12), 2) }} as final_cost,
    case
        when usage > commit_units then 'over'
        when usage < commit_units then 'under'
        else 'on_commit'
    end as status,
    finalized
from exact
