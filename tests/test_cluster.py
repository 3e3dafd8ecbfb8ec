"""Grouping articles into events and storylines (storyline.cluster), on real files and a real SQLite database:
the example corpus against its gold, French, English and Spanish reports of one happening, independence of
the order and size of batches, the fallback without entities and events, migration, the embedding option."""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path

import pytest

import storyline
from storyline.api import Storyline, document_facts
from storyline.cluster import Grouper, evidence_of, same_event
from storyline.pipeline import Pipeline
from storyline.records import Article
from storyline.store import open_store
from storyline.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate

from conftest import EXAMPLES, build_tiny_sentence_model, run_cli

# Two summits between the same leaders seven weeks apart (one storyline, two events), each reported in several
# languages, and an unrelated story on the day of the first.
SUMMIT_TOKYO = [
    {"id": "tokyo-en", "language": "en", "published": "2023-03-16", "outlet": "Wire Daily",
     "title": "Japan and South Korea agree to mend ties at Tokyo summit",
     "text": "TOKYO, March 16 - Japanese Prime Minister Fumio Kishida and South Korean President Yoon Suk Yeol met "
             "in Tokyo on Thursday, the first visit by a South Korean leader to Japan for a bilateral summit in 12 "
             "years.\n\nThe two leaders agreed to resume regular visits and to restore a military "
             "intelligence-sharing pact. Kishida said the meeting opened \"a new chapter\" in relations between "
             "Tokyo and Seoul.\n\nYoon said the two countries faced common threats from North Korea, which fired a "
             "long-range missile hours before he arrived. Japan also said it would lift export curbs on three "
             "chemicals used in semiconductors, while South Korea dropped its complaint at the World Trade "
             "Organization."},
    {"id": "tokyo-fr", "language": "fr", "published": "2023-03-16", "outlet": "Le Quotidien",
     "title": "Le Japon et la Corée du Sud scellent leur réconciliation à Tokyo",
     "text": "Le Premier ministre japonais Fumio Kishida et le président sud-coréen Yoon Suk Yeol se sont "
             "rencontrés jeudi à Tokyo, lors de la première visite bilatérale d'un dirigeant sud-coréen au Japon "
             "depuis douze ans.\n\nLes deux dirigeants ont convenu de reprendre leurs visites régulières et de "
             "rétablir un accord de partage de renseignements militaires. M. Kishida a salué « un nouveau "
             "chapitre » dans les relations entre Tokyo et Séoul.\n\nM. Yoon a évoqué les menaces communes de la "
             "Corée du Nord, qui a tiré un missile balistique quelques heures avant son arrivée. Le Japon lèvera "
             "ses restrictions sur l'exportation de trois produits chimiques utilisés dans les semi-conducteurs, et "
             "la Corée du Sud retire sa plainte devant l'Organisation mondiale du commerce."},
    {"id": "tokyo-es", "language": "es", "published": "2023-03-17", "outlet": "El Diario",
     "title": "Japón y Corea del Sur reanudan sus cumbres tras doce años",
     "text": "El primer ministro de Japón, Fumio Kishida, y el presidente de Corea del Sur, Yoon Suk Yeol, se "
             "reunieron el jueves en Tokio, en la primera visita bilateral de un mandatario surcoreano a Japón en "
             "doce años.\n\nAmbos líderes acordaron reanudar las visitas periódicas y restablecer un pacto para "
             "compartir inteligencia militar. Kishida afirmó que la reunión abre \"un nuevo capítulo\" en las "
             "relaciones entre Tokio y Seúl.\n\nYoon señaló las amenazas comunes de Corea del Norte, que lanzó un "
             "misil balístico horas antes de su llegada. Japón levantará las restricciones a la exportación de "
             "tres productos químicos usados en semiconductores y Corea del Sur retirará su queja ante la "
             "Organización Mundial del Comercio."},
]
SUMMIT_SEOUL = [
    {"id": "seoul-en", "language": "en", "published": "2023-05-07", "outlet": "Wire Daily",
     "title": "Kishida visits Seoul as Japan and South Korea deepen thaw",
     "text": "SEOUL, May 7 - Japanese Prime Minister Fumio Kishida met South Korean President Yoon Suk Yeol in "
             "Seoul on Sunday, the first visit by a Japanese leader to South Korea in 12 years.\n\nKishida and Yoon "
             "held talks at the presidential office and discussed North Korea's missile programme and economic "
             "security. Kishida said his heart ached for the many people who suffered under Japanese rule.\n\nThe "
             "two leaders agreed to let South Korean experts inspect the Fukushima nuclear plant before Japan "
             "releases treated water into the sea."},
    {"id": "seoul-fr", "language": "fr", "published": "2023-05-08", "outlet": "Le Quotidien",
     "title": "Fumio Kishida à Séoul pour consolider le rapprochement avec la Corée du Sud",
     "text": "Le Premier ministre japonais Fumio Kishida a rencontré dimanche à Séoul le président sud-coréen Yoon "
             "Suk Yeol, lors de la première visite d'un chef de gouvernement japonais en Corée du Sud depuis douze "
             "ans.\n\nLes deux dirigeants ont discuté du programme de missiles de la Corée du Nord et de sécurité "
             "économique. M. Kishida a dit avoir « le cœur serré » pour les nombreuses personnes qui ont souffert "
             "sous la domination japonaise.\n\nIls ont convenu que des experts sud-coréens inspecteront la "
             "centrale nucléaire de Fukushima avant le rejet en mer d'eau traitée."},
]
BANK_RESCUE = [
    {"id": "bank-en", "language": "en", "published": "2023-03-16", "outlet": "Wire Daily",
     "title": "Credit Suisse to borrow up to 50 billion francs from Swiss central bank",
     "text": "ZURICH, March 16 - Credit Suisse said on Thursday it would borrow up to 50 billion Swiss francs "
             "from the Swiss National Bank to shore up its liquidity, after its shares plunged 24% the day before."
             "\n\nThe lender also offered to buy back debt worth up to 3 billion francs. Chief executive Ulrich "
             "Koerner told staff the bank was taking decisive action to strengthen itself.\n\nShares in European "
             "banks rebounded after the announcement, while investors in Frankfurt and London awaited the "
             "European Central Bank's rate decision."},
]
MULTILINGUAL = SUMMIT_TOKYO + SUMMIT_SEOUL + BANK_RESCUE


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _partition(sl: Storyline, level: str, name_of) -> set[frozenset[str]]:
    return {frozenset(name_of(a) for a in s.articles) for s in sl.stories(level)}


