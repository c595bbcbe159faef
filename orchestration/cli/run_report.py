"""What a failed run tells its user after naming the failed checks and steps: which data
broke a check (file and row), and the true state of the working warehouse."""

from __future__ import annotations

from pathlib import Path

AUDIT_SCHEMA = "dbt_test__audit"  # where dbt keeps each failing test's rows as a view
ROWS_SHOWN = 3


def _failed_checks(result) -> list:
    return [e for e in result.get_asset_check_evaluations() if not e.passed]


def _metadata_text(evaluation, key: str) -> str | None:
    entry = (getattr(evaluation, "metadata", None) or {}).get(key)
    value = getattr(entry, "value", entry)
    return str(value) if value else None


def failing_rows(warehouse: Path, check_names: list[str]) -> dict[str, list[str]]:
    """For each failed dbt test kept as a view, up to ``ROWS_SHOWN`` of its rows that name a
    file (and row), as ``file F row R``."""
    import duckdb

    from orchestration.warehouse import connect_read_only

    found: dict[str, list[str]] = {}
    if not warehouse.exists() or not check_names:
        return found
    try:
        con = connect_read_only(warehouse)
    except duckdb.Error:
        return found
    try:
        views = {
            name: [
                column
                for (column,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [AUDIT_SCHEMA, name],
                ).fetchall()
            ]
            for name in check_names
        }
        for name, columns in views.items():
            if "file" not in columns:
                continue
            row = ", row_number" if "row_number" in columns else ", null"
            rows = con.execute(
                f'select file{row} from {AUDIT_SCHEMA}."{name}" order by all limit {ROWS_SHOWN}'
            ).fetchall()
            found[name] = [
                f"file {file}" + (f" row {number}" if number is not None else "")
                for file, number in rows
            ]
    except duckdb.Error:
        pass
    finally:
        con.close()
    return found


def _mart_tables(warehouse: Path) -> set[str]:
    import duckdb

    from orchestration.warehouse import connect_read_only

    try:
        con = connect_read_only(warehouse)
    except duckdb.Error:
        return set()
    try:
        return {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    except duckdb.Error:
        return set()
    finally:
        con.close()


def warehouse_state(result, warehouse: Path) -> str:
    """One true sentence about the working warehouse's marts after a failed run."""
    rebuilt = {
        event.asset_key.path[-1]
        for event in result.get_asset_materialization_events()
        if event.asset_key is not None
        and len(event.asset_key.path) > 1
        and event.asset_key.path[0] == "marts"
    }
    marts = _mart_tables(warehouse)
    rebuilt &= marts or rebuilt
    kept = sorted(marts - rebuilt)
    if not rebuilt and not marts:
        return f"no mart was built: {warehouse.name} has none yet"
    if not rebuilt:
        return (
            f"no mart was rebuilt: the marts in {warehouse.name} keep the previous run's "
            "contents"
        )
    if not kept:
        return (
            f"every mart in {warehouse.name} was rebuilt by this run before the failure: "
            "do not use them until a run succeeds"
        )
    example = ", ".join(sorted(rebuilt)[:2])
    return (
        f"the marts in {warehouse.name} do not agree with each other: {len(rebuilt)} were "
        f"rebuilt by this run (e.g. {example}) and {len(kept)} keep the previous run's "
        f"(e.g. {', '.join(kept[:2])}); do not use them until a run succeeds"
    )


def failed_run_notes(result, settings) -> list[str]:
    """The lines a failed run prints after its failed checks: data behind each (file and
    row), then the state of the working warehouse."""
    lines: list[str] = []
    failed = _failed_checks(result)
    for evaluation in failed:
        text = _metadata_text(evaluation, "failing_rows")
        if text:
            lines.append(f"{evaluation.asset_check_key.name}: {text}")
    rows = failing_rows(settings.warehouse, [e.asset_check_key.name for e in failed])
    for name, shown in rows.items():
        lines.append(f"{name}: " + "; ".join(shown))
    lines.append(warehouse_state(result, settings.warehouse))
    return lines
