"""Learned state in SQLite (per-outlet boilerplate, the entity resolver), as parts.

A state is a set of parts, each a JSON value under a key: a stage that learns much saves only the parts a batch
changed (`write_parts`: one row per changed entity), so saving costs what the batch changed, not what the stage
holds. A state saved whole (`write_whole`) is the part with the empty key; saving parts replaces it (a stage
that read a whole state of an older version writes all its parts once).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

WHOLE = ""  # the key of a state saved whole


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_whole(conn: sqlite3.Connection, name: str, data: Any, now: str) -> None:
    conn.execute("DELETE FROM state WHERE name = ? AND key <> ?", (name, WHOLE))
    conn.execute(
        "INSERT INTO state (name, key, data, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        (name, WHOLE, _json(data), now),
    )


def write_parts(conn: sqlite3.Connection, name: str, parts: dict[str, Any], deleted: Iterable[str], now: str) -> None:
    if WHOLE in parts:
        raise ValueError("the empty key is the whole state's: a part needs a key")
    conn.execute("DELETE FROM state WHERE name = ? AND key = ?", (name, WHOLE))
    conn.executemany("DELETE FROM state WHERE name = ? AND key = ?", [(name, k) for k in deleted if k not in parts])
    conn.executemany(
        "INSERT INTO state (name, key, data, updated_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name, key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        [(name, k, _json(v), now) for k, v in parts.items()],
    )


def read_whole(conn: sqlite3.Connection, name: str) -> Any | None:
    row = conn.execute("SELECT data FROM state WHERE name = ? AND key = ?", (name, WHOLE)).fetchone()
    return json.loads(row[0]) if row else None


def read_parts(conn: sqlite3.Connection, name: str) -> dict[str, Any]:
    rows = conn.execute("SELECT key, data FROM state WHERE name = ? AND key <> ? ORDER BY key", (name, WHOLE))
    return {key: json.loads(data) for key, data in rows}
