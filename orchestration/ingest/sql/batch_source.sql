-- one copy of a batch's files, in the order given and each in file order (insertion order).
-- <columns>: the files' columns as text; <source_file>: the column naming each row's file;
-- <source>: the reader of the files
create or replace temp table _batch_src as
select
    {columns},
    {source_file}
from {source}
