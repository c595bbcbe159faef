with snapshot_rows as (
    {{ admin_snapshot_rows('payments') }}
)

select
    snapshot_arrived,
    snapshot_at,
    file,
    row_number,
    payment_id,
    client_id,
    period,
    try_strptime(period || '-01', '%Y-%m-%d')::date as period_month,
    try_cast(amount as decimal(24, 6)) as amount,
    try_cast(paid_at as timestamptz) as paid_at
from snapshot_rows
where coalesce(payment_id, '') <> ''
