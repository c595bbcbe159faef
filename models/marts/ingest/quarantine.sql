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
    from {{ ref('int_meter_readings_validated') }}
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
    from {{ ref('int_service_events_validated') }}
    where reason is not null
),

admin_rows as (
    select * from {{ ref('int_admin_rows_quarantined') }}
),

rejected_files as (
    select
        feed,
        file,
        file_name,
        arrived,
        cast(null as bigint) as row_number,
        cast(null as {{ type_text() }}) as raw,
        'rejected_file' as reason,
        coalesce(message, 'file ' || file || ' could not be read')
        || '; the whole file was rejected, the files beside it still load' as message
    from {{ ref('int_files_landed') }}
    where status = 'rejected'
),

all_rows as (
    select * from readings
    union all
    select * from events
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
