{#- Engine differences: arrays and set-returning select items. -#}

{#- The values of `value` in a group as an array ordered by `order_by` (unique in the group)
    (DuckDB list(value order by order_by)). -#}
{% macro array_agg_ordered(value, order_by) -%}
    {{ return(adapter.dispatch('array_agg_ordered', 'tallyhouse')(value, order_by)) }}
{%- endmacro %}

{% macro default__array_agg_ordered(value, order_by) -%}list({{ value }} order by {{ order_by }}){%- endmacro %}

{% macro spark__array_agg_ordered(value, order_by) -%}transform(array_sort(collect_list(named_struct('k', {{ order_by }}, 'v', {{ value }}))), e -> e.v){%- endmacro %}

{#- The array [1, 2, ..., n] of a count n >= 1 (DuckDB generate_series(1, n)). -#}
{% macro array_range(n) -%}
    {{ return(adapter.dispatch('array_range', 'tallyhouse')(n)) }}
{%- endmacro %}

{% macro default__array_range(n) -%}generate_series(1, {{ n }}){%- endmacro %}

{% macro spark__array_range(n) -%}sequence(1, cast({{ n }} as int)){%- endmacro %}

{#- Element `index` of an array, counted from 1 (DuckDB list_extract). -#}
{% macro array_at(array, index) -%}
    {{ return(adapter.dispatch('array_at', 'tallyhouse')(array, index)) }}
{%- endmacro %}

{% macro default__array_at(array, index) -%}list_extract({{ array }}, {{ index }}){%- endmacro %}

{% macro spark__array_at(array, index) -%}element_at({{ array }}, cast({{ index }} as int)){%- endmacro %}

{#- The array of `expr` for each element `var` of `array` (DuckDB list_transform). -#}
{% macro array_map(array, var, expr) -%}
    {{ return(adapter.dispatch('array_map', 'tallyhouse')(array, var, expr)) }}
{%- endmacro %}

{% macro default__array_map(array, var, expr) -%}list_transform({{ array }}, lambda {{ var }}: {{ expr }}){%- endmacro %}

{% macro spark__array_map(array, var, expr) -%}transform({{ array }}, {{ var }} -> {{ expr }}){%- endmacro %}

{#- The elements `var` of `array` for which `condition` holds (DuckDB list_filter). -#}
{% macro array_where(array, var, condition) -%}
    {{ return(adapter.dispatch('array_where', 'tallyhouse')(array, var, condition)) }}
{%- endmacro %}

{% macro default__array_where(array, var, condition) -%}list_filter({{ array }}, lambda {{ var }}: {{ condition }}){%- endmacro %}

{% macro spark__array_where(array, var, condition) -%}filter({{ array }}, {{ var }} -> {{ condition }}){%- endmacro %}

{#- One row per integer 0 .. n - 1, in a select list (DuckDB unnest(range(n))), cast to
    `type` when given (a set-returning item cannot sit inside a cast on Spark); none when n <= 0. -#}
{% macro unnest_range(n, type=none) -%}
    {{ return(adapter.dispatch('unnest_range', 'tallyhouse')(n, type)) }}
{%- endmacro %}

{% macro default__unnest_range(n, type) -%}
    {%- if type -%}cast(unnest(range({{ n }})) as {{ type }}){%- else -%}unnest(range({{ n }})){%- endif -%}
{%- endmacro %}

{% macro spark__unnest_range(n, type) -%}
    {%- set values -%}
        case
            when ({{ n }}) > 0 then sequence(cast(0 as bigint), cast({{ n }} as bigint) - 1)
            else cast(array() as array<bigint>)
        end
    {%- endset -%}
    {%- if type -%}explode(transform({{ values }}, i -> cast(i as {{ type }})))
    {%- else -%}explode({{ values }}){%- endif -%}
{%- endmacro %}

{#- One row per value of `values` (a Jinja list of literals), in a select list (DuckDB
    unnest([...])), cast to `type` when given. -#}
{% macro unnest_values(values, type=none) -%}
    {{ return(adapter.dispatch('unnest_values', 'tallyhouse')(values, type)) }}
{%- endmacro %}

{% macro default__unnest_values(values, type) -%}
    {%- if type -%}cast(unnest({{ values }}) as {{ type }}){%- else -%}unnest({{ values }}){%- endif -%}
{%- endmacro %}

{% macro spark__unnest_values(values, type) -%}
    {%- if type -%}explode(array({% for v in values %}cast({{ v }} as {{ type }}){% if not loop.last %}, {% endif %}{% endfor %}))
    {%- else -%}explode(array({{ values | join(', ') }})){%- endif -%}
{%- endmacro %}
