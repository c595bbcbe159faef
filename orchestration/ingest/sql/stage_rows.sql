-- <stage>: the feed's staging table; <columns>: its contract columns;
-- <secret_columns>: _secret_columns and a comma (admin tables), or nothing;
-- <keep>: which rows are kept (the suppressed ones are not)
insert into {stage}
select
    $content_hash,
    $file,
    $arrived,
    _row_number,
    $loaded_at,
    {columns},
    raw,
    {secret_columns}
    _malformed
from _rows
where {keep}
