-- Every client of the newest clients snapshot arrived on or before T (one row per client:
-- the last row of the file wins when an id repeats), with the timezone its periods use and
-- the number of buckets configured for it in the newest buckets snapshot.
with latest as (
    select
        client_id,
        client_name,
        timezone as listed_timezone,
        net_terms_days,
        is_enabled,
        created_at
    from {{ ref('int_clients_current') }}
),

current_buckets as (
    select * from {{ ref('int_buckets_current') }}
),

bucket_counts as (
    select
        client_id,
        count(distinct bucket_id) as buckets,
        count(distinct bucket_id) filter (where is_enabled) as enabled_buckets
    from current_buckets
    group by client_id
)

select
    latest.client_id,
    latest.client_name,
    coalesce(timezones.timezone, latest.listed_timezone) as timezone,
    latest.net_terms_days,
    latest.is_enabled,
    latest.created_at,
    coalesce(bucket_counts.buckets, 0) as buckets,
    coalesce(bucket_counts.enabled_buckets, 0) as enabled_buckets,
    timezones.first_listed_at,
    {{ as_of() }} as calculated_at
from latest
left join {{ ref('int_client_timezones') }} as timezones on latest.client_id = timezones.client_id
left join bucket_counts on latest.client_id = bucket_counts.client_id
