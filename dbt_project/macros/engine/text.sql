{#- Engine differences: text, regular expressions, globs and JSON. -#}

{#- The whole of `text` matches the regular expression `pattern` (DuckDB regexp_full_match;
    on Spark \z, not $, which Java also matches before a final line break). -#}
{% macro regexp_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'tallyhouse')(text, pattern)) }}
{%- endmacro %}

{% macro default__regexp_full_match(text, pattern) -%}regexp_full_match({{ text }}, {{ pattern }}){%- endmacro %}

{% macro spark__regexp_full_match(text, pattern) -%}regexp_like({{ text }}, concat('^(?:', {{ pattern }}, ')\\z')){%- endmacro %}

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

{#- The distinct values of `expr`, sorted, joined by `separator` (DuckDB string_agg). -#}
{% macro string_agg_distinct_sorted(expr, separator) -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted', 'tallyhouse')(expr, separator)) }}
{%- endmacro %}

{% macro default__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }} order by {{ expr }})
{%- endmacro %}

{% macro spark__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }}) within group (order by {{ expr }})
{%- endmacro %}

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

{#- Every non-null value of `expr` (repeats kept), sorted, joined by `separator` (DuckDB
    string_agg(expr, separator order by expr)). -#}
{% macro string_agg_sorted(expr, separator) -%}
    {{ return(adapter.dispatch('string_agg_sorted', 'tallyhouse')(expr, separator)) }}
{%- endmacro %}

{% macro default__string_agg_sorted(expr, separator) -%}
    string_agg({{ expr }}, {{ separator }} order by {{ expr }})
{%- endmacro %}

{% macro spark__string_agg_sorted(expr, separator) -%}
    string_agg({{ expr }}, {{ separator }}) within group (order by {{ expr }})
{%- endmacro %}

{#- `text` matches the glob `pattern` (DuckDB `text glob pattern`: * any text, ? one
    character, [...] a character class, [!...] its complement; case-sensitive, whole text).
    On Spark the glob becomes an anchored Java regular expression: every other character
    literal. -#}
{% macro glob_match(text, pattern) -%}
    {{ return(adapter.dispatch('glob_match', 'tallyhouse')(text, pattern)) }}
{%- endmacro %}

{% macro default__glob_match(text, pattern) -%}{{ text }} glob {{ pattern }}{%- endmacro %}

{% macro spark__glob_match(text, pattern) -%}
    regexp_like({{ text }}, concat('^', replace(replace(replace(
        regexp_replace({{ pattern }}, '([.+(){}|^$\\\\])', '\\\\$1'),
        '*', '.*'), '?', '.'), '[!', '[^'), '$'))
{%- endmacro %}

{#- The number of non-blank items of `text` split at the one-character `separator` (a
    string literal, not a regular-expression character); `item` names the lambda variable. -#}
{% macro count_nonblank_items(text, separator, item='item') -%}
    {{ return(adapter.dispatch('count_nonblank_items', 'tallyhouse')(text, separator, item)) }}
{%- endmacro %}

{% macro default__count_nonblank_items(text, separator, item) -%}
    len(list_filter(
        string_split({{ text }}, {{ separator }}), lambda {{ item }}: trim({{ item }}) <> ''
    ))
{%- endmacro %}

{% macro spark__count_nonblank_items(text, separator, item) -%}
    size(filter(split({{ text }}, {{ separator }}), {{ item }} -> trim({{ item }}) <> ''))
{%- endmacro %}
