-- A client's timezone is fixed by the first clients snapshot that lists it; later changes
-- are reported (test warn_client_timezone_changed) and ignored.
with listed as (
    select
        client_id,
        timezone,
        snapshot_arrived,
        snapshot_at,
        row_number() over (partition by client_id order by snapshot_arrived, row_number) as listing_rank
    from {{ ref('stg_admin__clients') }}
),

first_listing as (
    select
        client_id,
        timezone,
        snapshot_at as first_listed_at
    from listed
    where listing_rank = 1
),

zones as (
    {{ timezone_names() }}
)

select
    first_listing.client_id,
    first_listing.timezone,
    first_listing.first_listed_at,
    zones.name is not null as is_valid_timezone
from first_listing
left join zones on first_listing.timezone = zones.name
