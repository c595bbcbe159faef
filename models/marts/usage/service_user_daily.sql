-- Platform-service consumption per client, user, service, direction and day: the
-- quantity (tokens, messages, minutes, images or sessions: the unit type says which) and the
-- number of events, over every service event known as of T (duplicates counted once). The
-- day is the local date of the event in the client's timezone (UTC for a client not yet
-- listed); events without a user are one row with an empty user_id.
with events as (
    select
        event_client_id as client_id,
        user_id,
        unit_type,
        recorded_at,
        value as quantity
    from {{ ref('int_usage_records') }}
    where feed = 'service_events' and not is_duplicate
)

select
    events.client_id,
    events.user_id,
    services.service,
    services.direction,
    events.unit_type,
    cast(
        {{ instant_to_local('events.recorded_at', "coalesce(timezones.timezone, 'UTC')") }} as date
    ) as usage_date,
    {{ money('sum(events.quantity)') }} as quantity,
    count(*) as events,
    {{ as_of() }} as calculated_at
from events
left join {{ ref('service_unit_types') }} as services on events.unit_type = services.unit_type
left join {{ ref('int_client_timezones') }} as timezones on events.client_id = timezones.client_id
group by all
