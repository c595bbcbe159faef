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

import csv
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from orchestration.ingest.feeds import ALL_FEEDS, Feed
from orchestration.ingest.layout import Placement, walk
from orchestration.settings import DEFAULT_LOCK_TIMEOUT
from orchestration.warehouse_lock import retry_while_locked

log = logging.getLogger(__name__)

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

# A JSON line's tokens: strings, numbers (and the non-finite words DuckDB's JSON accepts),
# punctuation and literals; whitespace between tokens is dropped.
_JSON_NUMBER = r"-?(\d+(\.\d*)?([eE][+-]?\d+)?|NaN|Infinity|inf)"
_JSON_TOKEN = r'"(\\.|[^"\\])*"|' + _JSON_NUMBER + r"|[{}\[\]:,]|true|false|null"


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
    """Files of ``feed`` that can be read (``layout.place``) and arrived on or before
    ``as_of`` (and on or after the day ``since``, when given), in (arrival, name) order."""
    found: list[LandedFile] = []
    for path, placed in walk(landing, feed.folder):
        if placed.problem is not None or placed.feed_name != feed.name:
            continue
        arrived = placed.arrived
        assert arrived is not None  # a readable file sits in an arrived= folder
        landed = LandedFile(feed, path, placed.relpath, arrived)
        if landed.arrived_at > as_of or (since is not None and arrived < since):
            continue
        found.append(landed)
    return sorted(found, key=lambda f: (f.arrived, f.relpath))


def strays(landing: Path, as_of: datetime, since: date | None = None) -> list[Placement]:
    """Files under the landing zone that cannot be read, with why: outside the layout,
    hidden, of another extension, unreadable, or symlinks leading out. One whose folder
    gives an arrival date is seen from that date on (and within ``since``); one with no
    date is seen at every as-of time."""
    found = []
    for _, placed in walk(landing):
        if placed.problem is None:
            continue
        if placed.arrived is not None:
            arrived_at = datetime(*placed.arrived.timetuple()[:3], tzinfo=UTC)
            if arrived_at > as_of or (since is not None and placed.arrived < since):
                continue
        found.append(placed)
    return found


def ingest_strays(
    con: duckdb.DuckDBPyConnection,
    landing: Path,
    as_of: datetime,
    progress: Callable[[str], None] | None = None,
    since: date | None = None,
) -> list[Placement]:
    """Register every stray not yet registered as a rejected file with its reason (no
    content hash: a stray is never read, and never stands for bytes landed elsewhere)."""
    ensure_raw_schema(con)
    known = {row[0] for row in con.execute("select file from raw.file_manifest").fetchall()}
    new = [placed for placed in strays(landing, as_of, since) if placed.relpath not in known]
    now = datetime.now(UTC)
    if not new:
        return []
    con.executemany(
        "insert into raw.file_manifest values (?, ?, ?, ?, null, ?, 'rejected', 0, ?, ?)",
        [
            [
                placed.feed_name,
                placed.relpath,
                placed.relpath.rsplit("/", 1)[-1],
                placed.arrived,
                _size(landing / placed.relpath),
                placed.problem,
                now,
            ]
            for placed in new
        ],
    )
    for placed in new:
        if progress:
            progress(f"{placed.feed_name}: rejected: {placed.problem}")
    return new


def _size(path: Path) -> int | None:
    try:
        return path.lstat().st_size
    except OSError:
        return None


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
            arrived date,
            content_hash varchar,
            size_bytes bigint,
            status varchar not null,
            rows_seen bigint not null,
            message varchar,
            loaded_at timestamptz not null
        )
        """
    )
    # a stray in a folder that gives no date has no arrival (warehouses made before had one)
    con.execute("alter table raw.file_manifest alter column arrived drop not null")
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
                raw varchar{extra},
                malformed varchar
            )
            """
        )
        # warehouses made before: the reader's reason for a record it could not split
        con.execute(f"alter table raw.{feed.raw_table} add column if not exists malformed varchar")


