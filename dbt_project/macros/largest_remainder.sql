{#-
    A bucket's cost allocated to the rows that share its usage, to the cent, by largest
    remainder. relation has client_id, period_start, bucket_id (the bucket), cost_cents (its
    cost in cents), usage_units (the row's usage) and total_units (the bucket's usage). The
    rows of buckets with usage, each with allocated_cents: its share
    cost_cents * usage_units / total_units floored to the cent, plus one of the cents left
    over when its remainder is among the largest (ties by tie_break ascending). A bucket's
    allocated_cents add up exactly to its cost_cents.
-#}
{% macro largest_remainder_cents(relation, tie_break) -%}
    select
        *,
        {{ int_div('cost_cents * usage_units', 'total_units') }}
        + case
            when
                row_number() over (
                    partition by client_id, period_start, bucket_id
                    order by (cost_cents * usage_units) % total_units desc, {{ tie_break }} asc
                )
                <= cost_cents - sum({{ int_div('cost_cents * usage_units', 'total_units') }}) over (
                    partition by client_id, period_start, bucket_id
                )
                then 1
            else 0
        end as allocated_cents
    from {{ relation }}
    where total_units > 0
{%- endmacro %}
