{#- The run's as-of time T, and the settings that come with it. -#}
{% macro as_of() -%}
    cast('{{ var("as_of") }}' as timestamptz)
{%- endmacro %}

{% macro grace_interval() -%}
    to_hours(cast({{ var("grace_hours") }} as bigint))
{%- endmacro %}

{#- arrived(file) = 00:00 UTC of its arrival date. -#}
{% macro arrived_at(arrived_column) -%}
    cast({{ arrived_column }} as timestamp) at time zone 'UTC'
{%- endmacro %}
