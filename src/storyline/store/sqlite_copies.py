"""Near-duplicates in SQLite: the MinHash LSH band index and the links from syndicated copies to originals.

`lsh_bands` holds one row per (band, hash) of each indexed article, keyed by the article's `seq`; a lookup
drives the join from the query's bands through the table's primary key (CROSS JOIN fixes that order), so its
cost grows with the number of matching rows, never with the number of stored articles. `copies` holds one row
per copy; originals have none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from .base import CopyLink
from .sqlite_params import MAX_VARIABLES, chunks, placeholders

_LINK_COLUMNS = "c.article_id, c.original_id, c.kind, c.score"



def _link(row: Sequence) -> CopyLink:
    return CopyLink(article_id=row[0], original_id=row[1], kind=row[2], score=float(row[3]))


def write_signature(conn: sqlite3.Connection, article_id: str, bands: Iterable[tuple[int, int]]) -> None:
    row = conn.execute("SELECT seq FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise sqlite3.IntegrityError(f"no article {article_id}")
    conn.executemany(
        "INSERT OR IGNORE INTO lsh_bands (band, hash, article_seq) VALUES (?, ?, ?)",
        [(int(band), int(h), row[0]) for band, h in bands],
    )


def write_copy(conn: sqlite3.Connection, article_id: str, original_id: str, kind: str, score: float, now: str) -> None:
    conn.execute(
        "INSERT INTO copies (article_id, original_id, kind, score, updated_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(article_id) DO UPDATE SET original_id = excluded.original_id, kind = excluded.kind, "
        "score = excluded.score, updated_at = excluded.updated_at",
        (article_id, original_id, kind, float(score), now),
    )


def read_candidates(conn: sqlite3.Connection, bands: Sequence[tuple[int, int]], limit: int) -> list[tuple[str, int]]:
    pairs = list(dict.fromkeys((int(b), int(h)) for b, h in bands))
    if not pairs or limit <= 0:
        return []
    shared: dict[int, int] = {}
    for chunk in chunks(pairs, MAX_VARIABLES // 2):
        values = ",".join("(?, ?)" for _ in chunk)
        params = [x for pair in chunk for x in pair]
        for seq, n in conn.execute(
            f"SELECT l.article_seq, COUNT(*) FROM (VALUES {values}) AS q CROSS JOIN lsh_bands AS l "
            "ON l.band = q.column1 AND l.hash = q.column2 GROUP BY l.article_seq",
            params,
        ):
            shared[seq] = shared.get(seq, 0) + n
    ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    ids: dict[int, str] = {}
    for chunk in chunks([seq for seq, _ in ranked], MAX_VARIABLES):
        ids.update(conn.execute(f"SELECT seq, id FROM articles WHERE seq IN ({placeholders(len(chunk))})", chunk))
    return [(ids[seq], n) for seq, n in ranked if seq in ids]


def read_copy_of(conn: sqlite3.Connection, article_id: str) -> CopyLink | None:
    row = conn.execute(f"SELECT {_LINK_COLUMNS} FROM copies AS c WHERE c.article_id = ?", (article_id,)).fetchone()
    return _link(row) if row else None


def read_copies_of(conn: sqlite3.Connection, original_id: str) -> list[CopyLink]:
    rows = conn.execute(
        f"SELECT {_LINK_COLUMNS} FROM copies AS c JOIN articles AS a ON a.id = c.article_id "
        "WHERE c.original_id = ? ORDER BY a.seq",
        (original_id,),
    ).fetchall()
    return [_link(r) for r in rows]


def read_copy_links(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, CopyLink]:
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, CopyLink] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        for row in conn.execute(
            f"SELECT {_LINK_COLUMNS} FROM copies AS c WHERE c.article_id IN ({placeholders(len(chunk))})", chunk
        ):
            out[row[0]] = _link(row)
    return out


def read_ingest_order(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, int]:
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, int] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        out.update(conn.execute(f"SELECT id, seq FROM articles WHERE id IN ({placeholders(len(chunk))})", chunk))
    return out


def read_wire_credits(conn: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, str] = {}
    for chunk in chunks(ids, MAX_VARIABLES):
        out.update(conn.execute(
            f"SELECT id, wire FROM articles WHERE id IN ({placeholders(len(chunk))}) AND wire IS NOT NULL "
            "AND wire <> ''",
            chunk,
        ))
    return out
