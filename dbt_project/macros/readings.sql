{#-
    CONTRACT 3.1, meter kinds: the order of one asset's readings of a unit type, and what a
    cumulative meter consumed between two of them, written once.
-#}

{#- The order of a series' readings: by timestamp, and readings of one instant by arrival,
    file and row, so that the order is total and the same on every engine. A list of
    columns (of `alias` when given): join it for an `order by`, or pass it to sort_key. -#}
{% macro reading_order(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    {%- set columns = [] -%}
    {%- for column in ['recorded_at', 'arrived', 'file_name', 'row_number'] -%}
        {%- do columns.append(prefix ~ column) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{#- The value of the reading before this one in its series (`partition_by`: the columns of
    one series), in reading order; null for the series' first reading. -#}
{% macro previous_reading_value(partition_by, alias=none) -%}
    lag({{ alias ~ '.' if alias }}value) over (
        partition by {{ partition_by | join(', ') }}
        order by {{ reading_order(alias) | join(', ') }}
    )
{%- endmacro %}

{#- A cumulative meter's quantity: the increase over the previous reading; after a reset
    (a value below the previous one) the value itself; the first reading ever is the
    baseline and its quantity is 0. -#}
{% macro cumulative_quantity(value='value', previous_value='previous_value') -%}
    case
        when {{ previous_value }} is null then cast(0 as decimal(38, 10))
        when {{ value }} < {{ previous_value }} then {{ value }}
        else {{ value }} - {{ previous_value }}
    end
{%- endmacro %}
