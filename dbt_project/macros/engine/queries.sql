{#- Engine differences in the forms of a query: column lists, CTEs, row values, unions,
    windows, materializations. `default__` is DuckDB, `spark__` is Spark. -#}

{#- The first non-null value of a window (DuckDB first_value(x ignore nulls)). -#}
{% macro first_value_ignore_nulls(expr) -%}
    {{ return(adapter.dispatch('first_value_ignore_nulls', 'tallyhouse')(expr)) }}
{%- endmacro %}

{% macro default__first_value_ignore_nulls(expr) -%}first_value({{ expr }} ignore nulls){%- endmacro %}

{% macro spark__first_value_ignore_nulls(expr) -%}first_value({{ expr }}, true){%- endmacro %}

{#- A row value of the given expressions, ordered field by field (DuckDB row(...)). -#}
{% macro row_value(exprs) -%}
    {{ return(adapter.dispatch('row_value', 'tallyhouse')(exprs)) }}
{%- endmacro %}

{% macro default__row_value(exprs) -%}row({{ exprs | join(', ') }}){%- endmacro %}

{% macro spark__row_value(exprs) -%}struct({{ exprs | join(', ') }}){%- endmacro %}

{#- The materialization of an incremental model: incremental on DuckDB, a table rebuilt
    each run on Spark. -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}{{ return('incremental') }}{%- endmacro %}

{% macro spark__incremental_materialization() -%}{{ return('table') }}{%- endmacro %}

{#- The value of `value` on the row with the largest `ordering` of the group (DuckDB arg_max). -#}
{% macro arg_max(value, ordering) -%}
    {{ return(adapter.dispatch('arg_max', 'tallyhouse')(value, ordering)) }}
{%- endmacro %}

{% macro default__arg_max(value, ordering) -%}arg_max({{ value }}, {{ ordering }}){%- endmacro %}

{% macro spark__arg_max(value, ordering) -%}max_by({{ value }}, {{ ordering }}){%- endmacro %}

{#- A composite sort key for max_by / min_by (DuckDB row value; Spark struct, same order).
    Its fields must not be NULL: the engines order NULL fields differently. -#}
{% macro sort_key(columns) -%}
    {{ return(adapter.dispatch('sort_key', 'tallyhouse')(columns)) }}
{%- endmacro %}

{% macro default__sort_key(columns) -%}({{ columns | join(', ') }}){%- endmacro %}

{% macro spark__sort_key(columns) -%}struct({{ columns | join(', ') }}){%- endmacro %}

{#- Every column of the relation, or of `alias` when given, but `columns` (DuckDB
    `* exclude (...)`; Spark `* except (...)`). -#}
{% macro star_exclude(columns, alias=none) -%}
    {{ return(adapter.dispatch('star_exclude', 'tallyhouse')(columns, alias)) }}
{%- endmacro %}

{% macro default__star_exclude(columns, alias) -%}
    {%- if alias %}{{ alias }}.{% endif %}* exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_exclude(columns, alias) -%}
    {%- if alias %}{{ alias }}.{% endif %}* except ({{ columns | join(', ') }})
{%- endmacro %}

{#- The rows of the `queries` matched by column name (DuckDB `union all by name`). Spark has
    no such union: there each query is wrapped and its `columns` selected in one order,
    `missing[i]` naming the columns that query i lacks (NULL there). -#}
{% macro union_all_by_name(queries, columns, missing=none) -%}
    {{ return(adapter.dispatch('union_all_by_name', 'tallyhouse')(queries, columns, missing)) }}
{%- endmacro %}

{% macro default__union_all_by_name(queries, columns, missing) -%}
    {{ queries | join('\nunion all by name\n') }}
{%- endmacro %}

{% macro spark__union_all_by_name(queries, columns, missing) -%}
    {%- for query in queries %}
        {%- set lacking = missing[loop.index0] if missing else [] %}
        select
            {% for column in columns -%}
                {% if column in lacking %}null as {% endif %}{{ column }}{% if not loop.last %}, {% endif %}
            {%- endfor %}
        from ({{ query }}) as by_name_{{ loop.index }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- A CTE that is inlined where it is used (DuckDB `as not materialized (`); Spark always
    inlines a CTE. Goes between `name as` and `(`. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}not materialized{%- endmacro %}

{% macro spark__not_materialized() -%}{%- endmacro %}
