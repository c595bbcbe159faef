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
from orchestration.settings import DEFAULT_LOCK_TIMEOUT
from orchestration.warehouse_lock import retry_while_locked

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
    warehouse: Path,
    memory_limit: str = "4GB",
    threads: int = 2,
    temp_directory: Path | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> duckdb.DuckDBPyConnection:
    """A warehouse connection with the configured limits and UTC session time zone.

    While another process holds the file, waits for it up to ``lock_timeout`` seconds
    (``warehouse_lock.retry_while_locked``)."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = retry_while_locked(lambda: duckdb.connect(str(warehouse)), warehouse, lock_timeout)
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


def _reader(paths: list[Path], suffix: str, file_column: str | None = None) -> str:
    """DuckDB's reader of CSV or Parquet ``paths`` (one file, or several of one header),
    with each row's file path in ``file_column`` when given."""
    files = ", ".join(_literal(str(path)) for path in paths)
    source = f"[{files}]" if len(paths) > 1 else files
    named = f", filename = {_literal(file_column)}" if file_column else ""
    if suffix == ".csv":
        return (
            f"read_csv({source}, header = true, all_varchar = true, null_padding = true, "
            "strict_mode = false, delim = ',', quote = '\"', escape = '\"', "
            f"encoding = 'utf-8', auto_detect = true, hive_partitioning = false{named})"
        )
    return f"read_parquet({source}, hive_partitioning = false{named})"


def _text_columns(names: Iterable[str]) -> str:
    """The select list of a file's own columns, each as text under its own name."""
    return ", ".join(f"cast({_ident(n)} as varchar) as {_ident(n)}" for n in names)


