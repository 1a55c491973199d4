"""The practice history: one SQLite database under KATA_HOME.

WAL mode and a busy timeout let several checks record at once; every write
is one transaction, so a process killed at any point leaves the database
consistent. The schema is versioned with `PRAGMA user_version` and migrated
forward, never discarded.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "history.sqlite3"

# Each entry migrates from version i to i + 1. Append only; never edit a shipped one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE starts (
        id INTEGER PRIMARY KEY,
        slug TEXT NOT NULL,
        workspace TEXT NOT NULL,
        file TEXT NOT NULL,
        started_at REAL NOT NULL
    );
    CREATE INDEX starts_by_workspace ON starts (workspace, started_at);
    CREATE TABLE checks (
        id INTEGER PRIMARY KEY,
        start_id INTEGER REFERENCES starts (id),
        slug TEXT NOT NULL,
        file TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        passed INTEGER NOT NULL,
        reached INTEGER NOT NULL,
        stages TEXT NOT NULL,
        total INTEGER NOT NULL,
        passed_tests INTEGER NOT NULL,
        error TEXT,
        tests_s REAL NOT NULL,
        wall_s REAL NOT NULL,
        since_start_s REAL,
        checked_at REAL NOT NULL
    );
    CREATE INDEX checks_by_slug ON checks (slug, checked_at);
    CREATE TABLE hints (
        start_id INTEGER NOT NULL REFERENCES starts (id),
        stage INTEGER NOT NULL,
        shown INTEGER NOT NULL,
        PRIMARY KEY (start_id, stage)
    );
    """,
    # 2: the benchmark of a fully passing check (JSON: ratio, growth, workload).
    """
    ALTER TABLE checks ADD COLUMN benchmark TEXT;
    """,
    # 3: a kata's clock runs from the first change to its stub, not from `kata start`.
    # stub_sha256: the content written at the start; clock_from: when it first changed
    # (NULL until then). Older starts keep their start time as their clock's start.
    """
    ALTER TABLE starts ADD COLUMN stub_sha256 TEXT;
    ALTER TABLE starts ADD COLUMN clock_from REAL;
    UPDATE starts SET clock_from = started_at;
    """,
    # 4: each checked attempt's source, stored once per content (the iterations of
    # `kata history`). Checks recorded before this version have none.
    """
    CREATE TABLE sources (
        sha256 TEXT PRIMARY KEY,
        text TEXT NOT NULL
    );
    CREATE INDEX checks_by_start ON checks (start_id, checked_at);
    """,
)


@dataclass(frozen=True)
class Start:
    id: int
    slug: str
    workspace: str
    file: str
    started_at: float
    stub_sha256: str | None = None
    clock_from: float | None = None  # the first change to the stub; None: not yet


def _switch_to_wal(conn: sqlite3.Connection, give_up_after_s: float = 30.0) -> None:
    """WAL mode, which lets checks write while others read. SQLite may refuse the switch
    at once, without waiting, while another process opens the database at the same
    moment ("database is locked"): try again for a while."""
    deadline = time.monotonic() + give_up_after_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01 + random.random() * 0.04)


