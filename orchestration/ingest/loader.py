"""Load landed files into raw DuckDB tables: each byte sequence once, nothing lost.

Every file under ``<landing>/<feed>/arrived=YYYY-MM-DD/`` that arrived on or before the
as-of time is registered in ``raw.file_manifest`` with its content hash. The rows of a
content hash are loaded once, as text, with the file, arrival date, row number and load
time beside them; validation, deduplication and quarantine happen downstream in dbt, as a
function of the as-of time. Two things happen here because the contract places them at
ingest: meter readings matching a suppression rule are dropped and counted, and admin
values that look like clear-text keys are redacted before anything is stored.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from orchestration.ingest.feeds import ALL_FEEDS, SUPPORTED_SUFFIXES, Feed

log = logging.getLogger(__name__)

ARRIVED_PREFIX = "arrived="
BATCH_ROWS = 1_000_000  # rows staged before a commit: full row groups go straight to disk

# A value that looks like a clear-text credential (provider-style secret keys and tokens).
SECRET_PATTERN = (
    r"^\s*("
    r"(sk|rk|pk|ak|api|key|secret|token|tok)[-_](live|test|prod)?[-_]?[A-Za-z0-9]{12,}"
    r"|AKIA[0-9A-Z]{16}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}"
    r"|xox[abprs]-[A-Za-z0-9-]{10,}"
    r"|Bearer\s+\S{12,}"
    r")\s*$"
)
_SECRET_RE = re.compile(SECRET_PATTERN)


@dataclass(frozen=True)
class LandedFile:
    """One file in the landing zone."""

    feed: Feed
    path: Path
    relpath: str
    arrived: date

    @property
    def arrived_at(self) -> datetime:
        return datetime(self.arrived.year, self.arrived.month, self.arrived.day, tzinfo=UTC)


@dataclass
class FileResult:
    """What loading one file did, for logs and Dagster metadata."""

    relpath: str
    status: str  # loaded | already_loaded | same_bytes | rejected
    rows_seen: int = 0
    rows_loaded: int = 0
    rows_suppressed: int = 0
    message: str = ""


@dataclass
class FeedResult:
    """What one ingest pass over a feed did."""

    feed: str
    files: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def rows_seen(self) -> int:
        return sum(f.rows_seen for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_suppressed(self) -> int:
        return sum(f.rows_suppressed for f in self.files)


def discover(
    landing: Path, feed: Feed, as_of: datetime, since: date | None = None
) -> list[LandedFile]:
    """Files of ``feed`` that arrived on or before ``as_of`` (and on or after the day
    ``since``, when given), in (arrival, name) order."""
    root = landing / feed.folder
    if not root.is_dir():
        return []
    found: list[LandedFile] = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or not folder.name.startswith(ARRIVED_PREFIX):
            continue
        try:
            arrived = date.fromisoformat(folder.name[len(ARRIVED_PREFIX) :])
        except ValueError:
            log.warning("ignoring %s: folder name is not arrived=YYYY-MM-DD", folder)
            continue
        landed_at = datetime(arrived.year, arrived.month, arrived.day, tzinfo=UTC)
        if landed_at > as_of or (since is not None and arrived < since):
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or not path.is_file():
                continue
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                log.warning("ignoring %s: not .csv, .parquet or .jsonl", path)
                continue
            found.append(LandedFile(feed, path, path.relative_to(landing).as_posix(), arrived))
    return found


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def connect(
    warehouse: Path, memory_limit: str = "4GB", threads: int = 2, temp_directory: Path | None = None
) -> duckdb.DuckDBPyConnection:
    """A warehouse connection with the configured limits and UTC session time zone."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute(f"set memory_limit = {_literal(memory_limit)}")
    con.execute(f"set threads = {int(threads)}")
    con.execute("set TimeZone = 'UTC'")
    if temp_directory is not None:
        con.execute(f"set temp_directory = {_literal(str(temp_directory))}")
    return con


