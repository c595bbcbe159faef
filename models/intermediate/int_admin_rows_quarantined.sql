-- Every row of a loaded admin snapshot that is left out of it as of T, with the reason and
-- the message quarantine shows: a row holding a clear-text secret (raw_secret), or one that
-- breaks its table's checks (admin_row_checks). The tables are those of the var admin_tables.
{% set tables = admin_tables() %}
with admin_secrets as (
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
        inner join {{ ref('int_files_landed') }} as files
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
        inner join {{ ref('int_files_landed') }} as files
            on raw_rows.content_hash = files.content_hash
        where
            files.feed = 'admin/{{ table }}'
            and files.status = 'loaded'
            and raw_rows.secret_columns is null
            and not {{ admin_row_is_valid(table) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from admin_secrets
union all
select * from admin_rows