class Store:
    def __init__(self, home: Path) -> None:
        self.path = home / DB_NAME
        self.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA busy_timeout = 30000")
        _switch_to_wal(self.conn)
        # In WAL mode, NORMAL loses nothing to a killed process (only a power cut may drop
        # the last checks, never corrupt the file), and spares each check its fsyncs.
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

    # -- starts ----------------------------------------------------------------

    def record_start(self, slug: str, workspace: Path, file: Path,
                     stub_sha256: str | None = None) -> Start:
        """A start whose clock waits for the first change to `stub_sha256`'s content
        (without it, the clock runs from now)."""
        now = time.time()
        clock_from = None if stub_sha256 else now
        with _transaction(self.conn):
            cur = self.conn.execute(
                """INSERT INTO starts (slug, workspace, file, started_at, stub_sha256,
                   clock_from) VALUES (?, ?, ?, ?, ?, ?)""",
                (slug, str(workspace), str(file), now, stub_sha256, clock_from))
        return Start(cur.lastrowid, slug, str(workspace), str(file), now, stub_sha256,
                     clock_from)

    def start_clock(self, start: Start, at: float) -> Start:
        """The first change to the stub was seen: the clock runs from `at` (set once)."""
        with _transaction(self.conn):
            self.conn.execute("UPDATE starts SET clock_from = ? WHERE id = ? AND clock_from "
                              "IS NULL", (at, start.id))
            row = self.conn.execute("SELECT * FROM starts WHERE id = ?", (start.id,)).fetchone()
        return Start(**dict(row))

    def latest_start(self, *, slug: str | None = None, workspace: Path | None = None,
                     file: Path | None = None) -> Start | None:
        clauses, args = [], []
        for column, value in (("slug", slug), ("workspace", workspace), ("file", file)):
            if value is not None:
                clauses.append(f"{column} = ?")
                args.append(str(value))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        row = self.conn.execute(
            f"SELECT * FROM starts {where} ORDER BY started_at DESC, id DESC LIMIT 1", args
        ).fetchone()
        return Start(**dict(row)) if row else None

    # -- checks ----------------------------------------------------------------

    def record_check(self, *, start: Start | None, slug: str, file: Path, file_sha256: str,
                     passed: bool, reached: int, stages: list[dict], total: int,
                     passed_tests: int, error: str | None, tests_s: float, wall_s: float,
                     since_start_s: float | None, benchmark: dict | None = None,
                     source: str | None = None) -> int:
        """One check, and the attempt's source (stored once per content), in one
        transaction: a killed process leaves both or neither. Returns the check's id."""
        with _transaction(self.conn):
            if source is not None:
                self.conn.execute("INSERT OR IGNORE INTO sources (sha256, text) VALUES (?, ?)",
                                  (file_sha256, source))
            return self.conn.execute(
                """INSERT INTO checks (start_id, slug, file, file_sha256, passed, reached,
                   stages, total, passed_tests, error, tests_s, wall_s, since_start_s,
                   checked_at, benchmark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (start.id if start else None, slug, str(file), file_sha256, int(passed),
                 reached, json.dumps(stages), total, passed_tests, error, tests_s, wall_s,
                 since_start_s, time.time(), json.dumps(benchmark) if benchmark else None)
            ).lastrowid

    def set_benchmark(self, check_id: int, benchmark: dict) -> None:
        """A passing check's timing, measured after its verdict was recorded."""
        with _transaction(self.conn):
            self.conn.execute("UPDATE checks SET benchmark = ? WHERE id = ?",
                              (json.dumps(benchmark), check_id))

    def best_reached(self, start: Start) -> int:
        """The most stages, from the first, that any check of this start passed."""
        row = self.conn.execute(
            "SELECT MAX(reached) FROM checks WHERE start_id = ?", (start.id,)).fetchone()
        return row[0] or 0

    def splits(self, start: Start) -> dict[int, float]:
        """When each stage was first passed, in seconds since the start."""
        rows = self.conn.execute(
            """SELECT reached, MIN(since_start_s) FROM checks
               WHERE start_id = ? AND reached > 0 AND since_start_s IS NOT NULL
               GROUP BY reached""", (start.id,)).fetchall()
        splits: dict[int, float] = {}
        # A check that reached stage 3 also reached stages 1 and 2.
        for reached, seconds in sorted((tuple(r) for r in rows), reverse=True):
            for stage in range(1, reached + 1):
                splits[stage] = min(splits.get(stage, seconds), seconds)
        return splits

    def best_time(self, slug: str) -> float | None:
        """The fastest time from start to a full pass of this kata."""
        row = self.conn.execute(
            """SELECT MIN(since_start_s) FROM checks
               WHERE slug = ? AND passed = 1 AND since_start_s IS NOT NULL""",
            (slug,)).fetchone()
        return row[0]

    def ever_passed(self, slug: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM checks WHERE slug = ? AND passed = 1 LIMIT 1", (slug,)).fetchone()
        return row is not None

    def checks(self, slug: str | None = None) -> list[sqlite3.Row]:
        if slug is None:
            return self.conn.execute("SELECT * FROM checks ORDER BY checked_at, id").fetchall()
        return self.conn.execute(
            "SELECT * FROM checks WHERE slug = ? ORDER BY checked_at, id", (slug,)).fetchall()

    def checks_of(self, start: Start) -> list[sqlite3.Row]:
        """Every check of one start, oldest first, with its source when one is stored."""
        return self.conn.execute(
            """SELECT checks.*, sources.text AS source FROM checks
               LEFT JOIN sources ON sources.sha256 = checks.file_sha256
               WHERE start_id = ? ORDER BY checked_at, checks.id""", (start.id,)).fetchall()

    def passing_sources(self, slug: str, limit: int) -> list[sqlite3.Row]:
        """The latest distinct sources of this kata that passed, newest first."""
        return self.conn.execute(
            """SELECT checks.file_sha256 AS sha256, sources.text AS text,
                      MAX(checks.checked_at) AS checked_at FROM checks
               JOIN sources ON sources.sha256 = checks.file_sha256
               WHERE checks.slug = ? AND checks.passed = 1
               GROUP BY checks.file_sha256 ORDER BY checked_at DESC LIMIT ?""",
            (slug, limit)).fetchall()

    def forget_sources(self, slug: str) -> int:
        """Delete every stored source of this kata's checks, even one that a check of another
        kata has too (forgotten means gone); returns how many. Results are kept."""
        with _transaction(self.conn):
            cur = self.conn.execute(
                """DELETE FROM sources WHERE sha256 IN
                       (SELECT file_sha256 FROM checks WHERE slug = ?)""", (slug,))
        return cur.rowcount

    def starts(self, slug: str | None = None) -> list[Start]:
        rows = self.conn.execute(
            "SELECT * FROM starts" + (" WHERE slug = ?" if slug else "") +
            " ORDER BY started_at, id", (slug,) if slug else ()).fetchall()
        return [Start(**dict(r)) for r in rows]

    # -- hints -----------------------------------------------------------------

    def take_hint(self, start: Start, stage: int) -> int:
        """Count one more hint shown for this stage; returns how many now (1-based)."""
        with _transaction(self.conn):
            self.conn.execute(
                """INSERT INTO hints (start_id, stage, shown) VALUES (?, ?, 1)
                   ON CONFLICT (start_id, stage) DO UPDATE SET shown = shown + 1""",
                (start.id, stage))
            row = self.conn.execute(
                "SELECT shown FROM hints WHERE start_id = ? AND stage = ?",
                (start.id, stage)).fetchone()
        return row[0]


class _transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on error (autocommit connection)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date, one version per transaction."""
    while True:
        with _transaction(conn):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= len(MIGRATIONS):
                return
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
