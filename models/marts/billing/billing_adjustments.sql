-- Late data never rewrites a finalized bill (CONTRACT 3.5). When records of a finalized
-- period P arrive after its cutoff, P's cost is recomputed at the horizon of each later
-- invoice period A that let them in, with P's configuration; the per-bucket difference
-- from the previous computation is booked on A's invoice. The lines telescope: the bill
-- plus all adjustments equal P's cost with all its data. Only billed periods have lines:
-- late records of a period that was not billed bill nothing, and a line whose invoice period
-- A is not billed (no bucket in A, so no invoice) is booked on the invoice of the next billed
-- period after A, once there is one.
select
    client_id,
    bucket_id,
    original_period_start,
    invoice_period_start,
    amount,
    unit_type,
    source_type,
    known_as_of,
    {{ as_of() }} as calculated_at
from {{ ref('int_billing_adjustments') }}
