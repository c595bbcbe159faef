-- connection-local staging tables shaped like the raw tables a batch commits into
create or replace temp table {stage} as select * from {table}
where false;
create or replace temp table _stage_manifest as select * from raw.file_manifest
where false;
create or replace temp table _stage_suppressed as select * from raw.suppressed_rows
where false;
