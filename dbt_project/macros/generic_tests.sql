{#-
    Fails for every combination of `columns` that appears more than once: a primary key.
    `new_rows_column` names the column of an incremental model that holds the dbt invocation
    that wrote the row (typed_invocation_id, rated_invocation_id): then only this
    invocation's rows are checked (every row after a rebuild), so a run that appends a day
    does not group the hundred million rows it kept. `newest_arrival_column` does the same
    for a view over the raw rows: only the rows of the newest arrival day are checked.
-#}
{% test unique_combination(model, columns, new_rows_column=none, newest_arrival_column=none) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    {%- if new_rows_column %}
        where {{ new_rows_column }} = '{{ invocation_id }}'
    {%- elif newest_arrival_column %}
        where {{ newest_arrival_column }} = (select max({{ newest_arrival_column }}) from {{ model }})
    {%- endif %}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Fails for every row where the boolean SQL expression is not true. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
