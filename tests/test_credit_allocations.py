"""Property: the SQL model int_credit_allocations draws credit grants down over invoices
exactly as the sequential allocation it replaced (``reference_allocations`` below, the former
Python model, kept here as the reference): Hypothesis writes grants and invoices (ties in the
grant order, expiries and receipts on an invoice's end, grants listed twice, zero and
negative amounts, drafts), runs both on an in-memory DuckDB and compares the rows, the
amounts as exact decimal text."""

from __future__ import annotations

import functools
import re
import tempfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.pipeline import _dbt_scratch, dbt

MODEL = Path(__file__).parents[1] / "models" / "intermediate" / "int_credit_allocations.sql"

INVOICES_DDL = (
    "create table int_invoice_charges (client_id varchar, period_start date, "
    "end_at timestamptz, finalized boolean, subtotal decimal(38, 2))"
)
GRANTS_DDL = (
    "create table int_credit_grants_current (grant_id varchar, client_id varchar, "
    "amount decimal(24, 6), received_at timestamptz, expires_at timestamptz)"
)


def reference_allocations(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """The former Python model (dbt.ref -> con.table): grant_id, client_id, period_start,
    applied_amount as str of the exact Decimal."""
    invoices = (
        con.table("int_invoice_charges")
        .filter("finalized")
        .project("client_id, period_start, end_at, subtotal")
        .order("client_id, period_start")
        .fetchall()
    )
    grants = (
        con.table("int_credit_grants_current")
        .filter("amount is not null and received_at is not null and expires_at is not null")
        .project("grant_id, client_id, amount, received_at, expires_at")
        .order("client_id, expires_at, received_at, grant_id")
        .fetchall()
    )

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
    return rows


@functools.cache
def model_sql() -> str:
    """The model as dbt compiles it for DuckDB, over the tables of the connection."""
    scratch = Path(tempfile.mkdtemp(prefix="tallyhouse-credit-"))
    result = dbt(
        scratch / "compile.duckdb",
        "compile",
        "-s",
        "int_credit_allocations",
        env={"TALLYHOUSE_AS_OF": "2026-06-01T00:00:00+00:00"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    compiled = next(_dbt_scratch().glob("target/compiled/*/models/intermediate/" + MODEL.name))
    return re.sub(r'"[^"]+"\."intermediate"\."(\w+)"', r"\1", compiled.read_text())


def allocations(invoices: list[tuple], grants: list[tuple]) -> tuple[list, list]:
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    con.execute(INVOICES_DDL)
    con.execute(GRANTS_DDL)
    if invoices:
        con.executemany("insert into int_invoice_charges values (?, ?, ?, ?, ?)", invoices)
    if grants:
        con.executemany("insert into int_credit_grants_current values (?, ?, ?, ?, ?)", grants)
    expected = reference_allocations(con)
    result = con.execute(model_sql())
    assert [(d[0], str(d[1])) for d in result.description] == [
        ("grant_id", "VARCHAR"),
        ("client_id", "VARCHAR"),
        ("period_start", "DATE"),
        ("applied_amount", "VARCHAR"),
    ]
    actual = result.fetchall()
    con.close()
    return sorted(expected), sorted(actual)


# instants on and around the end of each period (months of 2026, UTC), mostly the ends
# themselves so that grants tie in their order and expire or arrive right at an invoice's end
MONTHS = [date(2026, m, 1) for m in range(1, 8)]
BOUNDARIES = [datetime(d.year, d.month, d.day, tzinfo=UTC) for d in MONTHS]
NEAR = [b + timedelta(microseconds=s) for b in BOUNDARIES for s in (-1, 1)]
received = st.one_of(st.sampled_from(BOUNDARIES[:3]), st.sampled_from(BOUNDARIES + NEAR))
expires = st.one_of(st.sampled_from(BOUNDARIES[2:]), st.sampled_from(BOUNDARIES + NEAR))

money2 = st.one_of(
    st.integers(-500, 2000).map(lambda c: Decimal(c).scaleb(-2)),
    st.sampled_from([Decimal("0.00"), Decimal("-0.01"), Decimal("10.00"), Decimal("16.00")]),
)
money6 = st.one_of(
    st.integers(-500_000, 25_000_000).map(lambda c: Decimal(c).scaleb(-6)),
    st.integers(-5, 25).map(lambda u: Decimal(u).quantize(Decimal("0.000001"))),
    st.sampled_from([Decimal("0.000000"), Decimal("0.000001"), Decimal("16.000000")]),
)
clients = st.sampled_from(["a", "b", "c"])


@st.composite
def invoice_rows(draw: st.DrawFn) -> list[tuple]:
    rows = []
    for client in ("a", "b", "c"):
        months = draw(st.lists(st.sampled_from(range(len(MONTHS) - 1)), unique=True, max_size=6))
        for m in months:
            finalized = draw(st.booleans()) or draw(st.booleans())  # mostly finalized
            rows.append((client, MONTHS[m], BOUNDARIES[m + 1], finalized, draw(money2)))
    return rows


@st.composite
def grant_rows(draw: st.DrawFn) -> list[tuple]:
    listed = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["g1", "g2", "g3", "g4", "g5", "g6"]),
                st.one_of(st.just("a"), clients),  # mostly one client: grants compete
                st.one_of(money6, st.none()) if draw(st.booleans()) else money6,
                received,
                expires,
            ),
            max_size=10,
        )
    )
    # one listing per grant, client, expiry and receipt (else the order between them, and so
    # which listing counts, is undefined); a listing may appear twice, identical
    rows, keys = [], set()
    for grant_id, client, amount, received_at, expires_at in listed:
        if (grant_id, client, expires_at, received_at) not in keys:
            keys.add((grant_id, client, expires_at, received_at))
            rows.append((grant_id, client, amount, received_at, expires_at))
    twice = draw(st.lists(st.sampled_from(rows), max_size=2)) if rows else []
    return rows + twice


