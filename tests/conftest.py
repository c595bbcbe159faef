"""Test session set-up: the dbt manifest is made once, before the test files run in parallel.

``tallyhouse run`` refreshes the manifest when the project changed since the last parse
(``orchestration.defs.transform.manifest.prepare_dbt_manifest``); doing it here, in the
controlling process, means no worker rewrites ``dbt_project/target/manifest.json`` while
another imports the Dagster definitions that read it.
"""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the controller did it
        return
    from orchestration.defs.transform.manifest import prepare_dbt_manifest
    from orchestration.settings import put_python_bin_on_path

    put_python_bin_on_path()
    prepare_dbt_manifest()
