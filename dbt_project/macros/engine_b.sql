{#- Engine differences of the billing core (periods, binding, usage, ratings, adjustments),
    one macro each (adapter.dispatch, as engine.sql): `default__` is DuckDB's text, `spark__`
    Apache Spark's. -#}

{#- The materialization of an incremental model: incremental on DuckDB, a table rebuilt
    each run on Spark. -#}
{% macro incremental_materialization() -%}
    {{ return(adapter.dispatch('incremental_materialization', 'tallyhouse')()) }}
{%- endmacro %}
{% macro default__incremental_materialization() -%}{{ return('incremental') }}{%- endmacro %}
{% macro spark__incremental_materialization() -%}{{ return('table') }}{%- endmacro %}

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

{#- A row value of the given expressions, ordered field by field (DuckDB row(...)). -#}
{% macro row_value(exprs) -%}
    {{ return(adapter.dispatch('row_value', 'tallyhouse')(exprs)) }}
{%- endmacro %}
{% macro default__row_value(exprs) -%}row({{ exprs | join(', ') }}){%- endmacro %}
{% macro spark__row_value(exprs) -%}struct({{ exprs | join(', ') }}){%- endmacro %}

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

{#- The distinct non-null values of `expr`, sorted, joined by `separator` (DuckDB string_agg). -#}
{% macro string_agg_distinct_sorted(expr, separator) -%}
    {{ return(adapter.dispatch('string_agg_distinct_sorted', 'tallyhouse')(expr, separator)) }}
{%- endmacro %}
{% macro default__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }} order by {{ expr }})
{%- endmacro %}
{% macro spark__string_agg_distinct_sorted(expr, separator) -%}
    string_agg(distinct {{ expr }}, {{ separator }}) within group (order by {{ expr }})
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
