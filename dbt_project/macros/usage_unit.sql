{#-
    What a usage figure measures, from its unit type and the aggregation that produced it:
    a sum is in the unit type's own unit; the other aggregations say what they took of it.
    Figures with different labels never add up.
-#}
{% macro usage_unit(unit_type, aggregation) -%}
    case {{ aggregation }}
        when 'sum' then {{ unit_type }}
        when 'count' then 'records of ' || {{ unit_type }}
        when 'unique_count' then 'distinct users of ' || {{ unit_type }}
        when 'max' then 'peak ' || {{ unit_type }}
        when 'latest' then 'latest ' || {{ unit_type }}
        when 'time_weighted_avg' then 'time-weighted average ' || {{ unit_type }}
    end
{%- endmacro %}
