{#-
    Free text on its way into a mart: clear-text secrets replaced by [redacted] wherever they
    sit inside the text, then every e-mail address masked as mask_email does
    (jane@example.com -> j***@e***.com). The patterns are those of the secret kinds landed
    admin data and quarantined rows carry: provider keys (Stripe-style sk_/rk_/pk_, AWS access
    key ids, GitHub, Slack), bearer tokens and JWTs, private key blocks, passwords in URLs and
    `password=` / `token:` style assignments. They run in DuckDB over admin snapshots and
    quarantined rows only, never over the usage rows being billed.
-#}
{% macro secret_patterns() -%}
    {{ return([
        ["(?i)\\b((sk|rk|pk|ak|api|key|secret|token|tok)[-_](live|test|prod)?[-_]?)[A-Za-z0-9]{12,}", "\\1[redacted]"],
        ["\\bAKIA[0-9A-Z]{16}\\b", "[redacted]"],
        ["\\bgh[pousr]_[A-Za-z0-9]{20,}", "[redacted]"],
        ["\\bxox[abprs]-[A-Za-z0-9-]{10,}", "[redacted]"],
        ["(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]{12,}", "\\1[redacted]"],
        ["\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}", "[redacted]"],
        ["-----BEGIN [A-Z ]*PRIVATE KEY-----[^-]*(-----END [A-Z ]*PRIVATE KEY-----)?", "[redacted]"],
        ["(://[^/\\s:@\"]+:)[^@\\s/\"]+@", "\\1[redacted]@"],
        ["(?i)\\b(password|passwd|pwd|passphrase|secret|token|api[_-]?key|access[_-]?key|auth)(\\s*[=:]\\s*)[^\\s,;\"''&]+", "\\1\\2[redacted]"],
    ]) }}
{%- endmacro %}

{% macro redact_text(text) -%}
    {%- set ns = namespace(sql=text) -%}
    {%- for pattern, replacement in secret_patterns() -%}
        {%- set ns.sql = regexp_replace_all(ns.sql, pattern, replacement) -%}
    {%- endfor -%}
    {{ regexp_replace_all(
        ns.sql,
        '([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9])[A-Za-z0-9-]*(\\.[A-Za-z0-9-]+)*\\.([A-Za-z]{2,})',
        '\\1***@\\2***.\\4'
    ) }}
{%- endmacro %}
