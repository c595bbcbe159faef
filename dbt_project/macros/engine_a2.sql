{#-
    Engine differences of the admin snapshots, the audit log and quarantine, one macro each
    (adapter.dispatch, as engine.sql): `default__` is DuckDB, `spark__` is Apache Spark.
-#}

{#- A text type for casts (DuckDB varchar). -#}
{% macro type_text() -%}
    {{ return(adapter.dispatch('type_text', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_text() -%}varchar{%- endmacro %}
{% macro spark__type_text() -%}string{%- endmacro %}

{#- A JSON document (DuckDB JSON); on Spark its text, written as DuckDB writes it. -#}
{% macro type_json() -%}
    {{ return(adapter.dispatch('type_json', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_json() -%}json{%- endmacro %}
{% macro spark__type_json() -%}string{%- endmacro %}

{#- The value of `value` on the row with the largest `ordering` of the group (DuckDB arg_max). -#}
{% macro arg_max(value, ordering) -%}
    {{ return(adapter.dispatch('arg_max', 'tallyhouse')(value, ordering)) }}
{%- endmacro %}
{% macro default__arg_max(value, ordering) -%}arg_max({{ value }}, {{ ordering }}){%- endmacro %}
{% macro spark__arg_max(value, ordering) -%}max_by({{ value }}, {{ ordering }}){%- endmacro %}

{#- A JSON object of text values, keys in the order given, nulls kept as null (DuckDB
    json_object). `pairs` are (key, sql) pairs; the text is DuckDB's: no spaces. -#}
{% macro json_text_object(pairs) -%}
    {{ return(adapter.dispatch('json_text_object', 'tallyhouse')(pairs)) }}
{%- endmacro %}
{% macro default__json_text_object(pairs) -%}
    json_object({% for key, sql in pairs %}'{{ key }}', {{ sql }}{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
{% macro spark__json_text_object(pairs) -%}
    to_json(
        named_struct({% for key, sql in pairs %}'{{ key }}', {{ sql }}{{ ', ' if not loop.last }}{% endfor %}),
        map('ignoreNullFields', 'false')
    )
{%- endmacro %}

{#- A regular expression as a SQL string literal (DuckDB: backslashes as written; Spark
    string literals read backslash escapes, so each is doubled). `pattern` may hold ''. -#}
{% macro regex_literal(pattern) -%}
    {{ return(adapter.dispatch('regex_literal', 'tallyhouse')(pattern)) }}
{%- endmacro %}
{% macro default__regex_literal(pattern) -%}'{{ pattern }}'{%- endmacro %}
{% macro spark__regex_literal(pattern) -%}'{{ pattern | replace("\\", "\\\\") }}'{%- endmacro %}

{#- Every match of `pattern` in `text` replaced (DuckDB regexp_replace(..., 'g')); \1 in
    `replacement` is the first group. `pattern` and `replacement` are raw texts. -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'tallyhouse')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    {%- set java = modules.re.sub('\\\\([0-9])', '$\\1', replacement | replace('$', '\\$')) -%}
    regexp_replace({{ text }}, {{ regex_literal(pattern) }}, {{ regex_literal(java) }})
{%- endmacro %}

{#- The timestamp of text in the format %Y-%m-%d (DuckDB try_strptime: 1-4 digit year, 1-2
    digit month and day, leading white space), null when it is no such date. On Spark a
    date; only its being null is used. -#}
{% macro try_strptime_ymd(text) -%}
    {{ return(adapter.dispatch('try_strptime_ymd', 'tallyhouse')(text)) }}
{%- endmacro %}
{% macro default__try_strptime_ymd(text) -%}try_strptime({{ text }}, '%Y-%m-%d'){%- endmacro %}
{% macro spark__try_strptime_ymd(text) -%}
    case
        when regexp_like({{ text }}, '^[ \\t\\n\\x0B\\f\\r]*[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}\\z')
            then make_date(
                cast(split_part({{ text }}, '-', 1) as int),
                cast(split_part({{ text }}, '-', 2) as int),
                cast(split_part({{ text }}, '-', 3) as int)
            )
    end
{%- endmacro %}
