"""Near-duplicates and syndication, through the real API and a real SQLite file: the five example articles are
distinct; planted copies of each kind point to the right original whatever the ingest order; re-ingesting
changes nothing; the band index persists, is looked up (never scanned), and a SIGKILL loses whole batches."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest

import storyline
from storyline.dedup import backfill, compare, normal_words, prepare, shingle
from storyline.dedup.detect import MIN_WORDS
from storyline.records import Article, Published

ROOT = Path(__file__).resolve().parents[1]
CHROME_BEFORE = ["Accueil | International | Politique | Économie",
                 "Ce site utilise des cookies pour améliorer votre expérience. Accepter"]
CHROME_AFTER = ["Partager sur Facebook Partager sur Twitter", "Lire aussi : La Bourse de Paris termine en hausse",
                "© 2022 Exemple Média. Tous droits réservés."]
NEW_HEADLINE = "Washington et Moscou : ce qu'il faut retenir d'une journée de diplomatie"


@pytest.fixture(scope="module")
def analysed():
    docs = storyline.analyze(ROOT / "examples" / "diplomacy-fr")
    assert len(docs) == 5
    return docs


def _title_range(doc) -> tuple[int, int] | None:
    words = normal_words(doc.title or "")
    return next(((s, e) for s, e in doc.body if normal_words(doc.text[s:e]) == words), None)


def planted(doc) -> dict[str, str]:
    """Copies of one analysed example: re-encoded, re-headlined, trimmed, wrapped in site chrome."""
    text = doc.text
    exact = text.replace("’", "'").replace("«\u00a0", '"').replace("\u00a0»", '"').replace("–", "-")
    out = {"exact": exact if exact != text else text.replace("'", "’").replace('"', "”")}
    s, e = _title_range(doc) or (0, 0)
    out["reheadlined"] = text.replace(text[s:e], NEW_HEADLINE) if e else NEW_HEADLINE + "\n\n" + text  # every copy
    keep = doc.body[: max(2, round(len(doc.body) * 0.65))]
    out["trimmed"] = text[: keep[-1][1]]
    out["wrapped"] = "\n\n".join([*CHROME_BEFORE, text, *CHROME_AFTER])
    return out


EXPECTED_KINDS = {
    "exact": {"exact"},
    "reheadlined": {"reheadlined"},
    "trimmed": {"contained", "near"},
    "wrapped": {"exact", "reheadlined", "near", "contained"},  # the chrome may or may not be cleaned away
}


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def by_key(sl) -> dict[str, str]:
    """JSON Lines row id -> article id."""
    return {str(a.meta["id"]): a.id for a in sl.articles()}


def copy_rows(analysed) -> tuple[list[dict], dict[str, tuple[str, str]]]:
    rows, truth = [], {}
    for i, doc in enumerate(analysed):
        rows.append({"id": f"o{i}", "text": doc.text, "published": f"2022-01-0{i + 1}"})
        for kind, text in planted(doc).items():
            rows.append({"id": f"{kind}{i}", "text": text, "published": f"2022-01-{i + 11}"})
            truth[f"{kind}{i}"] = (kind, f"o{i}")
    return rows, truth


# -- the comparison ------------------------------------------------------------------------------------------
def test_normalisation_keeps_only_the_words():
    assert normal_words("L’État, c’est MOI ! — « Ｆｉｎ » ﬁn…") == normal_words("l'etat c'est moi fin fin")
    assert normal_words("Ärger über Straße") == ["arger", "uber", "strasse"]
    assert normal_words("北京欢迎你") == ["北", "京", "欢", "迎", "你"]  # unspaced scripts: one word per character
    a, b = shingle("Un deux trois quatre cinq six sept."), shingle("UN, deux; trois - quatre cinq six sept")
    assert a.digest == b.digest and (a.shingles == b.shingles).all() and a.size == 3


def test_example_articles_are_not_copies_of_each_other(analysed):
    bodies = [prepare(Article.from_document(d)) for d in analysed]
    for a, b in combinations(bodies, 2):
        assert compare(a, b) is None


def test_sharing_a_paragraph_does_not_make_a_copy(analysed):
    """Two articles about the same event quoting the same statement stay two sources."""
    a, b = analysed[0], analysed[3]
    quoted = a.text[a.body[2][0] : a.body[2][1]]
    cut = b.body[3][1]
    mixed = b.text[:cut] + "\n\n" + quoted + "\n\n" + b.text[cut:]
    doc = storyline.analyze(mixed)[0]
    assert compare(prepare(Article.from_document(doc)), prepare(Article.from_document(a))) is None
    assert compare(prepare(Article.from_document(doc)), prepare(Article.from_document(b))) is not None  # b plus a quote


def test_short_bodies_are_never_copies():
    short = storyline.analyze("Brève\n\nLe sommet est reporté.")[0]
    body = prepare(Article.from_document(short))
    assert body.words < MIN_WORDS and compare(body, body) is None


# -- through the store ---------------------------------------------------------------------------------------
def test_distinct_examples_store_no_copies(tmp_path, examples):
    with storyline.open(tmp_path / "news.db") as sl:
        assert sl.ingest([examples]).counts["stored"] == 5
        ids = [a.id for a in sl.articles()]
        assert all(sl.copy_of(i) is None and sl.copies_of(i) == [] for i in ids)
        assert sl.independent_sources(ids) == 5 - _same_wire(sl, ids)
        n_bands = sl.store._conn.execute("SELECT COUNT(DISTINCT article_seq) FROM lsh_bands").fetchone()[0]
        assert n_bands == 5


def _same_wire(sl, ids) -> int:
    wires = list(sl.store.wire_credits(ids).values())
    return len(wires) - len({w.casefold() for w in wires})


@pytest.mark.parametrize("order", ["originals first", "copies first"])
def test_planted_copies_point_to_their_original(tmp_path, analysed, order):
    rows, truth = copy_rows(analysed)
    if order == "copies first":
        rows.reverse()
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    with storyline.open(tmp_path / "news.db") as sl:
        report = sl.ingest([src])
        assert report.counts == {"stored": 25, "duplicate": 0, "rejected": 0}
        ids = by_key(sl)
        for key, (kind, original) in truth.items():
            link = sl.copy_of(ids[key])
            assert link is not None, key
            assert link.original_id == ids[original], (key, link)
            assert link.kind in EXPECTED_KINDS[kind], (key, link)
            assert 0.8 <= link.score <= 1.0
        for i in range(5):
            assert sl.copy_of(ids[f"o{i}"]) is None
            assert {c.article_id for c in sl.copies_of(ids[f"o{i}"])} == {ids[f"{k}{i}"] for k in EXPECTED_KINDS}
        everything = list(ids.values())
        assert sl.independent_sources(everything) == 5 - _same_wire(sl, [ids[f"o{i}"] for i in range(5)])
        assert sl.store.integrity_check() == "ok"


def test_copy_ingested_first_is_relinked_to_the_earlier_original(tmp_path, analysed):
    doc = analysed[1]
    copies = planted(doc)
    db = tmp_path / "news.db"
    first = write_jsonl(tmp_path / "1.jsonl", [
        {"id": "trimmed", "text": copies["trimmed"], "published": "2022-01-05"},
        {"id": "wrapped", "text": copies["wrapped"], "published": "2022-01-04"},
    ])
    with storyline.open(db) as sl:
        sl.ingest([first])
        ids = by_key(sl)
        assert sl.copy_of(ids["trimmed"]).original_id == ids["wrapped"]  # the earliest so far
    # a later run (a new process would do the same: the index and the links are in the file)
    second = write_jsonl(tmp_path / "2.jsonl", [
        {"id": "original", "text": doc.text, "published": "2022-01-02"},
        {"id": "exact", "text": copies["exact"], "published": "2022-01-03"},
    ])
    with storyline.open(db) as sl:
        sl.ingest([second])
        ids = by_key(sl)
        assert sl.copy_of(ids["original"]) is None
        for key in ("trimmed", "wrapped", "exact"):
            assert sl.copy_of(ids[key]).original_id == ids["original"], key
        assert sl.copy_of(ids["exact"]).kind == "exact"
        assert sl.copy_of(ids["trimmed"]).kind in EXPECTED_KINDS["trimmed"]
        assert sl.independent_sources(ids.values()) == 1


def test_same_day_goes_to_the_earliest_ingested_and_undated_after_dated(tmp_path, analysed):
    doc = analysed[2]
    copies = planted(doc)

    def article(text: str, published: Published) -> Article:
        return replace(Article.from_document(storyline.analyze(text)[0]), published=published)

    undated = article(copies["exact"], Published())
    first = article(copies["wrapped"], Published.exact("2022-01-10", "test"))
    second = article(doc.text, Published.exact("2022-01-10", "test"))
    with storyline.open(tmp_path / "news.db") as sl:
        for a in (undated, first, second):  # one batch each, in this order
            with sl.store.batch() as batch:
                assert batch.add_article(a).status == "stored"
                sl.deduper.place(batch, sl.store, a)
        assert sl.copy_of(first.id) is None
        assert sl.copy_of(undated.id).original_id == first.id  # a known day comes before an unknown one
        assert sl.copy_of(second.id).original_id == first.id  # the same day: the earliest ingested


def test_reingest_is_idempotent(tmp_path, analysed):
    rows, _ = copy_rows(analysed)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    db = tmp_path / "news.db"
    with storyline.open(db) as sl:
        sl.ingest([src])
    snapshot = _tables(db)
    with storyline.open(db) as sl:
        report = sl.ingest([src])
        assert report.counts == {"stored": 0, "duplicate": 25, "rejected": 0}
        # placing an already placed article again writes nothing new either
        with sl.store.batch() as batch:
            for a in sl.articles():
                sl.deduper.place(batch, sl.store, a)
    assert _tables(db) == snapshot


def _tables(db: Path) -> tuple[list, list]:
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT article_id, original_id, kind, score FROM copies ORDER BY article_id").fetchall(),
                con.execute("SELECT band, hash, article_seq FROM lsh_bands ORDER BY 1, 2, 3").fetchall())
    finally:
        con.close()


def test_wire_credits_of_one_agency_count_once(tmp_path):
    def article(i: int, wire: str | None) -> Article:
        return Article(f"{i:016x}", f"s{i}", f"texte {i}", None, "fr", Published(), None, wire, None, (), {})

    with storyline.open(tmp_path / "news.db") as sl:
        with sl.store.batch() as batch:
            for i, wire in enumerate(["AFP", "afp ", "Reuters", None, None, None]):
                batch.add_article(article(i, wire))
            batch.set_copy(f"{5:016x}", f"{4:016x}", "near", 0.9)
            batch.set_copy(f"{3:016x}", f"{0:016x}", "exact", 1.0)  # an uncredited copy of an AFP story
        ids = [f"{i:016x}" for i in range(6)]
        # {AFP x2 + its copy}, {Reuters}, {4 + its copy 5}
        assert sl.independent_sources(ids) == 3
        assert sl.independent_sources(ids[5:]) == 1  # a copy alone is still one source
        assert sl.independent_sources([]) == 0
        assert sl.copies_of(ids[4])[0].to_dict() == {"article_id": ids[5], "original_id": ids[4], "kind": "near",
                                                     "score": 0.9}


def test_lookup_goes_through_the_band_index(tmp_path):
    with storyline.open(tmp_path / "news.db") as sl:
        plan = sl.store._conn.execute(
            "EXPLAIN QUERY PLAN SELECT l.article_seq, COUNT(*) FROM (VALUES (?, ?)) AS q CROSS JOIN lsh_bands AS l "
            "ON l.band = q.column1 AND l.hash = q.column2 GROUP BY l.article_seq", (1, 2)
        ).fetchall()
    details = " ".join(row[-1] for row in plan)
    assert "SEARCH l USING PRIMARY KEY (band=? AND hash=?)" in details and "SCAN l" not in details


KILLER = textwrap.dedent("""
    import os, signal, sys
    import storyline
    done = 0
    def progress(outcome):
        global done
        done += 1
        if done == int(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)  # mid-batch: this batch's article, link and bands are written
    sl = storyline.open(sys.argv[1])
    sl.batch_size = 4
    sl.ingest([sys.argv[2]], progress=progress)
