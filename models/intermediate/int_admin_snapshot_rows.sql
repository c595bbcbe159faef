-- Every row of every admin snapshot arrived on or before T as a JSON object of the whole
-- row (every column of the table in the var admin_tables; users' e-mail masked), keyed by
-- the table's id column. Feeds the audit log.
{% set tables = admin_tables() %}
with versions as (
    select
        feed,
        content_hash,
        arrived as snapshot_arrived,
        {{ arrived_at('arrived') }} as snapshot_at,
        row_number() over (
            partition by feed, arrived order by file_name desc, file desc
        ) as day_rank
    from {{ ref('stg_raw__files') }}
    where feed like 'admin/%' and status in ('loaded', 'duplicate_file')
),

snapshot_rows as (
    {% for table, spec in tables.items() %}
        select
            '{{ table }}' as table_name,
            versions.snapshot_arrived,
            versions.snapshot_at,
            raw_rows.{{ spec[0] }} as record_id,
            raw_rows.row_number,
            {% set pairs = [] %}
            {% for column in spec[1] %}
                {% if column == 'email' %}
                    {% do pairs.append((column, mask_email('raw_rows.email'))) %}
                {% else %}
                    {% do pairs.append((column, 'raw_rows.' ~ column)) %}
                {% endif %}
            {% endfor %}
            {{ json_text_object(pairs) }} as row_values
        from {{ source('raw', 'admin_' ~ table) }} as raw_rows
        inner join versions
            on
                raw_rows.content_hash = versions.content_hash
                and versions.feed = 'admin/{{ table }}'
                and versions.day_rank = 1
        where raw_rows.secret_columns is null and coalesce(raw_rows.{{ spec[0] }}, '') <> ''
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
)

select * from snapshot_rows
