{#- Engine differences: exact numbers. -#}

{#- An exact integer wider than 64 bits (DuckDB HUGEINT). -#}
{% macro type_int128() -%}
    {{ return(adapter.dispatch('type_int128', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__type_int128() -%}hugeint{%- endmacro %}

{% macro spark__type_int128() -%}decimal(38, 0){%- endmacro %}

{#- Integer division of non-negative integers (DuckDB `//`); exact at any size on Spark. -#}
{% macro int_div(n, d) -%}
    {{ return(adapter.dispatch('int_div', 'tallyhouse')(n, d)) }}
{%- endmacro %}

{% macro default__int_div(n, d) -%}({{ n }}) // ({{ d }}){%- endmacro %}

{% macro spark__int_div(n, d) -%}cast((({{ n }}) - (({{ n }}) % ({{ d }}))) / ({{ d }}) as {{ type_int128() }}){%- endmacro %}

{#- Text to DOUBLE or null (DuckDB try_cast(text as double)): Spark's cast also reads hex
    and a trailing d/f (Java), which DuckDB does not. -#}
{% macro try_cast_double(text) -%}
    {{ return(adapter.dispatch('try_cast_double', 'tallyhouse')(text)) }}
{%- endmacro %}

{% macro default__try_cast_double(text) -%}try_cast({{ text }} as double){%- endmacro %}

{% macro spark__try_cast_double(text) -%}
    case when not regexp_like({{ text }}, '(?i)0x|[0-9.][df] *$') then try_cast({{ text }} as double) end
{%- endmacro %}

{#- The sign of an exact number as an exact number (DuckDB sign() keeps the type; Spark's
    sign() is a DOUBLE, which would make a product with it inexact). -#}
{% macro exact_sign(x) -%}
    {{ return(adapter.dispatch('exact_sign', 'tallyhouse')(x)) }}
{%- endmacro %}

{% macro default__exact_sign(x) -%}sign({{ x }}){%- endmacro %}

{% macro spark__exact_sign(x) -%}cast(sign({{ x }}) as int){%- endmacro %}

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

{#- The exact sum of an array of DECIMAL `type`, 0 when empty (DuckDB list_sum). -#}
{% macro array_sum_decimal(array, type) -%}
    {{ return(adapter.dispatch('array_sum_decimal', 'tallyhouse')(array, type)) }}
{%- endmacro %}

{% macro default__array_sum_decimal(array, type) -%}cast(coalesce(list_sum({{ array }}), 0) as {{ type }}){%- endmacro %}

{% macro spark__array_sum_decimal(array, type) -%}aggregate({{ array }}, cast(0 as {{ type }}), (acc, x) -> cast(acc + x as {{ type }})){%- endmacro %}
