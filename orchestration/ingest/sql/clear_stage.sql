delete from {stage};
delete from _stage_manifest;
delete from _stage_suppressed;
