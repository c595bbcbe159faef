{#-
    Column comments on Spark (persist_docs columns: true, the marts): dbt-spark writes them
    only for delta, hudi and iceberg tables and skips Parquet, the format of this project's
    tables; Spark itself changes a Parquet table's column comment with ALTER TABLE ... CHANGE
    COLUMN. This overrides dbt-spark's spark__alter_column_comment (dbt namespace: the root
    project's macro wins) with the same statements for Parquet too. DuckDB does not use it.
-#}
{% macro spark__alter_column_comment(relation, column_dict) %}
    {%- set file_format = config.get('file_format', validator=validation.any[basestring]) -%}
    {%- if file_format in [none, 'parquet', 'delta', 'hudi', 'iceberg'] -%}
        {%- for column_name in column_dict -%}
            {%- set escaped_comment = column_dict[column_name]['description'] | replace("'", "\\'") -%}
            {%- set column = adapter.quote(column_name) if column_dict[column_name]['quote'] else column_name -%}
            {%- set comment_query -%}
                {%- if relation.is_iceberg -%}
                    alter table {{ relation }} alter column {{ column }} comment '{{ escaped_comment }}'
                {%- else -%}
                    alter table {{ relation }} change column {{ column }} comment '{{ escaped_comment }}'
                {%- endif -%}
            {%- endset -%}
            {%- do run_query(comment_query) -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
