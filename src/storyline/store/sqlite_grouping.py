"""Grouping in SQLite: per-article evidence, the candidate index, and merging two stories.

A candidate lookup is one compound SELECT: per (key, day window), the `per_key` rows nearest the window's end,
read through the primary key of `grouping_keys`. Its cost depends on the number of keys and `per_key`, never
on the number of stored articles.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any
from .sqlite_params import MAX_VARIABLES, chunks, placeholders

MAX_COMPOUND = 200  # SELECTs per compound statement (SQLite allows 500)



def write_evidence(conn: sqlite3.Connection, article_id: str, data: dict[str, Any],
                   keys: Iterable[tuple[str, int]]) -> None:
    conn.execute(
        "INSERT INTO grouping_evidence (article_id, data) VALUES (?, ?) "
        "ON CONFLICT(article_id) DO UPDATE SET data = excluded.data",
        (article_id, json.dumps(data, ensure_ascii=False, separators=(",", ":"))),
    )
    conn.executemany(
        "INSERT OR IGNORE INTO grouping_keys (key, day, article_id) VALUES (?, ?, ?)",
        [(k, int(day), article_id) for k, day in keys],
    )
    conn.executemany(
        "INSERT INTO grouping_df (key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
        [("",), *((k,) for k in sorted(data.get("vector", {})))],
    )


def read_frequencies(conn: sqlite3.Connection, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(number of grouped articles, {key: number of them holding it})."""
    wanted = ["", *keys][:MAX_VARIABLES]
    found = dict(conn.execute(
        f"SELECT key, n FROM grouping_df WHERE key IN ({placeholders(len(wanted))})", wanted
    ).fetchall())
    return found.pop("", 0), found


def read_evidence(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, dict[str, Any]] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        for aid, data in conn.execute(
            f"SELECT article_id, data FROM grouping_evidence WHERE article_id IN ({placeholders(len(chunk))})",
            tuple(chunk),
        ):
            out[aid] = json.loads(data)
    return out


def read_candidates(conn: sqlite3.Connection, lookups: Sequence[tuple[str, int, int]], per_key: int) -> list[tuple[int, str]]:
    """(lookup number, article id) for the articles filed under each (key, first day, last day) of `lookups`, at
    most `per_key` per lookup, the latest days first."""
    out: list[tuple[int, str]] = []
    for start in range(0, len(lookups), MAX_COMPOUND):
        chunk = lookups[start : start + MAX_COMPOUND]
        sql = " UNION ALL ".join(
            "SELECT * FROM (SELECT ?, article_id FROM grouping_keys WHERE key = ? AND day BETWEEN ? AND ? "
            "ORDER BY day DESC LIMIT ?)" for _ in chunk
        )
        params = [x for n, (key, lo, hi) in enumerate(chunk, start) for x in (n, key, int(lo), int(hi), per_key)]
        out.extend(conn.execute(sql, params).fetchall())
    return out


def read_story_of(conn: sqlite3.Connection, article_ids: Iterable[str], level: str) -> dict[str, str]:
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, str] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        out.update(conn.execute(
            # CROSS JOIN: from the articles through their index, never from the (many) stories of the level
            "SELECT sa.article_id, sa.story_id FROM story_articles AS sa CROSS JOIN stories AS s ON s.id = sa.story_id "
            f"WHERE sa.article_id IN ({placeholders(len(chunk))}) AND s.level = ?",
            (*chunk, level),
        ).fetchall())
    return out


def read_story_sizes(conn: sqlite3.Connection, story_ids: Sequence[str]) -> dict[str, int]:
    return dict(conn.execute(
        f"SELECT id, size FROM stories WHERE id IN ({placeholders(len(story_ids))})", tuple(story_ids)
    ).fetchall()) if story_ids else {}


def add_story_terms(conn: sqlite3.Connection, story_id: str, terms: dict[str, float], max_terms: int) -> None:
    """Add `terms` to a story's weights; only the strongest `max_terms` are kept."""
    conn.executemany(
        "INSERT INTO story_terms (story_id, term, weight) VALUES (?, ?, ?) "
        "ON CONFLICT(story_id, term) DO UPDATE SET weight = weight + excluded.weight",
        [(story_id, k, float(w)) for k, w in sorted(terms.items())],
    )
    _trim_terms(conn, story_id, max_terms)


def _trim_terms(conn: sqlite3.Connection, story_id: str, max_terms: int) -> None:
    conn.execute(
        "DELETE FROM story_terms WHERE story_id = ? AND term NOT IN "
        "(SELECT term FROM story_terms WHERE story_id = ? ORDER BY weight DESC, term LIMIT ?)",
        (story_id, story_id, max_terms),
    )


def read_top_terms(conn: sqlite3.Connection, story_id: str, limit: int) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT term FROM story_terms WHERE story_id = ? ORDER BY weight DESC, term LIMIT ?", (story_id, limit)
    )]


def merge_stories(conn: sqlite3.Connection, keep: str, gone: str, max_terms: int) -> None:
    """Move `gone`'s articles (after `keep`'s) and term weights (summed, the strongest `max_terms` kept) into
    `keep`, then delete `gone`. `keep`'s label and dates are the caller's to update."""
    offset = conn.execute("SELECT COALESCE(MAX(position) + 1, 0) FROM story_articles WHERE story_id = ?", (keep,)).fetchone()[0]
    moved = conn.execute(
        "UPDATE OR IGNORE story_articles SET story_id = ?, position = position + ? WHERE story_id = ?", (keep, offset, gone)
    ).rowcount
    conn.execute(
        "INSERT INTO story_terms (story_id, term, weight) SELECT ?, term, weight FROM story_terms WHERE story_id = ? "
        "AND true ON CONFLICT(story_id, term) DO UPDATE SET weight = weight + excluded.weight",
        (keep, gone),
    )
    _trim_terms(conn, keep, max_terms)
    conn.execute("UPDATE stories SET size = size + ? WHERE id = ?", (moved, keep))
    conn.execute("DELETE FROM stories WHERE id = ?", (gone,))  # its leftover terms and rows go by cascade


def read_member_sources(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, tuple[str | None, str | None]]:
    """Article id -> (outlet, language)."""
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, tuple[str | None, str | None]] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        for aid, outlet, language in conn.execute(
            f"SELECT id, outlet, language FROM articles WHERE id IN ({placeholders(len(chunk))})", tuple(chunk)
        ):
            out[aid] = (outlet, language)
    return out


def read_entity_names(conn: sqlite3.Connection, entity_ids: Iterable[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(entity_ids))
    out: dict[str, str] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        out.update(conn.execute(
            f"SELECT id, canonical FROM entities WHERE id IN ({placeholders(len(chunk))})", tuple(chunk)
        ).fetchall())
    return out
