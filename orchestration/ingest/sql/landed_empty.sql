-- an empty file: no header, no rows
create or replace temp table _landed_good as select 1 as _row
where false;

create or replace temp view _landed as
select
    1 as _row_number,
    cast(null as varchar) as _malformed,
    cast(null as varchar) as _malformed_line
from _landed_good;
