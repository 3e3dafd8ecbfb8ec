"""The SQLite store, on real files: round trips, duplicates, atomic batches, migrations, search, grouping reads."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from storyline.records import Article, Published, Rejection, Story, content_id
from storyline.store.base import IngestOutcome, StoreError
from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION, Migration, migrate
from storyline.store.sqlite import SQLiteStore, quote_query


def make_article(text: str, source: str = "a.txt", title: str | None = "A title", **kw) -> Article:
    return Article(
        id=kw.pop("id", content_id(text)),
        source=source,
        text=text,
        title=title,
        language=kw.pop("language", "fr"),
        published=kw.pop("published", Published.exact("2024-03-01", "meta")),
        outlet=kw.pop("outlet", "Le Monde"),
        wire=kw.pop("wire", None),
        url=kw.pop("url", "https://example.org/a"),
        body=kw.pop("body", ((0, len(text)),)),
        meta=kw.pop("meta", {}),
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "news.db"


@pytest.fixture
def store(db: Path):
    s = SQLiteStore(str(db))
    yield s
    s.close()


def add(store: SQLiteStore, *articles: Article, run_id: str | None = None) -> list[IngestOutcome]:
    with store.batch(run_id) as batch:
        return [batch.add_article(a) for a in articles]


# -- opening, pragmas, migrations ------------------------------------------------------------------


def test_fresh_file_is_migrated_and_configured(db: Path, store: SQLiteStore) -> None:
    assert db.exists()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    assert {"articles", "articles_fts", "inputs", "runs", "stories", "story_articles", "story_terms"} <= tables
    assert "story_terms_term" in tables
    conn.close()
    pragmas = {p: store._conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("synchronous", "foreign_keys", "busy_timeout")}
    assert pragmas["synchronous"] == 1  # NORMAL
    assert pragmas["foreign_keys"] == 1
    assert pragmas["busy_timeout"] > 0


def test_reopening_is_a_noop_and_keeps_data(db: Path) -> None:
    with SQLiteStore(str(db)) as s:
        add(s, make_article("Premier texte."))
    schema_before = sqlite3.connect(db).execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    with SQLiteStore(str(db)) as s:
        assert s.count_articles() == 1
        assert s.schema_version() == SCHEMA_VERSION
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema_before
    assert migrate(conn, str(db)) == 0
    conn.close()


def test_migrations_apply_in_order_and_only_once(tmp_path: Path) -> None:
    calls: list[int] = []
    steps = [
        Migration("one", "CREATE TABLE one (x INTEGER); INSERT INTO one VALUES (1);"),
        Migration("two", lambda conn: (calls.append(2), conn.execute("INSERT INTO one VALUES (2)"))),
    ]
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    assert migrate(conn, "m.db", steps[:1]) == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert migrate(conn, "m.db", steps) == 1  # only the missing step
    assert migrate(conn, "m.db", steps) == 0
    assert calls == [2]
    assert [r[0] for r in conn.execute("SELECT x FROM one ORDER BY x")] == [1, 2]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2


def test_failed_migration_leaves_old_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    steps = [Migration("ok", "CREATE TABLE one (x INTEGER);"), Migration("bad", "CREATE TABLE two (y); SELECT nope FROM missing;")]
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, "m.db", steps)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []  # both steps rolled back together
    assert not conn.in_transaction


def test_newer_schema_is_refused(db: Path) -> None:
    SQLiteStore(str(db)).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match=r"newer than this storyline understands"):
        SQLiteStore(str(db))


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"this is a text file, not SQLite\n" * 200)
    with pytest.raises(StoreError, match="not a SQLite database"):
        SQLiteStore(str(junk))
    assert junk.read_bytes().startswith(b"this is a text file")  # untouched


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a storyline database"):
        SQLiteStore(str(other))


def test_unopenable_path_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(str(tmp_path / "missing-dir" / "x.db"))
    with pytest.raises(StoreError, match="cannot open"):
        SQLiteStore(str(tmp_path))  # a folder


def test_close_is_idempotent_and_final(db: Path) -> None:
    store = SQLiteStore(str(db))
    store.close()
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        store.count_articles()


# -- articles ---------------------------------------------------------------------------------------


def test_article_round_trips_exactly(store: SQLiteStore) -> None:
    text = "Les États-Unis et la France ont signé un accord.\n\nSuite du texte."
    a = make_article(
        text,
        source="corpus.jsonl#L3",
        wire="AFP",
        published=Published(date=None, earliest="2024-01-01", latest="2024-01-31", evidence="url: /2024/01/"),
        body=((0, 48), (50, len(text))),
        meta={"dateline": {"place": "Paris", "start": 0, "end": 5}, "removed": [{"kind": "boilerplate"}], "id": 7, "x": 1.5, "n": None},
    )
    b = make_article("Sans titre ni date.", title=None, language=None, outlet=None, url=None, published=Published(), body=(), meta={})
    outcomes = add(store, a, b)
    assert [o.status for o in outcomes] == ["stored", "stored"]
    assert store.article(a.id) == a
    assert store.article(b.id) == b
    assert isinstance(store.article(a.id).body[0], tuple)
    assert store.article("0000000000000000") is None
    assert store.has_article(a.id) and not store.has_article("nope")
    assert store.count_articles() == 2


def test_articles_in_ingest_order_with_paging(store: SQLiteStore, monkeypatch) -> None:
    import storyline.store.sqlite as mod

    monkeypatch.setattr(mod, "PAGE_SIZE", 3)  # several pages
    arts = [make_article(f"Texte numéro {i}.", source=f"{i}.txt") for i in range(10)]
    add(store, *arts[:4])
    add(store, *arts[4:])
    assert [a.id for a in store.articles()] == [a.id for a in arts]
    assert [a.id for a in store.articles(limit=4, offset=3)] == [a.id for a in arts[3:7]]
    assert [a.id for a in store.articles(offset=8)] == [a.id for a in arts[8:]]
    assert list(store.articles(limit=0)) == []


def test_duplicates_within_and_across_batches(store: SQLiteStore) -> None:
    run = store.start_run({"paths": ["x"]})
    a = make_article("Le même texte.", source="one.txt")
    same_elsewhere = make_article("Le même texte.", source="two.txt")
    with store.batch(run) as batch:
        first = batch.add_article(a)
        second = batch.add_article(same_elsewhere)  # same batch, not yet committed
    assert first == IngestOutcome("one.txt", "stored", a.id)
    assert second == IngestOutcome("two.txt", "duplicate", a.id, reason="same content as one.txt")
    run2 = store.start_run({})
    again = add(store, a, run_id=run2)[0]
    assert again == IngestOutcome("one.txt", "duplicate", a.id, reason="already stored from one.txt")
    assert store.count_articles() == 1
    assert store.article(a.id).source == "one.txt"  # the first copy is kept
    assert store.outcomes(run) == [first, second]
    assert store.outcomes(run2) == [again]
    assert store.outcomes() == [first, second, again]


def test_rollback_on_exception_leaves_nothing(store: SQLiteStore) -> None:
    run = store.start_run({})
    add(store, make_article("Avant."), run_id=run)
    with pytest.raises(RuntimeError, match="boom"):
        with store.batch(run) as batch:
            batch.add_article(make_article("Pendant, article."))
            batch.add_rejection(Rejection("bad.bin", "binary", "binary file"))
            batch.set_story(Story("s1", "event", "x", [make_article("Avant.").id], None, None), {"t": 1.0})
            assert store.count_articles() == 2  # the batch sees its own writes
            raise RuntimeError("boom")
    assert store.count_articles() == 1
    assert store.outcomes(run) == [IngestOutcome("a.txt", "stored", make_article("Avant.").id)]
    assert store.stories() == [] and store.rejections() == []
    assert store.search("Pendant") == []
    assert not store._conn.in_transaction
    with pytest.raises(StoreError, match="closed"):  # the batch object is dead after its block
        batch.add_article(make_article("Après."))
    add(store, make_article("Après."), run_id=run)  # and the store still works
    assert store.count_articles() == 2
    assert store.integrity_check() == "ok"


def test_batch_is_invisible_to_other_connections_until_commit(db: Path, store: SQLiteStore) -> None:
    reader = sqlite3.connect(db)
    with store.batch() as batch:
        batch.add_article(make_article("En cours."))
        assert reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 0
    assert reader.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 1
    reader.close()


def test_other_threads_wait_for_the_open_batch(store: SQLiteStore) -> None:
    seen: list[int] = []
    with store.batch() as batch:
        batch.add_article(make_article("Un."))
        t = threading.Thread(target=lambda: seen.append(store.count_articles()))
        t.start()
        time.sleep(0.1)
        batch.add_article(make_article("Deux."))
    t.join(5)
    assert seen == [2]  # never the half-written batch


def test_batches_do_not_nest(store: SQLiteStore) -> None:
    with store.batch():
        with pytest.raises(StoreError, match="nest"):
            with store.batch():
                pass


def test_runs_are_recorded(store: SQLiteStore) -> None:
    r1, r2 = store.start_run({"paths": ["a"]}), store.start_run({"paths": ["b"]})
    assert r1 != r2 and len(r1) < 32
    assert store.run(r1)["args"] == {"paths": ["a"]} and store.run(r1)["finished_at"] is None
    store.finish_run(r1, {"stored": 3, "duplicate": 0, "rejected": 1})
    assert store.run(r1)["counts"] == {"stored": 3, "duplicate": 0, "rejected": 1}
    assert store.run(r1)["finished_at"] is not None
    with pytest.raises(StoreError):
        store.finish_run("no-such-run", {})


# -- rejections and outcomes ------------------------------------------------------------------------


def test_rejections_are_the_latest_outcome_per_source(store: SQLiteStore) -> None:
    fixed = make_article("Maintenant lisible.", source="b.html")
    with store.batch(store.start_run({})) as batch:
        batch.add_rejection(Rejection("a.bin", "binary", "binary file"))
        batch.add_rejection(Rejection("b.html", "no_text", "no text left after extraction"))
        batch.add_rejection(Rejection("c.txt", "empty", "empty file"))
    with store.batch(store.start_run({})) as batch:
        batch.add_article(fixed)  # b.html now works
        batch.add_rejection(Rejection("c.txt", "too_large", "file larger than 50 MB"))  # c.txt fails differently
    assert store.rejections() == [
        IngestOutcome("a.bin", "rejected", reason="binary file", code="binary"),
        IngestOutcome("c.txt", "rejected", reason="file larger than 50 MB", code="too_large"),
    ]
    with store.batch(store.start_run({})) as batch:
        batch.add_rejection(Rejection("b.html", "no_text", "broken again"))
    assert [(o.source, o.reason) for o in store.rejections()] == [
        ("a.bin", "binary file"),
        ("b.html", "broken again"),
        ("c.txt", "file larger than 50 MB"),
    ]
    assert [o.status for o in store.outcomes()] == ["rejected"] * 3 + ["stored", "rejected", "rejected"]


# -- full-text search -------------------------------------------------------------------------------


@pytest.fixture
def searchable(store: SQLiteStore) -> SQLiteStore:
    add(
        store,
        make_article("Les États-Unis et la Chine négocient à Genève sur le commerce.", source="1", title="Commerce"),
        make_article("La pandémie de covid-19 recule en Europe selon l'OMS.", source="2", title="Santé"),
        make_article("Le président a parlé du commerce mondial et du commerce local.", source="3", title="Commerce mondial"),
        make_article("Un texte sans rapport, sur le jardinage.", source="4", title="Jardin"),
    )
    return store


def test_search_ranks_and_snippets(searchable: SQLiteStore) -> None:
    hits = searchable.search("commerce")
    assert [a.source for a, _ in hits] == ["3", "1"]  # title and body matches beat a lone body match
    assert all("**commerce**" in snip.lower() for _, snip in hits)
    assert searchable.search("commerce", limit=1)[0][0].source == "3"
    assert searchable.search("introuvable") == []
    assert searchable.search("   ") == [] and searchable.search("") == []


def test_search_folds_accents(searchable: SQLiteStore) -> None:
    assert [a.source for a, _ in searchable.search("etats")] == ["1"]
    assert [a.source for a, _ in searchable.search("ÉTATS unis")] == ["1"]
    assert [a.source for a, _ in searchable.search("pandemie")] == ["2"]
    assert [a.source for a, _ in searchable.search("geneve")] == ["1"]


def test_search_keeps_fts_syntax(searchable: SQLiteStore) -> None:
    assert {a.source for a, _ in searchable.search("jardinage OR pandémie")} == {"2", "4"}
    assert {a.source for a, _ in searchable.search("comm*")} == {"1", "3"}
    assert [a.source for a, _ in searchable.search("title:santé")] == ["2"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("covid-19", {"2"}),
        ("États-Unis", {"1"}),
        ('"commerce', {"1", "3"}),
        ("commerce)", {"1", "3"}),
        ("(commerce", {"1", "3"}),
        ("l'OMS", {"2"}),
        ("foo:bar", set()),
        ("santé: covid", {"2"}),
        ("AND", set()),
        ("commerce AND", {"1", "3"}),
        ("C++", set()),
        ("*", set()),
        ("-", set()),
        ('"', set()),
        ("NEAR(", set()),
    ],
)
def test_awkward_queries_do_not_crash(searchable: SQLiteStore, query: str, expected: set[str]) -> None:
    assert {a.source for a, _ in searchable.search(query)} == expected


def test_quote_query() -> None:
    assert quote_query('covid-19 "x') == '"covid-19" """x"'
    assert quote_query("( ) -") == ""


