"""Admin rows at ingest (CONTRACT): a value that looks like a clear-text key is redacted
before anything is stored, and the row names the columns that held one."""

from __future__ import annotations

import duckdb

from orchestration.ingest.statements import ident, literal, statement

# A value that looks like a clear-text credential (provider-style secret keys and tokens).
SECRET_PATTERN = (
    r"^\s*("
    r"(sk|rk|pk|ak|api|key|secret|token|tok)[-_](live|test|prod)?[-_]?[A-Za-z0-9]{12,}"
    r"|AKIA[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|Bearer\s+\S{12,}"
    r")\s*$"
)


def redact_admin_rows(con: duckdb.DuckDBPyConnection, names: list[str], has_line: bool) -> None:
    """Temp table ``_landed_admin``: the rows of ``_landed`` with every secret-looking value
    redacted and ``_secret_columns`` naming where they were ('raw' for a malformed record,
    whose fields are not known); a jsonl line (``has_line``) holding one is dropped too."""
    secret = literal(SECRET_PATTERN)
    secret_checks = [
        f"case when regexp_matches({ident(n)}, {secret}) then {literal(n)} end" for n in names
    ]
    secrets = f"nullif(concat_ws(',', {', '.join(secret_checks)}), '')" if names else "null"
    redacted = ", ".join(
        f"case when regexp_matches({ident(n)}, {secret}) "
        f"then '[redacted]' else {ident(n)} end as {ident(n)}"
        for n in names
    )
    # a malformed record's fields are not known: a secret anywhere in it drops its text
    line_secret = (
        "len(list_filter(string_split(coalesce(_malformed_line, ''), ','), "
        f"lambda f: regexp_matches(f, {secret}))) > 0"
    )
    con.execute(
        statement(
            "admin_redacted",
            redacted=redacted,
            raw_line="_raw_line," if has_line else "",
            line_secret=line_secret,
            secrets=secrets,
        )
    )
    if has_line:  # jsonl admin snapshots: drop the raw line when it holds a secret
        con.execute(statement("admin_redact_lines"))
