{#- Engine differences of the invoicing models (adapter.dispatch; default__ = DuckDB, spark__ = Spark), in the style of engine.sql. -#}

{#- Whole days from date `start` to date `end` (DuckDB date_diff('day', start, end)). -#}
{% macro date_diff_days(start, end) -%}
    {{ return(adapter.dispatch('date_diff_days', 'tallyhouse')(start, end)) }}
{%- endmacro %}
{% macro default__date_diff_days(start, end) -%}date_diff('day', {{ start }}, {{ end }}){%- endmacro %}
{% macro spark__date_diff_days(start, end) -%}datediff({{ end }}, {{ start }}){%- endmacro %}

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

{#- The exact sum of an array of DECIMAL `type`, 0 when empty (DuckDB list_sum). -#}
{% macro array_sum_decimal(array, type) -%}
    {{ return(adapter.dispatch('array_sum_decimal', 'tallyhouse')(array, type)) }}
{%- endmacro %}
{% macro default__array_sum_decimal(array, type) -%}cast(coalesce(list_sum({{ array }}), 0) as {{ type }}){%- endmacro %}
{% macro spark__array_sum_decimal(array, type) -%}aggregate({{ array }}, cast(0 as {{ type }}), (acc, x) -> cast(acc + x as {{ type }})){%- endmacro %}