# -- stories ----------------------------------------------------------------------------------------


def test_set_story_upserts_members_and_terms(store: SQLiteStore) -> None:
    arts = [make_article(f"Article {i}.", source=f"{i}.txt") for i in range(4)]
    add(store, *arts)
    ids = [a.id for a in arts]
    with store.batch() as batch:
        batch.set_story(Story("e1", "event", "Sommet", ids[:2], "2024-03-01", "2024-03-02"), {"sommet": 2.0, "genève": 1.0})
        batch.set_story(Story("s1", "storyline", "Diplomatie", ids, "2024-03-01", "2024-03-09"), {"sommet": 1.0})
    assert store.story("e1") == Story("e1", "event", "Sommet", ids[:2], "2024-03-01", "2024-03-02")
    assert store.stories_of(ids[0]) == ["e1", "s1"]
    assert store.stories_of(ids[3]) == ["s1"]
    with store.batch() as batch:  # replace: reorder, drop one, add one, change terms
        batch.set_story(Story("e1", "event", "Sommet de Genève", [ids[2], ids[0]], "2024-03-01", "2024-03-05"), {"genève": 3.0, "paix": 1.0})
    assert store.story("e1") == Story("e1", "event", "Sommet de Genève", [ids[2], ids[0]], "2024-03-01", "2024-03-05")
    assert store.story_terms("e1") == {"genève": 3.0, "paix": 1.0}
    assert store.stories_of(ids[1]) == ["s1"]
    with store.batch() as batch:  # terms=None keeps the terms
        batch.set_story(Story("e1", "event", "Sommet", [ids[2], ids[0], ids[1]], None, None))
    assert store.story_terms("e1") == {"genève": 3.0, "paix": 1.0}
    assert store.story("e1").articles == [ids[2], ids[0], ids[1]]
    assert store.story("missing") is None
    assert store.integrity_check() == "ok"


