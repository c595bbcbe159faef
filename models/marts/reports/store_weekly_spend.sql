-- Spend on platform services per client, billing month, week and service category (AI,
-- Chat, Image, Other). Each services bucket's final cost is allocated to the weeks of its
-- month by the week's share of the bucket's usage, to the cent, with largest remainders
-- (ties by the earlier week), so a month's weeks add up exactly to its services charges.
-- Weeks start on Monday in the client's timezone; the first and last week of a month are cut
-- at the month's bounds. A bucket without usage (its commit only) is one row with an empty
-- week_start.
with bills as (
    select
        client_id,
        period_start,
        bucket_id,
        unit_type,
        timezone,
        final_cost,
        finalized,
        cast(final_cost * 100 as hugeint) as cost_cents
    from {{ ref('billing_readings') }}
    where source_type = 'services'
),

records as (
    select
        records.client_id,
        records.period_start,
        records.bucket_id,
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
            cast(date_trunc('week', timezone(bills.timezone, records.recorded_at)) as date),
            records.period_start
        ) as week_start
    from {{ ref('int_bound_records') }} as records
    inner join bills
        on
            records.client_id = bills.client_id
            and records.period_start = bills.period_start
            and records.bucket_id = bills.bucket_id
    where records.is_bill and not records.is_carry_in
),

week_usage as (
    select
        client_id,
        period_start,
        bucket_id,
        week_start,
        {{ usage_of_records() }} as usage,
        count(*) as events
    from records
    group by client_id, period_start, bucket_id, week_start
),

weighted as (
    select
        bills.client_id,
        bills.period_start,
        bills.bucket_id,
        bills.unit_type,
        bills.finalized,
        bills.cost_cents,
        week_usage.week_start,
        week_usage.events,
        {{ decimal10_to_units('week_usage.usage') }} as usage_units,
        sum({{ decimal10_to_units('week_usage.usage') }}) over (
            partition by bills.client_id, bills.period_start, bills.bucket_id
        ) as total_units
    from bills
    inner join week_usage
        on
            bills.client_id = week_usage.client_id
            and bills.period_start = week_usage.period_start
            and bills.bucket_id = week_usage.bucket_id
),

shares as (
    {{ largest_remainder_cents('weighted', tie_break='week_start') }}
),

allocated as (
    select
        client_id,
        period_start,
        bucket_id,
        unit_type,
        week_start,
        events,
        allocated_cents as cents,
        finalized
    from shares
),

unallocated as (
    select
        bills.client_id,
        bills.period_start,
        bills.bucket_id,
        bills.unit_type,
        cast(null as date) as week_start,
        cast(0 as bigint) as events,
        bills.cost_cents as cents,
        bills.finalized
    from bills
    where not exists (
        select 1 from shares
        where
            shares.client_id = bills.client_id
            and shares.period_start = bills.period_start
            and shares.bucket_id = bills.bucket_id
    )
),

service_categories as (
    {{ service_categories() }}
),

all_rows as (
    select * from allocated
    union all
    select * from unallocated
),

final as (
    select
        all_rows.client_id,
        all_rows.period_start,
        all_rows.week_start,
        coalesce(service_categories.category, 'Other') as category,
        cast(
            sum(all_rows.cents) * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
        ) as spend,
        cast(sum(all_rows.events) as bigint) as events,
        count(distinct all_rows.bucket_id) as buckets,
        bool_and(all_rows.finalized) as finalized,
        {{ as_of() }} as calculated_at
    from all_rows
    left join service_categories on all_rows.unit_type = service_categories.unit_type
    group by all
)

select * from final
