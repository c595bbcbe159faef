-- Credit grants of the newest credit_grants snapshot arrived on or before T.
{{ current_admin_rows('credit_grants') }}
