{#-
    Exact decimal arithmetic. DuckDB turns a DECIMAL division into DOUBLE, so divisions
    that feed money are done on scaled HUGEINTs and rounded half away from zero.
-#}

{#- round(n / d) half away from zero, for HUGEINT n and a positive HUGEINT d. -#}
{% macro round_div(n, d) -%}
    ({{ exact_sign(n) }} * ({{ int_div('2 * abs(' ~ n ~ ') + (' ~ d ~ ')', '2 * (' ~ d ~ ')') }}))
{%- endmacro %}

{#- A DECIMAL(38, 10) as HUGEINT units of 1e-10 (exact: the scale is 10). -#}
{% macro decimal10_to_units(x) -%}
    cast(cast({{ x }} as decimal(38, 10)) * 10000000000 as {{ type_int128() }})
{%- endmacro %}

{#- HUGEINT millionths -> DECIMAL(38, 6), exactly. -#}
{% macro micros_to_decimal6(q) -%}
    cast(cast({{ q }} as decimal(38, 6)) * cast(0.000001 as decimal(7, 6)) as decimal(38, 6))
{%- endmacro %}

{#- (x * num / den) rounded half away from zero to 6 places; x DECIMAL, num/den positive integers. -#}
{% macro mul_div_round6(x, num, den) -%}
    {{ micros_to_decimal6(round_div(
        decimal10_to_units(x) ~ " * cast(" ~ num ~ " as " ~ type_int128() ~ ")",
        "cast(" ~ den ~ " as " ~ type_int128() ~ ") * 10000"
    )) }}
{%- endmacro %}

{#- Round half away from zero to `places` (DuckDB's DECIMAL round does exactly that). -#}
{% macro money(x, places=6) -%}
    cast(round({{ x }}, {{ places }}) as decimal(38, {{ places }}))
{%- endmacro %}

{#-
    Text to DECIMAL(width, places), exactly or not at all: a plain decimal (optional sign,
    digits, optional point and at most `places` fraction digits) that fits; anything else
    (more places, exponents, `1_000`, `1,5`, words) is null, never rounded or guessed.
-#}
{% macro parse_decimal(column, places, width=38) -%}
    case
        when {{ regexp_full_match(
            'trim(' ~ column ~ ')', "'[+-]?([0-9]+([.][0-9]{0," ~ places ~ "})?|[.][0-9]{1," ~ places ~ "})'"
        ) }}
            then try_cast(trim({{ column }}) as decimal({{ width }}, {{ places }}))
    end
{%- endmacro %}
