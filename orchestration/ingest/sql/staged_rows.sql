-- <columns>: the feed's contract columns; <raw>: the raw row's text;
-- <secret_columns>: _secret_columns and a comma (admin tables), or nothing;
-- <source>: _landed or _landed_admin
create or replace temp view _rows as
select
    _row_number,
    {columns},
    {raw} as raw,
    {secret_columns}
    _malformed
from {source}
