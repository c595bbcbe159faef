-- connection-local staging tables shaped like the raw tables a batch commits into
create or replace temp table {stage} as select * from {table} limit 0;
create or replace temp table _stage_manifest as select * from raw.file_manifest limit 0;
create or replace temp table _stage_suppressed as select * from raw.suppressed_rows limit 0;
