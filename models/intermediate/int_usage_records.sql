-- Valid meter readings and service events as one stream of usage records, each with its
-- deduplication key; the first by (arrival, file base name, row number) is billed, the
-- others are kept and flagged as duplicates.
-- Incremental by file (int_usage_files): when the only change since the last run is files
-- that arrived after every file already here (a new day landed), only their rows are typed
-- and appended, each flagged a duplicate when its key is already here or earlier in the new
-- files. Any other change (a file gone or re-landed, another set of known unit types, other
-- code, a file landed in an earlier arrival day) rebuilds every row. Either way the table
-- equals a full rebuild. The model int_usage_records_processed_files, built after this one,
-- remembers the files already seen: this model reads the table its last build left.
{{ config(
    materialized=incremental_materialization(),
    incremental_strategy='delete+insert',
    unique_key='file_fingerprint',
    on_schema_change='sync_all_columns',
    post_hook=[
        "{{ delete_stale_fingerprints(ref('int_usage_files'), 'file_fingerprint') }}",
    ] if incremental_materialization() == 'incremental' else [],
) }}

{%- set append_only = false -%}
{%- if incremental_on('file_fingerprint') -%}
    {%- set processed = adapter.get_relation(
        database=this.database, schema=this.schema,
        identifier='int_usage_records_processed_files') -%}
    {%- if processed is not none -%}
        {%- set check -%}
            select
                not exists (
                    select 1 from {{ processed }} as done
                    where not exists (
                        select 1 from {{ ref('int_usage_files') }} as current_files
                        where current_files.file_fingerprint = done.file_fingerprint
                    )
                )
                and not exists (
                    select 1 from {{ this }} as existing
                    where not exists (
                        select 1 from {{ processed }} as done
                        where done.file_fingerprint = existing.file_fingerprint
                    )
                )
                and coalesce(
                    (
                        select min(current_files.arrived)
                        from {{ ref('int_usage_files') }} as current_files
                        where not exists (
                            select 1 from {{ processed }} as done
                            where done.file_fingerprint = current_files.file_fingerprint
                        )
                    ) > (select max(done.arrived) from {{ processed }} as done),
                    true
                )
        {%- endset -%}
        {%- set append_only = run_query(check).columns[0].values()[0] -%}
    {%- endif -%}
{%- endif %}

with files as (
    select
        usage_files.file,
        usage_files.file_fingerprint
    from {{ ref('int_usage_files') }} as usage_files
    {% if append_only -%}
        where not exists (
            select 1 from {{ processed }} as done
            where done.file_fingerprint = usage_files.file_fingerprint
        )
    {%- endif %}
),

readings as (
    select
        'meter_readings' as feed,
        case
            when readings.reading_id is not null then 'id:' || readings.reading_id
            else
                'key:' || readings.asset_id || chr(31) || readings.unit_type || chr(31)
                || {{ epoch_us('readings.reading_at') }}
        end as record_key,
        readings.asset_id,
        cast(null as {{ type_text() }}) as event_client_id,
        readings.source_type,
        readings.unit_type,
        readings.reading_at as recorded_at,
        readings.value_decimal as value,
        cast(null as {{ type_text() }}) as user_id,
        readings.description,
        readings.file,
        readings.file_name,
        readings.arrived,
        readings.row_number,
        files.file_fingerprint
    from {{ ref('int_meter_readings_validated') }} as readings
    inner join files on readings.file = files.file
    where readings.reason is null
),

events as (
    select
        'service_events' as feed,
        'id:' || events.event_id as record_key,
        events.asset_id,
        events.client_id as event_client_id,
        'services' as source_type,
        events.unit_type,
        events.event_at as recorded_at,
        events.quantity_decimal as value,
        events.user_id,
        cast(null as {{ type_text() }}) as description,
        events.file,
        events.file_name,
        events.arrived,
        events.row_number,
        files.file_fingerprint
    from {{ ref('int_service_events_validated') }} as events
    inner join files on events.file = files.file
    where events.reason is null
),

unioned as {{ not_materialized() }} (
    select * from readings
    union all
    select * from events
),

-- The keys seen more than once, each with the position of its first row: a small table that
-- the rows stream past, instead of a window that sorts every row with every column by key.
-- Grouping every key still spills at 100 million readings (about 30 GB beside the warehouse,
-- BENCHMARKS.md); grouping 64-bit key hashes first was faster at 10 million but ran out of
-- memory at 100 million under the 4GB limit, so it is not used.
repeated_keys as (
    select
        feed,
        record_key,
        min({{ row_value(['arrived', 'file_name', 'row_number']) }}) as first_position
    from unioned
    group by feed, record_key
    having count(*) > 1
)

select
    unioned.*,
    '{{ invocation_id }}' as typed_invocation_id,
    {{ arrived_at('unioned.arrived') }} as arrived_at,
    coalesce(
        {{ row_value(['unioned.arrived', 'unioned.file_name', 'unioned.row_number']) }}
        <> repeated_keys.first_position,
        false
    )
    {%- if append_only %}
        or exists (
            select 1 from {{ this }} as earlier
            where earlier.feed = unioned.feed and earlier.record_key = unioned.record_key
        )
    {%- endif %} as is_duplicate
from unioned
left join repeated_keys
    on unioned.feed = repeated_keys.feed and unioned.record_key = repeated_keys.record_key
