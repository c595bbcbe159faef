-- Spend on platform services per client, billing month, week and project (or branch):
-- each project's share of a services bucket's final cost (marts.store_spend_by_project)
-- split over the weeks of the month by the week's share of the project's usage in that
-- bucket, to the cent, with largest remainders (ties by the earlier week), so a project's
-- weeks add up exactly to its spend in store_spend_by_project and a month's rows to its
-- services charges. Weeks start on Monday in the client's timezone; the first and last week
-- of a month are cut at the month's bounds. A bucket without usage (its commit only) is
-- one '(unallocated)' row with an empty week_start.
with bucket_timezones as (
    select distinct
        client_id,
        period_start,
        bucket_id,
        timezone
    from {{ ref('billing_readings') }}
),

project_costs as (
    select
        spend.client_id,
        spend.period_start,
        spend.bucket_id,
        spend.asset_id,
        spend.project,
        spend.finalized,
        cast(spend.allocated_cost * 100 as hugeint) as cost_cents,
        readings.timezone
    from {{ ref('store_spend_by_project') }} as spend
    inner join bucket_timezones as readings
        on
            spend.client_id = readings.client_id
            and spend.period_start = readings.period_start
            and spend.bucket_id = readings.bucket_id
),

records as (
    select
        records.client_id,
        records.period_start,
        records.bucket_id,
        records.asset_id,
        records.aggregation,
        records.quantity,
        records.value,
        records.user_id,
        records.is_carry_in,
        records.recorded_at,
        records.arrived,
        records.file_name,
        records.row_number,
        greatest(
            cast(date_trunc('week', timezone(costs.timezone, records.recorded_at)) as date),
            records.period_start
        ) as week_start
    from {{ ref('int_bound_records') }} as records
    inner join project_costs as costs
        on
            records.client_id = costs.client_id
            and records.period_start = costs.period_start
            and records.bucket_id = costs.bucket_id
            and records.asset_id = costs.asset_id
    where records.is_bill and not records.is_carry_in
),

week_usage as (
    select
        client_id,
        period_start,
        bucket_id,
        asset_id,
        week_start,
        {{ usage_of_records() }} as usage,
        count(*) as events
    from records
    group by client_id, period_start, bucket_id, asset_id, week_start
),

-- largest_remainder_cents shares a cost within (client_id, period_start, bucket_id): here
-- the cost shared is one project's, so bucket_id carries the bucket and the project.
weighted as (
    select
        costs.client_id,
        costs.period_start,
        costs.bucket_id || chr(31) || costs.asset_id as bucket_id,
        costs.bucket_id as services_bucket_id,
        costs.project,
        costs.finalized,
        costs.cost_cents,
        week_usage.week_start,
        week_usage.events,
        {{ decimal10_to_units('week_usage.usage') }} as usage_units,
        sum({{ decimal10_to_units('week_usage.usage') }}) over (
            partition by costs.client_id, costs.period_start, costs.bucket_id, costs.asset_id
        ) as total_units
    from project_costs as costs
    inner join week_usage
        on
            costs.client_id = week_usage.client_id
            and costs.period_start = week_usage.period_start
            and costs.bucket_id = week_usage.bucket_id
            and costs.asset_id = week_usage.asset_id
),

shares as (
    {{ largest_remainder_cents('weighted', tie_break='week_start') }}
),

allocated as (
    select
        client_id,
        period_start,
        services_bucket_id as bucket_id,
        project,
        week_start,
        events,
        allocated_cents as cents,
        finalized
    from shares
),

-- Projects whose share has no weekly usage to spread over: the '(unallocated)' commit of a
-- bucket without usage, and a project whose usage in the bucket is zero.
unspread as (
    select
        client_id,
        period_start,
        bucket_id,
        project,
        cast(null as date) as week_start,
        cast(0 as bigint) as events,
        cost_cents as cents,
        finalized
    from project_costs
    where not exists (
        select 1 from shares
        where
            shares.client_id = project_costs.client_id
            and shares.period_start = project_costs.period_start
            and shares.services_bucket_id = project_costs.bucket_id
            and shares.project = project_costs.project
    )
),

all_rows as (
    select * from allocated
    union all
    select * from unspread
)

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
from all_rows
group by client_id, period_start, week_start, project
