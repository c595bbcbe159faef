-- The rows of the newest payments snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('payments') }}
