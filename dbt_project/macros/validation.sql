{#-
    Row validation of CONTRACT 2.4, as lists of checks [condition, reason, problem]: a row
    breaks the first check whose condition holds. `check_reason` and `check_problem` turn a
    list into the reason code and the sentence that says what is wrong.
-#}

{#-
    The largest magnitude a landed number may have: 10^15 (15 integer digits). The warehouse
    keeps quantities as DECIMAL(38, 10) or wider and money as DECIMAL(38, 6); a sum of 10^8
    rows of at most 10^15 stays below 10^23, and times a price below 10^3 below 10^26, inside
    every DECIMAL(38, 12) the marts use. A 64-bit counter at its maximum
    (18446744073709551615) is out of range.
-#}
{#- The CTEs a usage feed's validation model starts from: `files`, the feed's files loaded
    as of T, and `known_unit_types`, the unit types of the unit_types snapshot in force. -#}
{% macro usage_validation_inputs(feed) -%}
files as (
    select
        file,
        file_name,
        arrived,
        content_hash
    from {{ ref('int_files_landed') }}
    where feed = '{{ feed }}' and status = 'loaded'
),

known_unit_types as (
    select distinct unit_type from {{ ref('int_unit_types_current') }}
)
{%- endmacro %}

{% macro max_number_magnitude() -%}
    1e15
{%- endmacro %}

{% macro check_reason(checks) -%}
    case
        {%- for check in checks %}
            when {{ check[0] }} then '{{ check[1] }}'
        {%- endfor %}
    end
{%- endmacro %}

{% macro check_problem(checks) -%}
    case
        {%- for check in checks %}
            when {{ check[0] }} then {{ check[2] }}
        {%- endfor %}
    end
{%- endmacro %}

{#- A record the reader could not split into the header's fields. -#}
{% macro malformed_checks(malformed) -%}
    {{ return([[
        malformed ~ ' is not null', 'malformed_row',
        "'the row has ' || case when " ~ malformed ~ " like '%TOO MANY COLUMNS%' then 'more' "
        ~ "when " ~ malformed ~ " like '%MISSING COLUMNS%' then 'fewer' else 'other' end "
        ~ "|| ' fields than the header' || case when " ~ malformed
        ~ " not like '%COLUMNS%' then ' (' || lower(" ~ malformed ~ ") || ')' else '' end "
        ~ "|| '; quote a value that holds a comma'"
    ]]) }}
{%- endmacro %}

{#- Required text columns: empty is missing. `columns` are (sql, name) pairs. -#}
{% macro required_checks(columns) -%}
    {% set checks = [] %}
    {% for sql, name in columns %}
        {% do checks.append([
            "coalesce(" ~ sql ~ ", '') = ''", 'missing_field', "'" ~ name ~ " is empty'"
        ]) %}
    {% endfor %}
    {{ return(checks) }}
{%- endmacro %}

{#-
    A number as text: finite, a plain decimal (digits, one optional point, an optional sign
    and exponent: no `_`, no thousands separator, no comma), within max_number_magnitude,
    and by `sign` 'non_negative' (>= 0), 'positive' (> 0) or 'any'. A missing value is left
    to required_checks.
-#}
{% macro number_checks(sql, name, sign='non_negative') -%}
    {% set text = "trim(" ~ sql ~ ")" %}
    {% set shown = "'" ~ name ~ " ' || " ~ sql %}
    {% set checks = [
        ["lower(" ~ text ~ ") in ('nan', '+nan', '-nan', 'inf', '+inf', '-inf', 'infinity', "
            ~ "'+infinity', '-infinity')",
         'non_finite_number', shown ~ " || ' is not a finite number'"],
        ["coalesce(" ~ sql ~ ", '') <> '' and not " ~ regexp_full_match(text,
            "'[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?'"),
         'unparsable_number',
         shown ~ " || ' is not a plain decimal number (digits and one point; no _ or , inside)'"],
        ["coalesce(abs(" ~ try_cast_double(text) ~ ") >= " ~ max_number_magnitude()
            ~ ", false)",
         'out_of_range',
         shown ~ " || ' is too large: numbers must be below 10^15 in magnitude'"],
    ] %}
    {% if sign == 'non_negative' %}
        {% do checks.append([
            "coalesce(" ~ try_cast_double(text) ~ " < 0, false)", 'negative_value',
            shown ~ " || ' is negative'"
        ]) %}
    {% elif sign == 'positive' %}
        {% do checks.append([
            "coalesce(" ~ try_cast_double(text) ~ " <= 0, false)", 'non_positive_quantity',
            shown ~ " || ' must be greater than 0'"
        ]) %}
    {% endif %}
    {{ return(checks) }}
{%- endmacro %}

{#-
    An ISO-8601 timestamp as text: one DuckDB reads, with a UTC offset that exists
    (hours at most 14, minutes below 60). A missing value is left to required_checks.
-#}
{% macro timestamp_checks(sql, name) -%}
    {% set offset = "regexp_extract(trim(" ~ sql ~ "), "
        ~ regex_literal("[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?\\s*[+-]([0-9]{2}):?([0-9]{2})$") ~ ", "
    %}
    {{ return([[
        "coalesce(" ~ sql ~ ", '') <> '' and (" ~ try_cast_instant(sql) ~ " is null "
            ~ "or coalesce(try_cast(" ~ offset ~ "3) as integer) > 14, false) "
            ~ "or coalesce(try_cast(" ~ offset ~ "4) as integer) > 59, false))",
        'unparsable_timestamp',
        "'" ~ name ~ " ' || " ~ sql ~ " || ' is not an ISO-8601 timestamp with a real offset'"
    ]]) }}
{%- endmacro %}

{#-
    The checks of an admin table's rows (CONTRACT 2.3, 2.4): ids present, numbers that parse,
    no negative payment, grant or limit, months that are YYYY-MM. Which columns each check
    covers is listed with the table in the var admin_tables (not_empty, numbers, months).
    `alias` is the raw table's alias. Buckets and unit types are checked as configuration
    (int_configuration_errors) and have none here.
-#}
{% macro admin_row_checks(table, alias='raw_rows') -%}
    {%- set spec = var('admin_tables')[table] -%}
    {% set checks = malformed_checks(alias ~ '.malformed') %}
    {% set columns = [] %}
    {% for column in spec.get('not_empty', []) %}
        {% do columns.append((alias ~ '.' ~ column, column)) %}
    {% endfor %}
    {% do checks.extend(required_checks(columns)) %}
    {% for column in spec.get('numbers', []) %}
        {% do checks.extend(number_checks(alias ~ '.' ~ column, column)) %}
    {% endfor %}
    {% for column in spec.get('months', []) %}
        {% do checks.append([
            try_strptime_ymd(alias ~ '.' ~ column ~ " || '-01'") ~ " is null",
            'unparsable_timestamp', "'" ~ column ~ " ' || " ~ alias ~ '.' ~ column ~ " || ' is not YYYY-MM'"
        ]) %}
    {% endfor %}
    {{ return(checks) }}
{%- endmacro %}

{#- true when a raw admin row passes its table's checks. -#}
{% macro admin_row_is_valid(table, alias='raw_rows') -%}
    {%- set checks = admin_row_checks(table, alias) -%}
    {%- if checks -%}
        not coalesce({% for check in checks %}({{ check[0] }}){{ ' or ' if not loop.last }}{% endfor %}, false)
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