def _read_into_temp(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> list[str]:
    """Read a file into temp view ``_landed`` (all text, ``_row_number``); return its columns."""
    suffix = landed.path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        return _read_jsonl_into_temp(con, landed)
    source = _reader([landed.path], suffix)
    names = [row[0] for row in con.execute(f"describe select * from {source}").fetchall()]
    casts = _text_columns(names)
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


def _stage_suppression(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str,
    rule: str,
    count: int,
    now: datetime,
) -> None:
    """Stage the count of a file's rows dropped by ``rule`` (as ``_suppressed_by`` names it)."""
    pattern_type, pattern = rule.split(chr(31), 1)
    con.execute(
        "insert into _stage_suppressed values (?, ?, ?, ?, ?, ?, ?)",
        [content_hash, landed.relpath, landed.arrived, pattern, pattern_type, count, now],
    )


def _contract_columns(feed: Feed, names: list[str]) -> str:
    """The select list of the feed's columns (trimmed text) from a file's own columns."""
    mapping = _column_map(list(names))
    return ", ".join(
        f"trim({_ident(mapping[c])}) as {_ident(c)}"
        if c in mapping
        else f"cast(null as varchar) as {_ident(c)}"
        for c in feed.columns
    )


def _raw_json(names: list[str]) -> str:
    """The raw row as text: a JSON object of every column of the file, as read."""
    original = [_ident(n) for n in names]
    if not original:
        return "'{}'"
    return f"to_json(struct_pack({', '.join(f'{o} := {o}' for o in original)}))::varchar"


def _load_rows(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    content_hash: str,
    names: list[str],
    now: datetime,
) -> tuple[int, int]:
    """Stage the rows of ``_landed`` for the raw table; return (loaded, suppressed)."""
    feed = landed.feed
    selected = _contract_columns(feed, names)
    has_line = "_raw_line" in {row[0] for row in con.execute("describe _landed").fetchall()}
    raw_expr = "_raw_line" if has_line else _raw_json(names)
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
            _stage_suppression(con, landed, content_hash, rule, count, now)
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


def _registered(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime
) -> FileResult | str:
    """The outcome for a file that needs no reading (its path, or its bytes, already
    registered), else the file's content hash."""
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
    return content_hash


def _stage_file(con: duckdb.DuckDBPyConnection, landed: LandedFile, now: datetime) -> FileResult:
    """Read one file and stage its rows and manifest entry; nothing is committed here."""
    registered = _registered(con, landed, now)
    if isinstance(registered, FileResult):
        return registered
    return _stage_read(con, landed, registered, now)


def _stage_read(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, content_hash: str, now: datetime
) -> FileResult:
    """Read one new file alone and stage its rows and manifest entry."""
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


# Usage files of one shape are read by one call of DuckDB's reader. A landed file often holds
# less than one row group (122,880 rows), and DuckDB splits work by row group: read alone, each
# file is parsed, converted and written on one thread; read together, on all of them.
BATCH_BYTES = 64 << 20  # the files read in one call: about 800,000 CSV rows
SOURCE_FILE = "_tallyhouse_source_file"  # the column naming each row's file in a batch


@dataclass
class _Batch:
    """New usage files of one shape, waiting to be read in one call."""

    shape: tuple = ()
    files: list[tuple[LandedFile, str]] = field(default_factory=list)  # (file, content hash)
    size: int = 0

    @property
    def hashes(self) -> set[str]:
        return {content_hash for _, content_hash in self.files}


def _shape(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> tuple | None:
    """What a new file must share with others to be read with them: feed, format, header
    (names in order) and the suppression rules in force at its arrival. None for a file that
    is read alone: admin snapshots, jsonl, a header that cannot be read or that lacks a
    required column (the single-file path names the problem)."""
    suffix = landed.path.suffix.lower()
    if landed.feed.is_admin or suffix not in (".csv", ".parquet"):
        return None
    try:
        names = tuple(
            row[0]
            for row in con.execute(
                f"describe select * from {_reader([landed.path], suffix)}"
            ).fetchall()
        )
    except duckdb.Error:
        return None
    mapping = _column_map(list(names))
    if SOURCE_FILE in names or any(c not in mapping for c in landed.feed.required):
        return None
    rules = (
        tuple(suppression_rules(con, landed)) if landed.feed.name == "meter_readings" else ()
    )
    return (landed.feed.name, suffix, names, rules)


def _stage_batch(
    con: duckdb.DuckDBPyConnection, batch: _Batch, now: datetime
) -> list[FileResult] | None:
    """Read the batch's files in one call and stage their rows and manifest entries, as
    ``_stage_read`` would one by one; None (nothing staged) when the reader fails, and the
    files are then read one at a time."""
    _, suffix, names, rules = batch.shape
    feed = batch.files[0][0].feed
    casts = _text_columns(names)
    source = _reader([landed.path for landed, _ in batch.files], suffix, SOURCE_FILE)
    try:
        # one copy, files in the order given and each in file order (insertion order)
        con.execute(
            f"create or replace temp table _batch_src as select {casts}, {_ident(SOURCE_FILE)} "
            f"from {source}"
        )
    except duckdb.Error:
        return None
    con.execute(
        "create or replace temp table _batch_files "
        "(path varchar, file varchar, arrived date, content_hash varchar)"
    )
    con.executemany(
        "insert into _batch_files values (?, ?, ?, ?)",
        [[str(landed.path), landed.relpath, landed.arrived, h] for landed, h in batch.files],
    )
    source_file = _ident(SOURCE_FILE)
    con.execute(
        f"""
        create or replace temp view _batch_rows as
        with firsts as (
            select {source_file}, min(rowid) as first_rowid from _batch_src group by all
        ),
        batch_rows as (
            select
                files.content_hash as _content_hash,
                files.file as _file,
                files.arrived as _arrived,
                src.rowid - firsts.first_rowid + 1 as _row_number,
                {_contract_columns(feed, list(names))},
                {_raw_json(list(names))} as raw
            from _batch_src as src
            inner join firsts on src.{source_file} = firsts.{source_file}
            inner join _batch_files as files on src.{source_file} = files.path
        )
        -- the rules match the feed's columns, as they do a file read alone
        select *, {_suppressed_by(rules) if rules else 'cast(null as varchar)'} as _rule
        from batch_rows
        """
    )
    counts = {
        (file, rule): count
        for file, rule, count in con.execute(
            "select _file, coalesce(_rule, ''), count(*) from _batch_rows group by all"
        ).fetchall()
    }
    by_file = {landed.relpath: (landed, content_hash) for landed, content_hash in batch.files}
    for (file, rule), count in sorted(counts.items()):
        if rule:
            _stage_suppression(con, *by_file[file], rule, count, now)
    columns = ", ".join(_ident(c) for c in feed.columns)
    con.execute(
        f"insert into {_stage_table(feed)} select _content_hash, _file, _arrived, _row_number, "
        f"?, {columns}, raw from _batch_rows where _rule is null",
        [now],
    )
    outcomes = []
    for landed, content_hash in batch.files:
        seen = sum(n for (file, _), n in counts.items() if file == landed.relpath)
        suppressed = sum(n for (file, rule), n in counts.items() if file == landed.relpath and rule)
        _manifest(con, landed, content_hash, "loaded", seen, "", now)
        outcomes.append(FileResult(landed.relpath, "loaded", seen, seen - suppressed, suppressed))
    con.execute("drop view _batch_rows")
    con.execute("drop table _batch_src")
    return outcomes


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

    New usage files of one shape (``_shape``) are read together, in arrival order, up to
    ``BATCH_BYTES``; any other file, or a batch the reader fails on, is read alone. Files are
    staged in connection-local tables and committed in batches of about ``batch_rows`` rows,
    each batch in one transaction with its manifest entries: a crash loses at most the batch
    in progress, which the next run loads again, never half a file.
    """
    ensure_raw_schema(con)
    result = FeedResult(feed.name)
    files = discover(landing, feed, as_of, since)
    position = {landed.relpath: index for index, landed in enumerate(files, start=1)}
    now = datetime.now(UTC)
    _open_stage(con, feed)
    staged_rows = 0
    batch = _Batch()

    def record(outcome: FileResult, landed: LandedFile) -> None:
        nonlocal staged_rows
        result.files.append(outcome)
        staged_rows += outcome.rows_loaded
        if progress and outcome.status != "already_loaded":
            progress(
                f"{feed.name}: [{position[landed.relpath]}/{len(files)}] {landed.relpath}: "
                f"{outcome.status}, {outcome.rows_seen:,} rows seen, "
                f"{outcome.rows_loaded:,} loaded"
                + (f", {outcome.rows_suppressed:,} suppressed" if outcome.rows_suppressed else "")
                + (f" ({outcome.message})" if outcome.message else "")
            )

    def flush_if_full() -> None:
        nonlocal staged_rows
        if staged_rows >= batch_rows:
            _flush_stage(con, feed)
            staged_rows = 0

    def read_batch() -> None:
        nonlocal batch
        if batch.files:
            outcomes = _stage_batch(con, batch, now) if len(batch.files) > 1 else None
            if outcomes is None:
                outcomes = [_stage_read(con, landed, h, now) for landed, h in batch.files]
            for (landed, _), outcome in zip(batch.files, outcomes, strict=True):
                record(outcome, landed)
            flush_if_full()
        batch = _Batch()

    for landed in files:
        registered = _registered(con, landed, now)
        if isinstance(registered, str) and registered in batch.hashes:
            read_batch()  # the same bytes earlier in this batch: register those first
            registered = _registered(con, landed, now)
        if isinstance(registered, FileResult):
            # a file's outcomes are reported in order: the batch before it goes first
            read_batch()
            record(registered, landed)
            continue
        shape = _shape(con, landed)
        size = landed.path.stat().st_size
        if shape is None or shape != batch.shape or batch.size + size > BATCH_BYTES:
            read_batch()
        if shape is None:
            record(_stage_read(con, landed, registered, now), landed)
            flush_if_full()
            continue
        batch.shape = shape
        batch.files.append((landed, registered))
        batch.size += size
    read_batch()
    _flush_stage(con, feed)
    return result
