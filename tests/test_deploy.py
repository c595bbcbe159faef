"""The deployment files agree with each other: deploy/docker-compose.yaml runs what
deploy/dagster.production.yaml expects (its image, network, volume and environment), and
deploy/Dockerfile builds the code location they load.

``docker compose config`` validates the compose file where Docker Compose is installed; the
rest reads the files, so it runs anywhere.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from orchestration.settings import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def _production() -> dict:
    return yaml.safe_load((DEPLOY / "dagster.production.yaml").read_text(encoding="utf-8"))


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yaml").read_text(encoding="utf-8"))


def _resolved(value: str) -> str:
    """``${NAME:-default}`` as Compose resolves it without NAME set."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", value)


def _environment_names(production: dict) -> set[str]:
    """Every variable the production instance reads (``env:``) or passes on."""
    names: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            if set(node) == {"env"}:
                names.add(node["env"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(production)
    names.update(production["run_launcher"]["config"]["env_vars"])
    return names


def test_compose_runs_postgres_code_location_webserver_and_daemon() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "tallyhouse-code", "webserver", "daemon"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["tallyhouse-code"]["build"] == {
        "context": "..", "dockerfile": "deploy/Dockerfile"
    }
    images = {_resolved(services[name]["image"]) for name in ("tallyhouse-code", "webserver",
                                                              "daemon")}
    assert images == {"tallyhouse:latest"}
    assert "dagster-webserver" in services["webserver"]["entrypoint"]
    assert services["daemon"]["entrypoint"][:2] == ["dagster-daemon", "run"]
    workspace = yaml.safe_load((DEPLOY / "workspace.yaml").read_text(encoding="utf-8"))
    (server,) = [entry["grpc_server"] for entry in workspace["load_from"]]
    assert (server["host"], server["port"]) == ("tallyhouse-code", 4000)
    assert server["location_name"] == "tallyhouse"


def test_compose_gives_every_service_what_the_production_instance_names() -> None:
    production, compose = _production(), _compose()
    services = compose["services"]
    needed = _environment_names(production)
    assert {"DAGSTER_PG_HOST", "TALLYHOUSE_IMAGE", "TALLYHOUSE_DOCKER_NETWORK",
            "DAGSTER_COMPUTE_LOG_DIR", "TALLYHOUSE_WAREHOUSE"} <= needed
    for name in ("tallyhouse-code", "webserver", "daemon"):
        environment = services[name]["environment"]
        assert needed <= set(environment), (name, needed - set(environment))
    environment = {k: _resolved(str(v)) for k, v in services["daemon"]["environment"].items()}
    # the run containers: the image compose builds, on the network compose creates
    assert environment["TALLYHOUSE_IMAGE"] == _resolved(services["tallyhouse-code"]["image"])
    network = environment["TALLYHOUSE_DOCKER_NETWORK"]
    assert compose["networks"]["tallyhouse"]["name"] == network
    # the volume the run containers mount (by name) is the one the services share
    (volume,) = production["run_launcher"]["config"]["container_kwargs"]["volumes"]
    volume_name, mount = volume.split(":")
    assert compose["volumes"][volume_name]["name"] == volume_name
    for name in ("tallyhouse-code", "webserver", "daemon"):
        assert f"{volume_name}:{mount}" in services[name]["volumes"]
    assert environment["TALLYHOUSE_WAREHOUSE"].startswith(mount + "/")
    assert environment["DAGSTER_COMPUTE_LOG_DIR"].startswith(mount + "/")
    assert "/var/run/docker.sock:/var/run/docker.sock" in services["daemon"]["volumes"]
    assert environment["DAGSTER_PG_HOST"] == "postgres"
    postgres = services["postgres"]["environment"]
    assert postgres["POSTGRES_DB"] == environment["DAGSTER_PG_DB"]
    assert postgres["POSTGRES_USER"] == environment["DAGSTER_PG_USERNAME"]


def test_dockerfile_builds_the_code_location_with_the_production_instance() -> None:
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11", text, re.M)
    for source in ("orchestration", "dbt_project", "models", "seeds", "tests/dbt"):
        assert re.search(rf"^COPY {re.escape(source)} ", text, re.M), source
    assert "pip install --no-cache-dir -e ." in text  # REPO_ROOT stays the project folder
    assert "dagster-postgres" in text and "dagster-docker" in text
    assert "COPY deploy/dagster.production.yaml /opt/dagster/home/dagster.yaml" in text
    assert "DAGSTER_HOME=/opt/dagster/home" in text
    assert '"--module-name", "orchestration.definitions"' in text
    assert '"--port", "4000"' in text
    ignored = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", ".tallyhouse", "dbt_project/target"} <= set(ignored)


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True,
                      check=False).returncode != 0,
    reason="Docker Compose is not installed here",
)
def test_docker_compose_config_validates() -> None:
    result = subprocess.run(
        ["docker", "compose", "-f", str(DEPLOY / "docker-compose.yaml"), "config", "--quiet"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert result.returncode == 0, result.stderr
