{#- Run parameters: the as-of time T, the grace hours and the macros' digest come from the
    environment (TALLYHOUSE_AS_OF, TALLYHOUSE_GRACE_HOURS, TALLYHOUSE_MACROS_DIGEST) when a
    model executes, else from the dbt variable of the same name (dbt_project.yml's default,
    or --vars). They are read only when executing, never while dbt parses: a run with a new
    T keeps dbt's partial parse, where a changed --vars re-parses the whole project. -#}
{% macro run_parameter(name) -%}
    {%- if not execute -%}
        {{- return(var(name)) -}}
    {%- endif -%}
    {{- return(env_var('TALLYHOUSE_' ~ (name | upper), var(name) | string)) -}}
{%- endmacro %}

{#- The run's as-of time T, and the settings that come with it. -#}
{% macro as_of() -%}
    cast('{{ run_parameter("as_of") }}' as {{ type_instant() }})
{%- endmacro %}

{% macro grace_interval() -%}
    {{ hours_interval('cast(' ~ run_parameter("grace_hours") ~ ' as bigint)') }}
{%- endmacro %}

{#- arrived(file) = 00:00 UTC of its arrival date. -#}
{% macro arrived_at(arrived_column) -%}
    {{ return(adapter.dispatch('arrived_at', 'tallyhouse')(arrived_column)) }}
{%- endmacro %}
{% macro default__arrived_at(arrived_column) -%}
    cast({{ arrived_column }} as timestamp) at time zone 'UTC'
{%- endmacro %}
{% macro spark__arrived_at(arrived_column) -%}
    cast({{ arrived_column }} as timestamp)
{%- endmacro %}
