{#-
    An e-mail address masked so that no full address reaches a mart: the first letter of the
    mailbox, the first letter of the domain and the top-level domain
    (jane@example.com -> j***@e***.com); '***' for a value that is not an address.
-#}
{% macro mask_email(email) -%}
    case
        when coalesce(trim({{ email }}), '') = '' then null
        when trim({{ email }}) not like '%_@_%' then '***'
        when split_part(trim({{ email }}), '@', -1) like '%.%'
            then
                left(split_part(trim({{ email }}), '@', 1), 1) || '***@'
                || left(split_part(trim({{ email }}), '@', -1), 1) || '***.'
                || split_part(split_part(trim({{ email }}), '@', -1), '.', -1)
        else
            left(split_part(trim({{ email }}), '@', 1), 1) || '***@'
            || left(split_part(trim({{ email }}), '@', -1), 1) || '***'
    end
{%- endmacro %}
