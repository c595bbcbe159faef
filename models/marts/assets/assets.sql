-- Every asset known as of T, from the newest assets snapshot and from usage records, with
-- the flags of CONTRACT 3.2: unassigned, disregarded, unbound, new.
with admin_assets as (
    select * from {{ ref('int_assets_current') }}
),

current_disregarded as (
    select * from {{ ref('int_disregarded_assets_current') }}
),

disregarded as (
    select distinct asset_id from current_disregarded
),

records as (
    select
        asset_id,
        min(recorded_at) as first_seen,
        max(recorded_at) as last_seen,
        max_by(source_type, {{ sort_key(reading_order()) }}) as latest_source_type,
        max_by(description, {{ sort_key(reading_order()) }})
        filter (where description is not null) as latest_description,
        max(event_client_id) as event_client_id,
        bool_or(feed = 'service_events') as is_service_asset
    from {{ ref('int_usage_records') }}
    where not is_duplicate
    group by asset_id
),

-- Only records of billed periods make an asset unbound: a period with no bucket in it is
-- not billed, and its records are not listed as unbound usage.
unbound as (
    select distinct bound.asset_id
    from {{ ref('int_bound_records') }} as bound
    inner join {{ ref('int_billed_periods') }} as billed
        on bound.client_id = billed.client_id and bound.period_start = billed.period_start
    where bound.is_bill and not bound.is_carry_in and bound.bucket_id is null
),

known_clients as (
    -- every client listed in any clients snapshot
    select client_id from {{ ref('int_client_timezones') }}
),

all_assets as (
    select asset_id from admin_assets
    union
    select asset_id from records
)

select
    all_assets.asset_id,
    coalesce(admin_assets.client_id, records.event_client_id) as client_id,
    coalesce(admin_assets.source_type, records.latest_source_type) as source_type,
    {{ redact_text('coalesce(admin_assets.description, records.latest_description)') }} as description,
    records.first_seen,
    records.last_seen,
    -- a service asset of a client no clients snapshot lists is unassigned too: its usage
    -- cannot be billed to anyone (is_unknown_client says why)
    coalesce(
        coalesce(admin_assets.client_id, records.event_client_id) is null
        or (admin_assets.client_id is null and known_clients.client_id is null),
        false
    ) as is_unassigned,
    unbound.asset_id is not null
    and coalesce(admin_assets.client_id, records.event_client_id) is not null
    and disregarded.asset_id is null as is_unbound,
    coalesce(
        records.first_seen > {{ as_of() }} - interval 7 days
        and records.first_seen <= {{ as_of() }},
        false
    ) as is_new,
    disregarded.asset_id is not null as is_disregarded,
    admin_assets.asset_name,
    coalesce(records.is_service_asset, false) as is_service_asset,
    records.event_client_id is not null
    and admin_assets.client_id is null
    and known_clients.client_id is null as is_unknown_client,
    {{ as_of() }} as calculated_at
from all_assets
left join admin_assets on all_assets.asset_id = admin_assets.asset_id
left join records on all_assets.asset_id = records.asset_id
left join unbound on all_assets.asset_id = unbound.asset_id
left join disregarded on all_assets.asset_id = disregarded.asset_id
left join known_clients on records.event_client_id = known_clients.client_id
