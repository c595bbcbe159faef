{#-
    Engine differences, one macro each (adapter.dispatch): `default__` is DuckDB, the
    project's default engine; `spark__` is Apache Spark (dbt-spark). Models call these and
    never write engine-specific SQL themselves. On Spark the session time zone is UTC and a
    TIMESTAMP is an instant (DuckDB's TIMESTAMPTZ).
-#}

{#- The raw layer on Spark: the ingest step writes every raw table as Parquet under
    TALLYHOUSE_RAW_PARQUET/<table>; each becomes a view of schema raw (on-run-start).
    On DuckDB the raw tables are the warehouse's own. -#}
{% macro raw_layer() -%}
    {{ return(adapter.dispatch('raw_layer', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__raw_layer() -%}
    select 1
{%- endmacro %}

{% macro spark__raw_layer() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set root = env_var('TALLYHOUSE_RAW_PARQUET') -%}
    {% do run_query('create schema if not exists raw') %}
    {%- for source_node in graph.sources.values() if source_node.source_name == 'raw' %}
        {% do run_query('create or replace view raw.' ~ source_node.name ~ ' as select * from parquet.`' ~ root ~ '/' ~ source_node.name ~ '`') %}
    {%- endfor %}
    select 1
{%- endmacro %}

{#- An instant in time (DuckDB TIMESTAMPTZ). -#}
{% macro type_instant() -%}
    {{ return(adapter.dispatch('type_instant', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_instant() -%}timestamptz{%- endmacro %}
{% macro spark__type_instant() -%}timestamp{%- endmacro %}

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

{#- A wall-clock TIMESTAMP in time zone `tz` -> the instant (DuckDB timezone(tz, timestamp)). -#}
{% macro local_to_instant(local_timestamp, tz) -%}
    {{ return(adapter.dispatch('local_to_instant', 'tallyhouse')(local_timestamp, tz)) }}
{%- endmacro %}
{% macro default__local_to_instant(local_timestamp, tz) -%}timezone({{ tz }}, {{ local_timestamp }}){%- endmacro %}
{% macro spark__local_to_instant(local_timestamp, tz) -%}to_utc_timestamp({{ local_timestamp }}, {{ tz }}){%- endmacro %}

{#- An instant -> its wall-clock TIMESTAMP in time zone `tz` (DuckDB timezone(tz, timestamptz)). -#}
{% macro instant_to_local(instant, tz) -%}
    {{ return(adapter.dispatch('instant_to_local', 'tallyhouse')(instant, tz)) }}
{%- endmacro %}
{% macro default__instant_to_local(instant, tz) -%}timezone({{ tz }}, {{ instant }}){%- endmacro %}
{% macro spark__instant_to_local(instant, tz) -%}from_utc_timestamp({{ instant }}, {{ tz }}){%- endmacro %}

{#- Microseconds since 1970-01-01 UTC of an instant. -#}
{% macro epoch_us(instant) -%}
    {{ return(adapter.dispatch('epoch_us', 'tallyhouse')(instant)) }}
{%- endmacro %}
{% macro default__epoch_us(instant) -%}epoch_us({{ instant }}){%- endmacro %}
{% macro spark__epoch_us(instant) -%}unix_micros({{ instant }}){%- endmacro %}

{#- An interval of n days / n hours (DuckDB to_days / to_hours), to add to a date or instant. -#}
{% macro days_interval(n) -%}
    {{ return(adapter.dispatch('days_interval', 'tallyhouse')(n)) }}
{%- endmacro %}
{% macro default__days_interval(n) -%}to_days({{ n }}){%- endmacro %}
{% macro spark__days_interval(n) -%}make_dt_interval({{ n }}, 0, 0, 0){%- endmacro %}

{% macro hours_interval(n) -%}
    {{ return(adapter.dispatch('hours_interval', 'tallyhouse')(n)) }}
{%- endmacro %}
{% macro default__hours_interval(n) -%}to_hours({{ n }}){%- endmacro %}
{% macro spark__hours_interval(n) -%}make_dt_interval(0, {{ n }}, 0, 0){%- endmacro %}

{#- The whole of `text` matches the regular expression `pattern` (DuckDB regexp_full_match;
    on Spark \z, not $, which Java also matches before a final line break). -#}
{% macro regexp_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'tallyhouse')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_full_match(text, pattern) -%}regexp_full_match({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__regexp_full_match(text, pattern) -%}regexp_like({{ text }}, concat('^(?:', {{ pattern }}, ')\\z')){%- endmacro %}
