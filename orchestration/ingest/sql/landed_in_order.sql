-- every row read, in file order: its number is its position
create or replace temp view _landed as
select
    rowid + 1 as _row_number,
    *,
    cast(null as varchar) as _malformed,
    cast(null as varchar) as _malformed_line
from _landed_good
