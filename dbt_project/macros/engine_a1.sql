{#- Engine differences of staging and usage typing, one macro each (adapter.dispatch):
    `default__` is DuckDB (today's text), `spark__` is Apache Spark. See engine.sql. -#}

{#- Text to an instant or null, as DuckDB's try_cast(text as timestamptz) reads it: an ISO
    date with an optional time (T or white space; seconds and fraction optional, the fraction cut
    to microseconds) and with a time an optional offset (Z, ' UTC', +hh, +hh:mm, +hhmm, +hh:mm:ss). The offset
    is applied as written, however large (DuckDB does; timestamp_checks rejects it after).
    On Spark, forms outside this grammar (other time zone names, '/' dates, epoch,
    infinity, BC and years past 9999) are null. -#}
{% macro try_cast_instant(text) -%}
    {{ return(adapter.dispatch('try_cast_instant', 'tallyhouse')(text)) }}
{%- endmacro %}
{% macro default__try_cast_instant(text) -%}try_cast({{ text }} as timestamptz){%- endmacro %}
{% macro spark__try_cast_instant(text) -%}
    {%- set re = "'^\\\\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:T|\\\\s+)([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:[.]([0-9]*))?)?(?:(Z| (?i:UTC))|([+-])([0-9]{2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?)?)?\\\\s*$'" -%}
    {%- set part = [] -%}
    {%- for i in range(1, 13) -%}
        {%- do part.append("nullif(regexp_extract(" ~ text ~ ", " ~ re ~ ", " ~ i ~ "), '')") -%}
    {%- endfor -%}
    {%- set hour = "cast(coalesce(" ~ part[3] ~ ", '0') as bigint)" -%}
    {%- set minute = "cast(coalesce(" ~ part[4] ~ ", '0') as bigint)" -%}
    {%- set second = "cast(coalesce(" ~ part[5] ~ ", '0') as bigint)" -%}
    {%- set micros = "cast(rpad(substr(coalesce(" ~ part[6] ~ ", ''), 1, 6), 6, '0') as bigint)" -%}
    {%- set offset = "(case when " ~ part[8] ~ " = '-' then -1 else 1 end) * ("
        ~ "cast(coalesce(" ~ part[9] ~ ", '0') as bigint) * 3600 + "
        ~ "cast(coalesce(" ~ part[10] ~ ", '0') as bigint) * 60 + "
        ~ "cast(coalesce(" ~ part[11] ~ ", '0') as bigint))" -%}
    case
        when regexp_like({{ text }}, {{ re }})
            and {{ minute }} < 60 and {{ second }} < 60
            and ({{ hour }} < 24 or ({{ hour }} = 24 and {{ minute }} = 0 and {{ second }} = 0 and {{ micros }} = 0))
            then timestamp_micros(
                unix_micros(make_timestamp(
                    cast({{ part[0] }} as int), cast({{ part[1] }} as int), cast({{ part[2] }} as int), 0, 0, 0
                ))
                + (({{ hour }} * 60 + {{ minute }}) * 60 + {{ second }} - {{ offset }}) * 1000000
                + {{ micros }}
            )
    end
{%- endmacro %}

{#- Text to DOUBLE or null (DuckDB try_cast(text as double)): Spark's cast also reads hex
    and a trailing d/f (Java), which DuckDB does not. -#}
{% macro try_cast_double(text) -%}
    {{ return(adapter.dispatch('try_cast_double', 'tallyhouse')(text)) }}
{%- endmacro %}
{% macro default__try_cast_double(text) -%}try_cast({{ text }} as double){%- endmacro %}
{% macro spark__try_cast_double(text) -%}
    case when not regexp_like({{ text }}, '(?i)0x|[0-9.][df] *$') then try_cast({{ text }} as double) end
{%- endmacro %}

{#- Text to a TIMESTAMP by year-month-day or null (DuckDB try_strptime(text, '%Y-%m-%d')). -#}
{% macro try_strptime_ymd(text) -%}
    {{ return(adapter.dispatch('try_strptime_ymd', 'tallyhouse')(text)) }}
{%- endmacro %}
{% macro default__try_strptime_ymd(text) -%}try_strptime({{ text }}, '%Y-%m-%d'){%- endmacro %}
{% macro spark__try_strptime_ymd(text) -%}try_to_timestamp({{ text }}, 'yyyy-M-d'){%- endmacro %}

{#- A regular expression as a SQL string literal (DuckDB: backslashes as written; Spark
    string literals read backslash escapes, so each is doubled). `pattern` may hold ''. -#}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal', 'tallyhouse')(pattern)) }}
{%- endmacro %}
{% macro default__regex_literal(pattern) -%}'{{ pattern }}'{%- endmacro %}
{% macro spark__regex_literal(pattern) -%}'{{ pattern | replace("\\", "\\\\") }}'{%- endmacro %}

{#- Every match of `pattern` in `text` replaced (DuckDB regexp_replace(..., 'g')); \1 in
    `replacement` is the first group. `pattern` and `replacement` are raw texts. -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'tallyhouse')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    {%- set java = modules.re.sub('\\\\([0-9])', '$\\1', replacement | replace('$', '\\$')) -%}
    regexp_replace({{ text }}, {{ regex_literal(pattern) }}, {{ regex_literal(java) }})
{%- endmacro %}

{#- The first non-null value of a window (DuckDB first_value(x ignore nulls)). -#}
{% macro first_value_ignore_nulls(expr) -%}
    {{ return(adapter.dispatch('first_value_ignore_nulls', 'tallyhouse')(expr)) }}
{%- endmacro %}
{% macro default__first_value_ignore_nulls(expr) -%}first_value({{ expr }} ignore nulls){%- endmacro %}
{% macro spark__first_value_ignore_nulls(expr) -%}first_value({{ expr }}, true){%- endmacro %}

{#- Every column of `alias` but `excluded` (DuckDB `alias.* exclude (...)`). -#}
{% macro star_except(alias, excluded) -%}
    {{ return(adapter.dispatch('star_except', 'tallyhouse')(alias, excluded)) }}
{%- endmacro %}
{% macro default__star_except(alias, excluded) -%}
    {{ alias }}.* exclude ({{ excluded | join(', ') }})
{%- endmacro %}
{% macro spark__star_except(alias, excluded) -%}
    {{ alias }}.* except ({{ excluded | join(', ') }})
{%- endmacro %}

{#- The distinct values of `expr`, sorted, joined by `separator` (DuckDB string_agg). -#}
{% macro string_agg_distinct_sorted(expr, separator) -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted', 'tallyhouse')(expr, separator)) }}
{%- endmacro %}
{% macro default__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }} order by {{ expr }})
{%- endmacro %}
{% macro spark__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }}) within group (order by {{ expr }})
{%- endmacro %}

{#- A text type for casts (DuckDB varchar). -#}
{% macro type_text() -%}
    {{ return(adapter.dispatch('type_text', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_text() -%}varchar{%- endmacro %}
{% macro spark__type_text() -%}string{%- endmacro %}

{#- A CTE computed where it is used rather than once (DuckDB `as not materialized`). -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__cte_not_materialized() -%}not materialized{%- endmacro %}
{% macro spark__cte_not_materialized() -%}{%- endmacro %}

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