def _ingest_rows(tmp_path: Path, rows: list[dict], batch_size: int, tag: str) -> tuple[set, set]:
    """Ingest `rows` (in that order, `batch_size` per batch); (event partition, storyline partition) by row id."""
    src = _write_jsonl(tmp_path / f"{tag}.jsonl", rows)
    with Storyline(open_store(str(tmp_path / f"{tag}.db")), batch_size=batch_size) as sl:
        assert sl.ingest([src]).counts["stored"] == len(rows)
        names = {a.id: a.meta["id"] for a in sl.articles()}
        return _partition(sl, "event", names.get), _partition(sl, "storyline", names.get)


def test_three_languages_one_event_and_a_later_summit_in_the_same_storyline(tmp_path):
    events, storylines = _ingest_rows(tmp_path, MULTILINGUAL, 200, "ml")
    assert events == {frozenset({"tokyo-en", "tokyo-fr", "tokyo-es"}), frozenset({"seoul-en", "seoul-fr"}),
                      frozenset({"bank-en"})}
    assert storylines == {frozenset({"tokyo-en", "tokyo-fr", "tokyo-es", "seoul-en", "seoul-fr"}),
                          frozenset({"bank-en"})}


def test_multilingual_partitions_do_not_depend_on_order_or_batch_size(tmp_path):
    expected = _ingest_rows(tmp_path, MULTILINGUAL, 200, "base")
    orders = [list(reversed(MULTILINGUAL)), MULTILINGUAL[2::2] + MULTILINGUAL[1::2] + MULTILINGUAL[:1]]
    for n, (rows, size) in enumerate(itertools.product(orders, (1, 2, 4))):
        assert _ingest_rows(tmp_path, rows, size, f"o{n}") == expected, (size, [r["id"] for r in rows])


def test_story_records_carry_label_dates_outlets_languages_and_sources(tmp_path):
    src = _write_jsonl(tmp_path / "ml.jsonl", MULTILINGUAL)
    with storyline.open(tmp_path / "r.db") as sl:
        sl.ingest([src])
        names = {a.id: a.meta["id"] for a in sl.articles()}
        tokyo = next(s for s in sl.stories("event") if "tokyo-es" in {names[a] for a in s.articles})
        d = sl.describe(tokyo)
        assert d["label"] in {r["title"] for r in SUMMIT_TOKYO}  # a member's headline
        assert (d["first"], d["last"]) == ("2023-03-16", "2023-03-17")
        assert d["outlets"] == ["El Diario", "Le Quotidien", "Wire Daily"] and d["languages"] == ["en", "es", "fr"]
        assert d["n_articles"] == 3 and d["independent_sources"] == 3
        thread = next(s for s in sl.stories("storyline") if len(s.articles) == 5)
        assert "Fumio Kishida" in sl.describe(thread)["label"] or "Japan" in sl.describe(thread)["label"]
        assert (thread.first, thread.last) == ("2023-03-16", "2023-05-08")


