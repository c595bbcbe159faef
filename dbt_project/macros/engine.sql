{#-
    Engine differences, one macro each (adapter.dispatch): `default__` is DuckDB, the
    project's default engine; `spark__` is Apache Spark (dbt-spark). Models call these and
    never write engine-specific SQL themselves. On Spark the session time zone is UTC and a
    TIMESTAMP is an instant (DuckDB's TIMESTAMPTZ).
-#}

{#- The raw layer on Spark: the ingest step writes every raw table as Parquet under
    TALLYHOUSE_RAW_PARQUET/<table>; each becomes a view of schema raw (on-run-start).
    On DuckDB the raw tables are the warehouse's own. -#}
{% macro raw_layer() -%}
    {{ return(adapter.dispatch('raw_layer', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__raw_layer() -%}
    select 1
{%- endmacro %}

{% macro spark__raw_layer() -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set root = env_var('TALLYHOUSE_RAW_PARQUET') -%}
    {% do run_query('create schema if not exists raw') %}
    {%- for source_node in graph.sources.values() if source_node.source_name == 'raw' %}
        {% do run_query('create or replace view raw.' ~ source_node.name ~ ' as select * from parquet.`' ~ root ~ '/' ~ source_node.name ~ '`') %}
    {%- endfor %}
    select 1
{%- endmacro %}

{#- An instant in time (DuckDB TIMESTAMPTZ). -#}
{% macro type_instant() -%}
    {{ return(adapter.dispatch('type_instant', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_instant() -%}timestamptz{%- endmacro %}
{% macro spark__type_instant() -%}timestamp{%- endmacro %}

{#- An exact integer wider than 64 bits (DuckDB HUGEINT). -#}
{% macro type_int128() -%}
    {{ return(adapter.dispatch('type_int128', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__type_int128() -%}hugeint{%- endmacro %}
{% macro spark__type_int128() -%}decimal(38, 0){%- endmacro %}

{#- Integer division of non-negative integers (DuckDB `//`); exact at any size on Spark. -#}
{% macro int_div(n, d) -%}
    {{ return(adapter.dispatch('int_div', 'tallyhouse')(n, d)) }}
{%- endmacro %}
{% macro default__int_div(n, d) -%}({{ n }}) // ({{ d }}){%- endmacro %}
{% macro spark__int_div(n, d) -%}cast((({{ n }}) - (({{ n }}) % ({{ d }}))) / ({{ d }}) as {{ type_int128() }}){%- endmacro %}

{#- A wall-clock TIMESTAMP in time zone `tz` -> the instant (DuckDB timezone(tz, timestamp)). -#}
{% macro local_to_instant(local_timestamp, tz) -%}
    {{ return(adapter.dispatch('local_to_instant', 'tallyhouse')(local_timestamp, tz)) }}
{%- endmacro %}
{% macro default__local_to_instant(local_timestamp, tz) -%}timezone({{ tz }}, {{ local_timestamp }}){%- endmacro %}
{% macro spark__local_to_instant(local_timestamp, tz) -%}to_utc_timestamp({{ local_timestamp }}, {{ tz }}){%- endmacro %}

{#- An instant -> its wall-clock TIMESTAMP in time zone `tz` (DuckDB timezone(tz, timestamptz)). -#}
{% macro instant_to_local(instant, tz) -%}
    {{ return(adapter.dispatch('instant_to_local', 'tallyhouse')(instant, tz)) }}
{%- endmacro %}
{% macro default__instant_to_local(instant, tz) -%}timezone({{ tz }}, {{ instant }}){%- endmacro %}
{% macro spark__instant_to_local(instant, tz) -%}from_utc_timestamp({{ instant }}, {{ tz }}){%- endmacro %}

{#- Microseconds since 1970-01-01 UTC of an instant. -#}
{% macro epoch_us(instant) -%}
    {{ return(adapter.dispatch('epoch_us', 'tallyhouse')(instant)) }}
{%- endmacro %}
{% macro default__epoch_us(instant) -%}epoch_us({{ instant }}){%- endmacro %}
{% macro spark__epoch_us(instant) -%}unix_micros({{ instant }}){%- endmacro %}

{#- An interval of n days / n hours (DuckDB to_days / to_hours), to add to a date or instant. -#}
{% macro days_interval(n) -%}
    {{ return(adapter.dispatch('days_interval', 'tallyhouse')(n)) }}
{%- endmacro %}
{% macro default__days_interval(n) -%}to_days({{ n }}){%- endmacro %}
{% macro spark__days_interval(n) -%}make_dt_interval({{ n }}, 0, 0, 0){%- endmacro %}

{% macro hours_interval(n) -%}
    {{ return(adapter.dispatch('hours_interval', 'tallyhouse')(n)) }}
{%- endmacro %}
{% macro default__hours_interval(n) -%}to_hours({{ n }}){%- endmacro %}
{% macro spark__hours_interval(n) -%}make_dt_interval(0, {{ n }}, 0, 0){%- endmacro %}

{#- The whole of `text` matches the regular expression `pattern` (DuckDB regexp_full_match;
    on Spark \z, not $, which Java also matches before a final line break). -#}
{% macro regexp_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_full_match', 'tallyhouse')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_full_match(text, pattern) -%}regexp_full_match({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__regexp_full_match(text, pattern) -%}regexp_like({{ text }}, concat('^(?:', {{ pattern }}, ')\\z')){%- endmacro %}

{#- Text to an instant or null, as DuckDB's try_cast(text as timestamptz) reads it: an ISO
    date with an optional time (T or white space; seconds and fraction optional, the fraction cut
    to microseconds) and with a time an optional offset (Z, ' UTC', +hh, +hh:mm, +hhmm, +hh:mm:ss). The offset
    is applied as written, however large (DuckDB does; timestamp_checks rejects it after).
    On Spark, forms outside this grammar (other time zone names, '/' dates, epoch,
    infinity, BC and years past 9999) are null. -#}
{% macro try_cast_instant(text) -%}
    {{ return(adapter.dispatch('try_cast_instant', 'tallyhouse')(text)) }}
{%- endmacro %}

{% macro default__try_cast_instant(text) -%}try_cast({{ text }} as timestamptz){%- endmacro %}

{% macro spark__try_cast_instant(text) -%}
    {%- set re = "'^\\\\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:T|\\\\s+)([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:[.]([0-9]*))?)?(?:(Z| (?i:UTC))|([+-])([0-9]{2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?)?)?\\\\s*$'" -%}
    {%- set part = [] -%}
    {%- for i in range(1, 13) -%}
        {%- do part.append("nullif(regexp_extract(" ~ text ~ ", " ~ re ~ ", " ~ i ~ "), '')") -%}
    {%- endfor -%}
    {%- set hour = "cast(coalesce(" ~ part[3] ~ ", '0') as bigint)" -%}
    {%- set minute = "cast(coalesce(" ~ part[4] ~ ", '0') as bigint)" -%}
    {%- set second = "cast(coalesce(" ~ part[5] ~ ", '0') as bigint)" -%}
    {%- set micros = "cast(rpad(substr(coalesce(" ~ part[6] ~ ", ''), 1, 6), 6, '0') as bigint)" -%}
    {%- set offset = "(case when " ~ part[8] ~ " = '-' then -1 else 1 end) * ("
        ~ "cast(coalesce(" ~ part[9] ~ ", '0') as bigint) * 3600 + "
        ~ "cast(coalesce(" ~ part[10] ~ ", '0') as bigint) * 60 + "
        ~ "cast(coalesce(" ~ part[11] ~ ", '0') as bigint))" -%}
    case
        when regexp_like({{ text }}, {{ re }})
            and {{ minute }} < 60 and {{ second }} < 60
            and ({{ hour }} < 24 or ({{ hour }} = 24 and {{ minute }} = 0 and {{ second }} = 0 and {{ micros }} = 0))
            then timestamp_micros(
                unix_micros(make_timestamp(
                    cast({{ part[0] }} as int), cast({{ part[1] }} as int), cast({{ part[2] }} as int), 0, 0, 0
                ))
                + (({{ hour }} * 60 + {{ minute }}) * 60 + {{ second }} - {{ offset }}) * 1000000
                + {{ micros }}
            )
    end
{%- endmacro %}

{#- Text to DOUBLE or null (DuckDB try_cast(text as double)): Spark's cast also reads hex
    and a trailing d/f (Java), which DuckDB does not. -#}
{% macro try_cast_double(text) -%}
    {{ return(adapter.dispatch('try_cast_double', 'tallyhouse')(text)) }}
{%- endmacro %}

{% macro default__try_cast_double(text) -%}try_cast({{ text }} as double){%- endmacro %}

{% macro spark__try_cast_double(text) -%}
    case when not regexp_like({{ text }}, '(?i)0x|[0-9.][df] *$') then try_cast({{ text }} as double) end
{%- endmacro %}

{#- Text to a TIMESTAMP by year-month-day or null (DuckDB try_strptime(text, '%Y-%m-%d')). -#}
{% macro try_strptime_ymd(text) -%}
    {{ return(adapter.dispatch('try_strptime_ymd', 'tallyhouse')(text)) }}
{%- endmacro %}

{% macro default__try_strptime_ymd(text) -%}try_strptime({{ text }}, '%Y-%m-%d'){%- endmacro %}

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

{#- The first non-null value of a window (DuckDB first_value(x ignore nulls)). -#}
{% macro first_value_ignore_nulls(expr) -%}
    {{ return(adapter.dispatch('first_value_ignore_nulls', 'tallyhouse')(expr)) }}
{%- endmacro %}

{% macro default__first_value_ignore_nulls(expr) -%}first_value({{ expr }} ignore nulls){%- endmacro %}

{% macro spark__first_value_ignore_nulls(expr) -%}first_value({{ expr }}, true){%- endmacro %}

{#- Every column of `alias` but `excluded` (DuckDB `alias.* exclude (...)`). -#}
{% macro star_except(alias, excluded) -%}
    {{ return(adapter.dispatch('star_except', 'tallyhouse')(alias, excluded)) }}
{%- endmacro %}

{% macro default__star_except(alias, excluded) -%}
    {{ alias }}.* exclude ({{ excluded | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(alias, excluded) -%}
    {{ alias }}.* except ({{ excluded | join(', ') }})
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

{#- A CTE computed where it is used rather than once (DuckDB `as not materialized`). -#}
{% macro cte_not_materialized() -%}
    {{ return(adapter.dispatch('cte_not_materialized', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__cte_not_materialized() -%}not materialized{%- endmacro %}

{% macro spark__cte_not_materialized() -%}{%- endmacro %}

{#- A row value of the given expressions, ordered field by field (DuckDB row(...)). -#}
{% macro row_value(exprs) -%}
    {{ return(adapter.dispatch('row_value', 'tallyhouse')(exprs)) }}
{%- endmacro %}

{% macro default__row_value(exprs) -%}row({{ exprs | join(', ') }}){%- endmacro %}

{% macro spark__row_value(exprs) -%}struct({{ exprs | join(', ') }}){%- endmacro %}

{#- The materialization of an incremental model: incremental on DuckDB, a table rebuilt
    each run on Spark. -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__incremental_materialization() -%}{{ return('incremental') }}{%- endmacro %}

{% macro spark__incremental_materialization() -%}{{ return('table') }}{%- endmacro %}

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

{#- The IANA time zone names a client's timezone may have, one row each in column `name`
    (DuckDB pg_timezone_names(), ICU's list). Spark has no such list and its zone parser
    accepts offsets (+05:00, UTC+3) that DuckDB rejects, and fails the query on a name it
    does not know, so on Spark the list is DuckDB's, written out: its 638 names but the five
    Java's time zone data does not know (America/Coyhaique, Canada/East-Saskatchewan,
    Factory, ROC, US/Pacific-New), which are invalid there (a configuration error) rather than
    a failed run. Every name listed converts as on DuckDB (checked at 4 instants each). -#}
{% macro timezone_names() -%}
    {{ return(adapter.dispatch('timezone_names', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__timezone_names() -%}select name from pg_timezone_names(){%- endmacro %}

{% macro spark__timezone_names() -%}
    {%- set names = [
    'ACT', 'AET', 'AGT', 'ART', 'AST', 'Africa/Abidjan', 'Africa/Accra', 'Africa/Addis_Ababa',
    'Africa/Algiers', 'Africa/Asmara', 'Africa/Asmera', 'Africa/Bamako', 'Africa/Bangui',
    'Africa/Banjul', 'Africa/Bissau', 'Africa/Blantyre', 'Africa/Brazzaville', 'Africa/Bujumbura',
    'Africa/Cairo', 'Africa/Casablanca', 'Africa/Ceuta', 'Africa/Conakry', 'Africa/Dakar',
    'Africa/Dar_es_Salaam', 'Africa/Djibouti', 'Africa/Douala', 'Africa/El_Aaiun',
    'Africa/Freetown', 'Africa/Gaborone', 'Africa/Harare', 'Africa/Johannesburg', 'Africa/Juba',
    'Africa/Kampala', 'Africa/Khartoum', 'Africa/Kigali', 'Africa/Kinshasa', 'Africa/Lagos',
    'Africa/Libreville', 'Africa/Lome', 'Africa/Luanda', 'Africa/Lubumbashi', 'Africa/Lusaka',
    'Africa/Malabo', 'Africa/Maputo', 'Africa/Maseru', 'Africa/Mbabane', 'Africa/Mogadishu',
    'Africa/Monrovia', 'Africa/Nairobi', 'Africa/Ndjamena', 'Africa/Niamey', 'Africa/Nouakchott',
    'Africa/Ouagadougou', 'Africa/Porto-Novo', 'Africa/Sao_Tome', 'Africa/Timbuktu',
    'Africa/Tripoli', 'Africa/Tunis', 'Africa/Windhoek', 'America/Adak', 'America/Anchorage',
    'America/Anguilla', 'America/Antigua', 'America/Araguaina', 'America/Argentina/Buenos_Aires',
    'America/Argentina/Catamarca', 'America/Argentina/ComodRivadavia', 'America/Argentina/Cordoba',
    'America/Argentina/Jujuy', 'America/Argentina/La_Rioja', 'America/Argentina/Mendoza',
    'America/Argentina/Rio_Gallegos', 'America/Argentina/Salta', 'America/Argentina/San_Juan',
    'America/Argentina/San_Luis', 'America/Argentina/Tucuman', 'America/Argentina/Ushuaia',
    'America/Aruba', 'America/Asuncion', 'America/Atikokan', 'America/Atka', 'America/Bahia',
    'America/Bahia_Banderas', 'America/Barbados', 'America/Belem', 'America/Belize',
    'America/Blanc-Sablon', 'America/Boa_Vista', 'America/Bogota', 'America/Boise',
    'America/Buenos_Aires', 'America/Cambridge_Bay', 'America/Campo_Grande', 'America/Cancun',
    'America/Caracas', 'America/Catamarca', 'America/Cayenne', 'America/Cayman', 'America/Chicago',
    'America/Chihuahua', 'America/Ciudad_Juarez', 'America/Coral_Harbour', 'America/Cordoba',
    'America/Costa_Rica', 'America/Creston', 'America/Cuiaba', 'America/Curacao',
    'America/Danmarkshavn', 'America/Dawson', 'America/Dawson_Creek', 'America/Denver',
    'America/Detroit', 'America/Dominica', 'America/Edmonton', 'America/Eirunepe',
    'America/El_Salvador', 'America/Ensenada', 'America/Fort_Nelson', 'America/Fort_Wayne',
    'America/Fortaleza', 'America/Glace_Bay', 'America/Godthab', 'America/Goose_Bay',
    'America/Grand_Turk', 'America/Grenada', 'America/Guadeloupe', 'America/Guatemala',
    'America/Guayaquil', 'America/Guyana', 'America/Halifax', 'America/Havana',
    'America/Hermosillo', 'America/Indiana/Indianapolis', 'America/Indiana/Knox',
    'America/Indiana/Marengo', 'America/Indiana/Petersburg', 'America/Indiana/Tell_City',
    'America/Indiana/Vevay', 'America/Indiana/Vincennes', 'America/Indiana/Winamac',
    'America/Indianapolis', 'America/Inuvik', 'America/Iqaluit', 'America/Jamaica', 'America/Jujuy',
    'America/Juneau', 'America/Kentucky/Louisville', 'America/Kentucky/Monticello',
    'America/Knox_IN', 'America/Kralendijk', 'America/La_Paz', 'America/Lima',
    'America/Los_Angeles', 'America/Louisville', 'America/Lower_Princes', 'America/Maceio',
    'America/Managua', 'America/Manaus', 'America/Marigot', 'America/Martinique',
    'America/Matamoros', 'America/Mazatlan', 'America/Mendoza', 'America/Menominee',
    'America/Merida', 'America/Metlakatla', 'America/Mexico_City', 'America/Miquelon',
    'America/Moncton', 'America/Monterrey', 'America/Montevideo', 'America/Montreal',
    'America/Montserrat', 'America/Nassau', 'America/New_York', 'America/Nipigon', 'America/Nome',
    'America/Noronha', 'America/North_Dakota/Beulah', 'America/North_Dakota/Center',
    'America/North_Dakota/New_Salem', 'America/Nuuk', 'America/Ojinaga', 'America/Panama',
    'America/Pangnirtung', 'America/Paramaribo', 'America/Phoenix', 'America/Port-au-Prince',
    'America/Port_of_Spain', 'America/Porto_Acre', 'America/Porto_Velho', 'America/Puerto_Rico',
    'America/Punta_Arenas', 'America/Rainy_River', 'America/Rankin_Inlet', 'America/Recife',
    'America/Regina', 'America/Resolute', 'America/Rio_Branco', 'America/Rosario',
    'America/Santa_Isabel', 'America/Santarem', 'America/Santiago', 'America/Santo_Domingo',
    'America/Sao_Paulo', 'America/Scoresbysund', 'America/Shiprock', 'America/Sitka',
    'America/St_Barthelemy', 'America/St_Johns', 'America/St_Kitts', 'America/St_Lucia',
    'America/St_Thomas', 'America/St_Vincent', 'America/Swift_Current', 'America/Tegucigalpa',
    'America/Thule', 'America/Thunder_Bay', 'America/Tijuana', 'America/Toronto', 'America/Tortola',
    'America/Vancouver', 'America/Virgin', 'America/Whitehorse', 'America/Winnipeg',
    'America/Yakutat', 'America/Yellowknife', 'Antarctica/Casey', 'Antarctica/Davis',
    'Antarctica/DumontDUrville', 'Antarctica/Macquarie', 'Antarctica/Mawson', 'Antarctica/McMurdo',
    'Antarctica/Palmer', 'Antarctica/Rothera', 'Antarctica/South_Pole', 'Antarctica/Syowa',
    'Antarctica/Troll', 'Antarctica/Vostok', 'Arctic/Longyearbyen', 'Asia/Aden', 'Asia/Almaty',
    'Asia/Amman', 'Asia/Anadyr', 'Asia/Aqtau', 'Asia/Aqtobe', 'Asia/Ashgabat', 'Asia/Ashkhabad',
    'Asia/Atyrau', 'Asia/Baghdad', 'Asia/Bahrain', 'Asia/Baku', 'Asia/Bangkok', 'Asia/Barnaul',
    'Asia/Beirut', 'Asia/Bishkek', 'Asia/Brunei', 'Asia/Calcutta', 'Asia/Chita', 'Asia/Choibalsan',
    'Asia/Chongqing', 'Asia/Chungking', 'Asia/Colombo', 'Asia/Dacca', 'Asia/Damascus', 'Asia/Dhaka',
    'Asia/Dili', 'Asia/Dubai', 'Asia/Dushanbe', 'Asia/Famagusta', 'Asia/Gaza', 'Asia/Harbin',
    'Asia/Hebron', 'Asia/Ho_Chi_Minh', 'Asia/Hong_Kong', 'Asia/Hovd', 'Asia/Irkutsk',
    'Asia/Istanbul', 'Asia/Jakarta', 'Asia/Jayapura', 'Asia/Jerusalem', 'Asia/Kabul',
    'Asia/Kamchatka', 'Asia/Karachi', 'Asia/Kashgar', 'Asia/Kathmandu', 'Asia/Katmandu',
    'Asia/Khandyga', 'Asia/Kolkata', 'Asia/Krasnoyarsk', 'Asia/Kuala_Lumpur', 'Asia/Kuching',
    'Asia/Kuwait', 'Asia/Macao', 'Asia/Macau', 'Asia/Magadan', 'Asia/Makassar', 'Asia/Manila',
    'Asia/Muscat', 'Asia/Nicosia', 'Asia/Novokuznetsk', 'Asia/Novosibirsk', 'Asia/Omsk',
    'Asia/Oral', 'Asia/Phnom_Penh', 'Asia/Pontianak', 'Asia/Pyongyang', 'Asia/Qatar',
    'Asia/Qostanay', 'Asia/Qyzylorda', 'Asia/Rangoon', 'Asia/Riyadh', 'Asia/Saigon',
    'Asia/Sakhalin', 'Asia/Samarkand', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Singapore',
    'Asia/Srednekolymsk', 'Asia/Taipei', 'Asia/Tashkent', 'Asia/Tbilisi', 'Asia/Tehran',
    'Asia/Tel_Aviv', 'Asia/Thimbu', 'Asia/Thimphu', 'Asia/Tokyo', 'Asia/Tomsk',
    'Asia/Ujung_Pandang', 'Asia/Ulaanbaatar', 'Asia/Ulan_Bator', 'Asia/Urumqi', 'Asia/Ust-Nera',
    'Asia/Vientiane', 'Asia/Vladivostok', 'Asia/Yakutsk', 'Asia/Yangon', 'Asia/Yekaterinburg',
    'Asia/Yerevan', 'Atlantic/Azores', 'Atlantic/Bermuda', 'Atlantic/Canary', 'Atlantic/Cape_Verde',
    'Atlantic/Faeroe', 'Atlantic/Faroe', 'Atlantic/Jan_Mayen', 'Atlantic/Madeira',
    'Atlantic/Reykjavik', 'Atlantic/South_Georgia', 'Atlantic/St_Helena', 'Atlantic/Stanley',
    'Australia/ACT', 'Australia/Adelaide', 'Australia/Brisbane', 'Australia/Broken_Hill',
    'Australia/Canberra', 'Australia/Currie', 'Australia/Darwin', 'Australia/Eucla',
    'Australia/Hobart', 'Australia/LHI', 'Australia/Lindeman', 'Australia/Lord_Howe',
    'Australia/Melbourne', 'Australia/NSW', 'Australia/North', 'Australia/Perth',
    'Australia/Queensland', 'Australia/South', 'Australia/Sydney', 'Australia/Tasmania',
    'Australia/Victoria', 'Australia/West', 'Australia/Yancowinna', 'BET', 'BST', 'Brazil/Acre',
    'Brazil/DeNoronha', 'Brazil/East', 'Brazil/West', 'CAT', 'CET', 'CNT', 'CST', 'CST6CDT', 'CTT',
    'Canada/Atlantic', 'Canada/Central', 'Canada/Eastern', 'Canada/Mountain', 'Canada/Newfoundland',
    'Canada/Pacific', 'Canada/Saskatchewan', 'Canada/Yukon', 'Chile/Continental',
    'Chile/EasterIsland', 'Cuba', 'EAT', 'ECT', 'EET', 'EST', 'EST5EDT', 'Egypt', 'Eire', 'Etc/GMT',
    'Etc/GMT+0', 'Etc/GMT+1', 'Etc/GMT+10', 'Etc/GMT+11', 'Etc/GMT+12', 'Etc/GMT+2', 'Etc/GMT+3',
    'Etc/GMT+4', 'Etc/GMT+5', 'Etc/GMT+6', 'Etc/GMT+7', 'Etc/GMT+8', 'Etc/GMT+9', 'Etc/GMT-0',
    'Etc/GMT-1', 'Etc/GMT-10', 'Etc/GMT-11', 'Etc/GMT-12', 'Etc/GMT-13', 'Etc/GMT-14', 'Etc/GMT-2',
    'Etc/GMT-3', 'Etc/GMT-4', 'Etc/GMT-5', 'Etc/GMT-6', 'Etc/GMT-7', 'Etc/GMT-8', 'Etc/GMT-9',
    'Etc/GMT0', 'Etc/Greenwich', 'Etc/UCT', 'Etc/UTC', 'Etc/Universal', 'Etc/Zulu',
    'Europe/Amsterdam', 'Europe/Andorra', 'Europe/Astrakhan', 'Europe/Athens', 'Europe/Belfast',
    'Europe/Belgrade', 'Europe/Berlin', 'Europe/Bratislava', 'Europe/Brussels', 'Europe/Bucharest',
    'Europe/Budapest', 'Europe/Busingen', 'Europe/Chisinau', 'Europe/Copenhagen', 'Europe/Dublin',
    'Europe/Gibraltar', 'Europe/Guernsey', 'Europe/Helsinki', 'Europe/Isle_of_Man',
    'Europe/Istanbul', 'Europe/Jersey', 'Europe/Kaliningrad', 'Europe/Kiev', 'Europe/Kirov',
    'Europe/Kyiv', 'Europe/Lisbon', 'Europe/Ljubljana', 'Europe/London', 'Europe/Luxembourg',
    'Europe/Madrid', 'Europe/Malta', 'Europe/Mariehamn', 'Europe/Minsk', 'Europe/Monaco',
    'Europe/Moscow', 'Europe/Nicosia', 'Europe/Oslo', 'Europe/Paris', 'Europe/Podgorica',
    'Europe/Prague', 'Europe/Riga', 'Europe/Rome', 'Europe/Samara', 'Europe/San_Marino',
    'Europe/Sarajevo', 'Europe/Saratov', 'Europe/Simferopol', 'Europe/Skopje', 'Europe/Sofia',
    'Europe/Stockholm', 'Europe/Tallinn', 'Europe/Tirane', 'Europe/Tiraspol', 'Europe/Ulyanovsk',
    'Europe/Uzhgorod', 'Europe/Vaduz', 'Europe/Vatican', 'Europe/Vienna', 'Europe/Vilnius',
    'Europe/Volgograd', 'Europe/Warsaw', 'Europe/Zagreb', 'Europe/Zaporozhye', 'Europe/Zurich',
    'GB', 'GB-Eire', 'GMT', 'GMT+0', 'GMT-0', 'GMT0', 'Greenwich', 'HST', 'Hongkong', 'IET', 'IST',
    'Iceland', 'Indian/Antananarivo', 'Indian/Chagos', 'Indian/Christmas', 'Indian/Cocos',
    'Indian/Comoro', 'Indian/Kerguelen', 'Indian/Mahe', 'Indian/Maldives', 'Indian/Mauritius',
    'Indian/Mayotte', 'Indian/Reunion', 'Iran', 'Israel', 'JST', 'Jamaica', 'Japan', 'Kwajalein',
    'Libya', 'MET', 'MIT', 'MST', 'MST7MDT', 'Mexico/BajaNorte', 'Mexico/BajaSur', 'Mexico/General',
    'NET', 'NST', 'NZ', 'NZ-CHAT', 'Navajo', 'PLT', 'PNT', 'PRC', 'PRT', 'PST', 'PST8PDT',
    'Pacific/Apia', 'Pacific/Auckland', 'Pacific/Bougainville', 'Pacific/Chatham', 'Pacific/Chuuk',
    'Pacific/Easter', 'Pacific/Efate', 'Pacific/Enderbury', 'Pacific/Fakaofo', 'Pacific/Fiji',
    'Pacific/Funafuti', 'Pacific/Galapagos', 'Pacific/Gambier', 'Pacific/Guadalcanal',
    'Pacific/Guam', 'Pacific/Honolulu', 'Pacific/Johnston', 'Pacific/Kanton', 'Pacific/Kiritimati',
    'Pacific/Kosrae', 'Pacific/Kwajalein', 'Pacific/Majuro', 'Pacific/Marquesas', 'Pacific/Midway',
    'Pacific/Nauru', 'Pacific/Niue', 'Pacific/Norfolk', 'Pacific/Noumea', 'Pacific/Pago_Pago',
    'Pacific/Palau', 'Pacific/Pitcairn', 'Pacific/Pohnpei', 'Pacific/Ponape',
    'Pacific/Port_Moresby', 'Pacific/Rarotonga', 'Pacific/Saipan', 'Pacific/Samoa',
    'Pacific/Tahiti', 'Pacific/Tarawa', 'Pacific/Tongatapu', 'Pacific/Truk', 'Pacific/Wake',
    'Pacific/Wallis', 'Pacific/Yap', 'Poland', 'Portugal', 'ROK', 'SST', 'Singapore',
    'SystemV/AST4', 'SystemV/AST4ADT', 'SystemV/CST6', 'SystemV/CST6CDT', 'SystemV/EST5',
    'SystemV/EST5EDT', 'SystemV/HST10', 'SystemV/MST7', 'SystemV/MST7MDT', 'SystemV/PST8',
    'SystemV/PST8PDT', 'SystemV/YST9', 'SystemV/YST9YDT', 'Turkey', 'UCT', 'US/Alaska',
    'US/Aleutian', 'US/Arizona', 'US/Central', 'US/East-Indiana', 'US/Eastern', 'US/Hawaii',
    'US/Indiana-Starke', 'US/Michigan', 'US/Mountain', 'US/Pacific', 'US/Samoa', 'UTC', 'Universal',
    'VST', 'W-SU', 'WET', 'Zulu'
    ] -%}
    select explode(array('{{ names | join("', '") }}')) as name
{%- endmacro %}

{#- A composite sort key for max_by / min_by (DuckDB row value; Spark struct, same order).
    Its fields must not be NULL: the engines order NULL fields differently. -#}
{% macro sort_key(columns) -%}
    {{ return(adapter.dispatch('sort_key', 'tallyhouse')(columns)) }}
{%- endmacro %}

{% macro default__sort_key(columns) -%}({{ columns | join(', ') }}){%- endmacro %}

{% macro spark__sort_key(columns) -%}struct({{ columns | join(', ') }}){%- endmacro %}

{#- Every column of the relation but `columns` (DuckDB `* exclude (...)`). -#}
{% macro star_exclude(columns) -%}
    {{ return(adapter.dispatch('star_exclude', 'tallyhouse')(columns)) }}
{%- endmacro %}

{% macro default__star_exclude(columns) -%}* exclude ({{ columns | join(', ') }}){%- endmacro %}

{% macro spark__star_exclude(columns) -%}* except ({{ columns | join(', ') }}){%- endmacro %}

{#- The rows of the `queries` matched by column name (DuckDB `union all by name`). Spark has
    no such union: there each query is wrapped and its `columns` selected in one order,
    `missing[i]` naming the columns that query i lacks (NULL there). -#}
{% macro union_all_by_name(queries, columns, missing=none) -%}
    {{ return(adapter.dispatch('union_all_by_name', 'tallyhouse')(queries, columns, missing)) }}
{%- endmacro %}

{% macro default__union_all_by_name(queries, columns, missing) -%}
    {{ queries | join('\nunion all by name\n') }}
{%- endmacro %}

{% macro spark__union_all_by_name(queries, columns, missing) -%}
    {%- for query in queries %}
        {%- set lacking = missing[loop.index0] if missing else [] %}
        select
            {% for column in columns -%}
                {% if column in lacking %}null as {% endif %}{{ column }}{% if not loop.last %}, {% endif %}
            {%- endfor %}
        from ({{ query }}) as by_name_{{ loop.index }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- A CTE that is inlined where it is used (DuckDB `as not materialized (`); Spark always
    inlines a CTE. Goes between `name as` and `(`. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}not materialized{%- endmacro %}

{% macro spark__not_materialized() -%}{%- endmacro %}

{#- One row per month from first_month to last_month (timestamps at a month's start), as
    DATEs: a set-returning select item (DuckDB unnest(generate_series(...))). -#}
{% macro unnest_month_dates(first_month, last_month) -%}
    {{ return(adapter.dispatch('unnest_month_dates', 'tallyhouse')(first_month, last_month)) }}
{%- endmacro %}

{% macro default__unnest_month_dates(first_month, last_month) -%}
    cast(
        unnest(generate_series({{ first_month }}, {{ last_month }}, interval 1 month)) as date
    )
{%- endmacro %}

{% macro spark__unnest_month_dates(first_month, last_month) -%}
    explode(sequence(cast({{ first_month }} as date), cast({{ last_month }} as date), interval 1 month))
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

{#- The sign of an exact number as an exact number (DuckDB sign() keeps the type; Spark's
    sign() is a DOUBLE, which would make a product with it inexact). -#}
{% macro exact_sign(x) -%}
    {{ return(adapter.dispatch('exact_sign', 'tallyhouse')(x)) }}
{%- endmacro %}

{% macro default__exact_sign(x) -%}sign({{ x }}){%- endmacro %}

{% macro spark__exact_sign(x) -%}cast(sign({{ x }}) as int){%- endmacro %}

{#- The exact product of two DECIMALs of scales `a_scale` and `b_scale` (DuckDB: scale
    a_scale + b_scale, 38 digits). Spark narrows a product's scale when the declared
    precisions add up to more than 38 (DECIMAL(24, 6) * DECIMAL(24, 12) is DECIMAL(38, 7)),
    rounding it, and money rounded again after would be rounded twice. So on Spark the
    product is made from HUGEINT units (a * 10^a_scale times b * 10^b_scale, exact) and
    split into whole and fraction: DECIMAL(37, a_scale + b_scale), exact; so two of them add
    up exactly too. Products of 10^(37 - a_scale - b_scale) or more are null there. -#}
{% macro exact_product(a, b, a_scale, b_scale) -%}
    {{ return(adapter.dispatch('exact_product', 'tallyhouse')(a, b, a_scale, b_scale)) }}
{%- endmacro %}

{% macro default__exact_product(a, b, a_scale, b_scale) -%}{{ a }} * {{ b }}{%- endmacro %}

{% macro spark__exact_product(a, b, a_scale, b_scale) -%}
    {%- set scale = a_scale + b_scale -%}
    {%- set units = "(cast(cast(" ~ a ~ " as decimal(38, " ~ a_scale ~ ")) * " ~ 10 ** a_scale ~ " as decimal(38, 0))"
        ~ " * cast(cast(" ~ b ~ " as decimal(38, " ~ b_scale ~ ")) * " ~ 10 ** b_scale ~ " as decimal(38, 0)))" -%}
    {%- set unit = "cast(" ~ 10 ** scale ~ " as decimal(38, 0))" -%}
    {%- set magnitude = "(cast(" ~ int_div("abs(" ~ units ~ ")", unit) ~ " as decimal(" ~ (37 - scale) ~ ", 0))"
        ~ " + cast(cast(abs(" ~ units ~ ") % " ~ unit ~ " as decimal(" ~ scale ~ ", 0))"
        ~ " * cast('0." ~ '0' * (scale - 1) ~ "1' as decimal(" ~ scale ~ ", " ~ scale ~ ")) as decimal(" ~ scale ~ ", " ~ scale ~ ")))" -%}
    cast(case when {{ units }} < 0 then -{{ magnitude }} else {{ magnitude }} end as decimal(37, {{ scale }}))
{%- endmacro %}

{#- The largest instant, to stand for "none yet" in a max (DuckDB timestamptz 'infinity'). -#}
{% macro instant_infinity() -%}
    {{ return(adapter.dispatch('instant_infinity', 'tallyhouse')()) }}
{%- endmacro %}

{% macro default__instant_infinity() -%}cast('infinity' as timestamptz){%- endmacro %}

{% macro spark__instant_infinity() -%}timestamp'9999-12-31 23:59:59.999999'{%- endmacro %}

{#- Whole days from date `start` to date `end` (DuckDB date_diff('day', start, end)). -#}
{% macro date_diff_days(start, end) -%}
    {{ return(adapter.dispatch('date_diff_days', 'tallyhouse')(start, end)) }}
{%- endmacro %}

{% macro default__date_diff_days(start, end) -%}date_diff('day', {{ start }}, {{ end }}){%- endmacro %}

{% macro spark__date_diff_days(start, end) -%}datediff({{ end }}, {{ start }}){%- endmacro %}

{#- The values of `value` in a group as an array ordered by `order_by` (unique in the group)
    (DuckDB list(value order by order_by)). -#}
{% macro array_agg_ordered(value, order_by) -%}
    {{ return(adapter.dispatch('array_agg_ordered', 'tallyhouse')(value, order_by)) }}
{%- endmacro %}

{% macro default__array_agg_ordered(value, order_by) -%}list({{ value }} order by {{ order_by }}){%- endmacro %}

{% macro spark__array_agg_ordered(value, order_by) -%}transform(array_sort(collect_list(named_struct('k', {{ order_by }}, 'v', {{ value }}))), e -> e.v){%- endmacro %}

{#- The array [1, 2, ..., n] of a count n >= 1 (DuckDB generate_series(1, n)). -#}
{% macro array_range(n) -%}
    {{ return(adapter.dispatch('array_range', 'tallyhouse')(n)) }}
{%- endmacro %}

{% macro default__array_range(n) -%}generate_series(1, {{ n }}){%- endmacro %}

{% macro spark__array_range(n) -%}sequence(1, cast({{ n }} as int)){%- endmacro %}

{#- Element `index` of an array, counted from 1 (DuckDB list_extract). -#}
{% macro array_at(array, index) -%}
    {{ return(adapter.dispatch('array_at', 'tallyhouse')(array, index)) }}
{%- endmacro %}

{% macro default__array_at(array, index) -%}list_extract({{ array }}, {{ index }}){%- endmacro %}

{% macro spark__array_at(array, index) -%}element_at({{ array }}, cast({{ index }} as int)){%- endmacro %}

{#- The array of `expr` for each element `var` of `array` (DuckDB list_transform). -#}
{% macro array_map(array, var, expr) -%}
    {{ return(adapter.dispatch('array_map', 'tallyhouse')(array, var, expr)) }}
{%- endmacro %}

{% macro default__array_map(array, var, expr) -%}list_transform({{ array }}, lambda {{ var }}: {{ expr }}){%- endmacro %}

{% macro spark__array_map(array, var, expr) -%}transform({{ array }}, {{ var }} -> {{ expr }}){%- endmacro %}

{#- The elements `var` of `array` for which `condition` holds (DuckDB list_filter). -#}
{% macro array_where(array, var, condition) -%}
    {{ return(adapter.dispatch('array_where', 'tallyhouse')(array, var, condition)) }}
{%- endmacro %}

{% macro default__array_where(array, var, condition) -%}list_filter({{ array }}, lambda {{ var }}: {{ condition }}){%- endmacro %}

{% macro spark__array_where(array, var, condition) -%}filter({{ array }}, {{ var }} -> {{ condition }}){%- endmacro %}

{#- The exact sum of an array of DECIMAL `type`, 0 when empty (DuckDB list_sum). -#}
{% macro array_sum_decimal(array, type) -%}
    {{ return(adapter.dispatch('array_sum_decimal', 'tallyhouse')(array, type)) }}
{%- endmacro %}

{% macro default__array_sum_decimal(array, type) -%}cast(coalesce(list_sum({{ array }}), 0) as {{ type }}){%- endmacro %}

{% macro spark__array_sum_decimal(array, type) -%}aggregate({{ array }}, cast(0 as {{ type }}), (acc, x) -> cast(acc + x as {{ type }})){%- endmacro %}

{#- Day of the week of a date, Sunday = 0 to Saturday = 6 (DuckDB dayofweek). -#}
{% macro day_of_week(day) -%}
    {{ return(adapter.dispatch('day_of_week', 'tallyhouse')(day)) }}
{%- endmacro %}

{% macro default__day_of_week(day) -%}dayofweek({{ day }}){%- endmacro %}

{% macro spark__day_of_week(day) -%}(dayofweek({{ day }}) - 1){%- endmacro %}

{#- One row per integer 0 .. n - 1, in a select list (DuckDB unnest(range(n))), cast to
    `type` when given (a set-returning item cannot sit inside a cast on Spark); none when n <= 0. -#}
{% macro unnest_range(n, type=none) -%}
    {{ return(adapter.dispatch('unnest_range', 'tallyhouse')(n, type)) }}
{%- endmacro %}

{% macro default__unnest_range(n, type) -%}
    {%- if type -%}cast(unnest(range({{ n }})) as {{ type }}){%- else -%}unnest(range({{ n }})){%- endif -%}
{%- endmacro %}

{% macro spark__unnest_range(n, type) -%}
    {%- set values -%}
        case
            when ({{ n }}) > 0 then sequence(cast(0 as bigint), cast({{ n }} as bigint) - 1)
            else cast(array() as array<bigint>)
        end
    {%- endset -%}
    {%- if type -%}explode(transform({{ values }}, i -> cast(i as {{ type }})))
    {%- else -%}explode({{ values }}){%- endif -%}
{%- endmacro %}

{#- One row per value of `values` (a Jinja list of literals), in a select list (DuckDB
    unnest([...])), cast to `type` when given. -#}
{% macro unnest_values(values, type=none) -%}
    {{ return(adapter.dispatch('unnest_values', 'tallyhouse')(values, type)) }}
{%- endmacro %}

{% macro default__unnest_values(values, type) -%}
    {%- if type -%}cast(unnest({{ values }}) as {{ type }}){%- else -%}unnest({{ values }}){%- endif -%}
{%- endmacro %}

{% macro spark__unnest_values(values, type) -%}
    {%- if type -%}explode(array({% for v in values %}cast({{ v }} as {{ type }}){% if not loop.last %}, {% endif %}{% endfor %}))
    {%- else -%}explode(array({{ values | join(', ') }})){%- endif -%}
{%- endmacro %}

{#- An interval of n `unit`s (day or month), of one type whatever the unit, so that days and
    months can share a column (DuckDB INTERVAL; Spark's calendar interval). Add it to a date
    or subtract it, then cast to date. -#}
{% macro calendar_interval(n, unit) -%}
    {{ return(adapter.dispatch('calendar_interval', 'tallyhouse')(n, unit)) }}
{%- endmacro %}

{% macro default__calendar_interval(n, unit) -%}interval {{ n }} {{ unit }}{%- endmacro %}

{% macro spark__calendar_interval(n, unit) -%}
    {%- if unit == 'month' -%}make_interval(0, {{ n }}, 0, 0, 0, 0, 0)
    {%- elif unit == 'day' -%}make_interval(0, 0, 0, {{ n }}, 0, 0, 0)
    {%- else -%}{{ exceptions.raise_compiler_error('calendar_interval: unit day or month, not ' ~ unit) }}
    {%- endif -%}
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
