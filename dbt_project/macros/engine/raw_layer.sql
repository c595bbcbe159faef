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
