-- One fingerprint per (client, period, horizon) of int_rating_horizons: a digest of every
-- input its bound records and usage depend on. The horizon's own columns and its period's
-- configuration versions; every landed file (path, content hash, status) arrived on or
-- before the horizon, which fixes the records, their duplicates and the configuration
-- snapshots; the unit types known as of T, which decide which rows are valid; grace_hours;
-- and the project's code. Incremental models recompute a horizon only when its fingerprint
-- is new: a finalized period's horizons keep theirs from run to run.
with periods as (
    select * from {{ ref('int_client_periods') }}
),

horizons as (
    select
        horizons.client_id,
        horizons.period_start,
        horizons.invoice_period_start,
        horizons.horizon_at,
        horizons.is_bill,
        horizons.window_end_at,
        periods.timezone,
        periods.start_at,
        periods.end_at,
        periods.assets_version,
        periods.unit_types_version,
        periods.buckets_version,
        periods.disregarded_assets_version
    from {{ ref('int_rating_horizons') }} as horizons
    inner join periods
        on horizons.client_id = periods.client_id and horizons.period_start = periods.period_start
),

files as (
    select
        {{ arrived_at('arrived') }} as arrived_at,
        feed || '|' || file || '|' || content_hash || '|' || status as file_key
    from {{ ref('stg_raw__files') }}
),

horizon_times as (
    select distinct horizon_at from horizons
),

files_known as (
    select
        horizon_times.horizon_at,
        md5({{ string_agg_sorted('files.file_key', 'chr(10)') }}) as files_digest
    from horizon_times
    inner join files on horizon_times.horizon_at >= files.arrived_at
    group by horizon_times.horizon_at
),

known_unit_types as (
    select {{ known_unit_types_digest() }} as digest
)

select
    horizons.client_id,
    horizons.period_start,
    horizons.horizon_at,
    md5(concat_ws(
        '|',
        horizons.client_id,
        horizons.period_start,
        {{ epoch_us('horizons.horizon_at') }},
        horizons.invoice_period_start,
        horizons.is_bill,
        {{ epoch_us('horizons.window_end_at') }},
        horizons.timezone,
        {{ epoch_us('horizons.start_at') }},
        {{ epoch_us('horizons.end_at') }},
        horizons.assets_version,
        horizons.unit_types_version,
        horizons.buckets_version,
        horizons.disregarded_assets_version,
        coalesce(files_known.files_digest, ''),
        known_unit_types.digest,
        '{{ run_parameter("grace_hours") }}',
        '{{ code_digest() }}'
    )) as fingerprint
from horizons
cross join known_unit_types
left join files_known on horizons.horizon_at = files_known.horizon_at
