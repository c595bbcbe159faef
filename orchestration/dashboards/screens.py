"""What each screen shows: the marts it reads, the queries, and the charts drawn from them.

A screen is a list of sections; a section reads one mart (``{mart}`` in its query stands for
that mart in the publication) and draws charts from the rows. Every row carries a ``period``
(YYYY-MM) and, where it has one, a ``client_id``: the page's filters keep the rows whose
values match. A mart missing from the publication leaves its section empty with a note.
``models/marts/_exposures.yml`` names the same marts per screen, for dbt's lineage.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    """One chart. ``kind``: bar, line or table. Bars and lines sum ``y`` per ``x`` (per
    ``color`` group when given, else one series per ``y`` field), or average it when
    ``mean``. Tables list ``columns`` (all of the query's when empty). ``ignore``: filters
    that do not apply to it."""

    title: str
    kind: str
    x: str = ""
    y: tuple[str, ...] = ()
    color: str = ""
    stack: bool = False
    columns: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    mean: bool = False


@dataclass(frozen=True)
class Section:
    mart: str
    query: str
    charts: tuple[Chart, ...]
    note: str = ""


@dataclass(frozen=True)
class Filter:
    field: str
    label: str
    default: str = ""  # "" = all values


@dataclass(frozen=True)
class Screen:
    slug: str
    title: str
    description: str
    sections: tuple[Section, ...]
    filters: tuple[Filter, ...] = (Filter("client_id", "Client"), Filter("period", "Period"))
    per_client: bool = False

    def mart_names(self) -> list[str]:
        return sorted({section.mart for section in self.sections})


def _month(column: str) -> str:
    return f"strftime({column}, '%Y-%m') as period"


STORE = Screen(
    slug="store",
    title="Store usage and billing",
    description="One client's spend by week and project, the monthly bill against the usage "
    "limit, credit grants and invoices.",
    per_client=True,
    filters=(Filter("period", "Period"),),
    sections=(
        Section(
            "store_weekly_spend",
            f"select {_month('period_start')}, client_id, week_start, category, spend "
            "from {mart} where client_id = $client order by week_start, category",
            (Chart("Spend per week by service category", "bar", x="week_start", y=("spend",),
                   color="category", stack=True),),
        ),
        Section(
            "store_spend_by_project",
            f"select {_month('period_start')}, client_id, period_start, project, category, "
            "allocated_cost from {mart} where client_id = $client order by period_start, project",
            (Chart("Spend per month by project or branch", "bar", x="period_start",
                   y=("allocated_cost",), color="project", stack=True),),
        ),
        Section(
            "store_bill_vs_limit",
            f"select {_month('period_start')}, client_id, period_start, charges, monthly_limit, "
            "pct_of_limit from {mart} where client_id = $client order by period_start",
            (Chart("Monthly bill against the usage limit", "bar", x="period_start",
                   y=("charges", "monthly_limit")),),
        ),
        Section(
            "credit_grants",
            f"select {_month('received_at')}, client_id, grant_id, amount, applied_amount, "
            "remaining, received_at, expires_at, status from {mart} where client_id = $client "
            "order by expires_at, grant_id",
            (Chart("Credit grants: remaining of amount", "bar", x="grant_id",
                   y=("amount", "remaining"), ignore=("period",)),
             Chart("Credit grants", "table", columns=(
                 "grant_id", "amount", "applied_amount", "remaining", "received_at",
                 "expires_at", "status"), ignore=("period",))),
        ),
        Section(
            "invoices",
            f"select {_month('period_start')}, client_id, period_start, due_date, charges, "
            "adjustments, credits_applied, amount_due, paid_amount, balance, status "
            "from {mart} where client_id = $client order by period_start",
            (Chart("Invoice balance per month by status", "bar", x="period_start",
                   y=("balance",), color="status", stack=True),
             Chart("Invoices", "table", columns=(
                 "period_start", "due_date", "charges", "adjustments", "credits_applied",
                 "amount_due", "paid_amount", "balance", "status"))),
        ),
    ),
)

CONSOLE = Screen(
    slug="console",
    title="Billing console",
    description="Revenue, clients, over/under, right-sizing, projections and assets that need "
    "a look.",
    sections=(
        Section(
            "dashboard_revenue_by_period",
            f"select {_month('period_start')}, period_start, revenue, previous_revenue, "
            "revenue_change, revenue_change_pct from {mart} order by period_start",
            (Chart("Revenue by period", "bar", x="period_start", y=("revenue",),
                   ignore=("period",)),
             Chart("Month-over-month change", "line", x="period_start",
                   y=("revenue_change",), ignore=("period",))),
        ),
        Section(
            "dashboard_summary",
            f"select {_month('current_period_start')}, projected_revenue, revenue_this_period, "
            "revenue_last_period, revenue_change_pct, clients_over, clients_under, "
            "clients_mixed, clients_on_commit, unassigned_assets, unbound_assets, new_assets "
            "from {mart}",
            (Chart("Projected revenue this period", "table", columns=(
                "projected_revenue", "revenue_this_period", "revenue_last_period",
                "revenue_change_pct"), ignore=("period",)),
             Chart("Client status counts (last period)", "bar", x="period",
                   y=("clients_over", "clients_under", "clients_mixed", "clients_on_commit"),
                   ignore=("period",))),
        ),
        Section(
            "dashboard_revenue_by_source_type",
            f"select {_month('period_start')}, period_start, source_type, revenue "
            "from {mart} order by period_start, source_type",
            (Chart("Revenue by source type", "bar", x="period_start", y=("revenue",),
                   color="source_type", stack=True),),
        ),
        Section(
            "dashboard_top_clients",
            f"select {_month('period_start')}, client_id, revenue_rank, revenue, "
            "revenue_share_pct from {mart} order by period_start, revenue_rank",
            (Chart("Top clients: revenue", "bar", x="client_id", y=("revenue",)),
             Chart("Top clients: share of the period's revenue (%)", "table", columns=(
                 "period", "revenue_rank", "client_id", "revenue", "revenue_share_pct"))),
        ),
        Section(
            "over_under_clients",
            f"select {_month('period_start')}, client_id, status, final_cost, committed_amount, "
            "overage_amount, buffer_amount, finalized from {mart} order by period_start, client_id",
            (Chart("Over/under by client", "table", columns=(
                "period", "client_id", "status", "final_cost", "committed_amount",
                "overage_amount", "buffer_amount", "finalized")),),
        ),
        Section(
            "over_under_trend",
            f"select {_month('period_start')}, period_start, overage_amount, buffer_amount "
            "from {mart} order by period_start desc limit 12",
            (Chart("Overage and buffer, last 12 periods", "line", x="period_start",
                   y=("overage_amount", "buffer_amount"), ignore=("period",)),),
        ),
        Section(
            "right_size_candidates",
            f"select {_month('period_start')}, client_id, bucket_id, unit_type, commit_units, "
            "usage, buffer_amount, pct_unused from {mart} order by client_rank, bucket_rank",
            (Chart("Right-size candidates: unused commit", "bar", x="bucket_id",
                   y=("buffer_amount",), color="client_id", stack=True),
             Chart("Right-size candidates", "table")),
        ),
        Section(
            "projections",
            f"select {_month('period_start')}, client_id, bucket_id, current_usage, "
            "projected_usage, projected_cost, pct_of_commit, status from {mart} "
            "order by client_id, bucket_id",
            (Chart("Projections: percent of commit", "bar", x="bucket_id",
                   y=("pct_of_commit",), color="client_id"),
             Chart("Projections", "table")),
        ),
        Section(
            "assets",
            "select strftime(first_seen, '%Y-%m') as period, client_id, asset_id, source_type, "
            "description, first_seen, last_seen, is_unassigned, is_unbound, is_new from {mart} "
            "where is_unassigned or is_unbound or is_new order by asset_id",
            (Chart("Unassigned, unbound and new assets", "table"),),
        ),
        Section(
            "unbilled_usage",
            "select * from {mart} limit 500",
            (Chart("Unbilled usage", "table"),),
            note="Usage recorded but not billed.",
        ),
    ),
)

ADMIN = Screen(
    slug="admin",
    title="Admin reports",
    description="Invoices, usage, resource consumption, cost and margin, balances.",
    sections=(
        Section(
            "report_invoices",
            f"select {_month('period_start')}, client_id, period_start, status, amount_due, "
            "balance, days_overdue from {mart} order by period_start, client_id",
            (Chart("Invoices by status (amount due)", "bar", x="period_start",
                   y=("amount_due",), color="status", stack=True),
             Chart("Invoices", "table")),
        ),
        Section(
            "report_usage_summary",
            f"select {_month('period_start')}, period_start, unit_type, total_usage, clients, "
            "cost from {mart} order by period_start, unit_type",
            (Chart("Usage summary: cost by unit type", "bar", x="period_start", y=("cost",),
                   color="unit_type", stack=True),),
        ),
        Section(
            "report_client_usage",
            f"select {_month('period_start')}, client_id, period_start, storage_cost, "
            "bandwidth_cost, other_cost, total_cost from {mart} order by period_start, client_id",
            (Chart("Usage per client: total cost", "bar", x="period_start", y=("total_cost",),
                   color="client_id", stack=True),),
        ),
        Section(
            "report_heavy_consumers",
            f"select {_month('period_start')}, client_id, unit_type, usage_unit, asset_id, "
            "usage, usage_share_pct, others_median_usage, times_others_median, "
            "is_heavy_consumer from {mart} order by period_start, unit_type, usage desc",
            (Chart("Resource usage: an asset's share of its unit type's usage (%, mean over "
                   "the periods shown)", "bar", x="asset_id", y=("usage_share_pct",),
                   color="unit_type", mean=True),
             Chart("Disproportionate consumers", "table", columns=(
                 "period", "client_id", "asset_id", "usage", "usage_unit",
                 "others_median_usage", "times_others_median", "is_heavy_consumer"))),
        ),
        Section(
            "report_profitability",
            f"select {_month('period_start')}, client_id, period_start, revenue, "
            "cost_of_service, margin from {mart} order by period_start, client_id",
            (Chart("Cost and margin", "bar", x="period_start",
                   y=("revenue", "cost_of_service", "margin")),),
        ),
        Section(
            "report_account_balances",
            "select client_id, client_name, invoiced, credits, paid, balance_outstanding, "
            "balance_overdue, invoices_overdue, available_credit from {mart} order by client_id",
            (Chart("Balances", "bar", x="client_id",
                   y=("balance_outstanding", "balance_overdue"), ignore=("period",)),
             Chart("Account balances", "table", ignore=("period",))),
        ),
    ),
)

SERVICES = Screen(
    slug="services",
    title="Service consumption",
    description="Users by role, each service against the previous period of the same length, "
    "WhatsApp in versus out.",
    filters=(
        Filter("client_id", "Client"),
        Filter("period", "Period"),
        Filter("grain", "Grain", default="month"),
        Filter("metric", "Metric", default="ai_tokens"),
    ),
    sections=(
        Section(
            "service_users_by_role",
            "select client_id, role, users, active_users from {mart} order by client_id, role",
            (Chart("Users by role", "bar", x="client_id", y=("users",), color="role",
                   stack=True),),
        ),
        Section(
            "service_consumption",
            f"select {_month('period_start')}, client_id, grain, metric, service, period_start, "
            "quantity, previous_quantity from {mart} order by period_start, metric",
            (Chart("Service over time against the previous period of the same length", "line",
                   x="period_start", y=("quantity", "previous_quantity"), ignore=("period",)),
             Chart("Every service this period", "bar", x="metric", y=("quantity",),
                   color="service", stack=True, ignore=("metric",))),
        ),
        Section(
            "service_whatsapp_balance",
            f"select {_month('period_start')}, client_id, grain, period_start, inbound, outbound "
            "from {mart} order by period_start",
            (Chart("WhatsApp in versus out", "bar", x="period_start", y=("inbound", "outbound"),
                   ignore=("period",)),),
        ),
    ),
)

SCREENS = (CONSOLE, ADMIN, SERVICES, STORE)
