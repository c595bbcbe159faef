{#-
    More engine differences (see engine.sql), one macro each (adapter.dispatch): `default__`
    is DuckDB's text, `spark__` Apache Spark's. Used by the reports, usage and dimension marts.
-#}

{#- A composite sort key for max_by / min_by (DuckDB row value; Spark struct, same order).
    Its fields must not be NULL: the engines order NULL fields differently. -#}
{% macro sort_key(columns) -%}
    {{ return(adapter.dispatch('sort_key', 'tallyhouse')(columns)) }}
{%- endmacro %}
{% macro default__sort_key(columns) -%}({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__sort_key(columns) -%}struct({{ columns | join(', ') }}){%- endmacro %}

{#- Every column of the relation but `columns` (DuckDB `* exclude (...)`). -#}
{% macro star_exclude(columns) -%}
    {{ return(adapter.dispatch('star_exclude', 'tallyhouse')(columns)) }}
{%- endmacro %}
{% macro default__star_exclude(columns) -%}* exclude ({{ columns | join(', ') }}){%- endmacro %}
{% macro spark__star_exclude(columns) -%}* except ({{ columns | join(', ') }}){%- endmacro %}

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

{#- A text type for casts (DuckDB varchar). -#}
{% macro type_text() -%}
    {{ return(adapter.dispatch('type_text', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_text() -%}varchar{%- endmacro %}
{% macro spark__type_text() -%}string{%- endmacro %}

{#- An interval of n `unit`s (day or month), of one type whatever the unit, so that days and
    months can share a column (DuckDB INTERVAL; Spark's calendar interval). Add it to a date
    or subtract it, then cast to date. -#}
{% macro calendar_interval(n, unit) -%}
    {{ return(adapter.dispatch('calendar_interval', 'tallyhouse')(n, unit)) }}
{%- endmacro %}
{% macro default__calendar_interval(n, unit) -%}interval {{ n }} {{ unit }}{%- endmacro %}
{% macro spark__calendar_interval(n, unit) -%}
    {%- if unit == 'month' -%}make_interval(0, {{ n }}, 0, 0, 0, 0, 0)
    {%- elif unit == 'day' -%}make_interval(0, 0, 0, {{ n }}, 0, 0, 0)
    {%- else -%}{{ exceptions.raise_compiler_error('calendar_interval: unit day or month, not ' ~ unit) }}
    {%- endif -%}
{%- endmacro %}

{#- One row per month from first_month to last_month (timestamps at a month's start), as
    DATEs: a set-returning select item (DuckDB unnest(generate_series(...))). -#}
{% macro unnest_month_dates(first_month, last_month) -%}
    {{ return(adapter.dispatch('unnest_month_dates', 'tallyhouse')(first_month, last_month)) }}
{%- endmacro %}
{% macro default__unnest_month_dates(first_month, last_month) -%}
    cast(
        unnest(generate_series({{ first_month }}, {{ last_month }}, interval 1 month)) as date
    )
{%- endmacro %}
{% macro spark__unnest_month_dates(first_month, last_month) -%}
    explode(sequence(cast({{ first_month }} as date), cast({{ last_month }} as date), interval 1 month))
{%- endmacro %}

{#- The number of non-blank items of `text` split at the one-character `separator` (a
    string literal, not a regular-expression character); `item` names the lambda variable. -#}
{% macro count_nonblank_items(text, separator, item='item') -%}
    {{ return(adapter.dispatch('count_nonblank_items', 'tallyhouse')(text, separator, item)) }}
{%- endmacro %}
{% macro default__count_nonblank_items(text, separator, item) -%}
    len(list_filter(
        string_split({{ text }}, {{ separator }}), lambda {{ item }}: trim({{ item }}) <> ''
    ))
{%- endmacro %}
{% macro spark__count_nonblank_items(text, separator, item) -%}
    size(filter(split({{ text }}, {{ separator }}), {{ item }} -> trim({{ item }}) <> ''))
{%- endmacro %}

{#- The exact product of two DECIMALs of scales `a_scale` and `b_scale` (DuckDB: scale
    a_scale + b_scale, 38 digits). Spark narrows a product's scale when the declared
    precisions add up to more than 38 (DECIMAL(24, 6) * DECIMAL(24, 12) is DECIMAL(38, 7)),
    rounding it, and money rounded again after would be rounded twice. So on Spark the
    product is made from HUGEINT units (a * 10^a_scale times b * 10^b_scale, exact) and
    split into whole and fraction: DECIMAL(37, a_scale + b_scale), exact; so two of them add
    up exactly too. Products of 10^(37 - a_scale - b_scale) or more are null there. -#}
{% macro exact_product(a, b, a_scale, b_scale) -%}
    {{ return(adapter.dispatch('exact_product', 'tallyhouse')(a, b, a_scale, b_scale)) }}
{%- endmacro %}
{% macro default__exact_product(a, b, a_scale, b_scale) -%}{{ a }} * {{ b }}{%- endmacro %}
{% macro spark__exact_product(a, b, a_scale, b_scale) -%}
    {%- set scale = a_scale + b_scale -%}
    {%- set units = "(cast(cast(" ~ a ~ " as decimal(38, " ~ a_scale ~ ")) * " ~ 10 ** a_scale ~ " as decimal(38, 0))"
        ~ " * cast(cast(" ~ b ~ " as decimal(38, " ~ b_scale ~ ")) * " ~ 10 ** b_scale ~ " as decimal(38, 0)))" -%}
    {%- set unit = "cast(" ~ 10 ** scale ~ " as decimal(38, 0))" -%}
    {%- set magnitude = "(cast(" ~ int_div("abs(" ~ units ~ ")", unit) ~ " as decimal(" ~ (37 - scale) ~ ", 0))"
        ~ " + cast(cast(abs(" ~ units ~ ") % " ~ unit ~ " as decimal(" ~ scale ~ ", 0))"
        ~ " * cast('0." ~ '0' * (scale - 1) ~ "1' as decimal(" ~ scale ~ ", " ~ scale ~ ")) as decimal(" ~ scale ~ ", " ~ scale ~ ")))" -%}
    cast(case when {{ units }} < 0 then -{{ magnitude }} else {{ magnitude }} end as decimal(37, {{ scale }}))
{%- endmacro %}