def test_stories_largest_first_then_id(store: SQLiteStore) -> None:
    arts = [make_article(f"Texte {i}.", source=f"{i}.txt") for i in range(5)]
    add(store, *arts)
    ids = [a.id for a in arts]
    with store.batch() as batch:
        batch.set_story(Story("b", "event", "B", ids[:2], None, None))
        batch.set_story(Story("a", "event", "A", ids[2:4], None, None))
        batch.set_story(Story("c", "event", "C", ids[:3], None, None))
        batch.set_story(Story("z", "event", "Z", ids[4:], None, None))
        batch.set_story(Story("s", "storyline", "S", ids, None, None))
    assert [s.id for s in store.stories("event")] == ["c", "a", "b", "z"]
    assert [s.id for s in store.stories()] == ["s", "c", "a", "b", "z"]
    assert [s.id for s in store.stories("storyline")] == ["s"]
    assert store.stories("event")[0].articles == ids[:3]


def test_story_must_reference_stored_articles(store: SQLiteStore) -> None:
    with pytest.raises(StoreError):
        with store.batch() as batch:
            batch.set_story(Story("e", "event", "x", ["not-an-article"], None, None))
    assert store.stories() == []


def test_add_to_story_appends_without_rewriting(store: SQLiteStore) -> None:
    a, b, c = make_article("Premier."), make_article("Deuxième."), make_article("Troisième.")
    add(store, a, b, c)
    with store.batch() as batch:
        batch.add_to_story(Story("s", "storyline", "one", [], "2021-12-20", "2021-12-20"), a.id, {"paris": 1.0})
        batch.add_to_story(Story("s", "storyline", "two", [], "2021-12-20", "2021-12-23"), b.id, {"paris": 2.0, "rome": 1.0})
        batch.add_to_story(Story("s", "storyline", "two", [], "2021-12-20", "2021-12-23"), b.id)  # already there
    with store.batch() as batch:
        batch.add_to_story(Story("s", "storyline", "three", [], "2021-12-19", "2021-12-23"), c.id)
    s = store.story("s")
    assert (s.articles, s.label, s.first, s.last) == ([a.id, b.id, c.id], "three", "2021-12-19", "2021-12-23")
    assert store.story_terms("s") == {"paris": 2.0, "rome": 1.0}  # None leaves the terms alone
    assert [x.id for x in store.stories()] == ["s"] and store.stories()[0].articles == [a.id, b.id, c.id]


