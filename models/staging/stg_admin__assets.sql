with snapshot_rows as (
    {{ admin_snapshot_rows('assets') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    asset_id,
    nullif(client_id, '') as client_id,
    source_type,
    -- free text: secrets inside it redacted, e-mail addresses masked (redact_text)
    {{ redact_text('name') }} as asset_name,
    nullif({{ redact_text('description') }}, '') as description,
    {{ parse_bool('ack', 'false') }} as is_acknowledged,
    {{ parse_bool('enabled') }} as is_enabled,
    {{ try_cast_instant('created_at') }} as created_at
from snapshot_rows
where coalesce(asset_id, '') <> ''
