-- How many users each client has per role in the newest users snapshot, and how many of
-- them are active at T.
with users as (
    select * from {{ ref('service_users') }}
),

final as (
    select
        client_id,
        coalesce(nullif(role, ''), '(none)') as role,
        count(*) as users,
        count(*) filter (where is_active) as active_users,
        {{ as_of() }} as calculated_at
    from users
    group by all
)

select * from final
