"""The SQLite backend: one file, WAL journal, every write inside a transaction.

One connection serves both writing and reading, so reads issued inside an open batch (the grouper's
candidate lookups) see that batch's uncommitted writes. A re-entrant lock keeps other threads of the same
process out while a batch is open: they never see a half-written batch. Other processes see only committed
batches (WAL readers), and a SIGKILL at any moment loses at most the open batch.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from ..records import Article, Published, Rejection, Story
from . import schema, sqlite_copies, sqlite_facts, sqlite_grouping, sqlite_state
from .base import Batch, CopyLink, IngestOutcome, Store, StoreError
from .sqlite_params import chunks, placeholders

PAGE_SIZE = 500  # rows fetched per page when iterating articles
SNIPPET_OPEN = "**"  # search snippets mark matched words like **this**
SNIPPET_CLOSE = "**"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 24
TITLE_WEIGHT = 2.0  # bm25 weight of a title match relative to a body match

_ARTICLE_COLUMNS = (
    "id, source, text, title, language, published_date, published_earliest, published_latest, "
    "published_evidence, outlet, wire, url, body, meta"
)
_STORY_COLUMNS = 'id, level, label, "first", "last"'
_OUTCOME_COLUMNS = "source, status, article_id, reason, code"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))




def _article(row: Sequence[Any]) -> Article:
    (aid, source, text, title, language, p_date, p_earliest, p_latest, p_evidence, outlet, wire, url, body, meta) = row
    return Article(
        id=aid,
        source=source,
        text=text,
        title=title,
        language=language,
        published=Published(date=p_date, earliest=p_earliest, latest=p_latest, evidence=p_evidence),
        outlet=outlet,
        wire=wire,
        url=url,
        body=tuple(tuple(r) for r in json.loads(body)),
        meta=json.loads(meta),
    )


def _outcome(row: Sequence[Any]) -> IngestOutcome:
    return IngestOutcome(source=row[0], status=row[1], article_id=row[2], reason=row[3], code=row[4])


_WORD = re.compile(r"\w")


_OPERATORS = frozenset({"AND", "OR", "NOT"})


def quote_query(query: str) -> str:
    """A user query made safe for FTS5 MATCH: each white-space separated chunk becomes a quoted phrase
    (so `covid-19` matches the words "covid 19" next to each other) and chunks without a word are dropped;
    AND / OR / NOT stay operators between two phrases and are dropped where they would dangle."""
    out: list[str] = []
    pending: str | None = None
    for chunk in query.split():
        if chunk in _OPERATORS:
            pending = chunk if out else None
        elif _WORD.search(chunk):
            if pending:
                out.append(pending)
                pending = None
            out.append('"' + chunk.replace('"', '""') + '"')
    return " ".join(out)


class SQLiteBatch(Batch):
    """The writes of one open transaction. Only valid inside its `with store.batch()` block."""

    def __init__(self, store: SQLiteStore, run_id: str | None, first_seq: int, now: str):
        self._store = store
        self._conn = store._conn
        self.run_id = run_id
        self._seq = first_seq
        self._now = now
        self.closed = False

    def _check_open(self) -> sqlite3.Connection:
        if self.closed:
            raise StoreError("this batch is closed: write inside its `with store.batch()` block")
        return self._conn

    def _record(self, source: str, status: str, article_id: str | None, reason: str | None, code: str | None) -> IngestOutcome:
        self._seq += 1
        self._conn.execute(
            "INSERT INTO inputs (run_id, seq, source, status, article_id, reason, code, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (self.run_id, self._seq, source, status, article_id, reason, code, self._now),
        )
        return IngestOutcome(source=source, status=status, article_id=article_id, reason=reason, code=code)  # type: ignore[arg-type]

    def add_article(self, article: Article, errors: list[dict[str, str]] | None = None) -> IngestOutcome:
        conn = self._check_open()
        try:
            row = conn.execute("SELECT source FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is not None:
                existing = row[0]
                reason = f"already stored from {existing}" if existing == article.source else f"same content as {existing}"
                return self._record(article.source, "duplicate", article.id, reason, None)
            p = article.published
            conn.execute(
                "INSERT INTO articles (id, source, url, outlet, wire, title, text, language, published_date, "
                "published_earliest, published_latest, published_evidence, body, meta, errors, run_id, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.source,
                    article.url,
                    article.outlet,
                    article.wire,
                    article.title,
                    article.text,
                    article.language,
                    p.date,
                    p.earliest,
                    p.latest,
                    p.evidence or "",
                    _json([list(r) for r in article.body]),
                    _json(article.meta),
                    _json(errors or []),
                    self.run_id,
                    self._now,
                ),
            )
            return self._record(article.source, "stored", article.id, None, None)
        except sqlite3.Error as e:
            raise StoreError(f"cannot store {article.source}: {e}") from e

    def add_rejection(self, rejection: Rejection) -> IngestOutcome:
        self._check_open()
        try:
            return self._record(rejection.source, "rejected", None, rejection.reason, rejection.code)
        except sqlite3.Error as e:
            raise StoreError(f"cannot record rejection of {rejection.source}: {e}") from e

    def set_story(self, story: Story, terms: dict[str, float] | None = None) -> None:
        """Create or replace `story`. Its article list and (unless `terms` is None) its terms are replaced;
        only the rows that changed are written, so growing a large story stays cheap."""
        conn = self._check_open()
        members = list(dict.fromkeys(story.articles))  # order kept, repeats dropped
        try:
            conn.execute(
                'INSERT INTO stories (id, level, label, "first", "last", size, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) '
                'ON CONFLICT(id) DO UPDATE SET level = excluded.level, label = excluded.label, "first" = excluded."first", '
                '"last" = excluded."last", size = excluded.size, updated_at = excluded.updated_at',
                (story.id, story.level, story.label or "", story.first, story.last, len(members), self._now),
            )
            old = dict(conn.execute("SELECT article_id, position FROM story_articles WHERE story_id = ?", (story.id,)))
            new = {aid: i for i, aid in enumerate(members)}
            gone = [(story.id, aid) for aid in old if aid not in new]
            if gone:
                conn.executemany("DELETE FROM story_articles WHERE story_id = ? AND article_id = ?", gone)
            moved = [(pos, story.id, aid) for aid, pos in new.items() if aid in old and old[aid] != pos]
            if moved:
                conn.executemany("UPDATE story_articles SET position = ? WHERE story_id = ? AND article_id = ?", moved)
            added = [(story.id, aid, pos) for aid, pos in new.items() if aid not in old]
            if added:
                conn.executemany("INSERT INTO story_articles (story_id, article_id, position) VALUES (?, ?, ?)", added)
            if terms is not None:
                self._write_terms(story.id, terms)
        except sqlite3.Error as e:
            raise StoreError(f"cannot store story {story.id}: {e}") from e

    def add_to_story(self, story: Story, article_id: str, terms: dict[str, float] | None = None) -> None:
        """Append one article to `story` (created if new) and update its label, dates and (unless None) terms.
        Costs the same whatever the story's size: its other members are neither read nor rewritten."""
        conn = self._check_open()
        try:
            conn.execute(
                'INSERT INTO stories (id, level, label, "first", "last", size, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?) '
                'ON CONFLICT(id) DO UPDATE SET label = excluded.label, "first" = excluded."first", '
                '"last" = excluded."last", updated_at = excluded.updated_at',
                (story.id, story.level, story.label or "", story.first, story.last, self._now),
            )
            added = conn.execute(
                "INSERT OR IGNORE INTO story_articles (story_id, article_id, position) "
                "SELECT ?, ?, COALESCE(MAX(position) + 1, 0) FROM story_articles WHERE story_id = ?",
                (story.id, article_id, story.id),
            ).rowcount
            if added:
                conn.execute("UPDATE stories SET size = size + 1 WHERE id = ?", (story.id,))
            if terms is not None:
                self._write_terms(story.id, terms)
        except sqlite3.Error as e:
            raise StoreError(f"cannot add {article_id} to story {story.id}: {e}") from e

    def _write_terms(self, story_id: str, terms: dict[str, float]) -> None:
        """Replace a story's index terms, writing only the rows that changed."""
        conn = self._conn
        old_terms = dict(conn.execute("SELECT term, weight FROM story_terms WHERE story_id = ?", (story_id,)))
        dropped = [(story_id, t) for t in old_terms if t not in terms]
        if dropped:
            conn.executemany("DELETE FROM story_terms WHERE story_id = ? AND term = ?", dropped)
        changed = [(story_id, t, float(w)) for t, w in terms.items() if old_terms.get(t) != float(w)]
        if changed:
            conn.executemany(
                "INSERT INTO story_terms (story_id, term, weight) VALUES (?, ?, ?) "
                "ON CONFLICT(story_id, term) DO UPDATE SET weight = excluded.weight",
                changed,
            )

    def add_evidence(self, article_id: str, data: dict[str, Any], keys: Iterable[tuple[str, int]]) -> None:
        conn = self._check_open()
        try:
            sqlite_grouping.write_evidence(conn, article_id, data, keys)
        except sqlite3.Error as e:
            raise StoreError(f"cannot index {article_id} for grouping: {e}") from e

    def add_story_terms(self, story_id: str, terms: dict[str, float], max_terms: int) -> None:
        conn = self._check_open()
        try:
            sqlite_grouping.add_story_terms(conn, story_id, terms, max_terms)
        except sqlite3.Error as e:
            raise StoreError(f"cannot add terms to story {story_id}: {e}") from e

    def merge_stories(self, keep: str, gone: str, max_terms: int) -> None:
        conn = self._check_open()
        try:
            sqlite_grouping.merge_stories(conn, keep, gone, max_terms)
        except sqlite3.Error as e:
            raise StoreError(f"cannot merge story {gone} into {keep}: {e}") from e

    def add_facts(self, article_id: str, kind: str, items: Iterable[dict[str, Any]]) -> None:
        conn = self._check_open()
        try:
            sqlite_facts.write_facts(conn, article_id, kind, items, self._now)
        except sqlite3.Error as e:
            raise StoreError(f"cannot store {kind} facts of {article_id}: {e}") from e

    def set_state(self, name: str, data: Any) -> None:
        conn = self._check_open()
        try:
            sqlite_state.write_whole(conn, name, data, self._now)
        except sqlite3.Error as e:
            raise StoreError(f"cannot save state {name!r}: {e}") from e

    def update_state(self, name: str, parts: dict[str, Any], deleted: Iterable[str] = ()) -> None:
        conn = self._check_open()
        try:
            sqlite_state.write_parts(conn, name, parts, deleted, self._now)
        except sqlite3.Error as e:
            raise StoreError(f"cannot save state {name!r}: {e}") from e

    def merge_entities(self, redirects: dict[str, str]) -> None:
        conn = self._check_open()
        try:
            sqlite_facts.merge_entities(conn, redirects, self._now)
        except sqlite3.Error as e:
            raise StoreError(f"cannot merge entities: {e}") from e

    def add_signature(self, article_id: str, bands: Iterable[tuple[int, int]]) -> None:
        conn = self._check_open()
        try:
            sqlite_copies.write_signature(conn, article_id, bands)
        except sqlite3.Error as e:
            raise StoreError(f"cannot index {article_id}: {e}") from e

    def set_copy(self, article_id: str, original_id: str, kind: str, score: float) -> None:
        conn = self._check_open()
        try:
            sqlite_copies.write_copy(conn, article_id, original_id, kind, score, self._now)
        except sqlite3.Error as e:
            raise StoreError(f"cannot record {article_id} as a copy of {original_id}: {e}") from e


