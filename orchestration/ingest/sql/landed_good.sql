-- <columns>: the file's columns as text; <source>: the reader of the file
create or replace temp table _landed_good as select {columns} from {source}
