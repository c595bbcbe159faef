-- The usage records that no bill counts, with what is needed to aggregate them per asset
-- and to value them at their unit type's template price:
-- * unbound: records of an assigned, not disregarded asset that bind to no bucket in a
--   billed period of its client (int_bound_records with no bucket_id), at the period's
--   latest horizon, which sees every record of the period arrived by T;
-- * period_not_billed: the same for a period of the client's configuration that is not
--   billed (no bucket in it, int_billed_periods): its records make no asset unbound, but
--   they are usage nobody is billed for;
-- * unassigned: meter readings of an asset that has no client in the assets snapshot
--   rating the period (not listed, or listed without a client), not disregarded. Such
--   assets have no timezone: their periods are UTC calendar months, rated with the newest
--   snapshot arrived on or before min(end + grace, T), and every reading arrived by T counts.
-- For cumulative and gauge unit types the last reading before the period is carried in
-- (is_carry_in), as in binding. The unit type (meter kind, aggregation, base price) is
-- the one of the period's unit types snapshot.
with latest_horizons as (
    select
        client_id,
        period_start,
        max(horizon_at) as horizon_at
    from {{ ref('int_rating_horizons') }}
    group by client_id, period_start
),

client_periods as (
    select
        periods.client_id,
        periods.timezone,
        periods.period_start,
        periods.period_end,
        periods.finalized,
        periods.unit_types_version,
        latest_horizons.horizon_at
    from {{ ref('int_client_periods') }} as periods
    inner join latest_horizons
        on
            periods.client_id = latest_horizons.client_id
            and periods.period_start = latest_horizons.period_start
),

unbound as (
    select
        case
            when billed.client_id is null then 'period_not_billed'
            else 'unbound'
        end as unbilled_reason,
        bound.client_id,
        client_periods.timezone,
        bound.period_start,
        client_periods.period_end,
        bound.start_at,
        bound.window_end_at,
        client_periods.finalized,
        client_periods.unit_types_version,
        bound.asset_id,
        bound.source_type,
        bound.unit_type,
        bound.recorded_at,
        bound.value,
        bound.quantity,
        bound.user_id,
        bound.arrived,
        bound.file_name,
        bound.row_number,
        bound.is_carry_in
    from {{ ref('int_bound_records') }} as bound
    inner join client_periods
        on
            bound.client_id = client_periods.client_id
            and bound.period_start = client_periods.period_start
            and bound.horizon_at = client_periods.horizon_at
    left join {{ ref('int_billed_periods') }} as billed
        on
            bound.client_id = billed.client_id
            and bound.period_start = billed.period_start
    where bound.bucket_id is null
),

readings as (
    select
        asset_id,
        source_type,
        unit_type,
        recorded_at,
        value,
        arrived,
        file_name,
        row_number
    from {{ ref('int_usage_records') }}
    where feed = 'meter_readings' and not is_duplicate
),

month_bounds as (
    select
        date_trunc('month', {{ instant_to_local('min(recorded_at)', "'UTC'") }}) as first_month,
        date_trunc('month', {{ instant_to_local(as_of(), "'UTC'") }}) as last_month
    from readings
),

utc_months as (
    select
        {{ unnest_month_dates('first_month', 'last_month') }} as period_start
    from month_bounds
    where first_month is not null
),

utc_periods as (
    select
        period_start,
        cast(period_start + interval 1 month as date) as period_end,
        {{ local_to_instant('cast(period_start as timestamp)', "'UTC'") }} as start_at,
        {{ local_to_instant('cast(period_start + interval 1 month as timestamp)', "'UTC'") }}
            as end_at
    from utc_months
),

utc_horizons as (
    select
        *,
        least(end_at, {{ as_of() }}) as window_end_at,
        {{ period_horizon_columns() }}
    from utc_periods
),

utc_versions as (
    select
        utc_horizons.*,
        {{ rating_versions(['assets', 'unit_types', 'disregarded_assets'], 'versions') }}
    from utc_horizons
    left join {{ ref('stg_admin__versions') }} as versions
        on utc_horizons.horizon_at >= versions.snapshot_at
    group by all
),

assigned as (
    select distinct
        snapshot_arrived,
        asset_id
    from {{ ref('stg_admin__assets') }}
    where client_id is not null
),

disregarded as (
    select distinct
        snapshot_arrived,
        asset_id
    from {{ ref('stg_admin__disregarded_assets') }}
),

