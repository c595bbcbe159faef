-- records set aside: a read row's number is its position plus the set-aside rows before it
create or replace temp table _landed_src as
with good as (
    select
        rowid + 1 as _k,
        $path as _path,
        *
    from _landed_good
)

select
    good._k + coalesce(gaps.skipped, 0) as _row_number,
    -- EXCLUDE takes the bare names of the columns it leaves out
    good.* exclude (_k, _path),  -- noqa: RF02
    cast(null as varchar) as _malformed,
    cast(null as varchar) as _malformed_line
from good
asof left join _malformed_gaps as gaps
    on good._path = gaps.path and good._k > gaps.gap
union all by name
select
    _row_number,
    _malformed,
    _malformed_line
from _malformed
