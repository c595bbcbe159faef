"""marts.period_closes: each finalized month's bills, frozen month by month.

One partition per billing month (``YYYY-MM``). Materializing a month, or a range of months
in one run, copies the final rows of those months from the dbt marts (``marts.invoices``
and ``marts.billing_readings``) in one transaction that first deletes the months' rows, so
closing a month again leaves the same rows. Whether a month is final is the marts' own
``finalized`` column: billing is never recomputed here. A month that is still open in the
marts fails the run, naming the month and its cutoff.
"""

import functools
import warnings
from datetime import date, datetime
from pathlib import Path

import duckdb
from dagster import (
    AssetExecutionContext,
    AssetKey,
    BackfillPolicy,
    BetaWarning,
    Failure,
    MaterializeResult,
    MetadataValue,
    MonthlyPartitionsDefinition,
    TableColumn,
    TableSchema,
    asset,
)

from orchestration.defs.constants import PERIOD_CLOSES, WAREHOUSE_POOL
from orchestration.defs.cutoff import finalization_cutoff
from orchestration.defs.resources import TallyhouseSettings
from orchestration.defs.tags import as_of_text
from orchestration.digest import file_digest
from orchestration.warehouse import WarehouseResource

# A single-run backfill policy is what makes a range of partitions one run.
warnings.filterwarnings("ignore", r".*`backfill_policy`", BetaWarning)
# One partition per billing month; the current month is open, so the last key is the one before.
CLOSE_MONTHS = MonthlyPartitionsDefinition(start_date="2000-01", fmt="%Y-%m")
INVOICES = AssetKey(["marts", "invoices"])
BILLING_READINGS = AssetKey(["marts", "billing_readings"])
CLIENT_PERIODS = AssetKey(["intermediate", "int_client_periods"])

MONEY = "decimal(38, 6)"
# (name, DuckDB type, description): the table's columns, in order.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("period_start", "date", "First day of the billing month (the client's local month)."),
    ("period_end", "date", "First day of the following month (exclusive end)."),
    ("client_id", "varchar", "The billed client."),
    (
        "line_type",
        "varchar",
        "invoice: the client's invoice of the month (marts.invoices); bucket: one bucket's "
        "bill of the month (marts.billing_readings).",
    ),
    ("bucket_id", "varchar", "The billed bucket (bucket rows; empty on invoice rows)."),
    ("unit_type", "varchar", "Unit type of the bucket (bucket rows)."),
    ("source_type", "varchar", "Source type of the bucket (bucket rows)."),
    ("usage", MONEY, "Usage U of the month (bucket rows)."),
    ("commit_units", MONEY, "Committed units (bucket rows)."),
    ("committed_amount", MONEY, "commit_units x base price (bucket rows)."),
    ("overage_units", MONEY, "max(U - commit, 0) (bucket rows)."),
    ("overage_amount", MONEY, "overage_units x overage price (bucket rows)."),
    ("buffer_units", MONEY, "max(commit - U, 0) (bucket rows)."),
    ("buffer_amount", MONEY, "buffer_units x base price (bucket rows)."),
    ("final_cost", MONEY, "The bucket's bill: committed + overage, to the cent (bucket rows)."),
    ("due_date", "date", "Payment due date of the invoice (invoice rows)."),
    ("charges", MONEY, "Sum of the month's bucket final costs (invoice rows)."),
    ("adjustments", MONEY, "Late-data adjustments booked to this invoice (invoice rows)."),
    ("subtotal", MONEY, "charges + adjustments (invoice rows)."),
    ("credits_applied", MONEY, "Credit grants drawn by the invoice (invoice rows)."),
    ("amount_due", MONEY, "subtotal - credits_applied (invoice rows)."),
    ("paid_amount", MONEY, "Payments for the month known at closing (invoice rows)."),
    ("balance", MONEY, "amount_due - paid_amount at closing (invoice rows)."),
    (
        "status",
        "varchar",
        "Invoice status at closing (pending, paid, overdue) on invoice rows; the bill's "
        "status on bucket rows.",
    ),
    ("billed_as_of", "timestamptz", "As-of time of the marts the rows were copied from."),
    ("closed_as_of", "timestamptz", "As-of time of the run that closed the month."),
)

INVOICE_COLUMNS = (
    "period_start", "period_end", "client_id", "due_date", "charges", "adjustments", "subtotal",
    "credits_applied", "amount_due", "paid_amount", "balance", "status",
)
BUCKET_COLUMNS = (
    "period_start", "period_end", "client_id", "bucket_id", "unit_type", "source_type", "usage",
    "commit_units", "committed_amount", "overage_units", "overage_amount", "buffer_units",
    "buffer_amount", "final_cost", "status",
)
_TYPES = {name: kind for name, kind, _ in COLUMNS}


@functools.cache
def period_close_code_version() -> str:
    return file_digest(Path(__file__))[:16]


def _create_table(con: duckdb.DuckDBPyConnection) -> None:
    columns = ",\n".join(f"{name} {kind}" for name, kind, _ in COLUMNS)
    con.execute("create schema if not exists marts")
    con.execute(f"create table if not exists marts.period_closes (\n{columns}\n)")


