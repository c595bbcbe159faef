select
    _file,
    coalesce(_rule, '') as rule,
    count(*) as row_count
from _batch_rows
group by all
