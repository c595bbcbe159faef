{#- Each services unit type with its reporting category: AI, Chat, Image or Other. -#}
{% macro service_categories() -%}
    select
        unit_type,
        case service
            when 'ai' then 'AI'
            when 'chat' then 'Chat'
            when 'image' then 'Image'
            else 'Other'
        end as category
    from {{ ref('service_unit_types') }}
{%- endmacro %}
