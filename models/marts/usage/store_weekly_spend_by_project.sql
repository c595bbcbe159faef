-- Spend on platform services per client, billing month, week and project (or branch):
-- each project's share of a services bucket's final cost (marts.store_spend_by_project)
-- split over the weeks of the month by the week's share of the project's usage in that
-- bucket, to the cent, with largest remainders (ties by the earlier week), so a project's
-- weeks add up exactly to its spend in store_spend_by_project and a month's rows to its
-- services charges (macro weekly_spread_ctes, shared with store_weekly_spend). Weeks start
-- on Monday in the client's timezone; the first and last week of a month are cut at the
-- month's bounds. A bucket without usage (its commit only) is one '(unallocated)' row with
-- an empty week_start, and so is a project whose usage in the bucket is zero.
with bucket_timezones as (
    select distinct
        client_id,
        period_start,
        bucket_id,
        timezone
    from {{ ref('billing_readings') }}
),

costs as (
    select
        spend.client_id,
        spend.period_start,
        spend.bucket_id,
        spend.asset_id,
        spend.project,
        spend.finalized,
        cast(spend.allocated_cost * 100 as {{ type_int128() }}) as cost_cents,
        readings.timezone
    from {{ ref('store_spend_by_project') }} as spend
    inner join bucket_timezones as readings
        on
            spend.client_id = readings.client_id
            and spend.period_start = readings.period_start
            and spend.bucket_id = readings.bucket_id
),

{{ weekly_spread_ctes(keys=['asset_id'], carry=['project']) }}

select
    client_id,
    period_start,
    week_start,
    project,
    cast(sum(cents) * cast(0.01 as decimal(3, 2)) as decimal(38, 2)) as spend,
    cast(sum(events) as bigint) as events,
    count(distinct bucket_id) as buckets,
    bool_and(finalized) as finalized,
    {{ as_of() }} as calculated_at
from spread
group by client_id, period_start, week_start, project
