{#- Admin tables: the id column the audit log keys them by, and the columns it shows. -#}
{% macro admin_tables() -%}
    {{ return({
        'clients': ('client_id', ['client_id', 'name', 'timezone', 'net_terms_days', 'enabled', 'created_at']),
        'assets': ('asset_id', ['asset_id', 'client_id', 'source_type', 'name', 'description', 'ack', 'enabled', 'created_at']),
        'unit_types': ('unit_type', ['unit_type', 'description', 'meter_kind', 'aggregation', 'auto_provision', 'base_price', 'overage_price', 'filter_pattern']),
        'buckets': ('bucket_id', ['bucket_id', 'client_id', 'name', 'source_type', 'unit_type', 'aggregation', 'commit_units', 'base_price', 'overage_price', 'reviewed', 'enabled', 'created_at']),
        'suppressions': ('pattern', ['pattern', 'pattern_type', 'reason', 'created_at']),
        'disregarded_assets': ('asset_id', ['asset_id', 'reason', 'disregarded_at']),
        'credit_grants': ('grant_id', ['grant_id', 'client_id', 'amount', 'received_at', 'expires_at']),
        'usage_limits': ('client_id', ['client_id', 'monthly_limit']),
        'payments': ('payment_id', ['payment_id', 'client_id', 'period', 'amount', 'paid_at']),
        'api_keys': ('api_key_id', ['api_key_id', 'name', 'role', 'client_id', 'key_hash']),
        'users': ('user_id', ['user_id', 'client_id', 'name', 'email', 'role', 'channels', 'created_at', 'deactivated_at']),
    }) }}
{%- endmacro %}
