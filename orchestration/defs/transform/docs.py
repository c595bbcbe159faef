"""What the Dagster UI says about the dbt project, in words finance can read.

- An asset's description is its model's YAML description (never its SQL: the code is one
  click away as a code reference), followed by its grain (the key its tests hold unique) and
  the models and tables its numbers come from.
- A check's description says what the test protects and whether a failure stops the build.
- Check names stay at most ``MAX_CHECK_NAME`` characters: dbt names a generic test after its
  kind, model and columns, which repeats the model the check already belongs to.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from orchestration.digest import text_digest

MAX_CHECK_NAME = 60
# the interface's section numbers are those of docs/billing-rules.md
_RULE_REFERENCE = re.compile(r"\(?CONTRACT(?: section)? (\d+(?:\.\d+)*)\)?")
_AS_OF_T = re.compile(r"(?<![\w-])T(?![\w-])")


def plain_words(text: str) -> str:
    """The project's shorthand spelled out: ``T`` is the run's as-of time, and the billing
    rules are in docs/billing-rules.md."""
    text = _RULE_REFERENCE.sub(r"(billing rules \1)", text)
    return _AS_OF_T.sub("the as-of time", text)


def _node_label(manifest: Mapping[str, Any], unique_id: str) -> str:
    node = manifest["nodes"].get(unique_id) or manifest["sources"].get(unique_id) or {}
    if node.get("resource_type") == "source":
        return f"{node['source_name']}.{node['name']}"
    if not node:
        return unique_id.rsplit(".", 1)[-1]
    return f"{node['schema']}.{node['name']}"


def grain(manifest: Mapping[str, Any], unique_id: str) -> str | None:
    """The columns a model's uniqueness tests hold to one row, as words."""
    for test_id in manifest.get("child_map", {}).get(unique_id, []):
        test = manifest["nodes"].get(test_id) or {}
        meta = test.get("test_metadata") or {}
        if test.get("attached_node") != unique_id:
            continue
        if meta.get("name") == "unique_combination":
            return ", ".join(meta["kwargs"]["columns"])
        if meta.get("name") == "unique":
            return meta["kwargs"]["column_name"]
    return None


def asset_description(manifest: Mapping[str, Any], props: Mapping[str, Any]) -> str:
    """Description, grain and sources of a dbt model or seed, without its SQL."""
    unique_id = props["unique_id"]
    kind = {"seed": "reference table", "snapshot": "snapshot"}.get(
        props["resource_type"], "table" if props.get("config", {}).get(
            "materialized") in ("table", "incremental") else "view"
    )
    written = props.get("description") or _leading_comment(props.get("raw_code") or "")
    text = plain_words(written).strip() or f"The {kind} {props['schema']}.{props['name']}."
    parts = [text]
    key = grain(manifest, unique_id)
    if key:
        parts.append(f"Grain: one row per {key}.")
    parents = sorted(
        _node_label(manifest, parent)
        for parent in props.get("depends_on", {}).get("nodes", [])
        if not parent.startswith("test.")
    )
    if parents:
        parts.append("Built from: " + ", ".join(parents) + ".")
    elif props["resource_type"] == "seed":
        parts.append(f"Loaded from seeds/{props['name']}.csv.")
    return "\n\n".join(parts)


def _leading_comment(code: str) -> str:
    """The comment a model's or test's code opens with: SQL ``--`` lines, or the first
    paragraph of a Python model's docstring."""
    text = code.lstrip()
    if text.startswith('"""'):
        return " ".join(text[3:].split('"""', 1)[0].split("\n\n", 1)[0].split())
    lines = []
    for line in code.splitlines():
        stripped = line.strip()
        if not stripped.startswith("--"):
            break
        lines.append(stripped.removeprefix("--").strip())
    return " ".join(lines)


def check_description(test: Mapping[str, Any]) -> str:
    """What a dbt test protects, in a sentence or two."""
    meta = test.get("test_metadata") or {}
    kwargs = meta.get("kwargs") or {}
    column = kwargs.get("column_name") or test.get("column_name")
    kind = meta.get("name")
    if test.get("description"):
        text = test["description"]
    elif kind == "not_null":
        text = (f"Every row has a value in {column}: a row without one would drop out of joins and "
                "totals unnoticed.")
    elif kind == "unique":
        text = f"No two rows share a {column}: a repeated one would be counted twice."
    elif kind == "unique_combination":
        columns = ", ".join(kwargs.get("columns", []))
        text = (f"One row per {columns}: a repeated combination would bill or count the "
                "same thing twice.")
    elif kind == "accepted_values":
        values = ", ".join(str(v) for v in kwargs.get("values", []))
        text = (f"{column} is one of: {values}; any other value would fall outside every "
                "report that groups by it.")
    elif kind == "expression_is_true":
        text = f"Every row satisfies: {kwargs.get('expression')}."
    else:
        text = _leading_comment(test.get("raw_code") or "") or (
            f"dbt test {test['name']} finds no offending rows."
        )
    text = plain_words(text).removeprefix("Blocking: ")
    text = text[:1].upper() + text[1:]
    severity = (test.get("config", {}).get("severity") or "error").lower()
    if severity == "error":
        return f"{text} Blocking: a failure stops every model downstream."
    return f"{text} Warning only: the build goes on."


def short_check_name(test: Mapping[str, Any]) -> str:
    """dbt's test name without the model's name (the check already sits on the model), cut
    to ``MAX_CHECK_NAME`` with a digest of the full name when still too long."""
    name = test["name"]
    if len(name) <= MAX_CHECK_NAME:
        return name
    model = (test.get("attached_node") or "").rsplit(".", 1)[-1]
    short = name.replace(f"_{model}_", "_", 1) if model else name
    short = short.replace("unique_combination_", "unique_", 1)
    if len(short) <= MAX_CHECK_NAME:
        return short
    digest = text_digest(name, 8)
    return f"{short[: MAX_CHECK_NAME - 9].rstrip('_')}_{digest}"


def readable_manifest(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the manifest whose tests carry readable names (``short_check_name``) and
    descriptions (``check_description``). dagster-dbt names each check after its test's
    ``name`` in the manifest it is given, at definition and at run time alike."""
    readable = copy.copy(dict(manifest))
    nodes = dict(readable["nodes"])
    for unique_id, node in nodes.items():
        if node.get("resource_type") != "test":
            continue
        node = dict(node)
        node["name"] = short_check_name(node)
        node["meta"] = {**(node.get("meta") or {}), "description": check_description(node)}
        nodes[unique_id] = node
    readable["nodes"] = nodes
    return readable
