"""The publication: what BI tools open, and why readers and runs never block each other.

One generated landing zone, three ``tallyhouse run``s in processes of their own: the first
publishes; a poller (every 0.2 s) and a holder (one read-only connection to the published
marts.duckdb, as a BI tool's connection pool keeps) then run, each in a process of its own,
through the second and the third run. Last, a reader holding the *working* warehouse makes a
run fail with one line that names it, and that run publishes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import REPO_ROOT
from tests.pipeline import read

TALLYHOUSE = str(Path(sys.executable).parent / "tallyhouse")
AS_OF = ("2026-10-20T00:00:00Z", "2026-11-05T00:00:00Z", "2026-11-05T06:00:00Z")


def _run(root: Path, as_of: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TALLYHOUSE, "run", "--as-of", as_of],
        capture_output=True, text=True, check=False, timeout=900,
        env={
            **os.environ,
            "TALLYHOUSE_LANDING": str(root / "landing"),
            "TALLYHOUSE_WAREHOUSE": str(root / "warehouse.duckdb"),
            "DAGSTER_HOME": str(root / "dagster_home"),
            **env,
        },
    )


def _reader(command: str, target: Path, stop: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.readers", command, str(target), str(stop), str(out)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, text=True,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from orchestration.generator import generate_landing

    root = tmp_path_factory.mktemp("publication")
    generate_landing(root / "landing", scale=3000, seed=7, progress=lambda _: None)
    (root / "dagster_home").mkdir()
    first = _run(root, AS_OF[0])
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    published = root / "published"
    first_folder = (published / "current").resolve()

    stop = root / "stop"
    poller = _reader("poll", published, stop, root / "poll.json")
    holder = _reader("hold", published / "marts.duckdb", stop, root / "hold.json")
    assert holder.stdout.readline().strip() == "holding"
    try:
        later = [_run(root, as_of) for as_of in AS_OF[1:]]
    finally:
        stop.touch()
        poller.wait(timeout=120)
        holder.wait(timeout=120)
    return {
        "root": root, "published": published, "runs": [first, *later],
        "first_folder": first_folder,
        "poll": json.loads((root / "poll.json").read_text(encoding="utf-8")),
        "hold": json.loads((root / "hold.json").read_text(encoding="utf-8")),
    }


@pytest.mark.e2e
def test_reader_polling_the_publication_through_two_runs_sees_no_error(runs: dict) -> None:
    """(a) Every poll read a whole publication: no error, and in each one every invoice's
    charges are the sum of the final costs of its client's bills for that period."""
    poll = runs["poll"]
    print(f"polling reader: {poll}")  # shown with -s; the publication's closing note quotes it
    assert poll["errors"] == 0, poll["messages"]
    assert poll["mismatches"] == 0
    assert poll["polls"] > 0 and poll["parquet_reads"] == poll["polls"]
    # the reader saw the first publication, then the later ones, and nothing in between
    assert set(poll["as_of_seen"]) <= {
        "2026-10-20 00:00:00+00", "2026-11-05 00:00:00+00", "2026-11-05 06:00:00+00"
    }
    assert len(poll["as_of_seen"]) >= 2


@pytest.mark.e2e
def test_reader_holding_the_published_file_through_two_runs_blocks_neither(runs: dict) -> None:
    """(b) One read-only connection open to the published marts.duckdb across two runs."""
    for result in runs["runs"][1:]:
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    hold = runs["hold"]
    assert hold["first"] == hold["last"] > 0  # it kept reading the publication it opened
    assert hold["parquet_first"] == hold["parquet_last"] > 0
    # the file it held is still whole where it was: old publications are kept
    assert (runs["first_folder"] / "marts.duckdb").exists()


@pytest.mark.e2e
def test_run_prints_the_published_paths(runs: dict) -> None:
    published = runs["published"]
    out = runs["runs"][-1].stdout
    assert f"BI tools, DuckDB CLI: {published / 'marts.duckdb'}" in out
    assert f"Parquet, one per mart: {published / 'parquet'}/<mart>.parquet" in out
    assert f"dashboards: {published / 'dashboards' / 'index.html'}" in out


