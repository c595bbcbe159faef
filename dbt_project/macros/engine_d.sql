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

{#- The two macros below are engine_b.sql's, verbatim (same name, same text). -#}

{#- The distinct non-null values of `expr`, sorted, joined by `separator` (DuckDB string_agg). -#}
{% macro string_agg_distinct_sorted(expr, separator) -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted', 'tallyhouse')(expr, separator)) }}
{%- endmacro %}
{% macro default__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }} order by {{ expr }})
{%- endmacro %}
{% macro spark__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }}) within group (order by {{ expr }})
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
