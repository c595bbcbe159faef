{#- Fails for every combination of `columns` that appears more than once. -#}
{% test unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Fails for every row where the boolean SQL expression is not true. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
