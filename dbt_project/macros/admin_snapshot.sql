{#-
    Rows of every snapshot of an admin table that arrived on or before T, one snapshot per
    arrival day (the last file name of the day), rows holding a clear-text secret or breaking
    their table's checks (admin_row_checks) left out: they are in quarantine. snapshot_arrived identifies the version. A snapshot whose
    bytes repeat an earlier one (a reverted table) is still a version of its own.
-#}
{% macro admin_snapshot_rows(table_name) -%}
    select
        files.arrived as snapshot_arrived,
        {{ arrived_at('files.arrived') }} as snapshot_at,
        files.file,
        {{ star_exclude(['content_hash', 'file', 'arrived', 'loaded_at', 'raw', 'secret_columns', 'malformed'
        ], alias='raw_rows') }}
    from {{ source('raw', 'admin_' ~ table_name) }} as raw_rows
    inner join (
        select
            content_hash,
            file,
            arrived,
            row_number() over (partition by arrived order by file_name desc, file desc) as day_rank
        from {{ ref('stg_raw__files') }}
        where feed = 'admin/{{ table_name }}' and status in ('loaded', 'duplicate_file')
    ) as files
        on raw_rows.content_hash = files.content_hash and files.day_rank = 1
    where raw_rows.secret_columns is null and {{ admin_row_is_valid(table_name) }}
{%- endmacro %}

{#- 'true'/'false' text to boolean; empty uses the default, anything else is null. -#}
{% macro parse_bool(column, default='true') -%}
    case lower(coalesce({{ column }}, ''))
        when 'true' then true
        when 'false' then false
        when '' then {{ default }}
    end
{%- endmacro %}

{#- A text value in double quotes for a message, '(empty)' when there is none. -#}
{% macro quoted_text(column) -%}
    coalesce('"' || nullif(trim({{ column }}), '') || '"', '(empty)')
{%- endmacro %}