def csv_header(path: Path) -> list[str]:
    """The column names of a CSV file: the fields of its first record (UTF-8, an optional
    byte-order mark), an empty name as ``column<i>`` and a repeated one with a suffix, as
    DuckDB's reader names them. ValueError when the first record is not UTF-8 text."""
    with path.open("rb") as handle:
        first = handle.readline(1 << 20)
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"its first line is not UTF-8 text (byte {exc.start + 1})") from exc
    fields = next(csv.reader([text.rstrip("\r\n")]), []) if text.strip() else []
    names: list[str] = []
    for index, field_name in enumerate(fields):
        name = field_name.strip() or f"column{index}"
        base, suffix = name, 1
        while name in names:
            name, suffix = f"{base}_{suffix}", suffix + 1
        names.append(name)
    return names


def _reader(
    paths: list[Path],
    suffix: str,
    file_column: str | None = None,
    rejects: bool = False,
    names: list[str] | None = None,
) -> str:
    """DuckDB's reader of CSV or Parquet ``paths`` (one file, or several of one header),
    with each row's file path in ``file_column`` when given. A CSV is read as text with the
    header's ``names`` as its columns (nothing guessed); with ``rejects``, a record with more
    or fewer fields than the header (or otherwise malformed) is not read but listed in temp
    tables ``_rejects`` / ``_rejects_scan`` (``_read_malformed``)."""
    files = ", ".join(_literal(str(path)) for path in paths)
    source = f"[{files}]" if len(paths) > 1 else files
    named = f", filename = {_literal(file_column)}" if file_column else ""
    if suffix == ".csv":
        columns = ", ".join(f"{_literal(n)}: 'VARCHAR'" for n in names or [])
        kept = (
            ", store_rejects = true, rejects_table = '_rejects', rejects_scan = '_rejects_scan'"
            if rejects
            else ""
        )
        return (
            f"read_csv({source}, header = true, columns = {{{columns}}}, auto_detect = false, "
            "strict_mode = true, delim = ',', quote = '\"', escape = '\"', "
            f"encoding = 'utf-8', hive_partitioning = false{kept}{named})"
        )
    return f"read_parquet({source}, hive_partitioning = false{named})"