# -- the example corpus ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def analysed_examples():
    """The example corpus analysed once, as one batch (the publication dates use the batch for years)."""
    docs = storyline.analyze(EXAMPLES)
    return [(Article.from_document(d), d) for d in docs]


def _place(tmp_path: Path, tag: str, batches: list[list[tuple[Article, object]]]) -> Storyline:
    """Store analysed articles with their facts and group them, batch by batch, as `Storyline.ingest` does."""
    sl = Storyline(open_store(str(tmp_path / f"{tag}.db")))
    for group in batches:
        with sl.store.batch() as batch:
            for article, doc in group:
                batch.add_article(article)
                for kind, items in document_facts(doc):
                    batch.add_facts(article.id, kind, items)
            sl.grouper.place_all(batch, sl.store, group)
    return sl


def test_gold_example_corpus_one_storyline_five_events(tmp_path, shared, examples):
    gold = json.loads((shared / "corpora" / "diplomacy-fr" / "gold.json").read_text("utf-8"))
    with storyline.open(tmp_path / "gold.db") as sl:
        sl.ingest([examples])
        file_of = {a.id: Path(a.source).name for a in sl.articles()}
        assert _partition(sl, "storyline", file_of.get) == {frozenset(s["documents"]) for s in gold["storylines"]}
        assert _partition(sl, "event", file_of.get) == {frozenset(c) for c in gold["event_clusters"]}


def test_example_partitions_do_not_depend_on_order_or_batches(tmp_path, analysed_examples):
    def partitions(sl):
        ids = lambda a: a  # noqa: E731
        return _partition(sl, "event", ids), _partition(sl, "storyline", ids)

    items = analysed_examples
    expected = partitions(_place(tmp_path, "one", [items]))
    assert len(expected[0]) == 5 and len(expected[1]) == 1
    splits = {
        "reversed": [list(reversed(items))],
        "singles": [[x] for x in reversed(items)],
        "pairs": [items[3:5], items[0:2], items[2:3]],
        "rotated": [items[2:] + items[:2]],
    }
    for tag, batches in splits.items():
        assert partitions(_place(tmp_path, tag, batches)) == expected, tag


def test_undated_article_is_not_forced_into_an_event_by_a_midpoint_guess(analysed_examples):
    evidence = {a.id: evidence_of(a, d) for a, d in analysed_examples}
    wide = [e for e in evidence.values() if e.width is not None and e.width > 7]
    assert wide, "the corpus holds an article dated only to within weeks"
    for e in wide:  # its only happening signal would be a guessed day: it matches no other article
        assert not any(same_event(e, other) for other in evidence.values() if other is not e)


def test_an_undated_article_gives_its_event_the_days_it_may_have_been_published_on(tmp_path, analysed_examples):
    sl = _place(tmp_path, "dates", [analysed_examples])
    for article, _ in analysed_examples:
        p = article.published
        event = next(s for s in sl.stories("event") if article.id in s.articles)
        if p.date:
            assert (event.first, event.last) == (p.date, p.date)
        else:  # not a middle day nobody reported
            assert p.earliest < p.latest and (event.first, event.last) == (p.earliest, p.latest)
    story = sl.stories("storyline")[0]
    assert story.first == min(a.published.date or a.published.earliest for a, _ in analysed_examples)


# -- without entities and events (the spine pipeline) ----------------------------------------------------
def test_fallback_on_terms_without_entities_and_events(tmp_path):
    spine = Pipeline.from_names(["extract", "metadata", "title", "body", "source", "language", "published", "identity"])
    copy = dict(BANK_RESCUE[0], id="bank-en-2", outlet="Other Daily",
                text=BANK_RESCUE[0]["text"].replace("decisive action", "swift action"))
    src = _write_jsonl(tmp_path / "spine.jsonl", [*MULTILINGUAL, copy])
    with Storyline(open_store(str(tmp_path / "spine.db")), pipeline=spine) as sl:
        sl.ingest([src])
        names = {a.id: a.meta["id"] for a in sl.articles()}
        evidence = sl.store.grouping_evidence(names)
        assert all(k.startswith("t:") for d in evidence.values() for k in d["vector"])  # term evidence
        events = _partition(sl, "event", names.get)
        assert frozenset({"bank-en", "bank-en-2"}) in events  # same terms, same day
        assert frozenset({"seoul-en"}) in events  # the same names seven weeks later: another happening


