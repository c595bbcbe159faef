{#-
    The rows of the newest snapshot of an admin table arrived on or before T, read from the
    table's staging model (stg_admin__<table_name>), every column of it. The one definition
    of "newest snapshot as of T": each admin table's int_<table_name>_current model is this
    macro, and every model that needs a table's current rows reads that model.
-#}
{% macro current_admin_rows(table_name) -%}
    select current_rows.*
    from {{ ref('stg_admin__' ~ table_name) }} as current_rows
    inner join {{ ref('stg_admin__versions') }} as versions
        on
            versions.table_name = '{{ table_name }}'
            and versions.is_latest
            and current_rows.snapshot_arrived = versions.snapshot_arrived
{%- endmacro %}
