-- <source>: a table, view or reader call whose column names are wanted (no row is read)
select * from {source}
where false
