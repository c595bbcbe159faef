-- Each asset's usage per unit type and day over the 30 days before T: every record (meter
-- reading or service event, duplicates counted once) with a timestamp in [T - 30 days, T].
-- The day is the local date in the timezone of the asset's client (marts.assets; UTC when
-- unassigned). quantity is what was consumed (delta: the values; cumulative: the increase
-- over the previous reading, or the value after a reset, the first reading ever being the
-- baseline 0); gauges are levels, not consumption: their quantity is empty and max_value
-- and last_value give the day's highest and last level. The meter kind is the unit type's
-- in the newest unit types snapshot (services: delta).
{%- set record_columns = [
    'asset_id', 'source_type', 'unit_type', 'recorded_at', 'value', 'arrived', 'file_name',
    'row_number', 'meter_kind',
] %}
with unit_kinds as (
    select
        unit_type,
        meter_kind
    from {{ ref('unit_types') }}
),

records as {{ not_materialized() }} (
    select
        records.asset_id,
        records.source_type,
        records.unit_type,
        records.recorded_at,
        records.value,
        records.arrived,
        records.file_name,
        records.row_number,
        case
            when records.feed = 'service_events' then 'delta'
            else unit_kinds.meter_kind
        end as meter_kind
    from {{ ref('int_usage_records') }} as records
    left join unit_kinds on records.unit_type = unit_kinds.unit_type
    where not records.is_duplicate and records.recorded_at <= {{ as_of() }}
),

window_records as (
    select * from records
    where recorded_at >= {{ as_of() }} - interval 30 days
),

-- A cumulative meter's last reading before the window: the previous value of its first
-- reading in the window (only the window's readings are sorted, not the whole history).
carried_in as (
    select
        asset_id,
        unit_type,
        max_by(value, {{ sort_key(reading_order()) }}) as value,
        max(recorded_at) as recorded_at,
        true as is_carry_in
    from records
    where meter_kind = 'cumulative' and recorded_at < {{ as_of() }} - interval 30 days
    group by asset_id, unit_type
),

cumulative as (
    select
        *,
        {{ previous_reading_value(['asset_id', 'unit_type']) }} as previous_value
    from (
        {{ union_all_by_name(
            [
                "select *, false as is_carry_in from window_records"
                ~ " where meter_kind = 'cumulative'",
                'select * from carried_in',
            ],
            columns=record_columns + ['is_carry_in'],
            missing=[[], ['source_type', 'arrived', 'file_name', 'row_number', 'meter_kind']],
        ) }}
    ) as chained
),

in_window as (
    {{ union_all_by_name(
        [
            'select ' ~ star_exclude(['previous_value', 'is_carry_in']) ~ ', '
            ~ cumulative_quantity() ~ ' as quantity from cumulative where not is_carry_in',
            "select *, case when coalesce(meter_kind, '') <> 'gauge' then value end as quantity"
            ~ " from window_records where coalesce(meter_kind, '') <> 'cumulative'",
        ],
        columns=record_columns + ['quantity'],
    ) }}
),

assets as (
    select
        assets.asset_id,
        assets.client_id,
        coalesce(timezones.timezone, 'UTC') as timezone
    from {{ ref('assets') }} as assets
    left join {{ ref('int_client_timezones') }} as timezones
        on assets.client_id = timezones.client_id
)

select
    in_window.asset_id,
    assets.client_id,
    in_window.unit_type,
    any_value(in_window.source_type) as source_type,
    any_value(in_window.meter_kind) as meter_kind,
    cast(
        {{ instant_to_local('in_window.recorded_at', "coalesce(assets.timezone, 'UTC')") }} as date
    ) as usage_date,
    count(*) as records,
    {{ money('sum(in_window.quantity)') }} as quantity,
    {{ money('max(in_window.value)') }} as max_value,
    {{ money(
        'max_by(in_window.value, ' ~ sort_key(reading_order('in_window')) ~ ')'
    ) }} as last_value,
    {{ as_of() }} as calculated_at
from in_window
left join assets on in_window.asset_id = assets.asset_id
group by in_window.asset_id, assets.client_id, in_window.unit_type, usage_date