def _clear_rejects(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop table if exists _rejects")
    con.execute("drop table if exists _rejects_scan")


def _read_malformed(con: duckdb.DuckDBPyConnection) -> int:
    """Temp table ``_malformed`` (path, _row_number, _malformed, _malformed_line): the records
    the last reader call set aside, one row each (header excluded, 1-based), and temp table
    ``_malformed_gaps`` (path, gap, skipped) for numbering the rows it did read. Returns
    the number of records set aside."""
    con.execute(
        """
        create or replace temp table _malformed as
        select
            scans.file_path as path,
            errors.line - 1 as _row_number,
            string_agg(distinct errors.error_type, '; ' order by errors.error_type)
                as _malformed,
            trim(min(errors.csv_line), chr(13) || chr(10)) as _malformed_line
        from _rejects as errors
        inner join _rejects_scan as scans
            on errors.scan_id = scans.scan_id and errors.file_id = scans.file_id
        group by all
        """
    )
    # a read row's position among the read rows is k; its row number is k plus the number of
    # set-aside rows before it: the set-aside row i (in order) has gap = row_number - i read
    # rows before it, so k + max(i with gap < k) (an as-of join) is the row's number.
    con.execute(
        """
        create or replace temp table _malformed_gaps as
        select path, gap, max(i) as skipped
        from (
            select
                path,
                _row_number - row_number() over (partition by path order by _row_number) as gap,
                row_number() over (partition by path order by _row_number) as i
            from _malformed
        )
        group by all
        """
    )
    return con.execute("select count(*) from _malformed").fetchone()[0]


def _text_columns(names: Iterable[str]) -> str:
    """The select list of a file's own columns, each as text under its own name."""
    return ", ".join(f"cast({_ident(n)} as varchar) as {_ident(n)}" for n in names)


def _read_into_temp(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> list[str]:
    """Read a file into temp view ``_landed`` (all text, ``_row_number``, and for a CSV record
    that does not split into the header's fields ``_malformed`` and ``_malformed_line``);
    return its columns."""
    suffix = landed.path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        return _read_jsonl_into_temp(con, landed)
    if suffix == ".parquet":
        names = [
            row[0]
            for row in con.execute(
                f"describe select * from {_reader([landed.path], suffix)}"
            ).fetchall()
        ]
    else:
        try:
            names = csv_header(landed.path)
        except ValueError as exc:
            raise duckdb.InvalidInputException(str(exc)) from exc
    casts = _text_columns(names)
    in_order = (
        "create or replace temp view _landed as select rowid + 1 as _row_number, *, "
        "cast(null as varchar) as _malformed, cast(null as varchar) as _malformed_line "
        "from _landed_good"
    )
    if not names:  # an empty file: no header, no rows
        con.execute("create or replace temp table _landed_good as select 1 as _row limit 0")
        con.execute(
            "create or replace temp view _landed as select 1 as _row_number, "
            "cast(null as varchar) as _malformed, cast(null as varchar) as _malformed_line "
            "from _landed_good"
        )
        return names
    if suffix == ".parquet":
        # one copy, in file order; a row's number is its position (rowid) in that copy
        con.execute(
            f"create or replace temp table _landed_good as select {casts} "
            f"from {_reader([landed.path], suffix)}"
        )
        con.execute(in_order)
        return names
    _clear_rejects(con)
    source = _reader([landed.path], suffix, rejects=True, names=names)
    con.execute(f"create or replace temp table _landed_good as select {casts} from {source}")
    if not _read_malformed(con):
        con.execute(in_order)
        return names
    # records set aside: a read row's number is its position plus the set-aside rows before it
    con.execute(
        f"""
        create or replace temp table _landed_src as
        with good as (
            select rowid + 1 as _k, {_literal(str(landed.path))} as _path, * from _landed_good
        )
        select
            good._k + coalesce(gaps.skipped, 0) as _row_number,
            good.* exclude (_k, _path),
            cast(null as varchar) as _malformed,
            cast(null as varchar) as _malformed_line
        from good
        asof left join _malformed_gaps as gaps
            on good._path = gaps.path and good._k > gaps.gap
        union all by name
        select _row_number, _malformed, _malformed_line from _malformed
        """
    )
    con.execute("create or replace temp view _landed as select * from _landed_src")
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
        select generate_subscripts(parts, 1) as _row_number, unnest(parts) as line
        from lines
        """
    )
    con.execute(
        "create or replace temp table _jsonl_lines as select *, line as _original "
        "from _jsonl_lines"
    )
    # JSON numbers are read as the text they are written as, not through a double: each
    # valid line is re-spelt token by token with its numbers as strings.
    con.execute(
        f"""
        update _jsonl_lines set line = array_to_string(
            list_transform(
                regexp_extract_all(line, {_literal(_JSON_TOKEN)}),
                lambda t: case when regexp_full_match(t, {_literal(_JSON_NUMBER)})
                    then '"' || t || '"' else t end
            ),
            ''
        )
        where case when json_valid(line) then json_type(line) = 'OBJECT' else false end
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
        "_original as _raw_line, cast(null as varchar) as _malformed, "
        "cast(null as varchar) as _malformed_line from _jsonl_lines where trim(line) <> ''"
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
    raw_expr = "coalesce(_malformed_line, " + ("_raw_line" if has_line else _raw_json(names)) + ")"
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
        # a malformed record's fields are not known: a secret anywhere in it drops its text
        line_secret = (
            "len(list_filter(string_split(coalesce(_malformed_line, ''), ','), "
            f"lambda f: regexp_matches(f, {_literal(SECRET_PATTERN)}))) > 0"
        )
        con.execute(
            f"create or replace temp table _landed_admin as select _row_number, "
            f"{redacted}{', _raw_line' if has_line else ''}, "
            f"case when {line_secret} then '{{\"redacted\": true}}' else _malformed_line end "
            "as _malformed_line, _malformed, "
            f"case when {line_secret} then 'raw' else {secrets} end as _secret_columns "
            "from _landed"
        )
        if has_line:  # jsonl admin snapshots: drop the raw line when it holds a secret
            con.execute(
                "update _landed_admin set _raw_line = '{\"redacted\": true}' "
                "where _secret_columns is not null"
            )
    con.execute(
        f"create or replace temp view _rows as select _row_number, {selected}, "
        f"{raw_expr} as raw{', _secret_columns' if feed.is_admin else ''}, _malformed "
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
        f"select ?, ?, ?, _row_number, ?, {columns}, raw{secret_col}, _malformed from {source}",
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
        "select rows_seen, status, file, message from ("
        "  select feed, content_hash, arrived, file_name, file, rows_seen, status, message"
        "  from raw.file_manifest"
        "  union all"
        "  select feed, content_hash, arrived, file_name, file, rows_seen, status, message"
        "  from _stage_manifest"
        ") where feed = ? and content_hash = ? order by arrived, file_name, file limit 1",
        [landed.feed.name, content_hash],
    ).fetchone()
    if same is not None:
        # Same bytes already registered: its rows are loaded once, under the hash. A copy of a
        # rejected file is rejected for the same reason, and says so.
        rows_seen, status, first, why = same
        message = ""
        if status == "rejected":
            message = f"file {landed.relpath} has the same bytes as {first}, which was rejected"
            message += f" ({why})" if why else ""
        _manifest(con, landed, content_hash, status, rows_seen, message, now)
        return FileResult(landed.relpath, "same_bytes", rows_seen=rows_seen, message=message)
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
        reason = str(exc).splitlines()[0].replace(str(landed.path), landed.relpath)
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
        if suffix == ".csv":
            names = tuple(csv_header(landed.path))
        else:
            names = tuple(
                row[0]
                for row in con.execute(
                    f"describe select * from {_reader([landed.path], suffix)}"
                ).fetchall()
            )
    except (duckdb.Error, ValueError, OSError):
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
    is_csv = suffix == ".csv"
    if is_csv:
        _clear_rejects(con)
    source = _reader(
        [landed.path for landed, _ in batch.files], suffix, SOURCE_FILE, is_csv, list(names)
    )
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
    malformed = _read_malformed(con) if is_csv else 0
    if not malformed:
        con.execute(
            "create or replace temp table _malformed (path varchar, _row_number bigint, "
            "_malformed varchar, _malformed_line varchar)"
        )
        con.execute(
            "create or replace temp table _malformed_gaps "
            "(path varchar, gap bigint, skipped bigint)"
        )
    # rows are numbered by position, plus the set-aside records before them (if any)
    renumber = (
        f"asof left join _malformed_gaps as gaps "
        f"on src.{source_file} = gaps.path and src._k > gaps.gap"
        if malformed
        else ""
    )
    contract_nulls = ", ".join(f"cast(null as varchar) as {_ident(c)}" for c in feed.columns)
    con.execute(
        f"""
        create or replace temp view _batch_rows as
        with firsts as (
            select {source_file}, min(rowid) as first_rowid from _batch_src group by all
        ),
        read_rows as (
            select src.*, src.rowid - firsts.first_rowid + 1 as _k
            from _batch_src as src
            inner join firsts on src.{source_file} = firsts.{source_file}
        ),
        batch_rows as (
            select
                files.content_hash as _content_hash,
                files.file as _file,
                files.arrived as _arrived,
                src._k + {'coalesce(gaps.skipped, 0)' if malformed else '0'} as _row_number,
                {_contract_columns(feed, list(names))},
                {_raw_json(list(names))} as raw,
                cast(null as varchar) as _malformed
            from read_rows as src
            inner join _batch_files as files on src.{source_file} = files.path
            {renumber}
            union all
            select
                files.content_hash,
                files.file,
                files.arrived,
                bad._row_number,
                {contract_nulls},
                bad._malformed_line,
                bad._malformed
            from _malformed as bad
            inner join _batch_files as files on bad.path = files.path
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
        f"?, {columns}, raw, _malformed from _batch_rows where _rule is null",
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
