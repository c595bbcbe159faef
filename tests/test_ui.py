"""The Dagster UI starts the README's way, from a shell without the project's venv.

``make ui`` is run as the README says, with a free port and a ``PATH`` that holds only the
system folders (no ``.venv/bin``): the webserver must come up and its code location must load
with every asset, which GraphQL reports. The process group is stopped afterwards. The
webserver alone, started on the code location's module, serves the asset graph from the raw
readings to the invoices.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import deque
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT

pytestmark = pytest.mark.e2e

WORKSPACE_QUERY = """
{
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError {
          __typename
          ... on RepositoryLocation { repositories { name assetNodes { assetKey { path } } } }
          ... on PythonError { message }
        }
      }
    }
  }
}
"""
STARTUP_LIMIT_SECONDS = 300  # a bound for a busy machine, not a timing assertion
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"
ASSET_GRAPH = "{ assetNodes { assetKey { path } dependencyKeys { path } } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _workspace(port: int) -> dict | None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": WORKSPACE_QUERY}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["data"]["workspaceOrError"]
    except (urllib.error.URLError, ConnectionError, TimeoutError, KeyError):
        return None


def _loaded_location(port: int, process: subprocess.Popen) -> dict | None:
    """The code location's workspace entry once it has loaded (or failed to), else None."""
    deadline = time.monotonic() + STARTUP_LIMIT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        workspace = _workspace(port)
        if workspace and workspace.get("__typename") == "Workspace":
            entries = workspace["locationEntries"]
            if entries and entries[0]["loadStatus"] == "LOADED":
                return entries[0]
        time.sleep(2)
    return None


def _stop(process: subprocess.Popen) -> None:
    """Interrupt the whole process group (make, dagster dev, webserver, daemon, code server),
    give it a moment, then kill whatever is left of the group."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_make_ui_serves_the_code_location_from_a_shell_without_the_venv(
    tmp_path: Path,
) -> None:
    port = _free_port()
    log = tmp_path / "ui.log"
    env = {
        "PATH": CLEAN_PATH,
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "TALLYHOUSE_LANDING": str(tmp_path / "landing"),
        "TALLYHOUSE_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
    }
    with open(log, "w", encoding="utf-8") as output:
        process = subprocess.Popen(
            ["make", "ui", f"UI_PORT={port}"], cwd=REPO_ROOT, env=env,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        entry = _loaded_location(port, process)
        assert entry is not None, log.read_text(encoding="utf-8")[-3000:]
        location = entry["locationOrLoadError"]
        assert location["__typename"] == "RepositoryLocation", location
        assert entry["name"] == "tallyhouse"
        keys = {
            "/".join(node["assetKey"]["path"])
            for repository in location["repositories"]
            for node in repository["assetNodes"]
        }
        assert {"raw/meter_readings", "marts/invoices", "marts/billing_readings"} <= keys
        assert "not found on PATH" not in log.read_text(encoding="utf-8")
    finally:
        _stop(process)


def _path(nodes: list[dict], start: str, goal: str) -> list[str] | None:
    """Shortest path from ``start`` to ``goal`` along the dependency edges (upstream -> down)."""
    downstream: dict[str, list[str]] = {}
    for node in nodes:
        key = "/".join(node["assetKey"]["path"])
        for dep in node["dependencyKeys"]:
            downstream.setdefault("/".join(dep["path"]), []).append(key)
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if key == goal:
            path = [key]
            while came_from[path[-1]] is not None:
                path.append(came_from[path[-1]])
            return path[::-1]
        for child in sorted(downstream.get(key, [])):
            if child not in came_from:
                came_from[child] = key
                queue.append(child)
    return None


def test_webserver_serves_the_asset_graph_from_raw_readings_to_invoices(tmp_path: Path) -> None:
    port = _free_port()
    home = tmp_path / "dagster_home"
    home.mkdir()
    log = tmp_path / "webserver.log"
    with open(log, "w", encoding="utf-8") as output:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "dagster-webserver"), "-h", "127.0.0.1",
             "-p", str(port), "-m", "orchestration.definitions"],
            cwd=REPO_ROOT, env={**os.environ, "DAGSTER_HOME": str(home), "DO_NOT_TRACK": "1"},
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        entry = _loaded_location(port, server)
        assert entry is not None, log.read_text(encoding="utf-8")[-3000:]
        assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/graphql",
            data=json.dumps({"query": ASSET_GRAPH}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            nodes = json.loads(response.read())["data"]["assetNodes"]
        path = _path(nodes, "raw/meter_readings", "marts/invoices")
        print("asset path:", " -> ".join(path or []))
        assert path is not None and path[0] == "raw/meter_readings"
        assert path[-1] == "marts/invoices"
    finally:
        _stop(server)
