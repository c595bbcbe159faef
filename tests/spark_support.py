"""What the tests of the Spark engine need: Java and the `spark` extra, else a skip (or, in
CI, where ``TALLYHOUSE_REQUIRE_SPARK=1``, a failure: the comparison must run there)."""

from __future__ import annotations

import os

import pytest

from orchestration.cli.preflight import check_engine
from orchestration.settings import SettingsError


def require_spark() -> None:
    try:
        check_engine("spark")
    except SettingsError as missing:
        if os.environ.get("TALLYHOUSE_REQUIRE_SPARK") == "1":
            pytest.fail(f"TALLYHOUSE_REQUIRE_SPARK=1 but {missing}")
        pytest.skip(str(missing))
