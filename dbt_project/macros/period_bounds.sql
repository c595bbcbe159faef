{#- The instant a period ends: its period_end (a local date, exclusive) at midnight in the
    client's timezone. A period is partial as of T while T is before that instant. -#}
{% macro period_end_at(period_end, timezone) -%}
    {{ local_to_instant('cast(' ~ period_end ~ ' as timestamp)', 'coalesce(' ~ timezone ~ ", 'UTC')") }}
{%- endmacro %}
