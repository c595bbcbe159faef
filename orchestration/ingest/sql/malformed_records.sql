-- the records the last CSV reader call set aside, one row each (header excluded, 1-based)
create or replace temp table _malformed as
select
    scans.file_path as path,
    errors.line - 1 as _row_number,
    string_agg(distinct errors.error_type, '; ' order by errors.error_type) as _malformed,
    trim(min(errors.csv_line), chr(13) || chr(10)) as _malformed_line
from _rejects as errors
inner join _rejects_scan as scans
    on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
group by all;

-- a read row's position among the read rows is k; its row number is k plus the number of
-- set-aside rows before it: the set-aside row i (in order) has gap = row_number - i read
-- rows before it, so k + max(i with gap < k) (an as-of join) is the row's number.
create or replace temp table _malformed_gaps as
select
    path,
    gap,
    max(i) as skipped
from (
    select
        path,
        _row_number - row_number() over (partition by path order by _row_number) as gap,
        row_number() over (partition by path order by _row_number) as i
    from _malformed
) as numbered
group by all;
