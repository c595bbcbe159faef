-- Every rule of the newest suppressions snapshot arrived on or before T, with what it has
-- dropped at ingest: the meter readings it suppressed in the loaded files arrived on or
-- before T (a re-landed copy of a file counts once), the number of those files, and the
-- last file it acted on (by arrival, then path).
with current_rules as (
    select * from {{ ref('int_suppressions_current') }}
),

rules as (
    select
        pattern,
        max_by(pattern_type, row_number) as pattern_type,
        max_by(reason, row_number) as reason,
        max_by(created_at, row_number) as created_at
    from current_rules
    group by pattern
),

suppressed as (
    select * from {{ ref('int_rule_suppressions') }}
),

per_rule as (
    select
        pattern,
        pattern_type,
        sum(rows_suppressed) as rows_suppressed,
        count(*) as files_acted_on,
        max_by(file, {{ sort_key(['arrived', 'file']) }}) as last_file,
        max(arrived) as last_arrived
    from suppressed
    group by pattern, pattern_type
)

select
    rules.pattern,
    rules.pattern_type,
    rules.reason,
    rules.created_at,
    cast(coalesce(per_rule.rows_suppressed, 0) as bigint) as rows_suppressed,
    coalesce(per_rule.files_acted_on, 0) as files_acted_on,
    per_rule.last_file,
    per_rule.last_arrived,
    {{ as_of() }} as calculated_at
from rules
left join per_rule
    on rules.pattern = per_rule.pattern and rules.pattern_type = per_rule.pattern_type
