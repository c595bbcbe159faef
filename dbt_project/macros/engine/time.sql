{#-
    Engine differences, one adapter.dispatch macro each, grouped by topic in this folder:
    `default__` is DuckDB, the project's default engine; `spark__` is Apache Spark
    (dbt-spark). Models call these and never write engine-specific SQL themselves.
    This file: instants, time zones, intervals and dates. On Spark the session time zone
    is UTC and a TIMESTAMP is an instant (DuckDB's TIMESTAMPTZ).
-#}

{#- An instant in time (DuckDB TIMESTAMPTZ). -#}
{% macro type_instant() -%}
    {{ return(adapter.dispatch('type_instant', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__type_instant() -%}timestamptz{%- endmacro %}

{% macro spark__type_instant() -%}timestamp{%- endmacro %}

{#- A wall-clock TIMESTAMP in time zone `tz` -> the instant (DuckDB timezone(tz, timestamp)). -#}
{% macro local_to_instant(local_timestamp, tz) -%}
    {{ return(adapter.dispatch('local_to_instant', 'tallyhouse')(local_timestamp, tz)) }}
{%- endmacro %}

{% macro default__local_to_instant(local_timestamp, tz) -%}timezone({{ tz }}, {{ local_timestamp }}){%- endmacro %}

{% macro spark__local_to_instant(local_timestamp, tz) -%}to_utc_timestamp({{ local_timestamp }}, {{ tz }}){%- endmacro %}

{#- An instant -> its wall-clock TIMESTAMP in time zone `tz` (DuckDB timezone(tz, timestamptz)). -#}
{% macro instant_to_local(instant, tz) -%}
    {{ return(adapter.dispatch('instant_to_local', 'tallyhouse')(instant, tz)) }}
{%- endmacro %}

{% macro default__instant_to_local(instant, tz) -%}timezone({{ tz }}, {{ instant }}){%- endmacro %}

{% macro spark__instant_to_local(instant, tz) -%}from_utc_timestamp({{ instant }}, {{ tz }}){%- endmacro %}

{#- Microseconds since 1970-01-01 UTC of an instant. -#}
{% macro epoch_us(instant) -%}
    {{ return(adapter.dispatch('epoch_us', 'tallyhouse')(instant)) }}
{%- endmacro %}

{% macro default__epoch_us(instant) -%}epoch_us({{ instant }}){%- endmacro %}

{% macro spark__epoch_us(instant) -%}unix_micros({{ instant }}){%- endmacro %}

{#- An interval of n days / n hours (DuckDB to_days / to_hours), to add to a date or instant. -#}
{% macro days_interval(n) -%}
    {{ return(adapter.dispatch('days_interval', 'tallyhouse')(n)) }}
{%- endmacro %}

{% macro default__days_interval(n) -%}to_days({{ n }}){%- endmacro %}

{% macro spark__days_interval(n) -%}make_dt_interval({{ n }}, 0, 0, 0){%- endmacro %}

{% macro hours_interval(n) -%}
    {{ return(adapter.dispatch('hours_interval', 'tallyhouse')(n)) }}
{%- endmacro %}

{% macro default__hours_interval(n) -%}to_hours({{ n }}){%- endmacro %}

{% macro spark__hours_interval(n) -%}make_dt_interval(0, {{ n }}, 0, 0){%- endmacro %}

{#- Text to an instant or null, as DuckDB's try_cast(text as timestamptz) reads it: an ISO
    date with an optional time (T or white space; seconds and fraction optional, the fraction cut
    to microseconds) and with a time an optional offset (Z, ' UTC', +hh, +hh:mm, +hhmm, +hh:mm:ss). The offset
    is applied as written, however large (DuckDB does; timestamp_checks rejects it after).
    On Spark, forms outside this grammar (other time zone names, '/' dates, epoch,
    infinity, BC and years past 9999) are null. -#}
{% macro try_cast_instant(text) -%}
    {{ return(adapter.dispatch('try_cast_instant', 'tallyhouse')(text)) }}
{%- endmacro %}

{% macro default__try_cast_instant(text) -%}try_cast({{ text }} as timestamptz){%- endmacro %}

{% macro spark__try_cast_instant(text) -%}
    {%- set re = "'^\\\\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:T|\\\\s+)([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:[.]([0-9]*))?)?(?:(Z| (?i:UTC))|([+-])([0-9]{2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?)?)?\\\\s*$'" -%}
    {%- set part = [] -%}
    {%- for i in range(1, 13) -%}
        {%- do part.append("nullif(regexp_extract(" ~ text ~ ", " ~ re ~ ", " ~ i ~ "), '')") -%}
    {%- endfor -%}
    {%- set hour = "cast(coalesce(" ~ part[3] ~ ", '0') as bigint)" -%}
    {%- set minute = "cast(coalesce(" ~ part[4] ~ ", '0') as bigint)" -%}
    {%- set second = "cast(coalesce(" ~ part[5] ~ ", '0') as bigint)" -%}
    {%- set micros = "cast(rpad(substr(coalesce(" ~ part[6] ~ ", ''), 1, 6), 6, '0') as bigint)" -%}
    {%- set offset = "(case when " ~ part[8] ~ " = '-' then -1 else 1 end) * ("
        ~ "cast(coalesce(" ~ part[9] ~ ", '0') as bigint) * 3600 + "
        ~ "cast(coalesce(" ~ part[10] ~ ", '0') as bigint) * 60 + "
        ~ "cast(coalesce(" ~ part[11] ~ ", '0') as bigint))" -%}
    case
        when regexp_like({{ text }}, {{ re }})
            and {{ minute }} < 60 and {{ second }} < 60
            and ({{ hour }} < 24 or ({{ hour }} = 24 and {{ minute }} = 0 and {{ second }} = 0 and {{ micros }} = 0))
            then timestamp_micros(
                unix_micros(make_timestamp(
                    cast({{ part[0] }} as int), cast({{ part[1] }} as int), cast({{ part[2] }} as int), 0, 0, 0
                ))
                + (({{ hour }} * 60 + {{ minute }}) * 60 + {{ second }} - {{ offset }}) * 1000000
                + {{ micros }}
            )
    end
{%- endmacro %}

{#- Text to a TIMESTAMP by year-month-day or null (DuckDB try_strptime(text, '%Y-%m-%d')). -#}
{% macro try_strptime_ymd(text) -%}
    {{ return(adapter.dispatch('try_strptime_ymd', 'tallyhouse')(text)) }}
{%- endmacro %}

{% macro default__try_strptime_ymd(text) -%}try_strptime({{ text }}, '%Y-%m-%d'){%- endmacro %}

{% macro spark__try_strptime_ymd(text) -%}
    case
        when regexp_like({{ text }}, '^[ \\t\\n\\x0B\\f\\r]*[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}\\z')
            then make_date(
                cast(split_part({{ text }}, '-', 1) as int),
                cast(split_part({{ text }}, '-', 2) as int),
                cast(split_part({{ text }}, '-', 3) as int)
            )
    end
{%- endmacro %}

{#- One row per month from first_month to last_month (timestamps at a month's start), as
    DATEs: a set-returning select item (DuckDB unnest(generate_series(...))). -#}
{% macro unnest_month_dates(first_month, last_month) -%}
    {{ return(adapter.dispatch('unnest_month_dates', 'tallyhouse')(first_month, last_month)) }}
{%- endmacro %}

{% macro default__unnest_month_dates(first_month, last_month) -%}
    cast(
        unnest(generate_series({{ first_month }}, {{ last_month }}, interval 1 month)) as date
    )
{%- endmacro %}

{% macro spark__unnest_month_dates(first_month, last_month) -%}
    explode(sequence(cast({{ first_month }} as date), cast({{ last_month }} as date), interval 1 month))
{%- endmacro %}

{#- The largest instant, to stand for "none yet" in a max (DuckDB timestamptz 'infinity'). -#}
{% macro instant_infinity() -%}
    {{ return(adapter.dispatch('instant_infinity', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__instant_infinity() -%}cast('infinity' as timestamptz){%- endmacro %}

{% macro spark__instant_infinity() -%}timestamp'9999-12-31 23:59:59.999999'{%- endmacro %}

{#- Whole days from date `start` to date `end` (DuckDB date_diff('day', start, end)). -#}
{% macro date_diff_days(start, end) -%}
    {{ return(adapter.dispatch('date_diff_days', 'tallyhouse')(start, end)) }}
{%- endmacro %}

{% macro default__date_diff_days(start, end) -%}date_diff('day', {{ start }}, {{ end }}){%- endmacro %}

{% macro spark__date_diff_days(start, end) -%}datediff({{ end }}, {{ start }}){%- endmacro %}

{#- Day of the week of a date, Sunday = 0 to Saturday = 6 (DuckDB dayofweek). -#}
{% macro day_of_week(day) -%}
    {{ return(adapter.dispatch('day_of_week', 'tallyhouse')(day)) }}
{%- endmacro %}

{% macro default__day_of_week(day) -%}dayofweek({{ day }}){%- endmacro %}

{% macro spark__day_of_week(day) -%}(dayofweek({{ day }}) - 1){%- endmacro %}

{#- An interval of n `unit`s (day or month), of one type whatever the unit, so that days and
    months can share a column (DuckDB INTERVAL; Spark's calendar interval). Add it to a date
    or subtract it, then cast to date. -#}
{% macro calendar_interval(n, unit) -%}
    {{ return(adapter.dispatch('calendar_interval', 'tallyhouse')(n, unit)) }}
{%- endmacro %}

{% macro default__calendar_interval(n, unit) -%}interval {{ n }} {{ unit }}{%- endmacro %}

{% macro spark__calendar_interval(n, unit) -%}
    {%- if unit == 'month' -%}make_interval(0, {{ n }}, 0, 0, 0, 0, 0)
    {%- elif unit == 'day' -%}make_interval(0, 0, 0, {{ n }}, 0, 0, 0)
    {%- else -%}{{ exceptions.raise_compiler_error('calendar_interval: unit day or month, not ' ~ unit) }}
    {%- endif -%}
{%- endmacro %}
