create or replace temp view _landed as select * from _landed_src