unit_type_kinds as (
    select distinct
        snapshot_arrived,
        unit_type,
        meter_kind
    from {{ ref('stg_admin__unit_types') }}
),

asset_unit_types as (
    select
        asset_id,
        unit_type,
        min(recorded_at) as first_recorded_at
    from readings
    group by asset_id, unit_type
),

unassigned_periods as (
    select
        utc_versions.*,
        readings.asset_id,
        readings.unit_type
    from utc_versions
    inner join asset_unit_types as readings
        on utc_versions.end_at > readings.first_recorded_at
    where
        not exists (
            select 1 from assigned
            where
                assigned.snapshot_arrived = utc_versions.assets_version
                and assigned.asset_id = readings.asset_id
        )
        and not exists (
            select 1 from disregarded
            where
                disregarded.snapshot_arrived = utc_versions.disregarded_assets_version
                and disregarded.asset_id = readings.asset_id
        )
),

unassigned_in_period as (
    select
        unassigned_periods.period_start,
        readings.*,
        false as is_carry_in
    from unassigned_periods
    inner join readings
        on
            unassigned_periods.asset_id = readings.asset_id
            and unassigned_periods.unit_type = readings.unit_type
            and unassigned_periods.start_at <= readings.recorded_at
            and unassigned_periods.end_at > readings.recorded_at
),

unassigned_carried_in as (
    select
        unassigned_periods.period_start,
        readings.asset_id,
        readings.unit_type,
        {%- for column in ['source_type', 'recorded_at', 'value', 'arrived', 'file_name', 'row_number'] %}
            max_by(
                readings.{{ column }},
                {{ sort_key(reading_order('readings')) }}
            ) as {{ column }},
        {%- endfor %}
        true as is_carry_in
    from unassigned_periods
    inner join unit_type_kinds
        on
            unassigned_periods.unit_types_version = unit_type_kinds.snapshot_arrived
            and unassigned_periods.unit_type = unit_type_kinds.unit_type
            and unit_type_kinds.meter_kind in ('cumulative', 'gauge')
    inner join readings
        on
            unassigned_periods.asset_id = readings.asset_id
            and unassigned_periods.unit_type = readings.unit_type
            and unassigned_periods.start_at > readings.recorded_at
    group by unassigned_periods.period_start, readings.asset_id, readings.unit_type
),

unassigned_rows as (
    {{ union_all_by_name(
        ['select * from unassigned_in_period', 'select * from unassigned_carried_in'],
        columns=[
            'period_start', 'asset_id', 'source_type', 'unit_type', 'recorded_at', 'value',
            'arrived', 'file_name', 'row_number', 'is_carry_in',
        ],
    ) }}
),

unassigned as (
    select
        'unassigned' as unbilled_reason,
        cast(null as {{ type_text() }}) as client_id,
        'UTC' as timezone,
        utc_versions.period_start,
        utc_versions.period_end,
        utc_versions.start_at,
        utc_versions.window_end_at,
        utc_versions.finalized,
        utc_versions.unit_types_version,
        unassigned_rows.asset_id,
        unassigned_rows.source_type,
        unassigned_rows.unit_type,
        unassigned_rows.recorded_at,
        unassigned_rows.value,
        case
            when unit_type_kinds.meter_kind = 'cumulative'
                then {{ cumulative_quantity('unassigned_rows.value', 'unassigned_rows.previous_value') }}
            else unassigned_rows.value
        end as quantity,
        cast(null as {{ type_text() }}) as user_id,
        unassigned_rows.arrived,
        unassigned_rows.file_name,
        unassigned_rows.row_number,
        unassigned_rows.is_carry_in
    from (
        select
            *,
            {{ previous_reading_value(['period_start', 'asset_id', 'unit_type']) }} as previous_value
        from unassigned_rows
    ) as unassigned_rows
    inner join utc_versions on unassigned_rows.period_start = utc_versions.period_start
    left join unit_type_kinds
        on
            utc_versions.unit_types_version = unit_type_kinds.snapshot_arrived
            and unassigned_rows.unit_type = unit_type_kinds.unit_type
),

unbilled as (
    select * from unbound
    union all
    select * from unassigned
)

select
    unbilled.*,
    unit_types.meter_kind,
    unit_types.aggregation,
    unit_types.base_price
from unbilled
left join {{ ref('stg_admin__unit_types') }} as unit_types
    on
        unbilled.unit_types_version = unit_types.snapshot_arrived
        and unbilled.unit_type = unit_types.unit_type