def ensure_raw_schema(con: duckdb.DuckDBPyConnection, feeds: Iterable[Feed] = ALL_FEEDS) -> None:
    """Create schema raw and its tables when missing."""
    con.execute("create schema if not exists raw")
    con.execute(
        """
        create table if not exists raw.file_manifest (
            feed varchar not null,
            file varchar not null,
            file_name varchar not null,
            arrived date not null,
            content_hash varchar,
            size_bytes bigint,
            status varchar not null,
            rows_seen bigint not null,
            message varchar,
            loaded_at timestamptz not null
        )
        """
    )
    con.execute(
        """
        create table if not exists raw.suppressed_rows (
            content_hash varchar not null,
            file varchar not null,
            arrived date not null,
            pattern varchar not null,
            pattern_type varchar not null,
            rows_suppressed bigint not null,
            loaded_at timestamptz not null
        )
        """
    )
    for feed in feeds:
        columns = ",\n".join(f"{_ident(c)} varchar" for c in feed.columns)
        extra = ",\n secret_columns varchar" if feed.is_admin else ""
        con.execute(
            f"""
            create table if not exists raw.{feed.raw_table} (
                content_hash varchar not null,
                file varchar not null,
                arrived date not null,
                row_number bigint not null,
                loaded_at timestamptz not null,
                {columns},
                raw varchar{extra}
            )
            """
        )


