"""The SQLite schema, versioned: an ordered list of migration steps, the version kept in `PRAGMA user_version`.

Step N (1-based) takes a database from version N-1 to version N. Opening a store applies the steps it lacks,
all in one `BEGIN IMMEDIATE` transaction, so a crash mid-migration leaves the old version intact. A database
whose version is newer than `SCHEMA_VERSION` is refused rather than misread. Never edit a released step:
append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from .base import StoreError

APPLICATION_ID = 0x53544C4E  # "STLN": marks a file as a storyline database (PRAGMA application_id)
BUSY_TIMEOUT_MS = 10_000

PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -32000",  # 32 MB page cache
)


@dataclass(frozen=True)
class Migration:
    """One schema step: a SQL script (statements separated by `;`, triggers allowed) or a function."""

    description: str
    apply: str | Callable[[sqlite3.Connection], None]


_V1 = """
CREATE TABLE runs (
    id          TEXT PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    args        TEXT NOT NULL DEFAULT '{}',   -- JSON
    counts      TEXT                          -- JSON, set when the run finishes
);

-- `seq` is the ingest order and the FTS rowid (an INTEGER PRIMARY KEY, so VACUUM never renumbers it);
-- `id` is the content id (records.content_id), unique.
CREATE TABLE articles (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    source             TEXT NOT NULL,
    url                TEXT,
    outlet             TEXT,
    wire               TEXT,
    title              TEXT,
    text               TEXT NOT NULL,
    language           TEXT,
    published_date     TEXT,
    published_earliest TEXT,
    published_latest   TEXT,
    published_evidence TEXT NOT NULL DEFAULT '',
    body               TEXT NOT NULL DEFAULT '[]',  -- JSON [[start, end], ...]
    meta               TEXT NOT NULL DEFAULT '{}',  -- JSON
    errors             TEXT NOT NULL DEFAULT '[]',  -- JSON, stage errors met while analysing
    run_id             TEXT REFERENCES runs(id),
    ingested_at        TEXT NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text,
    content = 'articles', content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;

CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;

-- One row per input per run: the accounting (stored / duplicate / rejected).
CREATE TABLE inputs (
    id         INTEGER PRIMARY KEY,
    run_id     TEXT REFERENCES runs(id),
    seq        INTEGER NOT NULL,                -- order within the run
    source     TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'rejected')),
    article_id TEXT REFERENCES articles(id),    -- stored: the new article; duplicate: the one it repeats
    reason     TEXT,
    code       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX inputs_run ON inputs(run_id, seq);
CREATE INDEX inputs_source ON inputs(source);

CREATE TABLE stories (
    id         TEXT PRIMARY KEY,
    level      TEXT NOT NULL CHECK (level IN ('event', 'storyline')),
    label      TEXT NOT NULL DEFAULT '',
    "first"    TEXT,
    "last"     TEXT,
    size       INTEGER NOT NULL DEFAULT 0,      -- number of articles, for "largest first"
    updated_at TEXT NOT NULL
);
CREATE INDEX stories_level_size ON stories(level, size DESC, id);

