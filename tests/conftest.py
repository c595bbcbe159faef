"""Test session set-up: the dbt manifest, the test groups, and the warehouses built once.

``tallyhouse run`` refreshes the manifest when the project changed since the last parse
(``orchestration.defs.transform.manifest.prepare_dbt_manifest``); doing it here, in the
controlling process, means no worker rewrites ``dbt_project/target/manifest.json`` while
another imports the Dagster definitions that read it.

Every hand-written landing zone of ``tests/fixtures/zones`` (and the hostile one) is built
once per session by a fixture below, as of each time its tests read, and handed out as
read-only copies: a test that must write takes a copy of its own (``shutil.copyfile``).
Under pytest-xdist a session fixture is built once per worker, so ``--dist loadfile`` keeps
each file's tests on one worker (their module fixtures build once) and the scheduler below
sends the files that share a zone (``SHARED_ZONES``) to one worker: the zone is built once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures import hostile_zone
from tests.fixtures.zones import (
    admin_marts,
    billed_periods,
    golden,
    like_with_like,
    money,
    over_under,
    reports,
)
from tests.pipeline import Built, build_zone


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller did it
        return
    from orchestration.defs.transform.manifest import prepare_dbt_manifest
    from orchestration.settings import put_python_bin_on_path

    put_python_bin_on_path()
    prepare_dbt_manifest()


# The longest test file, started first so that the rest of the suite runs beside it.
FIRST = "tests/test_spark_parity.py"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.nodeid.split("::")[0] != FIRST)  # stable: order kept


# Test files that read the same session-built zone: one worker runs them all, so the zone is
# built once (a session fixture is built once per worker).
SHARED_ZONES = {
    "tests/test_money_flows.py": "money",
    "tests/test_partitions.py": "money",
}


def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadfile``, but the files of one shared zone go to one worker together.

    (xdist's own ``--dist loadgroup`` renames the test ids to group them, which pytest 9
    no longer lets it do: its groups are ignored and every test is sent on its own.)
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ZoneScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            return SHARED_ZONES.get(file, file)

    return ZoneScheduling(config, log)


def _once(factory: pytest.TempPathFactory, name: str, zone) -> Path:
    """The warehouse of a zone built once, as of the zone's ``AS_OF``."""
    return build_zone(factory, name, zone.landing, [("t", zone.AS_OF)]).runs["t"]


@pytest.fixture(scope="session")
def money_runs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_zone(tmp_path_factory, "money", money.landing, money.RUNS)


@pytest.fixture(scope="session")
def golden_runs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_zone(tmp_path_factory, "golden", golden.landing, golden.RUNS)


@pytest.fixture(scope="session")
def billed_periods_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _once(tmp_path_factory, "billed_periods", billed_periods)


@pytest.fixture(scope="session")
def over_under_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _once(tmp_path_factory, "over_under", over_under)


@pytest.fixture(scope="session")
def reports_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _once(tmp_path_factory, "reports", reports)


@pytest.fixture(scope="session")
def like_with_like_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _once(tmp_path_factory, "like_with_like", like_with_like)


@pytest.fixture(scope="session")
def admin_marts_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _once(tmp_path_factory, "admin_marts", admin_marts)


@pytest.fixture(scope="session")
def hostile_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile zone (``hostile_zone.build`` writes the landing folder and one beside it)."""
    return build_zone(
        tmp_path_factory, "hostile", lambda landing: hostile_zone.build(landing.parent),
        [("t", hostile_zone.AS_OF)],
    ).runs["t"]
