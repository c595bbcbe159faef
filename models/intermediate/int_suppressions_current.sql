-- The rows of the newest suppressions snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('suppressions') }}
