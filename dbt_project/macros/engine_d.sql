{#- Engine differences of the forecasts and the over/under marts (adapter.dispatch, as engine.sql): default__ is DuckDB. -#}

{#- Whole days from date `start` to date `end` (DuckDB date_diff('day', start, end)). -#}
{% macro date_diff_days(start, end) -%}
    {{ return(adapter.dispatch('date_diff_days', 'tallyhouse')(start, end)) }}
{%- endmacro %}
{% macro default__date_diff_days(start, end) -%}date_diff('day', {{ start }}, {{ end }}){%- endmacro %}
{% macro spark__date_diff_days(start, end) -%}datediff({{ end }}, {{ start }}){%- endmacro %}

{#- Day of the week of a date, Sunday = 0 to Saturday = 6 (DuckDB dayofweek). -#}
{% macro day_of_week(day) -%}
    {{ return(adapter.dispatch('day_of_week', 'tallyhouse')(day)) }}
{%- endmacro %}
{% macro default__day_of_week(day) -%}dayofweek({{ day }}){%- endmacro %}
{% macro spark__day_of_week(day) -%}(dayofweek({{ day }}) - 1){%- endmacro %}

{#- One row per integer 0 .. n - 1, in a select list (DuckDB unnest(range(n))); none when n <= 0. -#}
{% macro unnest_range(n) -%}
    {{ return(adapter.dispatch('unnest_range', 'tallyhouse')(n)) }}
{%- endmacro %}
{% macro default__unnest_range(n) -%}unnest(range({{ n }})){%- endmacro %}
{% macro spark__unnest_range(n) -%}
    explode(case when ({{ n }}) > 0 then sequence(cast(0 as bigint), cast({{ n }} as bigint) - 1) else cast(array() as array<bigint>) end)
{%- endmacro %}

{#- One row per value of a list of literals `values` (a Jinja list), in a select list (DuckDB unnest([...])). -#}
{% macro unnest_values(values) -%}
    {{ return(adapter.dispatch('unnest_values', 'tallyhouse')(values)) }}
{%- endmacro %}
{% macro default__unnest_values(values) -%}unnest({{ values }}){%- endmacro %}
{% macro spark__unnest_values(values) -%}explode(array({{ values | join(', ') }})){%- endmacro %}

{#- The distinct non-null values of `column` in ascending order, joined by `separator` (an aggregate). -#}
{% macro string_agg_distinct_sorted(column, separator) -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted', 'tallyhouse')(column, separator)) }}
{%- endmacro %}
{% macro default__string_agg_distinct_sorted(column, separator) -%}
    string_agg(distinct {{ column }}, {{ separator }} order by {{ column }})
{%- endmacro %}
{% macro spark__string_agg_distinct_sorted(column, separator) -%}
    string_agg(distinct {{ column }}, {{ separator }}) within group (order by {{ column }})
{%- endmacro %}
