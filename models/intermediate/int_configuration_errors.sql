-- Every configuration error in a snapshot that rates a billed period. The singular test
-- assert_no_configuration_errors fails on any row, which stops the billing marts.
with periods as (
    select distinct
        client_id,
        buckets_version,
        unit_types_version
    from {{ ref('int_client_periods') }}
),

unit_types as (
    select unit_types.*
    from {{ ref('stg_admin__unit_types') }} as unit_types
    where unit_types.snapshot_arrived in (select periods.unit_types_version from periods)
),

enabled_buckets as (
    select distinct
        buckets.*,
        unit_types.meter_kind,
        unit_types.unit_type is not null as has_unit_type,
        coalesce(buckets.aggregation, unit_types.aggregation) as resolved_aggregation
    from periods
    inner join {{ ref('stg_admin__buckets') }} as buckets
        on
            periods.buckets_version = buckets.snapshot_arrived
            and periods.client_id = buckets.client_id
    left join unit_types
        on
            periods.unit_types_version = unit_types.snapshot_arrived
            and buckets.unit_type = unit_types.unit_type
    where buckets.is_enabled
),

unit_type_errors as (
    select
        'unit_type' as object_type,
        unit_type as object_id,
        snapshot_arrived,
        case
            when meter_kind not in ('delta', 'cumulative', 'gauge') or meter_kind is null
                then 'invalid_meter_kind'
            when aggregation not in (
                'sum', 'count', 'max', 'latest', 'time_weighted_avg', 'unique_count'
            ) or aggregation is null then 'invalid_aggregation'
            when meter_kind in ('delta', 'cumulative') and aggregation not in ('sum', 'count')
                then 'aggregation_does_not_fit_meter_kind'
            when
                meter_kind = 'gauge'
                and aggregation not in ('max', 'latest', 'time_weighted_avg', 'count')
                then 'aggregation_does_not_fit_meter_kind'
            when auto_provision and (
                base_price is null or overage_price is null
                or base_price < 0 or overage_price < 0
            ) then 'invalid_template_price'
            -- a template price that is given must parse exactly (up to 12 places)
            when
                (base_price is null and coalesce(trim(base_price_text), '') <> '')
                or (overage_price is null and coalesce(trim(overage_price_text), '') <> '')
                then 'invalid_template_price'
        end as error_code,
        'unit type ' || unit_type || ' (snapshot arrived ' || snapshot_arrived || '): meter_kind '
        || coalesce(meter_kind, '(empty)') || ', aggregation ' || coalesce(aggregation, '(empty)')
        || ', base_price ' || {{ quoted_text('base_price_text') }}
        || ', overage_price ' || {{ quoted_text('overage_price_text') }}
        || ' (prices: plain decimals, at most 12 places, not negative)' as detail
    from unit_types
),

bucket_errors as (
    select
        'bucket' as object_type,
        bucket_id as object_id,
        snapshot_arrived,
        case
            when not has_unit_type then 'unknown_unit_type'
            when commit_units is null or commit_units < 0 then 'invalid_commit_units'
            when base_price is null or base_price < 0 then 'invalid_base_price'
            when overage_price is null or overage_price < 0 then 'invalid_overage_price'
            when resolved_aggregation not in (
                'sum', 'count', 'max', 'latest', 'time_weighted_avg', 'unique_count'
            ) then 'invalid_aggregation'
            when
                source_type = 'services'
                and resolved_aggregation not in ('sum', 'count', 'unique_count')
                then 'aggregation_does_not_fit_meter_kind'
            when source_type <> 'services' and resolved_aggregation = 'unique_count'
                then 'aggregation_does_not_fit_meter_kind'
            when
                meter_kind in ('delta', 'cumulative')
                and resolved_aggregation not in ('sum', 'count', 'unique_count')
                then 'aggregation_does_not_fit_meter_kind'
            when
                meter_kind = 'gauge'
                and resolved_aggregation not in ('max', 'latest', 'time_weighted_avg', 'count')
                then 'aggregation_does_not_fit_meter_kind'
        end as error_code,
        'bucket ' || bucket_id || ' of client ' || client_id || ' (' || source_type || ', '
        || unit_type || ', snapshot arrived ' || snapshot_arrived || '): aggregation '
        || coalesce(resolved_aggregation, '(empty)') || ', meter_kind '
        || coalesce(meter_kind, '(unknown)') || ', commit_units '
        || {{ quoted_text('commit_units_text') }} || ', base_price '
        || {{ quoted_text('base_price_text') }} || ', overage_price '
        || {{ quoted_text('overage_price_text') }}
        || ' (commit_units: at most 6 places; prices: at most 12 places; plain decimals, not'
        || ' negative)' as detail
    from enabled_buckets
),

duplicate_buckets as (
    select
        'bucket' as object_type,
        {{ string_agg_sorted('bucket_id', "', '") }} as object_id,
        snapshot_arrived,
        'duplicate_enabled_bucket' as error_code,
        'buckets ' || {{ string_agg_sorted('bucket_id', "', '") }} || ' are all enabled for client '
        || client_id || ', source type ' || source_type || ', unit type ' || unit_type
        || ' (snapshot arrived ' || snapshot_arrived || ')' as detail
    from enabled_buckets
    group by client_id, source_type, unit_type, snapshot_arrived
    having count(*) > 1
),

timezone_errors as (
    select
        'client' as object_type,
        client_id as object_id,
        cast(first_listed_at as date) as snapshot_arrived,
        'invalid_timezone' as error_code,
        'client ' || client_id || ' has timezone ' || timezone
        || ', which is not an IANA time zone name' as detail
    from {{ ref('int_client_timezones') }}
    where not is_valid_timezone
),

all_errors as (
    select * from unit_type_errors
    where error_code is not null
    union all
    select * from bucket_errors
    where error_code is not null
    union all
    select * from duplicate_buckets
    union all
    select * from timezone_errors
)

select distinct
    object_type,
    object_id,
    snapshot_arrived,
    error_code,
    error_code || ': ' || detail as message
from all_errors
