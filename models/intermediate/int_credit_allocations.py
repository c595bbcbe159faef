"""Credit grants drawn down over finalized invoices (CONTRACT 3.6).

Invoices are paid in period order; a grant can pay invoice P when received_at < end(P) and
expires_at > end(P); grants are drawn in order of expires_at, received_at, grant_id, each as
far as its remaining balance and the amount still due allow. Draft invoices take no credit.
The allocation is sequential, so it is computed here on the (small) invoice and grant
tables, in exact decimals; amounts leave as text and are cast back to DECIMAL downstream.
"""

from decimal import Decimal

import pandas as pd


def model(dbt, session):
    dbt.config(materialized="table")
    invoices = dbt.ref("int_invoice_charges").filter("finalized").project(
        "client_id, period_start, end_at, subtotal"
    ).order("client_id, period_start").fetchall()
    grants = dbt.ref("int_credit_grants_current").filter(
        "amount is not null and received_at is not null and expires_at is not null"
    ).project("grant_id, client_id, amount, received_at, expires_at").order(
        "client_id, expires_at, received_at, grant_id"
    ).fetchall()

    remaining: dict[str, Decimal] = {}
    by_client: dict[str, list[tuple]] = {}
    for grant_id, client_id, amount, received_at, expires_at in grants:
        if grant_id in remaining:
            continue  # the same grant listed twice in a snapshot counts once
        remaining[grant_id] = max(Decimal(amount), Decimal(0))
        by_client.setdefault(client_id, []).append((grant_id, received_at, expires_at))

    rows = []
    for client_id, period_start, end_at, subtotal in invoices:
        due = max(Decimal(subtotal), Decimal(0))
        for grant_id, received_at, expires_at in by_client.get(client_id, []):
            if due <= 0:
                break
            if not (received_at < end_at < expires_at) or remaining[grant_id] <= 0:
                continue
            take = min(remaining[grant_id], due)
            remaining[grant_id] -= take
            due -= take
            rows.append((grant_id, client_id, period_start, str(take)))
    return pd.DataFrame(
        rows, columns=["grant_id", "client_id", "period_start", "applied_amount"]
    ).astype({"grant_id": str, "client_id": str, "applied_amount": str})
