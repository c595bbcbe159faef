{#-
    Admin tables: the id column the audit log keys them by, and the columns it shows, as
    (id, columns) per table. The one definition is the var admin_tables of dbt_project.yml.
-#}
{% macro admin_tables() -%}
    {%- set tables = {} -%}
    {%- for table, spec in var('admin_tables').items() -%}
        {%- do tables.update({table: (spec['id'], spec['columns'])}) -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}
