"""Column schema and lineage from one catalog query (orchestration/defs/transform/columns.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.defs.transform.columns import lineage_key, read_columns

MANIFEST = {
    "parent_map": {"model.p.bills": ["model.p.usage"]},
    "nodes": {
        "model.p.usage": {"unique_id": "model.p.usage", "schema": "staging", "name": "usage",
                          "alias": "usage"},
    },
    "sources": {},
}
BILLS = {"unique_id": "model.p.bills", "schema": "marts", "name": "bills", "alias": "bills"}


def test_one_query_reads_every_relations_columns_with_types(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.bills (client_id varchar, cost decimal(18, 2), day date)")
    con.execute("create view marts.bill_days as select day from marts.bills")
    con.close()
    assert read_columns(warehouse) == {
        ("marts", "bill_days"): {"day": "DATE"},
        ("marts", "bills"): {"client_id": "VARCHAR", "cost": "DECIMAL(18,2)", "day": "DATE"},
    }


def test_lineage_is_traced_again_only_when_the_code_or_the_columns_change() -> None:
    columns = {("marts", "bills"): {"cost": "DECIMAL(18,2)"},
               ("staging", "usage"): {"units": "BIGINT"}}
    sql = "select sum(units) * 2.5 as cost from usage where day <= '2026-03-15'"
    key = lineage_key(BILLS, sql, columns, MANIFEST)
    # another as-of time or price: the same lineage
    assert lineage_key(BILLS, sql.replace("2026-03-15", "2026-04-01").replace("2.5", "3"),
                       columns, MANIFEST) == key
    # another expression, or a parent column more: traced again
    assert lineage_key(BILLS, sql.replace("sum", "max"), columns, MANIFEST) != key
    wider = {**columns, ("staging", "usage"): {"units": "BIGINT", "day": "DATE"}}
    assert lineage_key(BILLS, sql, wider, MANIFEST) != key
    # a manifest that names the parent in another database (parsed for another warehouse
    # file): traced again, never reused from a trace made against other names
    other = {**MANIFEST, "nodes": {"model.p.usage": {
        **MANIFEST["nodes"]["model.p.usage"], "relation_name": '"other"."staging"."usage"'}}}
    assert lineage_key(BILLS, sql, columns, other) != key
