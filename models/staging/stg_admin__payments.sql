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
    {{ try_strptime_ymd("period || '-01'") }}::date as period_month,
    try_cast(amount as decimal(24, 6)) as amount,
    {{ try_cast_instant('paid_at') }} as paid_at
from snapshot_rows
where coalesce(payment_id, '') <> ''
