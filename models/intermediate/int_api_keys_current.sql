-- The rows of the newest api keys snapshot arrived on or before T (current_admin_rows).
{{ current_admin_rows('api_keys') }}
