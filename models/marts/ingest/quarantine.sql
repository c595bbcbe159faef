-- Every landed row that breaks a rule of CONTRACT 2.4, and every rejected file, as of T.
-- Nothing that arrives is lost: the raw row is kept as text with a reason and a message.
with readings as (
    select
        'meter_readings' as feed,
        file,
        file_name,
        arrived,
        row_number,
        raw,
        reason,
        'row ' || row_number || ' of ' || file || ': ' || problem
        || '; fix the row and land the file again' as message
    from {{ ref('stg_meter_readings') }}
    where reason is not null
),

events as (
    select
        'service_events' as feed,
        file,
        file_name,
        arrived,
        row_number,
        raw,
        reason,
        'row ' || row_number || ' of ' || file || ': ' || problem
        || '; fix the row and land the file again' as message
    from {{ ref('stg_service_events') }}
    where reason is not null
),

admin_secrets as (
    {% set tables = ['clients', 'assets', 'unit_types', 'buckets', 'suppressions',
                     'disregarded_assets', 'credit_grants', 'usage_limits', 'payments',
                     'api_keys', 'users'] %}
    {% for table in tables %}
        select
            files.feed,
            files.file,
            files.file_name,
            files.arrived,
            raw_rows.row_number,
            raw_rows.raw,
            'raw_secret' as reason,
            'row ' || raw_rows.row_number || ' of ' || files.file || ': column '
            || raw_rows.secret_columns || ' holds what looks like a clear-text key; it was not '
            || 'stored. Land the table again with only the key''s hash' as message
        from {{ source('raw', 'admin_' ~ table) }} as raw_rows
        inner join {{ ref('stg_raw__files') }} as files
            on raw_rows.content_hash = files.content_hash
        where
            files.feed = 'admin/{{ table }}'
            and files.status = 'loaded'
            and raw_rows.secret_columns is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

admin_rows as (
    {% for table in tables %}
        {% set checks = admin_row_checks(table) %}
        select
            files.feed,
            files.file,
            files.file_name,
            files.arrived,
            raw_rows.row_number,
            raw_rows.raw,
            {{ check_reason(checks) }} as reason,
            'row ' || raw_rows.row_number || ' of ' || files.file || ': '
            || {{ check_problem(checks) }}
            || '; the row was left out of the snapshot: fix it and land the table again'
                as message
        from {{ source('raw', 'admin_' ~ table) }} as raw_rows
        inner join {{ ref('stg_raw__files') }} as files
            on raw_rows.content_hash = files.content_hash
        where
            files.feed = 'admin/{{ table }}'
            and files.status = 'loaded'
            and raw_rows.secret_columns is null
            and not {{ admin_row_is_valid(table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

rejected_files as (
    select
        feed,
        file,
        file_name,
        arrived,
        cast(null as bigint) as row_number,
        cast(null as varchar) as raw,
        'rejected_file' as reason,
        coalesce(message, 'file ' || file || ' could not be read')
        || '; the whole file was rejected, the files beside it still load' as message
    from {{ ref('stg_raw__files') }}
    where status = 'rejected'
),

all_rows as (
    select * from readings
    union all
    select * from events
    union all
    select * from admin_secrets
    union all
    select * from admin_rows
    union all
    select * from rejected_files
)

-- secrets inside the text redacted and e-mail addresses masked, in the raw row and message
select
    feed,
    file,
    file_name,
    arrived,
    row_number,
    {{ redact_text('raw') }} as raw,
    reason,
    {{ redact_text('message') }} as message,
    {{ as_of() }} as calculated_at
from all_rows
