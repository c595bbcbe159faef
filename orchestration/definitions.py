"""The Tallyhouse code location: ingest, the dbt project, the billing close and the
publication, with their checks and automation.

``orchestration/defs/`` holds one folder per system, each with its assets, checks, jobs,
schedules and sensors; ``load_from_defs_folder`` loads them all (the project's
``[tool.dg.project]`` names the package). Here they get their resources: the settings read
once (``settings.load_settings``) as the ``warehouse`` and ``tallyhouse`` resources, and the
dbt command; and the finalization schedule, whose cron follows the grace hours.

Loading the definitions writes nothing: it reads the settings and the dbt manifest, which
``prepare_dbt_manifest`` (``orchestration.defs.transform.manifest``) writes beforehand.
"""

from __future__ import annotations

from collections.abc import Mapping

from dagster import Definitions, LoggerDefinition, load_from_defs_folder

from orchestration.defs.billing_close.automation import build_finalize_schedule
from orchestration.defs.constants import (
    CLOSE_PERIOD_JOB,
    FRESHNESS_JOB,
    MATERIALIZE_ALL_JOB,
    NIGHTLY_JOB,
    PUBLISH_JOB,
    WRITER_TAGS,
)
from orchestration.defs.resources import settings_resources
from orchestration.defs.transform.manifest import dbt_project
from orchestration.defs.transform.resource import TallyhouseDbtCliResource, dbt_executable
from orchestration.settings import REPO_ROOT, load_settings

__all__ = [
    "CLOSE_PERIOD_JOB", "MATERIALIZE_ALL_JOB", "FRESHNESS_JOB", "NIGHTLY_JOB", "PUBLISH_JOB",
    "WRITER_TAGS", "build_definitions", "defs",
]


def build_definitions(loggers: Mapping[str, LoggerDefinition] | None = None) -> Definitions:
    """The code location; ``loggers`` replace Dagster's console logger in every job
    (``tallyhouse run`` passes its progress view's)."""
    settings = load_settings()
    return Definitions.merge(
        load_from_defs_folder(path_within_project=REPO_ROOT),
        Definitions(
            schedules=[build_finalize_schedule(settings.grace_hours)],
            resources={
                **settings_resources(settings),
                "dbt": TallyhouseDbtCliResource(
                    project_dir=dbt_project, dbt_executable=dbt_executable()
                ),
            },
            loggers=dict(loggers) if loggers else None,
        ),
    )


defs = build_definitions()