@pytest.mark.e2e
def test_each_run_published_a_new_folder_and_the_manifest_lists_them(runs: dict) -> None:
    published = runs["published"]
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    folders = sorted(p.name for p in (published / "publications").iterdir())
    assert len(folders) == 3  # one per run, none half-written left behind
    assert [p["id"] for p in manifest["publications"]] == folders[::-1]  # newest first
    assert [p["as_of"] for p in manifest["publications"]] == [
        "2026-11-05T06:00:00+00:00", "2026-11-05T00:00:00+00:00", "2026-10-20T00:00:00+00:00"
    ]
    assert (published / "current").resolve().name == folders[-1] == manifest["publication"]
    assert manifest["as_of"] == "2026-11-05T06:00:00+00:00"
    run_ids = {
        line.split("(run ")[1].split(")")[0]
        for line in runs["runs"][-1].stdout.splitlines()
        if line.startswith("tallyhouse run succeeded")
    }
    assert run_ids == {manifest["run_id"]}


@pytest.mark.e2e
def test_published_marts_are_the_warehouse_marts(runs: dict) -> None:
    """Same tables, columns and types; counts and checksums in the manifest recomputed from
    the warehouse and from each Parquet file."""
    from orchestration.publication import mart_checksums

    warehouse = runs["root"] / "warehouse.duckdb"
    published = runs["published"]
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    columns = (
        "select table_name, column_name, data_type from information_schema.columns "
        "where table_schema = 'marts' and table_catalog = current_database() order by all"
    )
    in_warehouse = read(warehouse, columns)
    con = duckdb.connect(":memory:")
    con.execute(f"attach '{published / 'marts.duckdb'}' as published (read_only)")
    con.execute(f"attach '{warehouse}' as warehouse (read_only)")
    try:
        con.execute("use published")
        assert con.execute(columns).fetchall() == [tuple(r.values()) for r in in_warehouse]
        comments = (
            "select table_name, column_name, comment from duckdb_columns() "
            "where database_name = ? and schema_name = 'marts' order by all"
        )
        assert con.execute(comments, ["published"]).fetchall() == con.execute(
            comments, ["warehouse"]
        ).fetchall()
        marts = sorted({r["table_name"] for r in in_warehouse})
        assert sorted(manifest["marts"]) == marts and "invoices" in marts
        from_warehouse = mart_checksums(con, {m: f"warehouse.marts.{m}" for m in marts})
        folder = (published / "current").resolve() / "parquet"
        from_parquet = mart_checksums(
            con, {m: f"read_parquet('{folder / (m + '.parquet')}')" for m in marts}
        )
    finally:
        con.close()
    listed = {m: {"rows": v["rows"], "checksum": v["checksum"]}
              for m, v in manifest["marts"].items()}
    assert from_warehouse == listed
    assert from_parquet == listed
    assert manifest["marts"]["invoices"]["rows"] == read(
        warehouse, "select count(*) as n from marts.invoices"
    )[0]["n"] > 0


@pytest.mark.e2e
def test_reader_holding_the_working_warehouse_fails_the_run_with_one_line(
    runs: dict,
) -> None:
    """(c) The run waits (here 1 s), then names the process and points at the publication;
    it publishes nothing."""
    root, published = runs["root"], runs["published"]
    before = (published / "current").resolve()
    stop = root / "stop-working"
    holder = _reader("hold", root / "warehouse.duckdb", stop, root / "hold-working.json")
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = _run(root, "2026-11-05T07:00:00Z", TALLYHOUSE_LOCK_TIMEOUT="1")
    finally:
        stop.touch()
        holder.wait(timeout=60)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    (line,) = [line for line in output.splitlines() if "FAILED" in line]
    assert f"locked by process {holder.pid} " in line
    assert str(published / "marts.duckdb") in line
    assert "Traceback" not in output
    assert (published / "current").resolve() == before


def test_checksum_is_the_sum_of_the_rows_md5_prefixes(tmp_path: Path) -> None:
    """The manifest's checksum, worked out in Python from the rows' text."""
    import hashlib

    from orchestration.publication import mart_checksums

    con = duckdb.connect(":memory:")
    con.execute("create table t as select * from (values (1, 'a'), (1, 'a'), (2, null)) v(n, s)")
    texts = ["{'n': 1, 's': a}", "{'n': 1, 's': a}", "{'n': 2, 's': NULL}"]
    # md5_number_upper: the first 8 bytes of the MD5 digest, read as a little-endian integer
    total = sum(int.from_bytes(hashlib.md5(t.encode()).digest()[:8], "little") for t in texts)
    assert mart_checksums(con, {"t": "t"}) == {"t": {"rows": 3, "checksum": f"{total:032x}"}}


