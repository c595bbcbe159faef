-- The rows of the newest disregarded assets snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('disregarded_assets') }}
