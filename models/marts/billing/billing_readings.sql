-- One row per client, bucket and billed period: the period's bill as of T.
select
    client_id,
    bucket_id,
    unit_type,
    source_type,
    period_start,
    period_end,
    usage,
    commit_units,
    committed_amount,
    overage_units,
    overage_amount,
    buffer_units,
    buffer_amount,
    final_cost,
    status,
    finalized,
    bucket_name,
    aggregation,
    base_price,
    overage_price,
    is_auto,
    is_reviewed,
    timezone,
    {{ as_of() }} as calculated_at
from {{ ref('int_bucket_ratings') }}
where is_bill