# -- integrity and speed ----------------------------------------------------------------------------


def test_integrity_check_ok_and_detects_a_broken_fts_index(db: Path, store: SQLiteStore) -> None:
    add(store, make_article("Un texte."), make_article("Un autre texte."))
    assert store.integrity_check() == "ok"
    with store._transaction() as conn:  # corrupt the index behind the triggers' back
        conn.execute("INSERT INTO articles_fts(rowid, title, text) VALUES (999, 'fantôme', 'fantôme')")
    assert store.integrity_check() != "ok"


def test_bulk_ingest_of_10k_articles_in_batches(store: SQLiteStore) -> None:
    # speed is measured by `make bench`, not asserted here; this checks correctness at volume
    words = "le gouvernement a annoncé mercredi une série de mesures pour soutenir les agriculteurs touchés par la sécheresse ".split()
    texts = [" ".join(words[(i + j) % len(words)] for j in range(450)) + f" n°{i}" for i in range(10_000)]
    for b in range(0, len(texts), 200):
        with store.batch() as batch:
            for i in range(b, b + 200):
                batch.add_article(make_article(texts[i], source=f"{i}.txt"))
    assert store.count_articles() == 10_000
    assert store.integrity_check() == "ok"
    assert len(store.search("sécheresse", limit=5)) == 5


