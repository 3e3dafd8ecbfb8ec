"""Extracted facts in SQLite: entity mentions, quotes, temporal expressions, events.

Facts are stored as the stages' own records (JSON) plus the columns they are looked up by, so a stage can add
fields without a migration. Entity statistics (mention counts, variants, articles) are computed from the
`mentions` table through its index, except the mention count kept on `entities` to list entities by
importance without scanning every mention.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable
from typing import Any

# kind -> the record field a fact is looked up by
FACT_KEYS = {"quote": "speaker_entity_id", "time": "value", "event": "type"}
KINDS = ("entity", *FACT_KEYS)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write_facts(conn: sqlite3.Connection, article_id: str, kind: str, items: Iterable[dict[str, Any]], now: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown fact kind {kind!r}; one of {', '.join(KINDS)}")
    items = list(items)
    if kind == "entity":
        _write_mentions(conn, article_id, items, now)
        return
    conn.execute("DELETE FROM facts WHERE article_id = ? AND kind = ?", (article_id, kind))
    key_field = FACT_KEYS[kind]
    conn.executemany(
        'INSERT OR REPLACE INTO facts (article_id, kind, start, "end", key, data) VALUES (?, ?, ?, ?, ?, ?)',
        [
            (article_id, kind, int(it["start"]), int(it["end"]),
             None if it.get(key_field) is None else str(it[key_field]), _json(it))
            for it in items
        ],
    )


def _write_mentions(conn: sqlite3.Connection, article_id: str, items: list[dict[str, Any]], now: str) -> None:
    before = dict(conn.execute(
        "SELECT entity_id, COUNT(*) FROM mentions WHERE article_id = ? AND entity_id IS NOT NULL GROUP BY entity_id",
        (article_id,),
    ))
    conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    conn.executemany(
        'INSERT OR REPLACE INTO mentions (article_id, start, "end", text, type, entity_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [
            (article_id, int(m["start"]), int(m["end"]), m["text"], m.get("type") or "MISC", m.get("entity_id"), _json(m))
            for m in items
        ],
    )
    after: Counter[str] = Counter()
    for m in items:
        eid = m.get("entity_id")
        if not eid:
            continue
        after[eid] += 1
        extra = {k: m[k] for k in ("country", "wikidata") if m.get(k)}
        conn.execute(
            "INSERT INTO entities (id, canonical, type, data, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET canonical = excluded.canonical, type = excluded.type, "
            "data = json_patch(entities.data, excluded.data), updated_at = excluded.updated_at",
            # a mention's type can be contextual (a capital standing for its government is GPE); the entity's
            # own type, when the stage gives it, is what the entity is
            (eid, m.get("canonical") or m["text"], m.get("entity_type") or m.get("type") or "MISC", _json(extra), now),
        )
    # counts move by what this article adds or takes away: recounting an entity's mentions would cost the
    # entity's size on every article that names it (quadratic for the entities of a long story)
    conn.executemany(
        "UPDATE entities SET mentions = mentions + ? WHERE id = ?",
        [(after[eid] - before.get(eid, 0), eid) for eid in sorted(before.keys() | after.keys()) if after[eid] != before.get(eid, 0)],
    )


def merge_entities(conn: sqlite3.Connection, redirects: dict[str, str], now: str) -> None:
    """Entities the resolver merged (old id -> surviving id): the mentions and quotes stored under an old id
    move to the survivor, with its canonical name, and the old entity row goes."""
    for old, new in sorted(redirects.items()):
        if old == new:
            continue
        row = conn.execute("SELECT canonical FROM entities WHERE id = ?", (new,)).fetchone()
        if row is None:  # the survivor has no stored mention yet: the old row becomes its row
            conn.execute("UPDATE OR IGNORE entities SET id = ?, updated_at = ? WHERE id = ?", (new, now, old))
            canonical = None
        else:
            canonical = row[0]
        moved = conn.execute(
            "UPDATE mentions SET entity_id = ?1, data = json_set(data, '$.entity_id', ?1, '$.canonical', "
            "COALESCE(?2, json_extract(data, '$.canonical'))) WHERE entity_id = ?3",
            (new, canonical, old),
        ).rowcount
        conn.execute(
            "UPDATE facts SET key = ?1, data = json_set(data, '$.speaker_entity_id', ?1) WHERE kind = 'quote' AND key = ?2",
            (new, old),
        )
        if row is not None:
            conn.execute("UPDATE entities SET mentions = mentions + ?, updated_at = ? WHERE id = ?", (moved, now, new))
            conn.execute("DELETE FROM entities WHERE id = ?", (old,))


def _entity_summary(conn: sqlite3.Connection, row: tuple) -> dict[str, Any]:
    eid, canonical, etype, mentions, data = row
    variants: Counter[str] = Counter()
    articles: set[str] = set()
    roles: Counter[str] = Counter()
    for text, article_id, mdata in conn.execute(
        "SELECT text, article_id, data FROM mentions WHERE entity_id = ?", (eid,)
    ):
        variants[text] += 1
        articles.add(article_id)
        role = json.loads(mdata).get("role")
        if role:
            roles[role] += 1
    return {
        "id": eid,
        "canonical": canonical,
        "type": etype,
        "mentions": mentions,
        "articles": len(articles),
        "variants": dict(sorted(variants.items(), key=lambda kv: (-kv[1], kv[0]))),
        "roles": [r for r, _ in roles.most_common()],
        **json.loads(data),
    }


def read_entities(conn: sqlite3.Connection, etype: str | None, limit: int | None) -> list[dict[str, Any]]:
    where, params = ("WHERE type = ?", [etype]) if etype else ("", [])
    sql = f"SELECT id, canonical, type, mentions, data FROM entities {where} ORDER BY mentions DESC, canonical, id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_entity_summary(conn, row) for row in conn.execute(sql, params).fetchall()]


_ENTITY_COLUMNS = "SELECT id, canonical, type, mentions, data FROM entities"


def _entity_written(conn: sqlite3.Connection, test: str, value: str) -> tuple | None:
    """The entity row most often written as `mentions.text <test> value`."""
    hit = conn.execute(
        f"SELECT entity_id FROM mentions WHERE text {test} AND entity_id IS NOT NULL "
        "GROUP BY entity_id ORDER BY COUNT(*) DESC, entity_id LIMIT 1",
        (value,),
    ).fetchone()
    return conn.execute(f"{_ENTITY_COLUMNS} WHERE id = ?", (hit[0],)).fetchone() if hit else None


def read_entity(conn: sqlite3.Connection, name_or_id: str) -> dict[str, Any] | None:
    cols = _ENTITY_COLUMNS
    row = (
        conn.execute(f"{cols} WHERE id = ?", (name_or_id,)).fetchone()
        or conn.execute(f"{cols} WHERE canonical = ? COLLATE NOCASE ORDER BY mentions DESC LIMIT 1", (name_or_id,)).fetchone()
        or _entity_written(conn, "= ? COLLATE NOCASE", name_or_id)  # any variant
    )
    if row is None and name_or_id.strip() and "%" not in name_or_id and "_" not in name_or_id:
        # a name's last words ("Ushakov", "Putin"): the most mentioned entity whose canonical name or a
        # variant ends with them. A scan of the mentions, but only when nothing matched exactly.
        tail = "% " + name_or_id.strip()
        row = (
            conn.execute(f"{cols} WHERE canonical LIKE ? ORDER BY mentions DESC, id LIMIT 1", (tail,)).fetchone()
            or _entity_written(conn, "LIKE ?", tail)
        )
    if row is None:
        return None
    out = _entity_summary(conn, row)
    per_article: dict[str, list[dict[str, Any]]] = {}
    for article_id, start, end, text in conn.execute(
        'SELECT m.article_id, m.start, m."end", m.text FROM mentions AS m JOIN articles AS a ON a.id = m.article_id '
        "WHERE m.entity_id = ? ORDER BY a.seq, m.start",
        (out["id"],),
    ):
        per_article.setdefault(article_id, []).append({"text": text, "start": start, "end": end})
    out["mentions_by_article"] = per_article
    out["stories"] = [r[0] for r in conn.execute(
        "SELECT DISTINCT sa.story_id FROM story_articles AS sa JOIN mentions AS m ON m.article_id = sa.article_id "
        "WHERE m.entity_id = ? ORDER BY sa.story_id",
        (out["id"],),
    )]
    return out


def read_facts(conn: sqlite3.Connection, kind: str, article_id: str | None, key: str | None) -> list[dict[str, Any]]:
    if kind not in KINDS:
        raise ValueError(f"unknown fact kind {kind!r}; one of {', '.join(KINDS)}")
    table, clauses, params = ("mentions", [], []) if kind == "entity" else ("facts", ["f.kind = ?"], [kind])
    if article_id is not None:
        clauses.append("f.article_id = ?")
        params.append(article_id)
    if key is not None:
        clauses.append("f.entity_id = ?" if kind == "entity" else "f.key = ?")
        params.append(key)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        f"SELECT f.article_id, f.data FROM {table} AS f JOIN articles AS a ON a.id = f.article_id {where} "
        "ORDER BY a.seq, f.start, f.\"end\"",
        params,
    )
    return [{**json.loads(data), "article_id": aid} for aid, data in rows]