def test_spine_pipeline_without_dates_still_groups_on_terms(tmp_path):
    spine = Pipeline.from_names(["extract", "metadata", "title", "body", "language", "identity"])
    copy = dict(BANK_RESCUE[0], id="bank-en-2", text=BANK_RESCUE[0]["text"].replace("decisive", "swift"))
    with Storyline(open_store(str(tmp_path / "nodate.db")), pipeline=spine) as sl:
        sl.ingest([_write_jsonl(tmp_path / "nodate.jsonl", [*SUMMIT_TOKYO, *BANK_RESCUE, copy])])
        names = {a.id: a.meta["id"] for a in sl.articles()}
        assert frozenset({"bank-en", "bank-en-2"}) in _partition(sl, "event", names.get)
        assert frozenset({"bank-en", "bank-en-2"}) in _partition(sl, "storyline", names.get)


# -- store ---------------------------------------------------------------------------------------------
def test_version_3_database_migrates_and_groups(tmp_path):
    path = tmp_path / "v3.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, str(path), MIGRATIONS[:3])
    conn.close()
    with storyline.open(path) as sl:
        assert sl.store.schema_version() == SCHEMA_VERSION >= 4
        sl.ingest([_write_jsonl(tmp_path / "a.jsonl", SUMMIT_SEOUL)])
        assert len(sl.stories("event")) == 1 and len(sl.stories("storyline")) == 1


def test_candidate_lookup_reads_the_index_not_the_table(tmp_path):
    with storyline.open(tmp_path / "i.db") as sl:
        plan = " ".join(r[-1] for r in sl.store._conn.execute(
            "EXPLAIN QUERY PLAN SELECT article_id FROM grouping_keys WHERE key = ? AND day BETWEEN ? AND ? "
            "ORDER BY day DESC LIMIT 30", ("e:x", 1, 2)))
    assert "SEARCH grouping_keys USING PRIMARY KEY" in plan and "TEMP B-TREE" not in plan


# -- optional embeddings -----------------------------------------------------------------------------------
def test_embedding_backend_adds_unit_vectors_and_keeps_the_partitions(tmp_path, tiny_sentence_model):
    src = _write_jsonl(tmp_path / "ml.jsonl", MULTILINGUAL)
    with Storyline(open_store(str(tmp_path / "emb.db"))) as sl:
        sl.grouper = Grouper(embedding_model=tiny_sentence_model)
        sl.ingest([src])
        names = {a.id: a.meta["id"] for a in sl.articles()}
        vectors = [d["embedding"] for d in sl.store.grouping_evidence(names).values()]
        assert all(v and abs(sum(x * x for x in v) - 1) < 1e-3 for v in vectors)
        assert _partition(sl, "event", names.get) == _ingest_rows(tmp_path, MULTILINGUAL, 200, "plain")[0]


def test_the_database_remembers_its_embedding_model(tmp_path, tiny_sentence_model):
    rows = MULTILINGUAL[:2]
    db = tmp_path / "remember.db"
    run_cli("ingest", str(_write_jsonl(tmp_path / "a.jsonl", rows[:1])), "--embedding-model", str(tiny_sentence_model), db=db)
    run_cli("ingest", str(_write_jsonl(tmp_path / "b.jsonl", rows[1:])), db=db)  # not told again
    with storyline.open(db) as sl:
        evidence = sl.store.grouping_evidence([a.id for a in sl.articles()])
        assert len(evidence) == 2 and all(d["embedding"] for d in evidence.values())
    other = tmp_path / "other-model"
    other.mkdir()
    refused = run_cli("ingest", str(tmp_path / "a.jsonl"), "--embedding-model", str(other), db=db, check=False)
    assert refused.returncode == 2 and "groups articles with the embedding model" in refused.stderr.decode()
    bad = run_cli("ingest", str(tmp_path / "a.jsonl"), "--embedding-model", str(other), db=tmp_path / "bad.db", check=False)
    assert bad.returncode == 2 and "not look like a sentence-transformers model" in bad.stderr.decode()
    with storyline.open(tmp_path / "bad.db") as sl:
        assert sl.grouper.embedding_model is None
    plain = tmp_path / "plain.db"
    run_cli("ingest", str(tmp_path / "a.jsonl"), db=plain)
    late = run_cli("ingest", str(tmp_path / "b.jsonl"), "--embedding-model", str(tiny_sentence_model), db=plain, check=False)
    assert late.returncode == 2 and "without embeddings" in late.stderr.decode()
    with storyline.open(plain) as sl:  # nothing was recorded or added by the refused runs
        assert sl.grouper.embedding_model is None and sl.store.count_articles() == 1


@pytest.fixture(scope="module")
def tiny_sentence_model(tmp_path_factory):
    return build_tiny_sentence_model(tmp_path_factory.mktemp("tiny-st"), [r["text"] for r in MULTILINGUAL])