def test_quote_query_keeps_operators_between_phrases(searchable: SQLiteStore) -> None:
    assert quote_query("covid-19 OR jardinage AND") == '"covid-19" OR "jardinage"'
    assert quote_query("OR NOT x") == '"x"'
    assert {a.source for a, _ in searchable.search("covid-19 OR jardinage")} == {"2", "4"}
    assert {a.source for a, _ in searchable.search("commerce NOT (président")} == {"1"}


_WRITER = """
import sys
from storyline.records import Article, Published
from storyline.store.sqlite import SQLiteStore

store = SQLiteStore(sys.argv[1])
n = 0
print("ready", flush=True)
while True:
    with store.batch() as batch:
        for _ in range(50):
            text = f"Article {n} : " + "du texte à indexer " * 150
            batch.add_article(Article(f"{n:016x}", f"{n}.txt", text, f"Titre {n}", "fr", Published(), None, None, None, ((0, len(text)),), {}))
            n += 1
"""


def test_sigkill_mid_batch_leaves_whole_batches(db: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    SQLiteStore(str(db)).close()
    child = subprocess.Popen([sys.executable, "-c", _WRITER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.6)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    with SQLiteStore(str(db)) as store:
        n = store.count_articles()
        assert n > 0 and n % 50 == 0  # whole batches only
        assert len(store.outcomes()) == n
        assert store.integrity_check() == "ok"
        assert len(store.search("indexer", limit=n + 10)) == n
        with store.batch() as batch:  # and it takes writes again
            assert batch.add_article(make_article("Après le crash.")).status == "stored"


# -- extracted facts --------------------------------------------------------------------------------


def test_facts_entities_and_state_round_trip(store: SQLiteStore) -> None:
    a = make_article("Iouri Ouchakov a parlé. Ouchakov a répondu.", source="a.txt")
    b = make_article("Yuriy Ushakov spoke to Jake Sullivan.", source="b.txt")
    mentions_a = [
        {"text": "Iouri Ouchakov", "start": 0, "end": 14, "type": "PER", "canonical": "Yuri Ushakov", "entity_id": "e1", "role": "conseiller"},
        {"text": "Ouchakov", "start": 24, "end": 32, "type": "PER", "canonical": "Yuri Ushakov", "entity_id": "e1"},
    ]
    mentions_b = [
        {"text": "Yuriy Ushakov", "start": 0, "end": 13, "type": "PER", "canonical": "Yuri Ushakov", "entity_id": "e1"},
        {"text": "Jake Sullivan", "start": 23, "end": 36, "type": "PER", "canonical": "Jake Sullivan", "entity_id": "e2"},
    ]
    with store.batch() as batch:
        batch.add_article(a)
        batch.add_article(b)
        batch.add_facts(a.id, "entity", mentions_a)
        batch.add_facts(b.id, "entity", mentions_b)
        batch.add_facts(a.id, "quote", [{"text": "x", "start": 3, "end": 9, "speaker": "Yuri Ushakov", "speaker_entity_id": "e1"}])
        batch.add_facts(a.id, "time", [{"text": "lundi", "start": 1, "end": 6, "value": "2021-12-20"}])
        batch.set_state("boilerplate", {"outlets": {"x": ["Lire aussi"]}})
    ents = store.entities()
    assert [(e["id"], e["mentions"], e["articles"]) for e in ents] == [("e1", 3, 2), ("e2", 1, 1)]
    assert ents[0]["variants"] == {"Iouri Ouchakov": 1, "Ouchakov": 1, "Yuriy Ushakov": 1}
    assert ents[0]["roles"] == ["conseiller"]
    for name in ("e1", "Yuri Ushakov", "yuri ushakov", "Ouchakov"):  # id, canonical, any variant
        assert store.entity(name)["id"] == "e1"
    detail = store.entity("Ouchakov")
    assert list(detail["mentions_by_article"]) == [a.id, b.id]
    assert store.entity("Nobody") is None
    # a surname alone: the last word of the canonical name, else of a variant
    assert store.entity("ushakov")["id"] == "e1" and store.entity("Sullivan")["id"] == "e2"
    assert store.entity("Ouchak") is None and store.entity("%") is None
    assert [q["article_id"] for q in store.facts("quote", key="e1")] == [a.id]
    assert store.facts("time", article_id=a.id)[0]["value"] == "2021-12-20"
    assert store.state("boilerplate") == {"outlets": {"x": ["Lire aussi"]}} and store.state("none") is None
    # re-writing an article's mentions replaces them and recounts the entity
    with store.batch() as batch:
        batch.add_facts(a.id, "entity", mentions_a[:1])
    assert store.entity("e1")["mentions"] == 2
    with pytest.raises(ValueError):
        store.facts("opinion")


def test_reads_inside_an_open_batch_see_its_writes(store: SQLiteStore) -> None:
    # the grouper looks up the stories and terms its own batch has just written
    a = make_article("Un article.")
    add(store, a)
    with store.batch() as batch:
        batch.set_story(Story("e1", "event", "", [a.id], None, None), {"paris": 1.0, "sommet": 2.0})
        assert store.top_terms("e1", 1) == ["sommet"] and store.stories_of(a.id) == ["e1"]
    assert store.story_terms("e1") == {"paris": 1.0, "sommet": 2.0}
