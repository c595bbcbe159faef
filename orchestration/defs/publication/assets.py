"""The publication and the dashboards drawn from it: the last steps of every run.

``published/marts`` copies schema marts out of the warehouse once every mart is built and
every blocking check has passed (it depends on every mart, so a failing check or a failed
dbt build skips it and the previous publication stays); ``published/dashboards`` draws the
billing teams' screens from that publication, into it.
"""

import functools
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSelection,
    MaterializeResult,
    MetadataValue,
    asset,
    define_asset_job,
)

from orchestration.defs.constants import PERIOD_CLOSES, PUBLISH_JOB, WAREHOUSE_POOL, WRITER_TAGS
from orchestration.defs.resources import TallyhouseSettings
from orchestration.defs.transform.assets import tallyhouse_dbt
from orchestration.digest import files_digest
from orchestration.warehouse import WarehouseResource

PUBLICATION_GROUP = "publication"
PUBLISHED_MARTS = AssetKey(["published", "marts"])
PUBLISHED_DASHBOARDS = AssetKey(["published", "dashboards"])
PUBLISHED_KEYS = frozenset({PUBLISHED_MARTS, PUBLISHED_DASHBOARDS})
PUBLICATION_OWNERS = ["team:billing-data", "team:finance"]
# Set on a publish run that follows the run which built the marts (tallyhouse run): the
# manifest names that run; else the publishing run is the one that built them.
MARTS_RUN_TAG = "tallyhouse/marts_run"


@functools.cache
def publication_code_version() -> str:
    """A digest of the publication and dashboard code: it changes when what is published does."""
    root = Path(__file__).resolve().parents[2]
    sources = [root / "publication.py"] + [
        path for path in (root / "dashboards").rglob("*") if path.suffix in (".py", ".js", ".css")
    ]
    return files_digest(sources, root, 16)


def mart_keys() -> list[AssetKey]:
    """Every mart: the dbt models of schema marts, and marts.period_closes."""
    dbt_marts = sorted(
        (key for key in tallyhouse_dbt.keys if key.path[0] == "marts"),
        key=lambda key: key.to_user_string(),
    )
    return [*dbt_marts, PERIOD_CLOSES]


@asset(
    key=PUBLISHED_MARTS,
    deps=mart_keys(),
    group_name=PUBLICATION_GROUP,
    owners=PUBLICATION_OWNERS,
    kinds={"duckdb", "parquet"},
    pool=WAREHOUSE_POOL,
    code_version=publication_code_version(),
    description=(
        "What BI tools, spreadsheets and people open: a copy of every mart (schema marts, "
        "same columns, types and comments) in published/marts.duckdb, one Parquet file per "
        "mart in published/parquet/, and published/manifest.json with the as-of time, the "
        "run, and each mart's row count and checksum. Written only after every blocking "
        "check passed, into a new folder that replaces the previous publication at once; "
        "the last 7 publications are kept, so finance can open what the marts said as of "
        "an earlier run. A file held open by a BI tool never stops the next run."
    ),
)
def published_marts(
    context: AssetExecutionContext, tallyhouse: TallyhouseSettings, warehouse: WarehouseResource
) -> MaterializeResult:
    from orchestration.publication import publish

    settings = tallyhouse.for_run(context, warehouse)
    publication = publish(
        settings.warehouse,
        settings.publication_dir,
        as_of=settings.as_of_iso,
        run_id=context.run.tags.get(MARTS_RUN_TAG, context.run.run_id),
        lock_timeout=settings.lock_timeout,
    )
    context.log.info(f"published {len(publication.marts)} marts to {publication.folder}")
    rows = {name: mart["rows"] for name, mart in publication.marts.items()}
    return MaterializeResult(
        metadata={
            "as_of": settings.as_of_iso,
            "publication": publication.id,
            "path": MetadataValue.path(str(settings.publication_dir / "marts.duckdb")),
            "folder": MetadataValue.path(str(publication.folder)),
            "marts": MetadataValue.int(len(rows)),
            "rows": MetadataValue.json(rows),
        }
    )


@asset(
    key=PUBLISHED_DASHBOARDS,
    deps=[PUBLISHED_MARTS],
    group_name=PUBLICATION_GROUP,
    owners=PUBLICATION_OWNERS,
    kinds={"duckdb", "plotly", "html"},
    pool=WAREHOUSE_POOL,
    code_version=publication_code_version(),
    description=(
        "The billing teams' screens as static pages that open from disk with no network "
        "(published/dashboards/index.html): one store page per client (weekly spend by "
        "category and by project, bill against the usage limit, credit grants, invoices), "
        "the billing console (revenue, over/under, projections, assets), the admin reports "
        "and service consumption, drawn with Plotly from the current publication's marts."
    ),
)
def published_dashboards(
    context: AssetExecutionContext, tallyhouse: TallyhouseSettings, warehouse: WarehouseResource
) -> MaterializeResult:
    from orchestration.dashboards.build import build_dashboards

    settings = tallyhouse.for_run(context, warehouse)
    result = build_dashboards(settings.publication_dir)
    context.log.info(f"dashboards written to {result.index}")
    return MaterializeResult(
        metadata={
            "publication": result.publication_id,
            "index": MetadataValue.path(str(result.index)),
            "pages": MetadataValue.int(len(result.pages)),
        }
    )


publication_assets = [published_marts, published_dashboards]

publish_job = define_asset_job(
    PUBLISH_JOB,
    selection=AssetSelection.assets(*publication_assets),
    tags=WRITER_TAGS,
    description="Publish the marts as they are now and draw the dashboards (tallyhouse run "
    "does it last, once the finalized months are closed).",
)
