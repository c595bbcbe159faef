-- The rows of the newest unit types snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('unit_types') }}
