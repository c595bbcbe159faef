{#-
    The forecasts of a bucket's final usage in a period, written once for the projections
    of the open period (marts.projections) and for their backtest over finalized periods
    (backtest_forecasts). Every forecast is DECIMAL, rounded to 6 places half away from zero.
-#}

{#- The day grid the daily forecasters read: day `day_index` (0 for the first) of a period
    of the relation's client (columns period_start and timezone), as its local date and the
    instants it starts and ends, local midnights (a day across a change of clocks is 23 or
    25 hours long). -#}
{% macro local_day_bounds(day_index='day_index') -%}
    cast(period_start + {{ days_interval(day_index) }} as date) as local_date,
    {{ local_to_instant(
        'cast(period_start + ' ~ days_interval(day_index) ~ ' as timestamp)', 'timezone'
    ) }} as day_start_at,
    {{ local_to_instant(
        'cast(period_start + ' ~ days_interval(day_index ~ ' + 1') ~ ' as timestamp)', 'timezone'
    ) }} as day_end_at
{%- endmacro %}

{#- CONTRACT 3.7's run-rate: U / f for sum and count (f = elapsed / length of the period),
    U for every other aggregation and before any time has elapsed. -#}
{% macro run_rate_forecast(aggregation, usage, elapsed_us, length_us) -%}
    case
        when {{ aggregation }} in ('sum', 'count') and {{ elapsed_us }} > 0
            then {{ mul_div_round6(usage, length_us, elapsed_us) }}
        else {{ usage }}
    end
{%- endmacro %}

{#- weekday_profile: U + the usage still to come, for sum and count (else empty). -#}
{% macro weekday_profile_forecast(aggregation, usage, remaining_usage) -%}
    case
        when {{ aggregation }} in ('sum', 'count')
            then {{ usage }} + {{ remaining_usage }}
    end
{%- endmacro %}

{#- The usage still to come by weekday profile, one row per group of `keys`: for each part
    of a day still to come, the mean usage of that weekday over the complete days so far
    (the mean of all complete days when that weekday was not seen yet), times the share of
    the day still to come; exact in 1e-12 units, then rounded to 6 places. A group with no
    complete day has no row. `days`: one row per day and group with weekday, day_usage,
    is_complete, remaining_us and day_us (int_forecast_daily_usage's columns). -#}
{% macro weekday_profile_remaining(days, keys) -%}
    select
        {% for key in keys %}remaining_days.{{ key }},
        {% endfor -%}
        {{ micros_to_decimal6(round_div('sum(remaining_days.remaining_units)', '1000000')) }}
            as remaining_usage
    from (
        select
            {% for key in keys %}days.{{ key }},
            {% endfor -%}
            {{ round_div(
                decimal10_to_units(
                    'coalesce(weekday_means.usage_total, overall_means.usage_total)'
                ) ~ ' * 100 * cast(days.remaining_us as ' ~ type_int128() ~ ')',
                'cast(days.day_us as ' ~ type_int128() ~ ')'
                ~ ' * coalesce(weekday_means.day_count, overall_means.day_count)'
            ) }} as remaining_units
        from {{ days }} as days
        inner join (
            select
                {% for key in keys %}{{ key }},
                {% endfor -%}
                sum(day_usage) as usage_total,
                count(*) as day_count
            from {{ days }}
            where is_complete
            group by {{ keys | join(', ') }}
        ) as overall_means
            on
                {% for key in keys -%}
                    {% if not loop.first %}and {% endif %}days.{{ key }} = overall_means.{{ key }}
                {% endfor %}
        left join (
            select
                {% for key in keys %}{{ key }},
                {% endfor -%}
                weekday,
                sum(day_usage) as usage_total,
                count(*) as day_count
            from {{ days }}
            where is_complete
            group by {{ keys | join(', ') }}, weekday
        ) as weekday_means
            on
                {% for key in keys -%}
                    days.{{ key }} = weekday_means.{{ key }} and
                {% endfor -%}
                days.weekday = weekday_means.weekday
        where not days.is_complete
    ) as remaining_days
    group by {% for key in keys %}remaining_days.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}

{#- cumulative_trend: the least-squares line through (x, y) = (day number, cumulative usage
    at the day's end) over the complete days, read at x = `at` (the period's last day),
    exactly: with n days, D = n * Sxx - Sx^2 and the slope's numerator n * Sxy - Sx * Sy,
    the line at `at` is (Sy * D + (n * Sxy - Sx * Sy) * (n * at - Sx)) / (n * D). Aggregate
    columns n, sx, sxx, sy (units of 1e-10), sxy as HUGEINT; empty with fewer than 2 days. -#}
{% macro least_squares_at(n, sx, sxx, sy, sxy, at) -%}
    case
        when {{ n }} * {{ sxx }} - {{ sx }} * {{ sx }} > 0
            then {{ micros_to_decimal6(round_div(
                sy ~ ' * (' ~ n ~ ' * ' ~ sxx ~ ' - ' ~ sx ~ ' * ' ~ sx ~ ')'
                ~ ' + (' ~ n ~ ' * ' ~ sxy ~ ' - ' ~ sx ~ ' * ' ~ sy ~ ')'
                ~ ' * (' ~ n ~ ' * cast(' ~ at ~ ' as ' ~ type_int128() ~ ') - ' ~ sx ~ ')',
                n ~ ' * (' ~ n ~ ' * ' ~ sxx ~ ' - ' ~ sx ~ ' * ' ~ sx ~ ') * 10000'
            )) }}
    end
{%- endmacro %}
