{#-
    A usage record set aggregated as CONTRACT 3.3 says, written once. The records read by
    these macros have the columns of int_bound_records: aggregation, quantity, value,
    user_id, is_carry_in, recorded_at, arrived, file_name, row_number, start_at and
    window_end_at (the end of the window the level is integrated over).
-#}

{#- The usage of the records of one group (an asset, or an asset on a day) for every
    aggregation but time_weighted_avg: only records inside the period count (a carried-in
    reading is the level before the period, not usage). Exact, as DECIMAL(38, 10).
    `aggregations`: the ones the group can have (a distinct count costs a pass of its own
    over every row of a large group-by, so leave unique_count out where it cannot occur). -#}
{% macro usage_of_records(
    aggregation='any_value(aggregation)',
    aggregations=('sum', 'count', 'max', 'latest', 'unique_count')
) -%}
    cast(case {{ aggregation }}
        {%- if 'sum' in aggregations %}
        when 'sum' then coalesce(sum(quantity) filter (where not is_carry_in), 0)
        {%- endif %}
        {%- if 'count' in aggregations %}
        when 'count' then count(*) filter (where not is_carry_in)
        {%- endif %}
        {%- if 'max' in aggregations %}
        when 'max' then coalesce(max(value) filter (where not is_carry_in), 0)
        {%- endif %}
        {%- if 'latest' in aggregations %}
        when 'latest'
            then coalesce(
                max_by(value, {{ sort_key(reading_order()) }})
                filter (where not is_carry_in),
                0
            )
        {%- endif %}
        {%- if 'unique_count' in aggregations %}
        when 'unique_count' then count(distinct user_id) filter (where not is_carry_in)
        {%- endif %}
    end as decimal(38, 10))
{%- endmacro %}

{#- Microseconds a gauge reading's level holds inside the window: from the reading (or the
    window's start, for a level carried in) to the next reading of the same asset and unit
    type, or to the window's end. `partition_by`: the columns of one asset's series. -#}
{% macro held_us(partition_by) -%}
    {%- set held_until -%}
        least(
            coalesce(
                lead(recorded_at) over (
                    partition by {{ partition_by | join(', ') }}
                    order by {{ reading_order() | join(', ') }}
                ),
                window_end_at
            ),
            window_end_at
        )
    {%- endset -%}
    greatest(
        {{ epoch_us(held_until) }} - {{ epoch_us('greatest(recorded_at, start_at)') }},
        0
    )
{%- endmacro %}

{#- The integral of the level over the window, exactly: HUGEINT units of 1e-10 times
    microseconds, summed over the rows of a group that carry held_us. -#}
{% macro level_units_us() -%}
    sum({{ decimal10_to_units('value') }} * cast(held_us as {{ type_int128() }}))
{%- endmacro %}

{#- time_weighted_avg: the integral of the level divided by the window's length, rounded
    half away from zero to 6 places (null for an empty window). -#}
{% macro time_weighted_usage(level_units_us, window_us) -%}
    case
        when {{ window_us }} > 0
            then {{ micros_to_decimal6(round_div(
                level_units_us,
                "cast(" ~ window_us ~ " as " ~ type_int128() ~ ") * 10000"
            )) }}
    end
{%- endmacro %}

{#- One row per group of `keys` (the keys must name one asset's series: asset_id and
    unit_type with what partitions them) with the group's aggregation, its records inside
    the period, its usage (time_weighted_avg rounded to 6 places), and for
    time_weighted_avg the exact level integral and the window's length, so that a bucket
    can add the integrals of its assets before it divides. `measures`: more aggregate
    expressions ("expr as name") to carry. `records`: a relation or CTE name. -#}
{% macro aggregate_asset_usage(records, keys, measures=[]) -%}
    {%- for part in ['simple', 'unique_count'] %}
    select
        {% for key in keys %}{{ key }},
        {% endfor -%}
        any_value(aggregation) as aggregation,
        count(*) filter (where not is_carry_in) as records,
        {% if part == 'simple' -%}
            {{ usage_of_records(aggregations=('sum', 'count', 'max', 'latest')) }} as usage,
        {%- else -%}
            {{ usage_of_records(aggregations=('unique_count',)) }} as usage,
        {%- endif %}
        cast(null as {{ type_int128() }}) as level_units_us,
        cast(null as bigint) as window_us
        {%- for measure in measures %},
        {{ measure }}
        {%- endfor %}
    from {{ records }}
    {% if part == 'simple' -%}
        where aggregation not in ('time_weighted_avg', 'unique_count')
    {%- else -%}
        where aggregation = 'unique_count'
    {%- endif %}
    group by {{ keys | join(', ') }}
    union all
    {%- endfor %}
    select
        {% for key in keys %}{{ key }},
        {% endfor -%}
        'time_weighted_avg' as aggregation,
        count(*) filter (where not is_carry_in) as records,
        cast({{ time_weighted_usage(level_units_us(), 'any_value(window_us)') }}
            as decimal(38, 10)) as usage,
        {{ level_units_us() }} as level_units_us,
        any_value(window_us) as window_us
        {%- for measure in measures %},
        {{ measure }}
        {%- endfor %}
    from (
        select
            *,
            {{ held_us(keys) }} as held_us,
            {{ epoch_us('window_end_at') }} - {{ epoch_us('start_at') }} as window_us
        from {{ records }}
        where aggregation = 'time_weighted_avg'
    )
    group by {{ keys | join(', ') }}
{%- endmacro %}

{#- A bucket's usage U from its assets' (rows of aggregate_asset_usage), one row per group
    of `keys` (the bucket's): the assets added up and rounded to 6 places; for
    time_weighted_avg their exact level integrals added, then divided once by the window's
    length (no row for an empty window); for unique_count, the exception, distinct users
    over all the bucket's `records` inside the period. -#}
{% macro bucket_usage(asset_usage, records, keys) -%}
    select
        {% for key in keys %}{{ key }},
        {% endfor -%}
        {{ money('sum(usage)') }} as usage
    from {{ asset_usage }}
    where aggregation in ('sum', 'count', 'max', 'latest')
    group by {{ keys | join(', ') }}
    union all
    select
        {% for key in keys %}{{ key }},
        {% endfor -%}
        {{ time_weighted_usage('sum(level_units_us)', 'any_value(window_us)') }} as usage
    from {{ asset_usage }}
    where aggregation = 'time_weighted_avg'
    group by {{ keys | join(', ') }}
    having any_value(window_us) > 0
    union all
    select
        {% for key in keys %}{{ key }},
        {% endfor -%}
        cast(count(distinct user_id) as decimal(38, 6)) as usage
    from {{ records }}
    where aggregation = 'unique_count' and not is_carry_in
    group by {{ keys | join(', ') }}
{%- endmacro %}
