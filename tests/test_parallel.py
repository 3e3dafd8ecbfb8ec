"""Ingest with worker processes stores exactly what an ingest in one process stores, and stops its workers."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
from pathlib import Path

import pytest

import storyline
from storyline.api import Storyline
from storyline.store import open_store

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked")

# Every stored fact, without the clocks and run ids that differ between two runs by nature.
TABLES = {
    "articles": "SELECT seq, id, source, url, outlet, wire, title, text, language, published_date, "
                "published_earliest, published_latest, published_evidence, body, meta, errors FROM articles",
    "inputs": "SELECT seq, source, status, article_id, reason, code FROM inputs",
    "stories": 'SELECT id, level, label, "first", "last", size FROM stories',
    "story_articles": "SELECT story_id, article_id, position FROM story_articles",
    "story_terms": "SELECT story_id, term, weight FROM story_terms",
    "entities": "SELECT id, canonical, type, mentions, data FROM entities",
    "mentions": "SELECT * FROM mentions",
    "facts": "SELECT * FROM facts",
    "state": "SELECT name, data FROM state",
    "lsh_bands": "SELECT * FROM lsh_bands",
    "copies": "SELECT article_id, original_id, kind, score FROM copies",
}


def _corpus(folder: Path, examples: Path, n: int) -> None:
    """Versions of the example articles (paragraphs reordered, trimmed, re-headlined, with site chrome that
    repeats per outlet: what the stateful boilerplate stage learns), plus inputs the readers reject."""
    rng = random.Random(3)
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    folder.mkdir()
    for i in range(n):
        paras = [p for p in texts[i % len(texts)].split("\n\n") if p.strip()]
        head, rest = paras[:1], paras[1:]
        if i % 3 == 1:
            rng.shuffle(rest)
        if i % 4 == 2:
            rest = rest[: max(2, len(rest) * 2 // 3)]
        if i % 5 == 3:
            head = [f"Édition du soir {i}"]
        outlet = ("Gazette Alpha", "Courrier Bravo", "Journal Charlie", "Revue Delta")[i % 4]
        chrome = [outlet, "Accueil | Monde | Europe", "Suivez-nous sur les réseaux sociaux"]
        (folder / f"{i:04d}.txt").write_text("\n\n".join(chrome + head + rest) + f"\n\nRéf. {i}\n", encoding="utf-8")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)


def _ingest(db: Path, corpus: Path, workers: int, pipeline=None) -> dict:
    sl = Storyline(open_store(str(db)), pipeline=pipeline, batch_size=16, workers=workers)
    with sl:
        report = sl.ingest([corpus])
    return report.counts


def _content(db: Path) -> dict[str, list]:
    con = sqlite3.connect(db)
    try:
        return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in TABLES.items()}
    finally:
        con.close()


def test_workers_store_exactly_what_one_process_stores(tmp_path, examples):
    corpus = tmp_path / "corpus"
    _corpus(corpus, examples, 90)
    counts = {w: _ingest(tmp_path / f"w{w}.db", corpus, workers=w) for w in (0, 2)}
    assert counts[0] == counts[2] == {"stored": 90, "duplicate": 0, "rejected": 2}
    sequential, parallel = _content(tmp_path / "w0.db"), _content(tmp_path / "w2.db")
    # the corpus exercises what must match: copies, stories, learned state, entities and the other facts
    assert sequential["copies"] and sequential["stories"] and sequential["mentions"] and sequential["facts"]
    assert {name for name, _ in sequential["state"]} == {"outlet_memory", "entities"}
    for table in TABLES:
        assert parallel[table] == sequential[table], table
    assert not multiprocessing.active_children()


def test_spine_alone_with_one_worker_matches_too(tmp_path, examples):
    """With the spine's stages only, the stateful boilerplate stage sits between two stateless runs."""
    corpus = tmp_path / "corpus"
    _corpus(corpus, examples, 70)
    spine = ("extract", "metadata", "title", "body", "language", "identity")
    for w in (0, 1):
        _ingest(tmp_path / f"w{w}.db", corpus, workers=w, pipeline=storyline.Pipeline.from_names(spine))
    assert _content(tmp_path / "w1.db") == _content(tmp_path / "w0.db")


def test_interrupted_ingest_stops_its_workers_and_resumes(tmp_path, examples):
    """Interrupted in its second batch, an ingest keeps its first batch, and the learned state saved with it
    is the state after that batch, although the workers were already further: as without workers."""
    corpus = tmp_path / "corpus"
    _corpus(corpus, examples, 60)
    spine = ("extract", "metadata", "title", "body", "language", "identity")
    for workers in (0, 2):
        db = tmp_path / f"w{workers}.db"
        seen = 0

        def interrupt(_outcome) -> None:
            nonlocal seen
            seen += 1
            if seen == 20:
                raise KeyboardInterrupt  # what Ctrl-C raises in the middle of the second batch

        pipeline = storyline.Pipeline.from_names(spine)
        with Storyline(open_store(str(db)), pipeline=pipeline, batch_size=16, workers=workers) as sl:
            with pytest.raises(KeyboardInterrupt):
                sl.ingest([corpus], progress=interrupt)
        assert not multiprocessing.active_children()
    assert _content(tmp_path / "w2.db") == _content(tmp_path / "w0.db")
    for workers in (0, 2):
        db = tmp_path / f"w{workers}.db"
        pipeline = storyline.Pipeline.from_names(spine)
        with Storyline(open_store(str(db)), pipeline=pipeline, batch_size=16, workers=workers) as sl:
            report = sl.ingest([corpus])
        assert report.counts == {"stored": 60 - 16, "duplicate": 16, "rejected": 2}  # the first batch committed
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 60
        con.close()
    assert _content(tmp_path / "w2.db") == _content(tmp_path / "w0.db")


def test_negative_workers_is_an_error(tmp_path):
    with pytest.raises(ValueError):
        with storyline.open(tmp_path / "x.db", workers=-1) as sl:
            sl.ingest([])


def test_stateful_stages_cut_the_pipeline_into_runs():
    pipeline = storyline.Pipeline.from_names(storyline.api.DEFAULT_PIPELINE)
    runs = [([s.name for s in stages], stateful) for stages, stateful in pipeline.segments()]
    assert runs == [
        (["extract", "metadata", "title"], False),
        (["body"], True),
        (["source", "language", "published"], False),
        (["entities"], True),
        (["quotes", "times", "events", "identity"], False),
    ]
    assert [s for stages, _ in pipeline.segments() for s in stages] == pipeline.stages
