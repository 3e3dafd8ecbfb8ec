"""The entity resolver's state saved in parts (one per entity and per redirect) on a real SQLite store: what is
read back is what was in memory, a batch writes only the parts it changed, and a database of the previous schema
(the whole state in one row) keeps its entities. The boilerplate stage's outlet memory saves one part per outlet."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from storyline.api import Storyline
from storyline.entities.resolver import DocEntity, EntityResolver
from storyline.store import open_store
from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate


def _save(store, resolver: EntityResolver) -> tuple[dict, list]:
    parts, deleted = resolver.state_changes()
    with store.batch() as batch:
        batch.update_state("entities", parts, deleted)
    return parts, deleted


def _org(*names: str) -> DocEntity:
    return DocEntity(type="ORG", names=list(names))


def _per(*names: str, context: set[str] | None = None) -> DocEntity:
    return DocEntity(type="PER", names=list(names), context=set(context or ()))


def test_parts_read_back_equal_the_resolver_after_merges_and_redirects(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    resolver = EntityResolver(country_names={})
    batches = [
        [_per("Maren Kolvik", "Kolvik"), _org("Banque centrale du Nord"), _org("Fonds de garantie régional")],
        [_per("M. Kolvik"), _per("Tiago Ferrant"), _org("Union des transporteurs")],
        # one document ties two organisations already known apart: they merge, one id redirects to the other
        [_org("Banque centrale du Nord", "Fonds de garantie régional"), _per("Tiago Ferrant")],
        [_org("Union des transporteurs", "Banque centrale du Nord"), _per("Ilse Varnholt")],
    ]
    dropped: list[str] = []
    for batch in batches:
        resolver.add(batch)
        dropped += _save(store, resolver)[1]
        again = EntityResolver.from_parts(store.state_parts("entities"))
        assert again.to_dict() == resolver.to_dict()
    state = resolver.to_dict()
    assert len(state["redirects"]) == 2 and len(dropped) == 2  # two merges: two entities gone, two redirects
    assert {"e/" + eid for eid in state["redirects"]} == set(dropped)
    again = EntityResolver.from_parts(store.state_parts("entities"))
    for name, typ in [("Kolvik", "PER"), ("Fonds de garantie régional", "ORG"), ("Union des transporteurs", "ORG")]:
        assert again.resolve(name, typ) == resolver.resolve(name, typ) is not None
    store.close()


def _ingest(db: Path, folder: Path) -> Storyline:
    sl = Storyline(open_store(str(db)), batch_size=2, workers=0)
    sl.ingest([folder])
    return sl


def _stage(sl: Storyline):
    return next(s for s in sl.pipeline.stages if getattr(s, "state_name", None) == "entities")


def test_a_small_batch_writes_only_the_parts_it_touched(tmp_path, examples):
    db = tmp_path / "s.db"
    corpus = tmp_path / "corpus"
    shutil.copytree(examples, corpus)
    sl = _ingest(db, corpus)
    before = dict(sl.store.state_parts("entities"))
    assert len(before) >= 40
    assert EntityResolver.from_parts(before).to_dict() == _stage(sl).resolver.to_dict()
    known = sl.entities("PER")[0]["canonical"]
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE state SET updated_at = 'before'")
    late = tmp_path / "late"
    late.mkdir()
    (late / "late.txt").write_text(
        f"Une visite à Lisbonne\n\nHier, {known} a reçu Paulin Verdasque, venu de Lisbonne pour une journée.\n",
        encoding="utf-8",
    )
    sl.ingest([late])
    written = {k for (k,) in con.execute("SELECT key FROM state WHERE name = 'entities' AND updated_at <> 'before'")}
    article = next(a for a in sl.articles() if a.source.endswith("late.txt"))
    touched = set()
    for m in sl.facts("entity", article_id=article.id):
        touched |= {m["entity_id"], m.get("refers_to")} - {None}
    assert "e/" + sl.entity(known)["id"] in written
    assert written and written <= {"e/" + eid for eid in touched}, "only the entities the article touched"
    assert len(written) < len(before) / 10
    after = sl.store.state_parts("entities")
    assert set(after) - set(before) <= written
    assert all(after[k] == before[k] for k in before if k not in written)
    assert EntityResolver.from_parts(after).to_dict() == _stage(sl).resolver.to_dict()
    con.close()
    sl.close()
    reopened = Storyline(open_store(str(db)), batch_size=2, workers=0)
    assert _stage(reopened).resolver.to_dict() == _stage(sl).resolver.to_dict()
    reopened.close()


def test_a_whole_state_of_the_previous_schema_is_read_once_then_saved_in_parts(tmp_path, examples):
    corpus = tmp_path / "corpus"
    shutil.copytree(examples, corpus)
    sl = _ingest(tmp_path / "now.db", corpus)
    resolver = _stage(sl).resolver
    whole = resolver.to_dict()
    for e in whole["entities"]:  # the previous version's records had no creation order
        del e["seq"]
    names = [(e["canonical"], e["type"]) for e in resolver.entities()]
    ids = [resolver.resolve(n, t) for n, t in names]
    sl.close()

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    migrate(conn, str(old), MIGRATIONS[:4])
    conn.execute("INSERT INTO state (name, data, updated_at) VALUES ('entities', ?, 'then')", (json.dumps(whole),))
    conn.close()

    sl = Storyline(open_store(str(old)), batch_size=2, workers=0)
    assert sl.store.schema_version() == SCHEMA_VERSION
    loaded = _stage(sl).resolver
    assert [loaded.resolve(n, t) for n, t in names] == ids
    assert loaded.to_dict()["redirects"] == whole["redirects"]
    assert sl.store.state("entities") == whole and sl.store.state_parts("entities") == {}
    late = tmp_path / "late"
    late.mkdir()
    (late / "late.txt").write_text("Un accord\n\nPaulin Verdasque a signé un accord à Lisbonne.\n", encoding="utf-8")
    sl.ingest([late])
    assert sl.store.state("entities") is None  # read once: the parts replace it
    parts = sl.store.state_parts("entities")
    assert len([k for k in parts if k.startswith("e/")]) == len(loaded)
    assert EntityResolver.from_parts(parts).to_dict() == _stage(sl).resolver.to_dict()
    sl.close()
    reopened = Storyline(open_store(str(old)), batch_size=2, workers=0)
    assert [_stage(reopened).resolver.resolve(n, t) for n, t in names] == ids
    reopened.close()


def test_after_an_interrupted_ingest_the_stage_holds_what_the_store_holds(tmp_path, examples):
    """The changes of a batch that never committed are lost with it: the resolver is read back from the store,
    so the batches of the next ingest add up to the state again."""
    corpus = tmp_path / "corpus"
    shutil.copytree(examples, corpus)
    seen = 0

    def interrupt(_outcome) -> None:
        nonlocal seen
        seen += 1
        if seen == 3:
            raise KeyboardInterrupt  # in the second batch: the first one is committed

    db = tmp_path / "s.db"
    sl = Storyline(open_store(str(db)), batch_size=2, workers=0)
    try:
        sl.ingest([corpus], progress=interrupt)
    except KeyboardInterrupt:
        pass
    stored = EntityResolver.from_parts(sl.store.state_parts("entities"))
    assert len(stored) and _stage(sl).resolver.to_dict() == stored.to_dict()
    report = sl.ingest([corpus])
    assert report.counts["stored"] == 3
    assert EntityResolver.from_parts(sl.store.state_parts("entities")).to_dict() == _stage(sl).resolver.to_dict()
    sl.close()


def test_the_outlet_memory_saves_only_the_outlets_a_batch_taught(tmp_path):
    from storyline.stages.boilerplate import OutletMemory

    def article(outlet: str, n: int) -> dict:
        body = f"Le conseil municipal numéro {n} a voté le budget de l'année après un long débat public."
        return {"id": f"{outlet}-{n}", "outlet": outlet, "title": f"Budget {n}",
                "text": f"Budget {n}\n\n{body}\n\nSuivez {outlet} sur les réseaux\n\nTous droits réservés {outlet}\n"}

    rows = [article(o, n) for n in range(3) for o in ("Alpha Daily", "Beta Infos")]
    src = tmp_path / "a.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    db = tmp_path / "o.db"
    sl = Storyline(open_store(str(db)), batch_size=2, workers=0)
    sl.ingest([src])
    stage = next(s for s in sl.pipeline.stages if getattr(s, "state_name", None) == "outlet_memory")
    parts = sl.store.state_parts("outlet_memory")
    assert set(parts) == {"settings", "o/Alpha Daily", "o/Beta Infos"} and sl.store.state("outlet_memory") is None
    assert OutletMemory.from_parts(parts).to_dict() == stage.memory.to_dict()
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE state SET updated_at = 'before'")
    late = tmp_path / "b.jsonl"
    late.write_text(json.dumps(article("Alpha Daily", 9), ensure_ascii=False) + "\n", "utf-8")
    sl.ingest([late])
    written = {k for (k,) in con.execute("SELECT key FROM state WHERE name = 'outlet_memory' AND updated_at <> 'before'")}
    assert written == {"o/Alpha Daily"}
    assert sl.store.state_parts("outlet_memory")["o/Alpha Daily"]["docs"] == 4
    con.close()
    sl.close()
    reopened = Storyline(open_store(str(db)), batch_size=2, workers=0)
    again = next(s for s in reopened.pipeline.stages if getattr(s, "state_name", None) == "outlet_memory")
    assert again.memory.to_dict() == stage.memory.to_dict()
    reopened.close()


def test_entities_merged_by_a_later_batch_take_the_earlier_mentions_with_them(tmp_path):
    texts = {  # the long name, then its acronym alone, then a text that ties the two: one organisation
        "a.txt": "Transport : un vote\n\nSelon l’Union des transporteurs routiers, les péages vont augmenter en mars.\n",
        "b.txt": "Péages : la colère\n\nL’UTR a dénoncé jeudi les nouveaux tarifs des péages, selon un communiqué.\n",
        "c.txt": "Péages : un accord\n\nL’Union des transporteurs routiers (UTR) a signé vendredi un accord sur les péages.\n",
    }
    sl = Storyline(open_store(str(tmp_path / "m.db")), batch_size=1, workers=0)
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        sl.ingest([tmp_path / name])  # one batch each: the merge comes after a.txt's mentions are stored
    assert _stage(sl).resolver._redirect, "the third text merges two entities"
    union = sl.entity("UTR")
    assert union["id"] == sl.entity("Union des transporteurs routiers")["id"]
    assert union["mentions"] == 4 and len(union["mentions_by_article"]) == 3
    stored = {e["id"] for e in sl.entities()}
    assert not stored & set(_stage(sl).resolver._redirect), "no entity row under a merged-away id"
    for a in sl.articles():
        for m in sl.facts("entity", article_id=a.id):
            assert m["entity_id"] in stored
    con = sqlite3.connect(tmp_path / "m.db")  # the counts kept by increments are the counts
    assert con.execute("SELECT COUNT(*) FROM entities AS e WHERE e.mentions <> "
                       "(SELECT COUNT(*) FROM mentions AS m WHERE m.entity_id = e.id)").fetchone()[0] == 0
    con.close()
    sl.close()


def test_a_state_saved_with_older_name_keys_is_indexed_with_todays(tmp_path):
    """Surname and first-name keys are phonetic keys, and the key rules grow (a silent "th", a final "h"): a
    state saved by an earlier version holds keys today's rules no longer make. Read back, each person's keys
    are made again from its names, so a later document still finds the person, and the next save rewrites it
    with the version of the rules. A state saved by today's rules is read as it was saved."""
    from storyline.entities.resolver import NAME_KEYS, NAME_KEYS_PART

    store = open_store(str(tmp_path / "s.db"))
    resolver = EntityResolver(country_names={})
    resolver.add([_per("Tamim Al Thani", "Al Thani"), _per("Maren Kolvik")])
    parts, _ = _save(store, resolver)
    assert parts[NAME_KEYS_PART] == NAME_KEYS
    thani = resolver.resolve("Thani", "PER")
    assert thani is not None and resolver.resolve("Tamim Al Thani", "PER") == thani
    # as an earlier version saved it: the surname and first-name keys of other rules, no version part
    saved = dict(parts["e/" + thani], surnames=["thani-old"], first_names=["tamim-old"])
    with store.batch() as batch:
        batch.update_state("entities", {"e/" + thani: saved}, [NAME_KEYS_PART])
    stale = EntityResolver.from_parts(store.state_parts("entities"))
    assert stale.resolve("Thani", "PER") == thani  # a surname alone, through the surname's key
    assert stale.resolve("T. Al Thani", "PER") == thani  # an initial, through the first name's key
    changed, _ = _save(store, stale)
    assert sorted(changed) == ["e/" + thani, NAME_KEYS_PART]
    assert changed["e/" + thani]["surnames"] == parts["e/" + thani]["surnames"]
    # saved with today's version, parts are taken as they are
    again = EntityResolver.from_parts(store.state_parts("entities"))
    assert again.state_changes() == ({}, []) and again.to_dict() == resolver.to_dict()
    store.close()
