-- Consumption of platform services per client by day, week (Monday first) and calendar
-- month in the client's timezone: one row per client, grain, period and metric (the unit
-- type its events are billed in: sms_outbound, email_outbound, whatsapp_inbound and
-- _outbound, call minutes, video call minutes, bot sessions, and the other services), with
-- the quantity of the period before of the same grain and the change. Quantities sum the
-- valid, deduplicated service events known as of T. A period without events follows one
-- with events as a row of quantity 0; periods after T's local date are not shown.
-- Changes compare like with like. The period running at T is compared with the same elapsed
-- time of the period before (its first 4 days when 4 days of this one have passed). A period
-- that began before the client's first service event holds only a sliver of its usage: it
-- is partial, and no percent change is taken against it (nor against 0).
with events as (
    select
        records.event_client_id as client_id,
        records.unit_type,
        records.value as quantity,
        records.recorded_at,
        {{ instant_to_local('records.recorded_at', "coalesce(timezones.timezone, 'UTC')") }} as local_at,
        coalesce(timezones.timezone, 'UTC') as timezone
    from {{ ref('int_usage_records') }} as records
    left join {{ ref('int_client_timezones') }} as timezones
        on records.event_client_id = timezones.client_id and timezones.is_valid_timezone
    where records.feed = 'service_events' and not records.is_duplicate
),

grains as (
    select
        'day' as grain,
        {{ calendar_interval(1, 'day') }} as step
    union all
    select
        'week' as grain,
        {{ calendar_interval(7, 'day') }} as step
    union all
    select
        'month' as grain,
        {{ calendar_interval(1, 'month') }} as step
),

first_events as (
    select
        client_id,
        min(recorded_at) as first_event_at
    from events
    group by client_id
),

bucketed as (
    select
        events.client_id,
        events.timezone,
        events.unit_type,
        grains.grain,
        grains.step,
        events.quantity,
        events.recorded_at,
        cast(date_trunc(grains.grain, events.local_at) as date) as period_start
    from events
    cross join grains
),

quantities as (
    select
        client_id,
        unit_type,
        grain,
        period_start,
        any_value(timezone) as timezone,
        any_value(step) as step,
        sum(quantity) as quantity,
        count(*) as events
    from bucketed
    group by client_id, unit_type, grain, period_start
),

periods as (
    select
        client_id,
        unit_type,
        grain,
        period_start,
        timezone,
        step
    from quantities
    union
    select
        client_id,
        unit_type,
        grain,
        cast(period_start + step as date) as period_start,
        timezone,
        step
    from quantities
    where cast(period_start + step as date) <= cast({{ instant_to_local(as_of(), 'timezone') }} as date)
),

compared as (
    select
        periods.client_id,
        periods.grain,
        periods.period_start,
        cast(periods.period_start + periods.step as date) as period_end,
        periods.unit_type,
        periods.timezone,
        coalesce(current_period.quantity, 0) as quantity,
        coalesce(current_period.events, 0) as events,
        coalesce(previous_period.quantity, 0) as previous_quantity,
        cast(periods.period_start - periods.step as date) as previous_period_start,
        {{ local_to_instant('cast(periods.period_start as timestamp)', 'periods.timezone') }} as start_at,
        {{ local_to_instant(
            'cast(cast(periods.period_start - periods.step as date) as timestamp)',
            'periods.timezone'
        ) }} as previous_start_at,
        {{ local_to_instant(
            'cast(cast(periods.period_start + periods.step as date) as timestamp)',
            'periods.timezone'
        ) }} as end_at
    from periods
    left join quantities as current_period
        on
            periods.client_id = current_period.client_id
            and periods.unit_type = current_period.unit_type
            and periods.grain = current_period.grain
            and periods.period_start = current_period.period_start
    left join quantities as previous_period
        on
            periods.client_id = previous_period.client_id
            and periods.unit_type = previous_period.unit_type
            and periods.grain = previous_period.grain
            and periods.period_start = cast(previous_period.period_start + previous_period.step as date)
),

-- The period running at T: the period before, cut at the same elapsed time.
same_span as (
    select
        compared.client_id,
        compared.unit_type,
        compared.grain,
        compared.period_start,
        sum(bucketed.quantity) as quantity
    from compared
    inner join bucketed
        on
            compared.client_id = bucketed.client_id
            and compared.unit_type = bucketed.unit_type
            and compared.grain = bucketed.grain
            and compared.previous_period_start = bucketed.period_start
            and {{ epoch_us('bucketed.recorded_at') }} < {{ epoch_us('compared.previous_start_at') }}
            + ({{ epoch_us(as_of()) }} - {{ epoch_us('compared.start_at') }})
    where compared.end_at > {{ as_of() }}
    group by compared.client_id, compared.unit_type, compared.grain, compared.period_start
),

based as (
    select
        compared.*,
        case
            when compared.end_at > {{ as_of() }} then coalesce(same_span.quantity, 0)
            else compared.previous_quantity
        end as comparable_previous_quantity,
        compared.end_at > {{ as_of() }} or compared.start_at < first_events.first_event_at
            as is_partial,
        compared.previous_start_at < first_events.first_event_at as is_previous_sliver
    from compared
    inner join first_events on compared.client_id = first_events.client_id
    left join same_span
        on
            compared.client_id = same_span.client_id
            and compared.unit_type = same_span.unit_type
            and compared.grain = same_span.grain
            and compared.period_start = same_span.period_start
),

final as (
    select
        compared.client_id,
        compared.grain,
        compared.period_start,
        compared.period_end,
        compared.unit_type as metric,
        services.service,
        services.direction,
        {{ money('compared.quantity') }} as quantity,
        {{ money('compared.previous_quantity') }} as previous_quantity,
        {{ money('compared.comparable_previous_quantity') }} as comparable_previous_quantity,
        {{ money('compared.quantity - compared.comparable_previous_quantity') }} as change,
        case
            when compared.comparable_previous_quantity > 0 and not compared.is_previous_sliver
                then cast(
                    {{ round_div(
                        decimal10_to_units(
                            'compared.quantity - compared.comparable_previous_quantity'
                        ) ~ ' * 10000',
                        decimal10_to_units('compared.comparable_previous_quantity')
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as change_pct,
        compared.events,
        compared.end_at <= {{ as_of() }} as is_complete,
        compared.is_partial,
        {{ as_of() }} as calculated_at
    from based as compared
    left join {{ ref('service_unit_types') }} as services
        on compared.unit_type = services.unit_type
)

select * from final
