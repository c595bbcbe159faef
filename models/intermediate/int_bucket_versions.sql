-- Every version of every bucket of the buckets snapshots arrived on or before T: one row per
-- run of consecutive snapshots that show the bucket unchanged, valid from the arrival of the
-- first (00:00 UTC) until the arrival of the first later snapshot that changes the bucket or
-- no longer lists it (valid_to; empty while current).
{%- set fields = [
    'client_id', 'bucket_name', 'source_type', 'unit_type', 'aggregation', 'commit_units',
    'base_price', 'overage_price', 'is_reviewed', 'is_enabled', 'created_at',
] %}
with versions as (
    select
        snapshot_arrived,
        snapshot_at,
        row_number() over (order by snapshot_arrived) as version_number,
        lead(snapshot_at) over (order by snapshot_arrived) as next_snapshot_at
    from {{ ref('stg_admin__versions') }}
    where table_name = 'buckets'
),

snapshot_buckets as (
    -- one row per bucket and snapshot: the last row of the file wins when an id repeats
    select
        {%- for field in fields %}
            max_by({{ field }}, row_number) as {{ field }},
        {%- endfor %}
        bucket_id,
        snapshot_arrived
    from {{ ref('stg_admin__buckets') }}
    group by bucket_id, snapshot_arrived
),

compared as (
    select
        snapshot_buckets.*,
        versions.snapshot_at,
        versions.version_number,
        versions.next_snapshot_at,
        coalesce(
            lag(versions.version_number) over bucket_history <> versions.version_number - 1
            or lag({{ row_value(fields) }}) over bucket_history
            is distinct from {{ row_value(fields) }},
            true
        ) as starts_version
    from snapshot_buckets
    inner join versions on snapshot_buckets.snapshot_arrived = versions.snapshot_arrived
    window bucket_history as (partition by snapshot_buckets.bucket_id order by versions.version_number)
),

numbered as (
    select
        *,
        sum(cast(starts_version as integer)) over (
            partition by bucket_id order by version_number
        ) as history_number
    from compared
)

select
    bucket_id,
    {%- for field in fields %}
        any_value({{ field }}) as {{ field }},
    {%- endfor %}
    min(snapshot_at) as valid_from,
    -- the next snapshot after the version's last one (empty when that one is the newest)
    nullif(
        max(coalesce(next_snapshot_at, {{ instant_infinity() }})),
        {{ instant_infinity() }}
    ) as valid_to,
    false as is_auto
from numbered
group by bucket_id, history_number
