-- every row of a batch, numbered as a file read alone numbers it, with the rule that drops it.
-- <source_file>: the column naming each row's file; <skipped>: the set-aside records before a
-- row; <renumber>: the as-of join to _malformed_gaps, or nothing; <batch_columns>: the feed's
-- contract columns; <batch_raw>: the raw row's text; <nulls>: the contract columns, null;
-- <rule>: the first rule (matching the feed's columns, as for a file read alone) that drops
-- a row, or null
create or replace temp view _batch_rows as
with firsts as (
    select
        {source_file},
        min(rowid) as first_rowid
    from _batch_src
    group by all
),

read_rows as (
    select
        src.*,
        src.rowid - firsts.first_rowid + 1 as _k
    from _batch_src as src
    inner join firsts on src.{source_file} = firsts.{source_file}
),

batch_rows as (
    select
        files.content_hash as _content_hash,
        files.file as _file,
        files.arrived as _arrived,
        src._k + {skipped} as _row_number,
        {batch_columns},
        {batch_raw} as raw,
        cast(null as varchar) as _malformed
    from read_rows as src
    inner join _batch_files as files on src.{source_file} = files.path
    {renumber}
    union all
    select
        files.content_hash,
        files.file,
        files.arrived,
        bad._row_number,
        {nulls},
        bad._malformed_line,
        bad._malformed
    from _malformed as bad
    inner join _batch_files as files on bad.path = files.path
)

select
    *,
    {rule} as _rule
from batch_rows
