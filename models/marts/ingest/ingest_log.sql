-- One row per landed file as of T: what became of its rows. For every file,
-- rows_seen = rows_loaded + rows_quarantined + rows_duplicate + rows_suppressed.
with files as (
    select * from {{ ref('int_files_landed') }}
),

usage_rows as (
    select
        file,
        count(*) filter (where not is_duplicate) as rows_loaded,
        count(*) filter (where is_duplicate) as rows_duplicate
    from {{ ref('int_usage_records') }}
    group by file
),

quarantined as (
    select
        file,
        count(*) as rows_quarantined
    from {{ ref('quarantine') }}
    where reason <> 'rejected_file'
    group by file
),

counted as (
    select
        files.feed,
        files.file,
        files.file_name,
        files.arrived,
        files.status,
        files.rows_seen,
        coalesce(quarantined.rows_quarantined, 0) as quarantined_rows,
        coalesce(files.rows_suppressed, 0) as suppressed_rows,
        case
            when files.feed like 'admin/%'
                then files.rows_seen - coalesce(quarantined.rows_quarantined, 0)
            else coalesce(usage_rows.rows_loaded, 0)
        end as loaded_rows,
        coalesce(usage_rows.rows_duplicate, 0) as duplicate_rows
    from files
    left join usage_rows on files.file = usage_rows.file
    left join quarantined on files.file = quarantined.file
)

select
    feed,
    file,
    arrived,
    status,
    rows_seen,
    case when status = 'loaded' then loaded_rows else 0 end as rows_loaded,
    case
        when status = 'loaded' then quarantined_rows
        when status = 'rejected' then rows_seen
        else 0
    end as rows_quarantined,
    case
        when status = 'loaded' then duplicate_rows
        when status = 'duplicate_file' then rows_seen
        else 0
    end as rows_duplicate,
    case when status = 'loaded' then suppressed_rows else 0 end as rows_suppressed,
    file_name,
    {{ as_of() }} as calculated_at
from counted
