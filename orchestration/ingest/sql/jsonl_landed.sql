-- <fields>: each key's value as text, each followed by a comma; nothing for a file
-- without objects
create or replace temp table _landed_src as
select
    _row_number,
    {fields}
    _original as _raw_line,
    cast(null as varchar) as _malformed,
    cast(null as varchar) as _malformed_line
from _jsonl_lines
where trim(line) <> '';

create or replace temp view _landed as select * from _landed_src;

drop table _jsonl_lines;