def _read_into_temp(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> list[str]:
    """Read a file into temp view ``_landed`` (all text, ``_row_number``); return its columns."""
    path = _literal(str(landed.path))
    suffix = landed.path.suffix.lower()
    if suffix == ".csv":
        source = (
            f"read_csv({path}, header = true, all_varchar = true, null_padding = true, "
            "strict_mode = false, delim = ',', quote = '\"', escape = '\"', "
            "encoding = 'utf-8', auto_detect = true, hive_partitioning = false)"
        )
    elif suffix == ".parquet":
        source = f"read_parquet({path}, hive_partitioning = false)"
    else:
        return _read_jsonl_into_temp(con, landed)
    names = [row[0] for row in con.execute(f"describe select * from {source}").fetchall()]
    casts = ", ".join(f"cast({_ident(n)} as varchar) as {_ident(n)}" for n in names)
    # one copy, in file order; the row number is the row's position (rowid) in that copy
    con.execute(f"create or replace temp table _landed_src as select {casts} from {source}")
    con.execute(
        "create or replace temp view _landed as select rowid + 1 as _row_number, * "
        "from _landed_src"
    )
    return names


def _read_jsonl_into_temp(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> list[str]:
    """jsonl: one object a line, row number = line number, every key kept in raw."""
    path = _literal(str(landed.path))
    con.execute(
        f"""
        create or replace temp table _jsonl_lines as
        with lines as (
            select string_split(replace(content, chr(13), ''), chr(10)) as parts
            from read_text({path})
        )
        select generate_subscripts(parts, 1) as _row_number, unnest(parts) as line from lines
        """
    )
    keys = {
        row[0]
        for row in con.execute(
            "select distinct unnest(json_keys(line)) from _jsonl_lines "
            "where case when json_valid(line) then json_type(line) = 'OBJECT' else false end"
        ).fetchall()
    }
    names = sorted(keys)
    fields = ", ".join(
        f"case when (case when json_valid(line) then json_type(line) = 'OBJECT' end) "
        f"then json_extract_string(line, {_literal('$.' + _ident(n))}) end as {_ident(n)}"
        for n in names
    )
    select_fields = f", {fields}" if fields else ""
    con.execute(
        f"create or replace temp table _landed_src as select _row_number{select_fields}, "
        "line as _raw_line from _jsonl_lines where trim(line) <> ''"
    )
    con.execute("create or replace temp view _landed as select * from _landed_src")
    con.execute("drop table _jsonl_lines")
    return names


def _column_map(names: list[str]) -> dict[str, str]:
    """Contract column name -> the file's own column name (matched trimmed, case-blind)."""
    mapping: dict[str, str] = {}
    for name in names:
        key = name.strip().lower()
        mapping.setdefault(key, name)
    return mapping


def suppression_rules(
    con: duckdb.DuckDBPyConnection, landed: LandedFile
) -> list[tuple[str, str]]:
    """(pattern_type, pattern) of the newest suppressions snapshot in force at arrival."""
    return con.execute(
        """
        with newest as (
            select file from raw.admin_suppressions
            where arrived <= ?
            order by arrived desc, file desc
            limit 1
        )
        select distinct lower(trim(s.pattern_type)) as pattern_type, trim(s.pattern) as pattern
        from raw.admin_suppressions as s
        inner join newest on s.file = newest.file
        where s.secret_columns is null
          and coalesce(trim(s.pattern), '') <> ''
          and lower(trim(s.pattern_type)) in ('asset_id', 'description')
          and (coalesce(trim(s.created_at), '') = ''
               or try_cast(trim(s.created_at) as timestamptz) <= ?)
        order by all
        """,
        [landed.arrived, landed.arrived_at],
    ).fetchall()


def _suppressed_by(rules: list[tuple[str, str]]) -> str:
    """SQL naming the first rule (in (pattern_type, pattern) order) that drops a row, or null."""
    whens = " ".join(
        f"when {_ident(pattern_type)} glob {_literal(pattern)} "
        f"then {_literal(pattern_type + chr(31) + pattern)}"
        for pattern_type, pattern in rules
    )
    return f"case {whens} end"


def _load_rows(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str,
    names: list[str],
    now: datetime,
) -> tuple[int, int]:
    """Stage the rows of ``_landed`` for the raw table; return (loaded, suppressed)."""
    feed = landed.feed
    mapping = _column_map([n for n in names])
    selected = ", ".join(
        f"trim({_ident(mapping[c])}) as {_ident(c)}"
        if c in mapping
        else f"cast(null as varchar) as {_ident(c)}"
        for c in feed.columns
    )
    has_line = "_raw_line" in {row[0] for row in con.execute("describe _landed").fetchall()}
    original = [_ident(n) for n in names]
    raw_expr = (
        "_raw_line"
        if has_line
        else (
            f"to_json(struct_pack({', '.join(f'{o} := {o}' for o in original)}))::varchar"
            if original
            else "'{}'"
        )
    )
    if feed.is_admin:
        secret_checks = [
            f"case when regexp_matches({_ident(n)}, {_literal(SECRET_PATTERN)}) "
            f"then {_literal(n)} end"
            for n in names
        ]
        secrets = f"nullif(concat_ws(',', {', '.join(secret_checks)}), '')" if names else "null"
        redacted = ", ".join(
            f"case when regexp_matches({_ident(n)}, {_literal(SECRET_PATTERN)}) "
            f"then '[redacted]' else {_ident(n)} end as {_ident(n)}"
            for n in names
        )
        con.execute(
            f"create or replace temp table _landed_admin as select _row_number, "
            f"{redacted}{', _raw_line' if has_line else ''}, {secrets} as _secret_columns "
            "from _landed"
        )
        if has_line:  # jsonl admin snapshots: drop the raw line when it holds a secret
            con.execute(
                "update _landed_admin set _raw_line = '{\"redacted\": true}' "
                "where _secret_columns is not null"
            )
    con.execute(
        f"create or replace temp view _rows as select _row_number, {selected}, "
        f"{raw_expr} as raw{', _secret_columns' if feed.is_admin else ''} "
        f"from {'_landed_admin' if feed.is_admin else '_landed'}"
    )
    suppressed = 0
    source = "_rows"
    rules = suppression_rules(con, landed) if feed.name == "meter_readings" else []
    if rules:
        rule_of_row = _suppressed_by(rules)
        counts = con.execute(
            f"select rule, count(*) from (select {rule_of_row} as rule from _rows) "
            "where rule is not null group by all order by 1"
        ).fetchall()
        for rule, count in counts:
            pattern_type, pattern = rule.split(chr(31), 1)
            con.execute(
                "insert into _stage_suppressed values (?, ?, ?, ?, ?, ?, ?)",
                [content_hash, landed.relpath, landed.arrived, pattern, pattern_type, count, now],
            )
            suppressed += count
        source = f"(select * from _rows where ({rule_of_row}) is null)"
    columns = ", ".join(_ident(c) for c in feed.columns)
    secret_col = ", _secret_columns" if feed.is_admin else ""
    con.execute(
        f"insert into {_stage_table(feed)} "
        f"select ?, ?, ?, _row_number, ?, {columns}, raw{secret_col} from {source}",
        [content_hash, landed.relpath, landed.arrived, now],
    )
    total = con.execute("select count(*) from _rows").fetchone()[0]
    return total - suppressed, suppressed


def _stage_table(feed: Feed) -> str:
    return f"_stage_{feed.raw_table}"


def _open_stage(con: duckdb.DuckDBPyConnection, feed: Feed) -> None:
    """Connection-local staging tables shaped like the raw tables a batch commits into."""
    for stage, table in (
        (_stage_table(feed), f"raw.{feed.raw_table}"),
        ("_stage_manifest", "raw.file_manifest"),
        ("_stage_suppressed", "raw.suppressed_rows"),
    ):
        con.execute(f"create or replace temp table {stage} as select * from {table} limit 0")


def _flush_stage(con: duckdb.DuckDBPyConnection, feed: Feed) -> None:
    """Move the staged files into the raw tables in one transaction: all of them or none."""
    con.execute("begin transaction")
    try:
        con.execute(f"insert into raw.{feed.raw_table} select * from {_stage_table(feed)}")
        con.execute("insert into raw.suppressed_rows select * from _stage_suppressed")
        con.execute("insert into raw.file_manifest select * from _stage_manifest")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    for stage in (_stage_table(feed), "_stage_manifest", "_stage_suppressed"):
        con.execute(f"delete from {stage}")


def _manifest(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str | None,
    status: str,
    rows_seen: int,
    message: str,
    now: datetime,
) -> None:
    con.execute(
        "insert into _stage_manifest values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            landed.feed.name,
            landed.relpath,
            landed.path.name,
            landed.arrived,
            content_hash,
            landed.path.stat().st_size,
            status,
            rows_seen,
            message or None,
            now,
        ],
    )


def _stage_file(con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime) -> FileResult:
    """Read one file and stage its rows and manifest entry; nothing is committed here."""
    known = con.execute(
        "select 1 from raw.file_manifest where feed = ? and file = ?",
        [landed.feed.name, landed.relpath],
    ).fetchone()
    if known:
        return FileResult(landed.relpath, "already_loaded")
    content_hash = file_hash(landed.path)
    same = con.execute(
        "select rows_seen, status from ("
        "  select feed, content_hash, arrived, file_name, rows_seen, status from raw.file_manifest"
        "  union all"
        "  select feed, content_hash, arrived, file_name, rows_seen, status from _stage_manifest"
        ") where feed = ? and content_hash = ? order by arrived, file_name limit 1",
        [landed.feed.name, content_hash],
    ).fetchone()
    if same is not None:
        # Same bytes already registered: its rows are loaded once, under the hash.
        _manifest(con, landed, content_hash, same[1], same[0], "", now)
        return FileResult(landed.relpath, "same_bytes", rows_seen=same[0])
    try:
        names = _read_into_temp(con, landed)
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0]
        message = f"file {landed.relpath} could not be read: {reason}"
        _manifest(con, landed, content_hash, "rejected", 0, message, now)
        return FileResult(landed.relpath, "rejected", message=message)
    rows_seen = con.execute("select count(*) from _landed").fetchone()[0]
    mapping = _column_map(names)
    missing = [c for c in landed.feed.required if c not in mapping]
    if missing and landed.path.suffix.lower() != ".jsonl":
        noun = "column" if len(missing) == 1 else "columns"
        message = (
            f"file {landed.relpath} is missing required {noun} "
            f"{', '.join(missing)} in its header (found: {', '.join(names) or 'none'})"
        )
        _manifest(con, landed, content_hash, "rejected", rows_seen, message, now)
        return FileResult(landed.relpath, "rejected", rows_seen=rows_seen, message=message)
    loaded, suppressed = _load_rows(con, landed, content_hash, names, now)
    _manifest(con, landed, content_hash, "loaded", rows_seen, "", now)
    return FileResult(landed.relpath, "loaded", rows_seen, loaded, suppressed)


