-- Every insert, update and delete between consecutive snapshots of each admin table (a
-- table's first snapshot is all inserts), dated by the arrival of the snapshot that shows it,
-- with the old and new values as JSON objects of the whole row; an unchanged row is none.
with versions as (
    select
        table_name,
        snapshot_arrived,
        snapshot_at,
        lag(snapshot_arrived) over (
            partition by table_name order by snapshot_arrived
        ) as previous_arrived
    from {{ ref('stg_admin__versions') }}
),

snapshot_rows as (
    -- one row per id and snapshot (the last row of the file wins when an id repeats)
    select
        table_name,
        snapshot_arrived,
        record_id,
        {{ arg_max('row_values', 'row_number') }} as row_values
    from {{ ref('int_admin_snapshot_rows') }}
    group by table_name, snapshot_arrived, record_id
),

current_side as (
    select
        versions.table_name,
        versions.snapshot_arrived,
        versions.snapshot_at,
        versions.previous_arrived,
        snapshot_rows.record_id,
        snapshot_rows.row_values
    from versions
    inner join snapshot_rows
        on
            versions.table_name = snapshot_rows.table_name
            and versions.snapshot_arrived = snapshot_rows.snapshot_arrived
),

previous_side as (
    select
        versions.table_name,
        versions.snapshot_arrived,
        versions.snapshot_at,
        snapshot_rows.record_id,
        snapshot_rows.row_values
    from versions
    inner join snapshot_rows
        on
            versions.table_name = snapshot_rows.table_name
            and versions.previous_arrived = snapshot_rows.snapshot_arrived
)

select
    coalesce(current_side.snapshot_at, previous_side.snapshot_at) as changed_at,
    coalesce(current_side.table_name, previous_side.table_name) as table_name,
    coalesce(current_side.record_id, previous_side.record_id) as record_id,
    case
        when previous_side.record_id is null then 'insert'
        when current_side.record_id is null then 'delete'
        else 'update'
    end as action,
    previous_side.row_values as old_values,
    current_side.row_values as new_values
from current_side
full outer join previous_side
    on
        current_side.table_name = previous_side.table_name
        and current_side.snapshot_arrived = previous_side.snapshot_arrived
        and current_side.record_id = previous_side.record_id
where previous_side.row_values is distinct from current_side.row_values
