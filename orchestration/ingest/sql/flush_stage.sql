insert into {table} select * from {stage};
insert into raw.suppressed_rows select * from _stage_suppressed;
insert into raw.file_manifest select * from _stage_manifest;
