-- The users of the newest users snapshot arrived on or before T: name, role, channels and
-- whether the user is active at T (created on or before T, not deactivated by T). The e-mail
-- address never reaches the mart whole: it is masked to the first letter of the mailbox, the
-- first letter of the domain and the top-level domain (jane@example.com -> j***@e***.com),
-- in the e-mail column; staging masks them in the name and the channels.
with users as (
    select * from {{ ref('int_users_current') }}
),

latest as (
    -- one row per user (the last row of the file wins when an id repeats)
    select
        user_id,
        max_by(client_id, row_number) as client_id,
        max_by(user_name, row_number) as user_name,
        max_by(trim(email), row_number) as email,
        max_by(role, row_number) as role,
        max_by(channels, row_number) as channels,
        max_by(created_at, row_number) as created_at,
        max_by(deactivated_at, row_number) as deactivated_at
    from users
    group by user_id
),

final as (
    select
        user_id,
        client_id,
        user_name as name,
        {{ mask_email('email') }} as email_masked,
        role,
        channels,
        coalesce(created_at <= {{ as_of() }}, true)
        and coalesce(deactivated_at > {{ as_of() }}, true) as is_active,
        created_at,
        deactivated_at,
        {{ as_of() }} as calculated_at
    from latest
)

select * from final
