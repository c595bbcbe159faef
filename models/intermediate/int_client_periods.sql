-- Every period of every client that has started by T and is in that period's configuration:
-- the candidates for billing (int_billed_periods keeps those with a bucket in them). A period
-- is a calendar month in the client's timezone (fixed by the first clients snapshot that
-- lists the client). It is rated with the newest snapshot of each rating table that arrived
-- on or before its horizon = min(cutoff, T), so a snapshot that arrives inside the period's
-- grace window configures it. Nothing is billed before a client's first configuration: the
-- clients snapshot that configures the period must list the client.
with client_timezones as (
    select
        client_id,
        timezone,
        first_listed_at
    from {{ ref('int_client_timezones') }}
    where is_valid_timezone
),

months as (
    select
        client_id,
        timezone,
        first_listed_at,
        {{ unnest_month_dates(
            "date_trunc(
                'month',
                " ~ instant_to_local('first_listed_at - ' ~ grace_interval() ~ ' - interval 1 month', 'timezone') ~ "
            )",
            "date_trunc('month', " ~ instant_to_local(as_of(), 'timezone') ~ ")",
        ) }} as period_start
    from client_timezones
),

bounds as (
    select
        client_id,
        timezone,
        first_listed_at,
        period_start,
        cast(period_start + interval 1 month as date) as period_end,
        {{ local_to_instant('cast(period_start as timestamp)', 'timezone') }} as start_at,
        {{ local_to_instant('cast(period_start + interval 1 month as timestamp)', 'timezone') }} as end_at
    from months
),

horizons as (
    select
        *,
        {{ period_horizon_columns() }}
    from bounds
    where start_at <= {{ as_of() }}
),

versions as (
    select
        horizons.client_id,
        horizons.period_start,
        {{ rating_versions(['clients', 'assets', 'unit_types', 'buckets', 'disregarded_assets']) }}
    from horizons
    inner join {{ ref('stg_admin__versions') }} as snapshots
        on horizons.horizon_at >= snapshots.snapshot_at
    group by horizons.client_id, horizons.period_start
)

select
    horizons.client_id,
    horizons.timezone,
    horizons.period_start,
    horizons.period_end,
    horizons.start_at,
    horizons.end_at,
    horizons.cutoff_at,
    horizons.horizon_at,
    horizons.finalized,
    versions.clients_version,
    versions.assets_version,
    versions.unit_types_version,
    versions.buckets_version,
    versions.disregarded_assets_version
from horizons
inner join versions
    on horizons.client_id = versions.client_id and horizons.period_start = versions.period_start
inner join {{ ref('stg_admin__clients') }} as clients
    on
        versions.client_id = clients.client_id
        and versions.clients_version = clients.snapshot_arrived
where clients.is_enabled
