-- Credit grants drawn down over finalized invoices (CONTRACT 3.6).
-- Invoices are paid in period order; a grant can pay invoice P when received_at < end(P) and
-- expires_at > end(P); grants are drawn in order of expires_at, received_at, grant_id, each as
-- far as its remaining balance and the amount still due allow. Draft invoices take no credit;
-- a negative amount due or grant amount counts as 0; a grant listed twice counts once (its
-- first listing in order of client_id, expires_at, received_at).
-- Computed grant by grant (each only sees what the grants before it left due): grant n pays
-- its eligible invoices in period order, so what it pays invoice P is what remains of it
-- after the amounts still due on its earlier eligible invoices, up to what is still due on P.
-- The amounts leave as exact decimal text (cast back to DECIMAL downstream): at the scale of
-- the grant (6), or of the invoice (2) when the grant pays all of an invoice nothing else paid.
{%- set money = 'decimal(38, 6)' %}
{%- set end_at_k = array_at('drawdown.end_ats', 'k') %}
{%- set end_at_j = array_at('drawdown.end_ats', 'j') %}
{%- set eligible = 'grants.received_at < ' ~ end_at_k ~ ' and ' ~ end_at_k ~ ' < grants.expires_at' %}
{%- set paid_before = array_sum_decimal(array_map(
    array_where(
        array_range('drawdown.invoice_count'), 'j',
        'j < k and grants.received_at < ' ~ end_at_j ~ ' and ' ~ end_at_j ~ ' < grants.expires_at'
    ),
    'j', array_at('drawdown.dues_left', 'j')
), money) %}
with recursive invoices as (
    select
        client_id,
        period_start,
        end_at,
        cast(case when subtotal > 0 then subtotal else 0 end as decimal(38, 6)) as due,
        row_number() over (partition by client_id order by period_start asc) as invoice_index
    from {{ ref('int_invoice_charges') }}
    where finalized
),

listings as (
    select
        grant_id,
        client_id,
        amount,
        received_at,
        expires_at,
        row_number() over (
            partition by grant_id
            order by client_id asc, expires_at asc, received_at asc
        ) as listing
    from {{ ref('int_credit_grants_current') }}
    where amount is not null and received_at is not null and expires_at is not null
),

grants as (
    select
        grant_id,
        client_id,
        cast(case when amount > 0 then amount else 0 end as decimal(38, 6)) as amount,
        received_at,
        expires_at,
        row_number() over (
            partition by client_id
            order by expires_at asc, received_at asc, grant_id asc
        ) as grant_rank
    from listings
    where listing = 1
),

-- each client's finalized invoices in period order, as arrays
client_invoices as (
    select
        client_id,
        cast(count(*) as int) as invoice_count,
        {{ array_agg_ordered('end_at', 'period_start') }} as end_ats,
        {{ array_agg_ordered('due', 'period_start') }} as dues
    from invoices
    where client_id in (select grants.client_id from grants)
    group by client_id
),

-- per client and grant drawn so far (grant_rank): dues_left, what grants 1..grant_rank left
-- due on each invoice; applied, what grant grant_rank paid each; whole, whether that was all
-- of an invoice nothing else paid, less than what remained of the grant
drawdown as (
    select
        client_id,
        invoice_count,
        end_ats,
        dues,
        {{ array_map(array_range('invoice_count'), 'k', array_at('dues', 'k')) }} as dues_left,
        cast(0 as bigint) as grant_rank,
        cast(null as {{ dbt.type_string() }}) as grant_id,
        {{ array_map(array_range('invoice_count'), 'k', array_at('dues', 'k')) }} as applied,
        {{ array_map(array_range('invoice_count'), 'k', array_at('dues', 'k') ~ ' < 0') }} as whole
    from client_invoices

    union all

    select
        client_id,
        invoice_count,
        end_ats,
        dues,
        {{ array_map(array_range('invoice_count'), 'k',
            'cast(' ~ array_at('dues_left', 'k') ~ ' - ' ~ array_at('applied', 'k')
            ~ ' as ' ~ money ~ ')') }} as dues_left,
        grant_rank,
        grant_id,
        applied,
        {{ array_map(array_range('invoice_count'), 'k',
            array_at('applied', 'k') ~ ' = ' ~ array_at('dues', 'k') ~ ' and '
            ~ array_at('dues', 'k') ~ ' < ' ~ array_at('grant_left', 'k')) }} as whole
    from (
        select
            client_id,
            invoice_count,
            end_ats,
            dues,
            dues_left,
            grant_rank,
            grant_id,
            grant_left,
            {{ array_map(array_range('invoice_count'), 'k',
                'cast(case when not ' ~ array_at('eligible', 'k') ~ ' then 0'
                ~ ' when ' ~ array_at('dues_left', 'k') ~ ' < ' ~ array_at('grant_left', 'k')
                ~ ' then ' ~ array_at('dues_left', 'k')
                ~ ' else ' ~ array_at('grant_left', 'k') ~ ' end as ' ~ money ~ ')') }} as applied
        from (
            select
                drawdown.client_id,
                drawdown.invoice_count,
                drawdown.end_ats,
                drawdown.dues,
                drawdown.dues_left,
                grants.grant_rank,
                grants.grant_id,
                {{ array_map(array_range('drawdown.invoice_count'), 'k', eligible) }} as eligible,
                {{ array_map(array_range('drawdown.invoice_count'), 'k',
                    'cast(case when grants.amount > ' ~ paid_before
                    ~ ' then grants.amount - ' ~ paid_before ~ ' else 0 end as ' ~ money ~ ')') }}
                    as grant_left
            from drawdown
            inner join grants
                on
                    drawdown.client_id = grants.client_id
                    and grants.grant_rank = drawdown.grant_rank + 1
        ) as balances
    ) as draws
)

select
    drawdown.grant_id,
    invoices.client_id,
    invoices.period_start,
    case
        when {{ array_at('drawdown.whole', 'invoices.invoice_index') }}
            then cast(
                cast({{ array_at('drawdown.applied', 'invoices.invoice_index') }} as decimal(38, 2))
                as {{ dbt.type_string() }}
            )
        else cast({{ array_at('drawdown.applied', 'invoices.invoice_index') }} as {{ dbt.type_string() }})
    end as applied_amount
from drawdown
inner join invoices on drawdown.client_id = invoices.client_id
where
    drawdown.grant_rank > 0
    and {{ array_at('drawdown.applied', 'invoices.invoice_index') }} > 0