JAN, FEB, MAR = BOUNDARIES[1], BOUNDARIES[2], BOUNDARIES[3]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice_rows(), grant_rows())
# the money zone: g3 expires first and pays 8 of January, g2 the rest and all of February
@example(
    [
        ("a", MONTHS[0], JAN, True, Decimal("14.00")),
        ("a", MONTHS[1], FEB, True, Decimal("16.00")),
        ("a", MONTHS[2], MAR, False, Decimal("30.00")),
    ],
    [
        ("g2", "a", Decimal("25"), BOUNDARIES[0], BOUNDARIES[6]),
        ("g3", "a", Decimal("8"), BOUNDARIES[0], BOUNDARIES[2]),
        ("g3", "a", Decimal("8"), BOUNDARIES[0], BOUNDARIES[2]),
    ],
)
def test_sql_allocations_equal_the_sequential_allocation(
    invoices: list[tuple], grants: list[tuple]
) -> None:
    expected, actual = allocations(invoices, grants)
    assert actual == expected


def test_amounts_keep_the_scale_of_what_they_came_from() -> None:
    invoices = [
        ("a", MONTHS[0], JAN, True, Decimal("14.00")),
        ("a", MONTHS[1], FEB, True, Decimal("16.00")),
        ("a", MONTHS[2], MAR, True, Decimal("-3.00")),
    ]
    grants = [
        ("g2", "a", Decimal("25"), BOUNDARIES[0], BOUNDARIES[6]),
        ("g3", "a", Decimal("8"), BOUNDARIES[0], BOUNDARIES[2]),
    ]
    expected, actual = allocations(invoices, grants)
    assert actual == expected == [
        ("g2", "a", MONTHS[0], "6.000000"),  # what g3 left of January
        ("g2", "a", MONTHS[1], "16.00"),  # all of February, untouched by any other grant
        ("g3", "a", MONTHS[0], "8.000000"),  # all of g3
    ]