CREATE TABLE story_articles (
    story_id   TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL REFERENCES articles(id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (story_id, article_id)
) WITHOUT ROWID;
CREATE INDEX story_articles_article ON story_articles(article_id);

CREATE TABLE story_terms (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    term     TEXT NOT NULL,
    weight   REAL NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;
CREATE INDEX story_terms_term ON story_terms(term, story_id);
"""

_V2 = """
-- Canonical entities (people, organisations, places) and every mention of them, with offsets.
CREATE TABLE entities (
    id         TEXT PRIMARY KEY,
    canonical  TEXT NOT NULL,
    type       TEXT NOT NULL,
    mentions   INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL DEFAULT '{}',      -- JSON: variants {form: count}, roles, country, wikidata
    updated_at TEXT NOT NULL
);
CREATE INDEX entities_canonical ON entities(canonical COLLATE NOCASE);
CREATE INDEX entities_type ON entities(type, mentions DESC);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    type       TEXT NOT NULL,
    entity_id  TEXT,
    data       TEXT NOT NULL DEFAULT '{}',      -- JSON: the stage's whole record
    PRIMARY KEY (article_id, start, "end")
) WITHOUT ROWID;
CREATE INDEX mentions_entity ON mentions(entity_id, article_id);

-- Other extracted facts, one row per item: quotes, temporal expressions, events. `key` is what they are
-- looked up by (a quote's speaker entity, a time's value, an event's type).
CREATE TABLE facts (
    article_id TEXT NOT NULL REFERENCES articles(id),
    kind       TEXT NOT NULL CHECK (kind IN ('quote', 'time', 'event')),
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    key        TEXT,
    data       TEXT NOT NULL,                   -- JSON: the stage's whole record
    PRIMARY KEY (article_id, kind, start, "end")
) WITHOUT ROWID;
CREATE INDEX facts_kind_key ON facts(kind, key);

-- Learned state that must survive between runs (per-outlet boilerplate, the entity resolver...).
CREATE TABLE state (
    name       TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

_V3 = """
-- Near-duplicate detection (storyline.dedup). The MinHash LSH band index: one row per band of each article's
-- signature, looked up by (band, hash) through the primary key. Articles are referenced by `seq` (an integer:
-- half the size of the text id in the largest table of this step).
CREATE TABLE lsh_bands (
    band        INTEGER NOT NULL,
    hash        INTEGER NOT NULL,                 -- 31-bit hash of the band's MinHash values
    article_seq INTEGER NOT NULL REFERENCES articles(seq),
    PRIMARY KEY (band, hash, article_seq)
) WITHOUT ROWID;

-- Syndicated copies: each copy points to its original (the earliest published, else earliest ingested, of
-- its group of copies); an original has no row. kind: exact (same normalised body), reheadlined (same body,
-- other title), near (Jaccard of the bodies' shingles), contained (the smaller body inside the larger).
CREATE TABLE copies (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id),
    original_id TEXT NOT NULL REFERENCES articles(id),
    kind        TEXT NOT NULL CHECK (kind IN ('exact', 'reheadlined', 'near', 'contained')),
    score       REAL NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (original_id <> article_id)
) WITHOUT ROWID;
CREATE INDEX copies_original ON copies(original_id, article_id);
"""

_V4 = """
-- Grouping (storyline.cluster). What the grouper read from each article (JSON: publication interval, weighted
-- entity or term keys, lead happenings), so a new article is compared with earlier ones without re-reading
-- their facts.
CREATE TABLE grouping_evidence (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    data       TEXT NOT NULL
) WITHOUT ROWID;

-- The candidate index: one row per lookup key of an article (an entity, term or happening key) at the day it
-- is filed under (ordinal). A lookup reads, per key, the rows of a bounded date window nearest in time, so
-- its cost does not grow with the number of stored articles.
CREATE TABLE grouping_keys (
    key        TEXT NOT NULL,
    day        INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (key, day, article_id)
) WITHOUT ROWID;

-- Appending to a story reads its last position: through this index, not over all its members.
CREATE INDEX story_articles_position ON story_articles(story_id, position);

-- In how many grouped articles each evidence key occurs (the key '' counts the articles): rare keys weigh more
-- when articles are compared with storylines.
CREATE TABLE grouping_df (
    key TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;
"""

_V5 = """
-- Learned state in parts: a stage that learns much (the entity resolver) saves only the parts a batch changed
-- (one row per entity...), not its whole state after every batch. A state saved whole is the part with the
-- empty key. The version 4 table (one row per state) becomes the empty-key parts.
ALTER TABLE state RENAME TO state_v4;
CREATE TABLE state (
    name       TEXT NOT NULL,
    key        TEXT NOT NULL DEFAULT '',
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name, key)
);
INSERT INTO state (name, key, data, updated_at) SELECT name, '', data, updated_at FROM state_v4;
DROP TABLE state_v4;
"""

MIGRATIONS: list[Migration] = [
    Migration("initial schema: runs, articles + FTS5, inputs, stories, story_articles, story_terms", _V1),
    Migration("extracted facts: entities, mentions, facts (quotes, times, events); learned state", _V2),
    Migration("near-duplicates: the MinHash LSH band index (lsh_bands) and syndicated copies (copies)", _V3),
    Migration("grouping: per-article evidence, the candidate index, key frequencies (grouping_*)", _V4),
    Migration("learned state in parts (state keyed by name and part key)", _V5),
]

SCHEMA_VERSION = len(MIGRATIONS)


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (semicolons inside triggers and strings are kept)."""
    statements: list[str] = []
    buf = ""
    for piece in script.split(";"):
        buf += piece + ";"
        if sqlite3.complete_statement(buf):
            if buf.strip(" \t\r\n;"):
                statements.append(buf.strip())
            buf = ""
    if buf.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement in migration: {buf.strip()[:80]!r}")
    return statements


def configure(conn: sqlite3.Connection) -> None:
    """Per-connection settings. The first statement reads the file header, so a file that is not a SQLite
    database fails here."""
    for pragma in PRAGMAS:
        conn.execute(pragma)


def user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, path: str, migrations: list[Migration] | None = None) -> int:
    """Bring the database at `path` to the latest version; returns the number of steps applied.
    `conn` must be in autocommit mode (isolation_level=None)."""
    migrations = MIGRATIONS if migrations is None else migrations
    latest = len(migrations)
    current = _check(conn, path, latest)
    if current == latest:
        return 0  # the common case: no write lock taken, so opening never waits on a writer
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = _check(conn, path, latest)  # another process may have migrated while we waited
        for step in migrations[current:]:
            if callable(step.apply):
                step.apply(conn)
            else:
                for statement in split_statements(step.apply):
                    conn.execute(statement)
        if current < latest:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {latest}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return latest - current


def _check(conn: sqlite3.Connection, path: str, latest: int) -> int:
    version = user_version(conn)
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(f"{path} is a SQLite database of another application (application_id {app_id:#x}), not a storyline database")
    if version > latest:
        raise StoreError(
            f"{path} has schema version {version}, newer than this storyline understands (version {latest}); "
            "upgrade storyline to open it"
        )
    if version == 0:
        tables = conn.execute(
            "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 5"
        ).fetchall()
        if tables:
            names = ", ".join(t[0] for t in tables)
            raise StoreError(f"{path} is a SQLite database but not a storyline database (it holds: {names})")
    return version
