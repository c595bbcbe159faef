-- Every insert, update and delete between consecutive snapshots of each admin table,
-- dated by the arrival of the snapshot that shows it (a table's first snapshot is all
-- inserts). Old and new values are JSON objects of the whole row.
with changes as (
    select * from {{ ref('int_admin_changes') }}
)

select
    changed_at,
    table_name,
    record_id,
    action,
    -- secrets inside text redacted and e-mail addresses masked, wherever they sit in the row
    cast({{ redact_text('cast(old_values as ' ~ type_text() ~ ')') }} as {{ type_json() }}) as old_values,
    cast({{ redact_text('cast(new_values as ' ~ type_text() ~ ')') }} as {{ type_json() }}) as new_values,
    {{ as_of() }} as calculated_at
from changes
