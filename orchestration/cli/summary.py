"""What a run reports from the warehouse and the publication: failed checks and steps,
configuration errors, row counts, the published paths and the finalized months."""

from __future__ import annotations

from orchestration.settings import Settings

SUMMARY_MARTS = ("billing_readings", "over_under_clients", "assets", "quarantine", "ingest_log")


def failure_report(result) -> list[str]:
    """Names of the failed checks and steps of a Dagster run, with their messages."""
    lines: list[str] = []
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            key = evaluation.asset_check_key
            lines.append(
                f"check failed: {key.name} on {key.asset_key.to_user_string()}"
                + (" (blocking)" if getattr(evaluation, "blocking", False) else "")
            )
    for event in result.all_events:
        if event.event_type_value == "STEP_FAILURE" and event.step_failure_data is not None:
            error = event.step_failure_data.error
            message = error.message.strip().splitlines()[0] if error else "unknown error"
            lines.append(f"step failed: {event.step_key}: {message}")
    return lines


def configuration_errors(settings: Settings) -> list[str]:
    import duckdb

    from orchestration.warehouse import connect_read_only

    try:
        con = connect_read_only(settings.warehouse)
    except duckdb.Error:
        return []
    try:
        rows = con.execute(
            "select message from intermediate.int_configuration_errors order by all"
        ).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
    return [f"configuration error: {row[0]}" for row in rows]


def warehouse_summary(settings: Settings) -> list[str]:

    from orchestration.warehouse import connect_read_only

    con = connect_read_only(settings.warehouse)
    try:
        counts = []
        for name in SUMMARY_MARTS:
            rows = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            counts.append(f"  marts.{name}: {rows:,} rows")
        totals = con.execute(
            "select sum(rows_seen), sum(rows_loaded), sum(rows_quarantined), "
            "sum(rows_duplicate), sum(rows_suppressed) from marts.ingest_log"
        ).fetchone()
    finally:
        con.close()
    seen, loaded, quarantined, duplicate, suppressed = (int(v or 0) for v in totals)
    return [
        *counts,
        f"  rows seen {seen:,} = loaded {loaded:,} + quarantined {quarantined:,} "
        f"+ duplicate {duplicate:,} + suppressed {suppressed:,}",
    ]


def published_paths(settings: Settings) -> list[str]:
    """Where BI tools, Parquet readers and people look: the publication's paths."""
    from orchestration.publication import current_folder, read_manifest

    folder = current_folder(settings.publication_dir)
    if folder is None:
        return ["published: nothing (no publication yet)"]
    root = settings.publication_dir
    manifest = read_manifest(folder)
    lines = [
        f"published (publication {manifest['publication']}, as of {manifest['as_of']}):",
        f"  BI tools, DuckDB CLI: {root / 'marts.duckdb'}  (read-only; schema marts)",
        f"  Parquet, one per mart: {root / 'parquet'}/<mart>.parquet",
        f"  manifest: {root / 'manifest.json'}",
    ]
    if (root / "dashboards" / "index.html").exists():
        lines.append(f"  dashboards: {root / 'dashboards' / 'index.html'}")
    return lines

def finalized_months(settings: Settings) -> list[str]:
    """Billing months (YYYY-MM) whose invoices are all finalized in marts.invoices."""

    from orchestration.warehouse import connect_read_only

    con = connect_read_only(settings.warehouse)
    try:
        rows = con.execute(
            "select strftime(period_start, '%Y-%m') from marts.invoices "
            "group by period_start having bool_and(finalized) order by period_start"
        ).fetchall()
    finally:
        con.close()
    return [row[0] for row in rows]
