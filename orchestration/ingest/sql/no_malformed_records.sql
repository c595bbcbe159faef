-- a reader call that set nothing aside (or read no CSV)
create or replace temp table _malformed (
    path varchar,
    _row_number bigint,
    _malformed varchar,
    _malformed_line varchar
);

create or replace temp table _malformed_gaps (path varchar, gap bigint, skipped bigint);
