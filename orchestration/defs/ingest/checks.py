"""Great Expectations suites on the raw feeds, run as blocking asset checks.

Each suite runs on the rows loaded by the latest ingest (at most ``SAMPLE_ROWS`` of them) and
guards two things: the loader kept file, arrival and row number on every row, and the batch
is mostly well formed. Single bad rows go to quarantine; a batch where most rows are bad
means the feed changed shape, and billing must stop until someone looks.
"""

import os
from dataclasses import dataclass

import pandas as pd
from dagster import AssetCheckExecutionContext, AssetCheckResult, MetadataValue, asset_check

from orchestration.defs.constants import WAREHOUSE_POOL, raw_key
from orchestration.warehouse import WarehouseResource

SAMPLE_ROWS = 200_000
NUMBER_REGEX = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"
TIMESTAMP_REGEX = r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
MOSTLY_WELL_FORMED = 0.5


@dataclass(frozen=True)
class FeedSuite:
    table: str
    number_column: str
    timestamp_column: str
    key_columns: tuple[str, ...]


SUITES = (
    FeedSuite("meter_readings", "value", "reading_ts", ("asset_id", "unit_type")),
    FeedSuite("service_events", "quantity", "event_ts", ("event_id", "client_id", "service")),
)


def latest_batch(warehouse: WarehouseResource, table: str) -> pd.DataFrame:
    """Rows of the most recent load of ``table`` (the warehouse is not held afterwards)."""
    con = warehouse.connect()
    try:
        return con.execute(
            f"""
            select * exclude (raw) from raw.{table}
            where loaded_at = (select max(loaded_at) from raw.{table})
            limit {SAMPLE_ROWS}
            """
        ).df()
    finally:
        con.close()


def validate(frame: pd.DataFrame, suite: FeedSuite) -> tuple[bool, dict[str, float]]:
    """Run the feed's expectation suite on ``frame``; return success and failing columns."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx  # imported here: it is slow to import

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    batch = (
        context.data_sources.add_pandas("raw")
        .add_dataframe_asset(suite.table)
        .add_batch_definition_whole_dataframe("latest_load")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    expectations = gx.ExpectationSuite(name=f"raw_{suite.table}")
    for column in ("file", "arrived", "row_number", "content_hash"):
        expectations.add_expectation(gx.expectations.ExpectColumnValuesToNotBeNull(column=column))
    expectations.add_expectation(
        gx.expectations.ExpectColumnValuesToBeBetween(column="row_number", min_value=1)
    )
    expectations.add_expectation(
        gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["content_hash", "row_number"])
    )
    for column in suite.key_columns:
        expectations.add_expectation(
            gx.expectations.ExpectColumnValuesToNotBeNull(column=column, mostly=MOSTLY_WELL_FORMED)
        )
    expectations.add_expectation(
        gx.expectations.ExpectColumnValuesToMatchRegex(
            column=suite.number_column, regex=NUMBER_REGEX, mostly=MOSTLY_WELL_FORMED
        )
    )
    expectations.add_expectation(
        gx.expectations.ExpectColumnValuesToMatchRegex(
            column=suite.timestamp_column, regex=TIMESTAMP_REGEX, mostly=MOSTLY_WELL_FORMED
        )
    )
    result = batch.validate(expectations)
    failures = {
        f"{r.expectation_config.type}({r.expectation_config.kwargs.get('column') or ''})": float(
            r.result.get("unexpected_percent") or 0.0
        )
        for r in result.results
        if not r.success
    }
    return bool(result.success), failures


def worst_files(frame: pd.DataFrame, suite: FeedSuite, limit: int = 3) -> str:
    """The files with the most rows that are not well formed (a key missing, or a number or
    timestamp that does not parse), each with its count and first such row."""
    number = frame[suite.number_column].astype("string")
    stamp = frame[suite.timestamp_column].astype("string")
    bad = (
        frame[list(suite.key_columns)].isna().any(axis=1)
        | ~number.str.match(NUMBER_REGEX, na=False)
        | ~stamp.str.match(TIMESTAMP_REGEX, na=False)
    )
    rows = frame.loc[bad, ["file", "row_number"]]
    totals = frame.groupby("file").size()
    summary = rows.groupby("file")["row_number"].agg(["size", "min"]).sort_values(
        ["size", "min"], ascending=[False, True]
    )
    return "; ".join(
        f"{file}: {int(row['size'])} of {int(totals[file])} rows not well formed, "
        f"first at row {int(row['min'])}"
        for file, row in summary.head(limit).iterrows()
    )


def _build_check(suite: FeedSuite):
    @asset_check(
        asset=raw_key(suite.table),
        name=f"gx_raw_{suite.table}",
        blocking=True,
        pool=WAREHOUSE_POOL,
        description=f"Great Expectations suite raw_{suite.table} on the latest load: row "
        f"bookkeeping intact and at least {MOSTLY_WELL_FORMED:.0%} of rows well formed.",
    )
    def _check(
        context: AssetCheckExecutionContext, warehouse: WarehouseResource
    ) -> AssetCheckResult:
        frame = latest_batch(warehouse, suite.table)
        if frame.empty:
            return AssetCheckResult(passed=True, metadata={"rows_checked": 0})
        passed, failures = validate(frame, suite)
        metadata = {
            "rows_checked": MetadataValue.int(len(frame)),
            "failed_expectations": MetadataValue.json(failures),
        }
        if not passed:
            context.log.error(f"gx_raw_{suite.table} failed: {failures}")
            metadata["failing_rows"] = MetadataValue.text(worst_files(frame, suite))
        return AssetCheckResult(passed=passed, metadata=metadata)

    return _check


raw_feed_checks = [_build_check(suite) for suite in SUITES]
