drop view _batch_rows;
drop table _batch_src;
