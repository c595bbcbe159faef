-- The rows of the newest buckets snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('buckets') }}