def load_file(con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime) -> FileResult:
    """Register and load one file in a transaction of its own."""
    _open_stage(con, landed.feed)
    outcome = _stage_file(con, landed, now)
    _flush_stage(con, landed.feed)
    return outcome


def ingest_feed(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    feed: Feed,
    as_of: datetime,
    progress: Callable[[str], None] | None = None,
    batch_rows: int = BATCH_ROWS,
    since: date | None = None,
) -> FeedResult:
    """Load every not yet registered file of ``feed`` that arrived on or before ``as_of``
    (and not before the day ``since``, when given: one partition of arrival days).

    Files are staged in connection-local tables and committed in batches of about
    ``batch_rows`` rows, each batch in one transaction with its manifest entries: a crash
    loses at most the batch in progress, which the next run loads again, never half a file.
    """
    ensure_raw_schema(con)
    result = FeedResult(feed.name)
    files = discover(landing, feed, as_of, since)
    now = datetime.now(UTC)
    _open_stage(con, feed)
    staged_rows = 0
    for index, landed in enumerate(files, start=1):
        outcome = _stage_file(con, landed, now)
        result.files.append(outcome)
        staged_rows += outcome.rows_loaded
        if staged_rows >= batch_rows:
            _flush_stage(con, feed)
            staged_rows = 0
        if progress and outcome.status != "already_loaded":
            progress(
                f"{feed.name}: [{index}/{len(files)}] {landed.relpath}: {outcome.status}, "
                f"{outcome.rows_seen:,} rows seen, {outcome.rows_loaded:,} loaded"
                + (f", {outcome.rows_suppressed:,} suppressed" if outcome.rows_suppressed else "")
                + (f" ({outcome.message})" if outcome.message else "")
            )
    _flush_stage(con, feed)
    return result