class SQLiteStore(Store):
    """A storyline database in one SQLite file (created and migrated on open)."""

    def __init__(self, path: str):
        self.path = str(path)
        self._lock = threading.RLock()
        self._closed = False
        folder = os.path.dirname(os.path.abspath(self.path))
        if self.path != ":memory:" and not self.path.startswith("file:") and not os.path.isdir(folder):
            raise StoreError(f"cannot open {self.path}: folder {folder} does not exist")
        try:
            self._conn = sqlite3.connect(
                self.path,
                timeout=schema.BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,  # autocommit: transactions are explicit BEGIN IMMEDIATE ... COMMIT
                check_same_thread=False,
                cached_statements=256,
            )
        except sqlite3.Error as e:
            raise StoreError(f"cannot open {self.path}: {e}") from e
        try:
            schema.configure(self._conn)
            schema.migrate(self._conn, self.path)
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.DatabaseError as e:
            self._conn.close()
            if getattr(e, "sqlite_errorname", "") == "SQLITE_NOTADB" or "not a database" in str(e):
                raise StoreError(f"{self.path} is not a SQLite database (so not a storyline database)") from e
            raise StoreError(f"cannot open {self.path}: {e}") from e

    # -- transactions ------------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, or the already open one (a batch) when called from inside it."""
        with self._lock:
            conn = self._conn
            if conn.in_transaction:
                yield conn
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise StoreError(f"cannot write to {self.path}: {e}") from e
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.Error):
                    raise StoreError(f"cannot write to {self.path}: {e}") from e
                raise

    @contextmanager
    def batch(self, run_id: str | None = None) -> Iterator[SQLiteBatch]:
        with self._lock:
            if self._conn.in_transaction:
                raise StoreError("a batch is already open on this store (batches do not nest)")
            with self._transaction() as conn:
                if run_id is not None:
                    conn.execute(
                        "INSERT OR IGNORE INTO runs (id, started_at, args) VALUES (?, ?, '{}')", (run_id, _now())
                    )
                last = conn.execute("SELECT MAX(seq) FROM inputs WHERE run_id IS ?", (run_id,)).fetchone()[0]
                batch = SQLiteBatch(self, run_id, last or 0, _now())
                try:
                    yield batch
                finally:
                    batch.closed = True

    def start_run(self, args: dict[str, Any]) -> str:
        run_id = time.strftime("%Y%m%d-%H%M%S", time.gmtime()) + "-" + secrets.token_hex(3)
        with self._transaction() as conn:
            conn.execute("INSERT INTO runs (id, started_at, args) VALUES (?, ?, ?)", (run_id, _now(), _json(args)))
        return run_id

    def finish_run(self, run_id: str, counts: dict[str, int]) -> None:
        with self._transaction() as conn:
            cur = conn.execute(
                "UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?", (_now(), _json(counts), run_id)
            )
            if cur.rowcount == 0:
                raise StoreError(f"no run {run_id!r} in {self.path}")

    def run(self, run_id: str) -> dict[str, Any] | None:
        """A run's record: id, started_at, finished_at, args, counts (None until finished)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT id, started_at, finished_at, args, counts FROM runs WHERE id = ?", (run_id,)
            ).fetchone()
        if row is None:
            return None
        return {
            "id": row[0],
            "started_at": row[1],
            "finished_at": row[2],
            "args": json.loads(row[3]),
            "counts": json.loads(row[4]) if row[4] is not None else None,
        }

    # -- articles ----------------------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self, limit: int | None = None, offset: int = 0) -> Iterator[Article]:
        """Articles in ingest order, read page by page (keyset pagination after the first page)."""
        remaining = limit
        with self._lock:
            rows = self._conn.execute(
                f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles ORDER BY seq LIMIT ? OFFSET ?",
                (PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining), max(offset, 0)),
            ).fetchall()
        while rows:
            for row in rows:
                yield _article(row[1:])
            if remaining is not None:
                remaining -= len(rows)
                if remaining <= 0:
                    return
            last_seq = rows[-1][0]
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT seq, {_ARTICLE_COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
                    (last_seq, PAGE_SIZE if remaining is None else min(PAGE_SIZE, remaining)),
                ).fetchall()

    def count_articles(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def search(self, query: str, limit: int = 20) -> list[tuple[Article, str]]:
        """Full-text search, best first (bm25, titles weigh more). FTS5 syntax works (`a OR b`, `title:x`,
        `pref*`, `"a phrase"`); a query FTS5 cannot parse is retried with each chunk quoted as a phrase."""
        if not query or not query.strip() or limit <= 0:
            return []
        sql = (
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))}, "
            f"snippet(articles_fts, 1, ?, ?, ?, {SNIPPET_TOKENS}) "
            "FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid "
            f"WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, {TITLE_WEIGHT}, 1.0), a.seq LIMIT ?"
        )
        with self._lock:
            try:
                rows = self._conn.execute(sql, (SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS, query, limit)).fetchall()
            except sqlite3.OperationalError:
                quoted = quote_query(query)
                if not quoted:
                    return []
                try:
                    rows = self._conn.execute(
                        sql, (SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS, quoted, limit)
                    ).fetchall()
                except sqlite3.OperationalError:
                    return []
        return [(_article(row[:-1]), row[-1]) for row in rows]

    # -- stories -----------------------------------------------------------------------------------
    def _members(self, story_ids: Sequence[str]) -> dict[str, list[str]]:
        members: dict[str, list[str]] = {sid: [] for sid in story_ids}
        for chunk in chunks(list(story_ids)):
            rows = self._conn.execute(
                f"SELECT story_id, article_id FROM story_articles WHERE story_id IN ({placeholders(len(chunk))}) "
                "ORDER BY story_id, position",
                tuple(chunk),
            )
            for sid, aid in rows:
                members[sid].append(aid)
        return members

    def _stories_by_id(self, story_ids: Sequence[str], with_members: bool = True) -> dict[str, Story]:
        out: dict[str, Story] = {}
        members = self._members(story_ids) if with_members else {sid: [] for sid in story_ids}
        for chunk in chunks(list(story_ids)):
            rows = self._conn.execute(
                f"SELECT {_STORY_COLUMNS} FROM stories WHERE id IN ({placeholders(len(chunk))})", tuple(chunk)
            )
            for sid, level, label, first, last in rows:
                out[sid] = Story(id=sid, level=level, label=label, articles=members[sid], first=first, last=last)
        return out

    def stories(self, level: str | None = None) -> list[Story]:
        with self._lock:
            where, params = ("WHERE s.level = ?", (level,)) if level is not None else ("", ())
            rows = self._conn.execute(
                f'SELECT s.id, s.level, s.label, s."first", s."last" FROM stories AS s {where} ORDER BY s.size DESC, s.id',
                params,
            ).fetchall()
            members: dict[str, list[str]] = {r[0]: [] for r in rows}
            for sid, aid in self._conn.execute(
                f"SELECT sa.story_id, sa.article_id FROM story_articles AS sa JOIN stories AS s ON s.id = sa.story_id "
                f"{where} ORDER BY sa.story_id, sa.position",
                params,
            ):
                members[sid].append(aid)
        return [Story(id=r[0], level=r[1], label=r[2], articles=members[r[0]], first=r[3], last=r[4]) for r in rows]

    def story(self, story_id: str) -> Story | None:
        with self._lock:
            return self._stories_by_id([story_id]).get(story_id)

    def stories_of(self, article_id: str) -> list[str]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT sa.story_id FROM story_articles AS sa JOIN stories AS s ON s.id = sa.story_id "
                "WHERE sa.article_id = ? ORDER BY s.level, sa.story_id",
                (article_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def story_terms(self, story_id: str) -> dict[str, float]:
        """The index terms of one story with their weights."""
        with self._lock:
            return dict(self._conn.execute("SELECT term, weight FROM story_terms WHERE story_id = ?", (story_id,)))

    def stories_by_id(self, story_ids: Sequence[str], with_members: bool = False) -> dict[str, Story]:
        with self._lock:
            return self._stories_by_id(list(dict.fromkeys(story_ids)), with_members=with_members)

    def grouping_evidence(self, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        with self._lock:
            return sqlite_grouping.read_evidence(self._conn, article_ids)

    def grouping_candidates(self, lookups: Sequence[tuple[str, int, int]], per_key: int) -> list[tuple[int, str]]:
        with self._lock:
            return sqlite_grouping.read_candidates(self._conn, list(lookups), per_key)

    def story_of(self, article_ids: Iterable[str], level: str) -> dict[str, str]:
        with self._lock:
            return sqlite_grouping.read_story_of(self._conn, article_ids, level)

    def key_frequencies(self, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
        with self._lock:
            return sqlite_grouping.read_frequencies(self._conn, list(keys))

    def top_terms(self, story_id: str, limit: int) -> list[str]:
        with self._lock:
            return sqlite_grouping.read_top_terms(self._conn, story_id, limit)

    def story_sizes(self, story_ids: Sequence[str]) -> dict[str, int]:
        with self._lock:
            return sqlite_grouping.read_story_sizes(self._conn, list(story_ids))

    def member_sources(self, article_ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
        with self._lock:
            return sqlite_grouping.read_member_sources(self._conn, article_ids)

    def entity_names(self, entity_ids: Iterable[str]) -> dict[str, str]:
        with self._lock:
            return sqlite_grouping.read_entity_names(self._conn, entity_ids)

    # -- accounting --------------------------------------------------------------------------------
    def rejections(self) -> list[IngestOutcome]:
        """Sources whose latest outcome (over all runs) is a rejection, ordered by source."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {', '.join('i.' + c.strip() for c in _OUTCOME_COLUMNS.split(','))} FROM inputs AS i "
                "JOIN (SELECT source, MAX(id) AS id FROM inputs GROUP BY source) AS latest ON latest.id = i.id "
                "WHERE i.status = 'rejected' ORDER BY i.source"
            ).fetchall()
        return [_outcome(r) for r in rows]

    def outcomes(self, run_id: str | None = None) -> list[IngestOutcome]:
        with self._lock:
            if run_id is None:
                rows = self._conn.execute(f"SELECT {_OUTCOME_COLUMNS} FROM inputs ORDER BY id").fetchall()
            else:
                rows = self._conn.execute(
                    f"SELECT {_OUTCOME_COLUMNS} FROM inputs WHERE run_id = ? ORDER BY seq, id", (run_id,)
                ).fetchall()
        return [_outcome(r) for r in rows]

    # -- extracted facts -------------------------------------------------------------------------------
    def state(self, name: str) -> Any | None:
        with self._lock:
            return sqlite_state.read_whole(self._conn, name)

    def state_parts(self, name: str) -> dict[str, Any]:
        with self._lock:
            return sqlite_state.read_parts(self._conn, name)

    def entities(self, type: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:  # noqa: A002
        with self._lock:
            return sqlite_facts.read_entities(self._conn, type, limit)

    def entity(self, name_or_id: str) -> dict[str, Any] | None:
        with self._lock:
            return sqlite_facts.read_entity(self._conn, name_or_id)

    def facts(self, kind: str, article_id: str | None = None, key: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return sqlite_facts.read_facts(self._conn, kind, article_id, key)

    # -- near-duplicates ---------------------------------------------------------------------------
    def lsh_candidates(self, bands: Sequence[tuple[int, int]], limit: int = 50) -> list[tuple[str, int]]:
        with self._lock:
            return sqlite_copies.read_candidates(self._conn, bands, limit)

    def copy_of(self, article_id: str) -> CopyLink | None:
        with self._lock:
            return sqlite_copies.read_copy_of(self._conn, article_id)

    def copies_of(self, article_id: str) -> list[CopyLink]:
        with self._lock:
            return sqlite_copies.read_copies_of(self._conn, article_id)

    def copy_links(self, article_ids: Iterable[str]) -> dict[str, CopyLink]:
        with self._lock:
            return sqlite_copies.read_copy_links(self._conn, article_ids)

    def ingest_order(self, article_ids: Iterable[str]) -> dict[str, int]:
        with self._lock:
            return sqlite_copies.read_ingest_order(self._conn, article_ids)

    def wire_credits(self, article_ids: Iterable[str]) -> dict[str, str]:
        with self._lock:
            return sqlite_copies.read_wire_credits(self._conn, article_ids)

    # -- maintenance -------------------------------------------------------------------------------
    def schema_version(self) -> int:
        with self._lock:
            return schema.user_version(self._conn)

    def integrity_check(self) -> str:
        """"ok", or what is wrong: SQLite's own check, foreign keys, then the FTS index against the articles."""
        with self._lock:
            conn = self._conn
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            if problems != ["ok"]:
                return "\n".join(problems)
            violations = conn.execute("PRAGMA foreign_key_check").fetchall()
            if violations:
                shown = "; ".join(f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in violations[:10])
                return f"foreign key violations ({len(violations)}): {shown}"
            try:  # rank = 1: also compare the index with the articles it was built from
                conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as e:
                return f"full-text index does not match the articles ({e}); rebuild it with " \
                    "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')"
        return "ok"

    def close(self) -> None:
        """Close the connection (idempotent); an open batch is rolled back."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._conn.close()
