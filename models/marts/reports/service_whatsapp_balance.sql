-- WhatsApp messages in versus out per client by day, week and month (the periods of
-- marts.service_consumption): inbound and outbound quantities, outbound minus inbound, and
-- outbound messages per inbound message (2 places, empty when nothing came in).
with consumption as (
    select * from {{ ref('service_consumption') }}
    where metric in ('whatsapp_inbound', 'whatsapp_outbound')
),

balances as (
    select
        client_id,
        grain,
        period_start,
        any_value(period_end) as period_end,
        coalesce(sum(quantity) filter (where metric = 'whatsapp_inbound'), 0) as inbound,
        coalesce(sum(quantity) filter (where metric = 'whatsapp_outbound'), 0) as outbound,
        bool_and(is_complete) as is_complete
    from consumption
    group by client_id, grain, period_start
),

final as (
    select
        client_id,
        grain,
        period_start,
        period_end,
        cast(inbound as decimal(38, 6)) as inbound,
        cast(outbound as decimal(38, 6)) as outbound,
        cast(outbound - inbound as decimal(38, 6)) as net_outbound,
        case
            when inbound > 0
                then cast(
                    {{ round_div(
                        decimal10_to_units('outbound') ~ ' * 100',
                        decimal10_to_units('inbound')
                    ) }} * cast(0.01 as decimal(3, 2)) as decimal(38, 2)
                )
        end as outbound_per_inbound,
        is_complete,
        {{ as_of() }} as calculated_at
    from balances
)

select * from final
