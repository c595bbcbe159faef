-- (pattern_type, pattern) of the newest suppressions snapshot in force at a file's arrival
with newest as (
    select file from raw.admin_suppressions
    where arrived <= $arrived
    order by arrived desc, file desc
    limit 1
)

select distinct
    lower(trim(s.pattern_type)) as pattern_type,
    trim(s.pattern) as pattern
from raw.admin_suppressions as s
inner join newest on s.file = newest.file
where
    s.secret_columns is null
    and coalesce(trim(s.pattern), '') <> ''
    and lower(trim(s.pattern_type)) in ('asset_id', 'description')
    and (
        coalesce(trim(s.created_at), '') = ''
        or try_cast(trim(s.created_at) as timestamptz) <= $arrived_at
    )
order by all
