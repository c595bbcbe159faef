-- admin rows with every value that looks like a clear-text key redacted.
-- <redacted>: each column, redacted; <raw_line>: _raw_line and a comma (jsonl), or nothing;
-- <line_secret>: whether a malformed record holds a secret anywhere;
-- <secrets>: the names of the columns that held one, or null
create or replace temp table _landed_admin as
select
    _row_number,
    {redacted},
    {raw_line}
    case when {line_secret} then '{"redacted": true}' else _malformed_line end
        as _malformed_line,
    _malformed,
    case when {line_secret} then 'raw' else {secrets} end as _secret_columns
from _landed
