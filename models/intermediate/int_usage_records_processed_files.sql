-- The usage files int_usage_records has typed, as of its last build: built right after it,
-- and read by its next build (as the table this model left, not through ref(): that would be
-- a cycle) to decide whether only newly arrived files need typing.
-- depends_on: {{ ref('int_usage_records') }}
select
    file_fingerprint,
    arrived
from {{ ref('int_usage_files') }}
