-- The rows of the newest users snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('users') }}
