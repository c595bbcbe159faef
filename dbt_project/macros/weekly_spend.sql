{#-
    A services cost spread over the weeks of its month, for store_weekly_spend (a bucket's
    cost) and store_weekly_spend_by_project (a project's share of it): the CTEs
    weekly_records, week_usage, weighted, shares and spread, to put in a model's WITH list
    after `costs`, a CTE with client_id, period_start, bucket_id, the `keys` beyond them
    (asset_id for a project), timezone, cost_cents, finalized and the `carry` columns.
    Each cost goes to the weeks of its month by the week's share of its usage (CONTRACT 3.3
    over the week's records: macro usage_of_records), to the cent, with largest remainders
    (ties by the earlier week). Weeks start on Monday in the client's timezone; the first
    and last week of a month are cut at the month's bounds. spread: one row per cost and
    week (cents, events), and one row with an empty week_start for a cost with no usage to
    spread over. bucket_id stays the bucket's; the largest-remainder partition of a cost
    with more keys than the bucket is cost_key.
-#}
{% macro weekly_spread_ctes(keys=[], carry=[]) -%}
    {%- set all_keys = ['client_id', 'period_start', 'bucket_id'] + keys -%}
    weekly_records as (
        select
            {% for key in all_keys %}records.{{ key }},
            {% endfor -%}
            records.aggregation,
            records.quantity,
            records.value,
            records.user_id,
            records.is_carry_in,
            records.recorded_at,
            records.arrived,
            records.file_name,
            records.row_number,
            greatest(
                cast(
                    date_trunc(
                        'week', {{ instant_to_local('records.recorded_at', 'costs.timezone') }}
                    ) as date
                ),
                records.period_start
            ) as week_start
        from {{ ref('int_bound_records') }} as records
        inner join costs
            on
                {% for key in all_keys -%}
                    {% if not loop.first %}and {% endif %}records.{{ key }} = costs.{{ key }}
                {% endfor %}
        where records.is_bill and not records.is_carry_in
    ),

    week_usage as (
        select
            {% for key in all_keys %}{{ key }},
            {% endfor -%}
            week_start,
            {{ usage_of_records() }} as usage,
            count(*) as events
        from weekly_records
        group by {{ all_keys | join(', ') }}, week_start
    ),

    -- largest_remainder_cents shares a cost within (client_id, period_start, bucket_id):
    -- there bucket_id is the cost's key (cost_key), the bucket and any further key.
    weighted as (
        select
            costs.client_id,
            costs.period_start,
            {% if keys %}costs.bucket_id{% for key in keys %} || chr(31) || costs.{{ key }}{% endfor %}
            {%- else %}costs.bucket_id{% endif %} as bucket_id,
            costs.bucket_id as services_bucket_id,
            {% for key in keys + carry %}costs.{{ key }},
            {% endfor -%}
            costs.finalized,
            costs.cost_cents,
            week_usage.week_start,
            week_usage.events,
            {{ decimal10_to_units('week_usage.usage') }} as usage_units,
            sum({{ decimal10_to_units('week_usage.usage') }}) over (
                partition by {% for key in all_keys %}costs.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
            ) as total_units
        from costs
        inner join week_usage
            on
                {% for key in all_keys -%}
                    {% if not loop.first %}and {% endif %}costs.{{ key }} = week_usage.{{ key }}
                {% endfor %}
    ),

    shares as (
        {{ largest_remainder_cents('weighted', tie_break='week_start') }}
    ),

    spread as (
        select
            client_id,
            period_start,
            services_bucket_id as bucket_id,
            {% for key in keys + carry %}{{ key }},
            {% endfor -%}
            week_start,
            events,
            allocated_cents as cents,
            finalized
        from shares
        union all
        select
            client_id,
            period_start,
            bucket_id,
            {% for key in keys + carry %}{{ key }},
            {% endfor -%}
            cast(null as date) as week_start,
            cast(0 as bigint) as events,
            cost_cents as cents,
            finalized
        from costs
        where not exists (
            select 1 from shares
            where
                shares.client_id = costs.client_id
                and shares.period_start = costs.period_start
                and shares.services_bucket_id = costs.bucket_id
                {% for key in keys -%}
                    and shares.{{ key }} = costs.{{ key }}
                {% endfor %}
        )
    )
{%- endmacro %}
