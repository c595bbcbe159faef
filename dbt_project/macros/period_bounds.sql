{#- The instant a period ends: its period_end (a local date, exclusive) at midnight in the
    client's timezone. A period is partial as of T while T is before that instant. -#}
{% macro period_end_at(period_end, timezone) -%}
    {{ local_to_instant('cast(' ~ period_end ~ ' as timestamp)', 'coalesce(' ~ timezone ~ ", 'UTC')") }}
{%- endmacro %}

{#- CONTRACT 1, written once for SQL (defs/cutoff.py is its Python twin): a period's cutoff
    (its end plus the grace period), its horizon min(cutoff, T), which bounds the data and
    the configuration that rate it, and whether it is finalized as of T. `end_at`: the
    instant the period ends. -#}
{% macro period_horizon_columns(end_at='end_at') -%}
    {{ end_at }} + {{ grace_interval() }} as cutoff_at,
    least({{ end_at }} + {{ grace_interval() }}, {{ as_of() }}) as horizon_at,
    {{ as_of() }} >= {{ end_at }} + {{ grace_interval() }} as finalized
{%- endmacro %}

{#- The snapshots that rate a period (CONTRACT 1): for each of `tables`, the newest
    snapshot arrived by the period's horizon, as <table>_version. An aggregate over the rows
    of stg_admin__versions (alias `snapshots`) joined on horizon_at >= snapshot_at. -#}
{% macro rating_versions(tables, snapshots='snapshots') -%}
    {%- for table in tables %}
        max({{ snapshots }}.snapshot_arrived) filter (
            where {{ snapshots }}.table_name = '{{ table }}'
        ) as {{ table }}_version{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
