with snapshot_rows as (
    {{ admin_snapshot_rows('clients') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    client_id,
    {{ redact_text('name') }} as client_name,  -- secrets redacted, e-mail addresses masked
    coalesce(nullif(timezone, ''), 'UTC') as timezone,
    coalesce(try_cast(nullif(net_terms_days, '') as integer), 30) as net_terms_days,
    net_terms_days as net_terms_days_text,
    {{ parse_bool('enabled') }} as is_enabled,
    {{ try_cast_instant('created_at') }} as created_at
from snapshot_rows
where coalesce(client_id, '') <> ''
