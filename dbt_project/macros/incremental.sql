{#- A digest of the project's code and reference data: every model's and seed's checksum and
    the run parameter macros_digest (the macros' text, which dbt's graph does not checksum;
    the pipeline passes it as TALLYHOUSE_MACROS_DIGEST). Incremental models key their rows on it, so a changed model, seed
    or macro recomputes every row instead of keeping rows the old code made. -#}
{% macro code_digest() -%}
    {%- if execute -%}
        {%- set parts = [] -%}
        {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
            {%- if node.resource_type in ('model', 'seed') and node.package_name == project_name -%}
                {%- do parts.append(node.unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do parts.append('macros=' ~ run_parameter('macros_digest')) -%}
        {{- local_md5(parts | join(';')) -}}
    {%- else -%}
        {{- 'parse' -}}
    {%- endif -%}
{%- endmacro %}

{#- Delete the rows of an incremental model whose fingerprint is no longer current: what is
    left equals a full rebuild. Nothing where the model is rebuilt as a table each run
    (incremental_materialization(): Spark). -#}
{% macro delete_stale_fingerprints(fingerprints, column='fingerprint') -%}
    {%- if incremental_materialization() != 'incremental' -%}{{ return('') }}{%- endif %}
    delete from {{ this }} as stale
    where not exists (
        select 1 from {{ fingerprints }} as fingerprints
        where fingerprints.{{ column }} = stale.{{ column }}
    )
{%- endmacro %}

{#- True when this run of an incremental model adds to an existing table that already has
    ``column`` (a table from before the model was incremental is rebuilt instead). -#}
{% macro incremental_on(column) -%}
    {%- if not execute or not is_incremental() -%}
        {{- return(false) -}}
    {%- endif -%}
    {%- set names = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {{- return(column in names) -}}
{%- endmacro %}

{#- The condition that keeps the rows of `alias` whose fingerprint this incremental model
    has not built yet; `true` on a full build. -#}
{% macro fingerprint_not_built(alias, column='fingerprint') -%}
    {%- if incremental_on(column) -%}
        not exists (
            select 1 from {{ this }} as built
            where built.{{ column }} = {{ alias }}.{{ column }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- A digest of the unit types known as of T (the newest unit_types snapshot): they decide
    which usage rows are valid (reason unknown_unit_type), so they are part of every
    fingerprint of usage. -#}
{% macro known_unit_types_digest() -%}
    (
        select coalesce(md5({{ string_agg_distinct_sorted('unit_types.unit_type', 'chr(10)') }}), '')
        from {{ ref('int_unit_types_current') }} as unit_types
    )
{%- endmacro %}
