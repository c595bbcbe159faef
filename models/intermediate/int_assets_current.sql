-- The rows of the newest assets snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('assets') }}
