drop table if exists _rejects;
drop table if exists _rejects_scan;
