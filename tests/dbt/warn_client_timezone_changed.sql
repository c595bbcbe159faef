-- A client's timezone is fixed by its first clients snapshot; a later change is ignored
-- and reported here so that somebody can correct the admin table.
{{ config(severity='warn') }}

select
    clients.client_id,
    clients.snapshot_arrived,
    clients.timezone as listed_timezone,
    fixed.timezone as billing_timezone
from {{ ref('stg_admin__clients') }} as clients
inner join {{ ref('int_client_timezones') }} as fixed
    on clients.client_id = fixed.client_id
where clients.timezone <> fixed.timezone