""")


def test_sigkill_loses_whole_batches_only(tmp_path, analysed):
    rows, truth = copy_rows(analysed)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    db = tmp_path / "kill.db"
    proc = subprocess.run([sys.executable, "-c", KILLER, str(db), str(src), "11"], capture_output=True, check=False)
    assert proc.returncode == -9, proc.stderr.decode()
    con = sqlite3.connect(db)
    n = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert n == 8  # two whole batches of four; the third died with the process
    # every article kept is indexed, except copies with their original's very body (and so its keys)
    unindexed = con.execute(
        "SELECT a.id, c.kind FROM articles AS a LEFT JOIN copies AS c ON c.article_id = a.id "
        "WHERE a.seq NOT IN (SELECT article_seq FROM lsh_bands)"
    ).fetchall()
    assert all(kind in ("exact", "reheadlined") for _, kind in unindexed), unindexed
    assert con.execute("SELECT COUNT(*) FROM copies WHERE article_id NOT IN (SELECT id FROM articles) "
                       "OR original_id NOT IN (SELECT id FROM articles)").fetchone()[0] == 0
    con.close()
    with storyline.open(db) as sl:
        assert sl.store.integrity_check() == "ok"
        sl.ingest([src])
        ids = by_key(sl)
        assert len(ids) == 25
        for key, (_kind, original) in truth.items():
            assert sl.copy_of(ids[key]).original_id == ids[original], key


def test_backfill_indexes_articles_stored_before_the_index(tmp_path, analysed):
    rows, truth = copy_rows(analysed)
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    db = tmp_path / "old.db"
    with storyline.open(db) as sl:
        sl.deduper.place = lambda *a, **k: None  # as a database from before schema version 3
        sl.ingest([src])
    with storyline.open(db) as sl:
        assert sl.store.copy_links(by_key(sl).values()) == {}
        assert backfill(sl.store, batch_size=7) == 25
        ids = by_key(sl)
        for key, (_kind, original) in truth.items():
            assert sl.copy_of(ids[key]).original_id == ids[original], key
        before = _tables(db)
        backfill(sl.store)
        assert _tables(db) == before


def test_an_earlier_original_gathers_the_groups_it_bridges(tmp_path, analysed):
    """A head excerpt and a tail excerpt of one story share nothing, so they start two groups; the full story,
    published before both, then becomes the original of both."""
    doc = analysed[3]
    n = len(doc.body)
    head = doc.text[: doc.body[n // 2 - 1][1]]
    tail = doc.text[doc.body[n // 2][0] :]
    src = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "head", "text": head, "published": "2022-01-05"},
        {"id": "tail", "text": tail, "published": "2022-01-04"},
        {"id": "full", "text": doc.text, "published": "2022-01-01"},
    ])
    with storyline.open(tmp_path / "news.db") as sl:
        sl.ingest([src])
        ids = by_key(sl)
        assert sl.copy_of(ids["full"]) is None
        assert sl.copy_of(ids["head"]).original_id == ids["full"]
        assert sl.copy_of(ids["tail"]).original_id == ids["full"]
        assert {sl.copy_of(ids[k]).kind for k in ("head", "tail")} == {"contained"}
