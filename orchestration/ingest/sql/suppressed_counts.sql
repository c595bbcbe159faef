-- <rule>: the first rule that drops a row, or null
select
    rule,
    count(*) as rows_suppressed
from (select {rule} as rule from _rows) as rules
where rule is not null
group by all
order by 1
