-- Blocking: a bad configuration must never produce a quietly wrong bill (CONTRACT 3.3).
-- Each row names the bucket or unit type and what is wrong with it.
select * from {{ ref('int_configuration_errors') }}