def test_seven_publications_are_kept_and_listed(tmp_path: Path) -> None:
    from orchestration.publication import publish

    warehouse = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts")
    con.execute("create table marts.invoices (client_id varchar, charges decimal(38, 2))")
    con.execute("comment on column marts.invoices.charges is 'Sum of the bills.'")
    con.close()
    out = tmp_path / "published"
    for second in range(9):
        publish(warehouse, out, as_of=f"2026-01-01T00:00:0{second}+00:00",
                run_id=f"run{second:05d}", lock_timeout=0,
                now=datetime(2026, 1, 2, 0, 0, second, tzinfo=UTC))
    folders = sorted(p.name for p in (out / "publications").iterdir())
    assert folders == [f"20260102T00000{s}Z-run{s:05d}" for s in range(2, 9)]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in manifest["publications"]] == folders[::-1]
    assert manifest["marts"]["invoices"]["rows"] == 0
    for link, target in [("marts.duckdb", "current/marts.duckdb"), ("parquet", "current/parquet"),
                         ("manifest.json", "current/manifest.json")]:
        assert os.readlink(out / link) == target
    con = duckdb.connect(str(out / "marts.duckdb"), read_only=True)
    (comment,) = con.execute(
        "select comment from duckdb_columns() where column_name = 'charges'"
    ).fetchone()
    con.close()
    assert comment == "Sum of the bills."


def test_publish_dir_follows_the_warehouse_unless_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.settings import load_settings

    for name in ("TALLYHOUSE_PUBLISH_DIR", "TALLYHOUSE_LOCK_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    default = load_settings(warehouse=tmp_path / "w" / "warehouse.duckdb")
    assert default.publication_dir == tmp_path / "w" / "published"
    assert default.lock_timeout == 60
    assert "TALLYHOUSE_PUBLISH_DIR" not in default.env()  # a child finds it beside the file
    monkeypatch.setenv("TALLYHOUSE_PUBLISH_DIR", str(tmp_path / "from-env"))
    monkeypatch.setenv("TALLYHOUSE_LOCK_TIMEOUT", "2.5")
    from_env = load_settings(warehouse=tmp_path / "warehouse.duckdb")
    assert (from_env.publication_dir, from_env.lock_timeout) == (tmp_path / "from-env", 2.5)
    assert from_env.env()["TALLYHOUSE_PUBLISH_DIR"] == str(tmp_path / "from-env")
    flagged = load_settings(publish_dir=tmp_path / "flag", lock_timeout="0")
    assert (flagged.publication_dir, flagged.lock_timeout) == (tmp_path / "flag", 0)
    for bad in ("soon", "-1"):
        with pytest.raises(ValueError, match="lock timeout|TALLYHOUSE_LOCK_TIMEOUT"):
            load_settings(lock_timeout=bad)


def test_lock_wait_backs_off_then_names_the_holder_in_one_line(tmp_path: Path) -> None:
    """DuckDB's lock error, every time, on a clock that only the sleeps advance: waits of
    0.1, 0.2, 0.4, 0.8 s, then the 0.5 s left of the 2 s timeout, then the one-line error."""
    from orchestration.warehouse_lock import WarehouseBusy, retry_while_locked

    error = duckdb.IOException(
        'IO Error: Could not set lock on file "/w/warehouse.duckdb": Conflicting lock is held '
        "in /usr/bin/duckdb (PID 4242). However, you would be able to open this database in "
        "read-only mode"
    )
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    def attempt():
        raise error

    with pytest.raises(WarehouseBusy) as raised:
        retry_while_locked(attempt, Path("/w/warehouse.duckdb"), 2.0, tmp_path / "pub",
                           sleep=sleep, clock=lambda: now[0])
    assert waits == [0.1, 0.2, 0.4, 0.8, 0.5]  # 2 s in all
    message = str(raised.value)
    assert "\n" not in message and raised.value.pid == 4242
    assert "locked by process 4242 (/usr/bin/duckdb)" in message
    assert str(tmp_path / "pub" / "marts.duckdb") in message

    calls = iter([error, error, "connected"])

    def flaky():
        outcome = next(calls)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert retry_while_locked(flaky, Path("w"), 10, sleep=lambda s: None) == "connected"
    with pytest.raises(duckdb.CatalogException):  # other errors are not waited for
        retry_while_locked(lambda: (_ for _ in ()).throw(duckdb.CatalogException("x")),
                           Path("w"), 10, sleep=lambda s: None)