def _copy(source: str, line_type: str, names: tuple[str, ...]) -> str:
    """insert ... by name: the month range's rows of ``source`` (finalized ones only)."""
    selected = ",\n".join(f"cast({name} as {_TYPES[name]}) as {name}" for name in names)
    return f"""
        insert into marts.period_closes by name
        select
            {selected},
            '{line_type}' as line_type,
            calculated_at as billed_as_of,
            cast(? as timestamptz) as closed_as_of
        from {source}
        where period_start between ? and ? and finalized
    """


def open_month_error(con: duckdb.DuckDBPyConnection, month: date, as_of: datetime, grace: int):
    """Why ``month`` cannot be closed yet, or None when the marts say it is final."""
    invoices, open_invoices, billed_as_of = con.execute(
        "select count(*), count(*) filter (where not finalized), max(calculated_at) "
        "from marts.invoices where period_start = ?",
        [month],
    ).fetchone()
    label = f"{month:%Y-%m}"
    if invoices == 0:  # nothing billed that month: open until its cutoff in the latest zone
        cutoff = finalization_cutoff(month, grace)
        if as_of < cutoff:
            return f"period {label} is open: its cutoff is {as_of_text(cutoff)}"
        return None
    if open_invoices == 0:
        return None
    (cutoff,) = con.execute(
        "select max(cutoff_at) from intermediate.int_client_periods where period_start = ?",
        [month],
    ).fetchone()
    when = as_of_text(cutoff) if cutoff is not None else "unknown"
    return (
        f"period {label} is open: its cutoff is {when}, and {open_invoices} of its "
        f"{invoices} invoices are not finalized in marts.invoices (billed as of "
        f"{as_of_text(billed_as_of)}); bill it as of its cutoff or later first"
    )


def close_months(
    warehouse: WarehouseResource, months: list[date], as_of: datetime, grace_hours: int
) -> dict[str, int]:
    """Replace the rows of ``months`` in marts.period_closes, in one transaction.

    Raises ``Failure`` naming the first month the marts do not show as finalized.
    Returns the number of rows written per month (YYYY-MM).
    """
    first, last = months[0], months[-1]
    con = warehouse.connect()
    try:
        con.execute("begin transaction")
        try:
            for month in months:
                problem = open_month_error(con, month, as_of, grace_hours)
                if problem:
                    raise Failure(description=problem)
            _create_table(con)
            con.execute(
                "delete from marts.period_closes where period_start between ? and ?",
                [first, last],
            )
            params = [as_of, first, last]
            con.execute(_copy("marts.invoices", "invoice", INVOICE_COLUMNS), params)
            con.execute(_copy("marts.billing_readings", "bucket", BUCKET_COLUMNS), params)
            counts = dict(
                con.execute(
                    "select strftime(period_start, '%Y-%m'), count(*) from marts.period_closes "
                    "where period_start between ? and ? group by all",
                    [first, last],
                ).fetchall()
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    except duckdb.CatalogException as exc:
        raise Failure(
            description=f"the billing marts are missing ({str(exc).splitlines()[0]}): "
            "run materialize_all (tallyhouse run) first"
        ) from exc
    finally:
        con.close()
    return {f"{month:%Y-%m}": int(counts.get(f"{month:%Y-%m}", 0)) for month in months}


@asset(
    key=PERIOD_CLOSES,
    deps=[INVOICES, BILLING_READINGS, CLIENT_PERIODS],
    partitions_def=CLOSE_MONTHS,
    backfill_policy=BackfillPolicy.single_run(),
    group_name="billing",
    owners=["team:finance", "team:billing-data"],
    kinds={"duckdb"},
    pool=WAREHOUSE_POOL,
    code_version=period_close_code_version(),
    description=(
        "Each finalized billing month's bills, frozen when the month is closed (one "
        "partition per month): one invoice row per client (charges, adjustments, credits, "
        "amount due, payments and status at closing, as in marts.invoices) and one bucket "
        "row per bucket bill (usage, commit, overage, buffer and final cost, as in "
        "marts.billing_readings). Closing a month again replaces its rows; a month that is "
        "not finalized in the marts cannot be closed."
    ),
    metadata={
        "dagster/column_schema": TableSchema(
            columns=[TableColumn(name, kind, description) for name, kind, description in COLUMNS]
        ),
        "dagster/table_name": "marts.period_closes",
    },
)
def period_closes(
    context: AssetExecutionContext, tallyhouse: TallyhouseSettings, warehouse: WarehouseResource
) -> MaterializeResult:
    settings = tallyhouse.for_run(context, warehouse)
    keys = CLOSE_MONTHS.get_partition_keys_in_range(context.partition_key_range)
    months = [date.fromisoformat(f"{key}-01") for key in keys]
    context.log.info(f"closing {keys[0]} .. {keys[-1]} as of {settings.as_of_iso}")
    counts = close_months(warehouse, months, settings.as_of, settings.grace_hours)
    return MaterializeResult(
        metadata={
            "as_of": settings.as_of_iso,
            "months": MetadataValue.text(", ".join(keys)),
            "rows": MetadataValue.int(sum(counts.values())),
            "rows_by_month": MetadataValue.json(counts),
        }
    )
