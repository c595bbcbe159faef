-- jsonl: one line a row, its row number the line number, the line kept as written
create or replace temp table _jsonl_lines as
with lines as (
    select string_split(replace(content, chr(13), ''), chr(10)) as parts
    from read_text($path)
),

numbered as (
    select
        generate_subscripts(parts, 1) as _row_number,
        unnest(parts) as line
    from lines
)

select
    _row_number,
    line,
    line as _original
from numbered
