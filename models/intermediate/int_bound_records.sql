-- Usage records bound to the buckets of each (client, period, horizon). Meter readings
-- belong to the client their asset is assigned to in the period's assets snapshot; service
-- events to their own client. Disregarded assets are left out. For cumulative and gauge
-- unit types the last reading before the period (known at the horizon) is carried in.
-- bucket_id is null for a record that binds to no bucket (its asset is unbound).
-- Incremental: a run binds only the horizons whose fingerprint (int_horizon_fingerprints) is
-- not in the table yet, and deletes the rows of fingerprints no longer current, so the table
-- always equals a full rebuild; a finalized period is bound once.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='fingerprint',
    on_schema_change='sync_all_columns',
    post_hook="{{ delete_stale_fingerprints(ref('int_horizon_fingerprints')) }}",
) }}

{#- The columns of a carried-in reading: those of the last reading before the period. -#}
{%- set carried_columns = [
    'source_type', 'recorded_at', 'value', 'arrived', 'arrived_at', 'file_name', 'row_number',
] %}

{#- The record columns a bound row keeps (readings and events alike). -#}
{%- set record_columns = [
    'asset_id', 'source_type', 'unit_type', 'recorded_at', 'value', 'user_id', 'file_name',
    'arrived', 'row_number', 'arrived_at',
] %}

{#- The columns of a row before binding, and of a bound row (in their order). -#}
{%- set row_columns = ['client_id', 'period_start', 'horizon_at'] + record_columns + ['is_carry_in'] %}
{%- set bound_columns = row_columns + [
    'window_end_at', 'start_at', 'is_bill', 'fingerprint', 'rated_invocation_id', 'bucket_id',
    'meter_kind', 'aggregation',
] %}

with horizons as (
    select
        horizons.*,
        periods.start_at,
        periods.end_at,
        periods.assets_version,
        periods.unit_types_version,
        periods.disregarded_assets_version,
        fingerprints.fingerprint
    from {{ ref('int_rating_horizons') }} as horizons
    inner join {{ ref('int_client_periods') }} as periods
        on horizons.client_id = periods.client_id and horizons.period_start = periods.period_start
    inner join {{ ref('int_horizon_fingerprints') }} as fingerprints
        on
            horizons.client_id = fingerprints.client_id
            and horizons.period_start = fingerprints.period_start
            and horizons.horizon_at = fingerprints.horizon_at
    where {{ fingerprint_not_built('fingerprints') }}
),

disregarded as (
    select
        snapshot_arrived,
        asset_id
    from {{ ref('stg_admin__disregarded_assets') }}
),

period_assets as (
    select distinct
        periods.client_id,
        periods.period_start,
        assets.asset_id
    from {{ ref('int_client_periods') }} as periods
    inner join {{ ref('stg_admin__assets') }} as assets
        on
            periods.assets_version = assets.snapshot_arrived
            and periods.client_id = assets.client_id
    where not exists (
        select 1 from disregarded
        where
            disregarded.snapshot_arrived = periods.disregarded_assets_version
            and disregarded.asset_id = assets.asset_id
    )
),

-- Only the columns that binding and the models downstream read: every record is repeated
-- once per horizon that sees it, so each column costs its width that many times over. Not
-- materialized: DuckDB would otherwise copy every usage record into temporary storage
-- (tens of GB at 100 million readings) because three CTEs read it; each reads the table.
records as {{ not_materialized() }} (
    select
        feed,
        asset_id,
        event_client_id,
        source_type,
        unit_type,
        recorded_at,
        value,
        user_id,
        file_name,
        arrived,
        row_number,
        arrived_at
    from {{ ref('int_usage_records') }}
    where not is_duplicate
),

period_unit_types as (
    select
        snapshot_arrived,
        unit_type,
        meter_kind,
        aggregation,
        auto_provision,
        filter_pattern
    from {{ ref('stg_admin__unit_types') }}
),

-- Unit types that are cumulative in some unit types snapshot or bucket: a bound row is
-- cumulative only if its unit type is one of these.
cumulative_unit_types as (
    select unit_type from {{ ref('stg_admin__unit_types') }}
    where meter_kind = 'cumulative'
    union
    select unit_type from {{ ref('int_period_buckets') }}
    where meter_kind = 'cumulative'
),

cumulative_records as {{ not_materialized() }} (
    select * from records
    where unit_type in (select cumulative_unit_types.unit_type from cumulative_unit_types)
),

{#- Binding, written once and generated twice: over every record (the rows of every
    meter kind but cumulative are kept from it), and over the records of unit types that
    are cumulative somewhere (their rows are kept from it and chained by the window below).
    One binding read by both would make DuckDB copy every bound row into temporary storage
    (over 40 GB at 100 million readings); this way each binding streams to its reader. #}
{%- for part, source in [('all', 'records'), ('cumulative', 'cumulative_records')] %}

    readings_in_period_{{ part }} as (
        select
            horizons.client_id,
            horizons.period_start,
            horizons.horizon_at,
            {%- for column in record_columns %}
                records.{{ column }},
            {%- endfor %}
            false as is_carry_in
        from horizons
        inner join period_assets
            on
                horizons.client_id = period_assets.client_id
                and horizons.period_start = period_assets.period_start
        inner join {{ source }} as records
            on
                period_assets.asset_id = records.asset_id
                and records.feed = 'meter_readings'
                and horizons.start_at <= records.recorded_at
                and horizons.end_at > records.recorded_at
                and horizons.horizon_at >= records.arrived_at
    ),

    events_in_period_{{ part }} as (
        select
            horizons.client_id,
            horizons.period_start,
            horizons.horizon_at,
            {%- for column in record_columns %}
                records.{{ column }},
            {%- endfor %}
            false as is_carry_in
        from horizons
        inner join {{ source }} as records
            on
                horizons.client_id = records.event_client_id
                and records.feed = 'service_events'
                and horizons.start_at <= records.recorded_at
                and horizons.end_at > records.recorded_at
                and horizons.horizon_at >= records.arrived_at
        where not exists (
            select 1 from disregarded
            where
                disregarded.snapshot_arrived = horizons.disregarded_assets_version
                and disregarded.asset_id = records.asset_id
        )
    ),

    carried_in_{{ part }} as (
        select
            horizons.client_id,
            horizons.period_start,
            horizons.horizon_at,
            {%- for column in carried_columns %}
                max_by(
                    records.{{ column }},
                    {{ sort_key(reading_order('records')) }}
                ) as {{ column }},
            {%- endfor %}
            records.asset_id,
            records.unit_type
        from horizons
        inner join period_assets
            on
                horizons.client_id = period_assets.client_id
                and horizons.period_start = period_assets.period_start
        inner join {{ source }} as records
            on
                period_assets.asset_id = records.asset_id
                and records.feed = 'meter_readings'
                and horizons.start_at > records.recorded_at
                and horizons.horizon_at >= records.arrived_at
        inner join period_unit_types
            on
                horizons.unit_types_version = period_unit_types.snapshot_arrived
                and records.unit_type = period_unit_types.unit_type
                and period_unit_types.meter_kind in ('cumulative', 'gauge')
        group by all
    ),

    carry_in_rows_{{ part }} as (
        select
            client_id,
            period_start,
            horizon_at,
            asset_id,
            unit_type,
            source_type,
            recorded_at,
            value,
            arrived,
            arrived_at,
            file_name,
            row_number,
            true as is_carry_in
        from carried_in_{{ part }}
    ),

    all_rows_{{ part }} as (
        {{ union_all_by_name(
            [
                'select * from readings_in_period_' ~ part,
                'select * from events_in_period_' ~ part,
                'select * from carry_in_rows_' ~ part,
            ],
            row_columns,
            missing=[[], [], ['user_id']],
        ) }}
    ),

    bound_{{ part }} as (
        select
            all_rows.*,
            horizons.window_end_at,
            horizons.start_at,
            horizons.is_bill,
            horizons.fingerprint,
            '{{ invocation_id }}' as rated_invocation_id,
            coalesce(buckets.bucket_id, case
                when
                    unit_types.auto_provision
                    and {{ glob_match('all_rows.asset_id', "coalesce(nullif(unit_types.filter_pattern, ''), '*')") }}
                    then
                        'auto:' || all_rows.client_id || ':' || all_rows.source_type || ':'
                        || all_rows.unit_type
            end) as bucket_id,
            coalesce(buckets.meter_kind, unit_types.meter_kind) as meter_kind,
            coalesce(buckets.aggregation, unit_types.aggregation) as aggregation
        from all_rows_{{ part }} as all_rows
        inner join horizons
            on
                all_rows.client_id = horizons.client_id
                and all_rows.period_start = horizons.period_start
                and all_rows.horizon_at = horizons.horizon_at
        left join {{ ref('int_period_buckets') }} as buckets
            on
                all_rows.client_id = buckets.client_id
                and all_rows.period_start = buckets.period_start
                and all_rows.source_type = buckets.source_type
                and all_rows.unit_type = buckets.unit_type
        left join period_unit_types as unit_types
            on
                horizons.unit_types_version = unit_types.snapshot_arrived
                and all_rows.unit_type = unit_types.unit_type
    ){{ ',' if not loop.last }}
{%- endfor %},

-- Only cumulative meters need the previous reading: the window sorts those rows alone.
cumulative as (
    select
        *,
        {{ previous_reading_value(
            ['client_id', 'period_start', 'horizon_at', 'asset_id', 'unit_type']
        ) }} as previous_value
    from bound_cumulative
    where meter_kind = 'cumulative'
),

chained as (
    {{ union_all_by_name(
        [
            'select * from cumulative',
            "select
        *,
        cast(null as decimal(38, 10)) as previous_value
    from bound_all
    where meter_kind is distinct from 'cumulative'",
        ],
        bound_columns + ['previous_value'],
    ) }}
)

select
    {{ star_exclude(['previous_value']) }},
    case
        when meter_kind = 'cumulative' then {{ cumulative_quantity() }}
        else value
    end as quantity
from chained
