-- <stage>: the feed's staging table; <columns>: its contract columns
insert into {stage}
select
    _content_hash,
    _file,
    _arrived,
    _row_number,
    $loaded_at,
    {columns},
    raw,
    _malformed
from _batch_rows
where _rule is null
