-- The bare-DuckDB lower bound: one script, no orchestration, no validation report, no marts.
-- It loads every meter reading of the landing zone that arrived on or before the as-of time,
-- drops unparsable rows and duplicates, binds each reading to its client's bucket through the
-- newest assets and buckets snapshots, and computes each bucket's usage per UTC month.
-- Placeholders: {landing} (folder) and {as_of} (timestamp). Run by benchmarks/bench.py.

set TimeZone = 'UTC';

create or replace table landed as
select * from read_csv(
    '{landing}/meter_readings/*/*.csv',
    all_varchar = true, union_by_name = true, filename = true, hive_partitioning = false
)
union all by name
select * from read_parquet(
    '{landing}/meter_readings/*/*.parquet', union_by_name = true, filename = true,
    hive_partitioning = false
)
union all by name
select * from read_json(
    '{landing}/meter_readings/*/*.jsonl', format = 'newline_delimited', union_by_name = true,
    filename = true, hive_partitioning = false
);

create or replace table readings as
with typed as (
    select
        nullif(cast(reading_id as varchar), '') as reading_id,
        cast(asset_id as varchar) as asset_id,
        cast(unit_type as varchar) as unit_type,
        try_cast(cast(reading_ts as varchar) as timestamptz) as reading_at,
        try_cast(cast(value as varchar) as decimal(38, 10)) as value,
        cast(regexp_extract(filename, 'arrived=(\d{4}-\d{2}-\d{2})', 1) as date) as arrived
    from landed
)
select * from typed
where
    arrived <= cast('{as_of}' as timestamptz)
    and reading_at is not null and value is not null and value >= 0
qualify row_number() over (
    partition by coalesce(reading_id, asset_id || unit_type || epoch_us(reading_at))
    order by arrived
) = 1;

create or replace table bucket_usage as
with newest_assets as (
    select asset_id, client_id
    from read_csv('{landing}/admin/assets/*/*.csv', all_varchar = true, filename = true)
    qualify filename = max(filename) over ()
),
newest_buckets as (
    select bucket_id, client_id, unit_type, nullif(aggregation, '') as aggregation
    from read_csv('{landing}/admin/buckets/*/*.csv', all_varchar = true, filename = true)
    where enabled <> 'false'
    qualify filename = max(filename) over ()
),
unit_types as (
    select unit_type, meter_kind, aggregation
    from read_csv('{landing}/admin/unit_types/*/*.csv', all_varchar = true, filename = true)
    qualify filename = max(filename) over ()
),
bound as (
    select
        b.bucket_id,
        r.asset_id,
        date_trunc('month', r.reading_at) as period_start,
        r.reading_at,
        u.meter_kind,
        coalesce(b.aggregation, u.aggregation) as aggregation,
        case
            when u.meter_kind <> 'cumulative' then r.value
            when lag(r.value) over w is null then 0
            when r.value < lag(r.value) over w then r.value
            else r.value - lag(r.value) over w
        end as quantity,
        r.value
    from readings as r
    inner join newest_assets as a on r.asset_id = a.asset_id
    inner join newest_buckets as b on a.client_id = b.client_id and r.unit_type = b.unit_type
    inner join unit_types as u on r.unit_type = u.unit_type
    window w as (partition by r.asset_id, r.unit_type order by r.reading_at)
),
per_asset as (
    select
        bucket_id,
        period_start,
        asset_id,
        case any_value(aggregation)
            when 'sum' then sum(quantity)
            when 'count' then count(*)
            when 'max' then max(value)
            when 'latest' then arg_max(value, reading_at)
            else avg(value)
        end as usage
    from bound
    group by bucket_id, period_start, asset_id
)
select bucket_id, period_start, round(sum(usage), 6) as usage
from per_asset
group by bucket_id, period_start;

create or replace table service_usage as
with landed_events as (
    select * from read_csv(
        '{landing}/service_events/*/*.csv',
        all_varchar = true, union_by_name = true, filename = true, hive_partitioning = false
    )
    union all by name
    select * from read_parquet(
        '{landing}/service_events/*/*.parquet', union_by_name = true, filename = true,
        hive_partitioning = false
    )
    union all by name
    select * from read_json(
        '{landing}/service_events/*/*.jsonl', format = 'newline_delimited',
        union_by_name = true, filename = true, hive_partitioning = false
    )
),
typed as (
    select
        cast(event_id as varchar) as event_id,
        cast(client_id as varchar) as client_id,
        coalesce(nullif(cast(service as varchar), ''), '?') as service,
        coalesce(nullif(cast(direction as varchar), ''), 'out') as direction,
        nullif(cast(user_id as varchar), '') as user_id,
        try_cast(cast(event_ts as varchar) as timestamptz) as event_at,
        try_cast(cast(quantity as varchar) as decimal(38, 10)) as quantity,
        cast(regexp_extract(filename, 'arrived=(\d{4}-\d{2}-\d{2})', 1) as date) as arrived
    from landed_events
),
valid as (
    select * from typed
    where
        arrived <= cast('{as_of}' as timestamptz)
        and event_at is not null and quantity > 0
    qualify row_number() over (partition by event_id order by arrived) = 1
)
select
    client_id,
    service,
    direction,
    date_trunc('month', event_at) as period_start,
    sum(quantity) as usage,
    count(distinct user_id) as users
from valid
group by all;

select
    (select count(*) from bucket_usage) as bucket_periods,
    (select count(*) from service_usage) as service_periods;
