"""Pairwise article similarity: hand-made multilingual pairs, evidence, determinism, the embedding option."""

from __future__ import annotations

import json

import pytest

from storyline.similarity import (
    FEATURES,
    Scorer,
    Signature,
    pair_features,
    signature,
    similarity,
    similarity_pairs,
)
from storyline.similarity.embed import Embedder, EmbeddingUnavailable
from storyline.similarity.text import fold, translit_key

from conftest import build_tiny_sentence_model

# One event (the ECB cuts rates in Frankfurt) told in three languages, and two other events.
ECB_EN = (
    "ECB cuts interest rates to 3.25% as Christine Lagarde warns of slowing growth\n"
    "FRANKFURT, Oct. 17, 2024 - The European Central Bank cut its deposit rate by 25 basis points to 3.25% on "
    "Thursday, the third cut this year. ECB President Christine Lagarde said inflation in Germany, France and "
    "Italy was easing faster than expected. Economists at Deutsche Bank expect another cut in December."
)
ECB_FR = (
    "La BCE abaisse ses taux à 3,25% et Christine Lagarde s'inquiète de la croissance\n"
    "FRANCFORT, 17 octobre 2024 - La Banque centrale européenne a réduit jeudi son taux de dépôt de 25 points "
    "de base, à 3,25%, troisième baisse de l'année. La présidente de la BCE, Christine Lagarde, a jugé que "
    "l'inflation en Allemagne, en France et en Italie ralentissait plus vite que prévu. Les économistes de "
    "Deutsche Bank attendent une nouvelle baisse en décembre."
)
ECB_ES = (
    "El BCE recorta los tipos al 3,25% y Christine Lagarde advierte de la desaceleración\n"
    "FRÁNCFORT, 17 de octubre de 2024 - El Banco Central Europeo recortó el jueves su tipo de depósito en 25 "
    "puntos básicos, hasta el 3,25%, el tercer recorte del año. La presidenta del BCE, Christine Lagarde, dijo "
    "que la inflación en Alemania, Francia e Italia se modera más rápido de lo previsto. Los economistas de "
    "Deutsche Bank esperan otro recorte en diciembre."
)
QUAKE_FR = (
    "Séisme de magnitude 6,8 au Maroc : plus de 2 000 morts dans la région de Marrakech\n"
    "MARRAKECH, 9 septembre 2023 - Un violent tremblement de terre a frappé le Haut Atlas dans la nuit de "
    "vendredi à samedi. Le roi Mohammed VI a décrété trois jours de deuil national. Les secours marocains "
    "fouillent les décombres des villages d'Al-Haouz, où des milliers de maisons se sont effondrées."
)
FOOTBALL_ES = (
    "El Real Madrid gana la Liga con un doblete de Vinícius Júnior ante el Cádiz\n"
    "MADRID, 4 de mayo de 2024 - El Real Madrid se proclamó campeón de Liga tras vencer 3-0 al Cádiz en el "
    "Santiago Bernabéu. Carlo Ancelotti elogió a Jude Bellingham y a Vinícius Júnior, autor de dos goles, "
    "mientras la afición celebraba en la plaza de Cibeles."
)


def test_same_event_across_languages_scores_above_different_events():
    same_fr_en = similarity(ECB_FR, ECB_EN, "fr", "en")
    same_es_en = similarity(ECB_ES, ECB_EN, "es", "en")
    same_fr_es = similarity(ECB_FR, ECB_ES, "fr", "es")
    other_fr_en = similarity(QUAKE_FR, ECB_EN, "fr", "en")
    other_es_fr = similarity(FOOTBALL_ES, ECB_FR, "es", "fr")
    other_fr_es = similarity(QUAKE_FR, FOOTBALL_ES, "fr", "es")
    lowest_same = min(s.score for s in (same_fr_en, same_es_en, same_fr_es))
    highest_other = max(s.score for s in (other_fr_en, other_es_fr, other_fr_es))
    assert lowest_same > highest_other + 0.2
    for s in (same_fr_en, same_es_en, same_fr_es):
        assert 0.0 <= s.score <= 1.0
        assert s.same_storyline
    assert same_fr_es.same_event  # same language family: enough shared words to call it the same event
    for s in (other_fr_en, other_es_fr, other_fr_es):
        assert not s.same_event and not s.same_storyline


def test_shared_evidence_is_reported():
    s = similarity(ECB_FR, ECB_EN, "fr", "en")
    assert "Christine Lagarde" in s.shared_entities
    assert any("Deutsche Bank" == e or "Deutsche" == e for e in s.shared_entities)
    # "Allemagne"/"Germany", "France", "Italie"/"Italy" resolve to the same countries
    assert {"DE", "FR", "IT"} <= set(s.evidence["countries"])
    assert "d10-17" in s.evidence["dates"] and "y2024" in s.evidence["dates"]
    assert "325" in s.evidence["numbers"]  # 3.25% and 3,25%
    assert set(FEATURES) <= set(s.features)
    assert s.features["cross_lingual"] == 1.0
    d = s.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert set(d) >= {"score", "same_event", "same_storyline", "shared_entities", "features"}


def test_deterministic_and_symmetric():
    first = similarity(ECB_FR, ECB_ES, "fr", "es")
    again = similarity(ECB_FR, ECB_ES, "fr", "es")
    assert first == again
    swapped = similarity(ECB_ES, ECB_FR, "es", "fr")
    assert swapped.score == pytest.approx(first.score, abs=1e-9)


def test_syndicated_copy_is_same_event_and_language_is_detected():
    copy = ECB_EN.replace("Economists at Deutsche Bank expect another cut in December.", "Markets rose.")
    s = similarity(ECB_EN, copy)  # languages detected
    assert s.score > 0.8 and s.same_event


def test_signature_roundtrip_and_places():
    sig = signature(ECB_FR, "fr", url="https://www.lemonde.fr/economie/article/2024/10/17/bce.html")
    assert sig.countries.get("DE") and sig.countries.get("FR") and sig.countries.get("IT")
    assert "lemonde.fr" in sig.domains
    assert sig.keywords and len(sig.keywords) <= 25
    stored = json.dumps(sig.to_dict())
    assert len(stored) < 20_000  # compact: n-gram vectors are rebuilt from the word weights
    back = Signature.from_dict(json.loads(stored))
    other = signature(ECB_EN, "en")
    expected = pair_features(sig, other)
    assert pair_features(back, other) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    "text, lang, code",
    [
        ("Les exportations de l'Allemagne reculent.", "fr", "DE"),
        ("Germany's exports fell.", "en", "DE"),
        ("Die Exporte Deutschlands sanken.", "de", "DE"),
        ("Экспорт Германии снизился.", "ru", "DE"),
        ("德国出口下降。", "zh", "DE"),
        ("Almanya'nın ihracatı düştü.", "tr", "DE"),
        ("Rozmowy w Warszawie.", "pl", "PL"),
        ("Talks in Washington and Beijing.", "en", "US"),
    ],
)
def test_places_resolve_to_countries_in_many_languages(text, lang, code):
    assert code in signature(text, lang).countries


def test_name_keys_fold_accents_and_scripts():
    assert fold("Ożywisów") == "ozywisow"
    assert fold("U.S.") == "us"
    assert translit_key("Пелоси") == "pelosi"
    assert translit_key("Kaczyński") == translit_key("Kaczynski")


def test_pairs_file(tmp_path):
    path = tmp_path / "pairs.csv"
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["pair_id", "lang1", "lang2", "text1", "text2"])
        w.writerow(["p1", "fr", "en", ECB_FR, ECB_EN])
        w.writerow(["p2", "fr", "es", QUAKE_FR, FOOTBALL_ES])
    rows = similarity_pairs(path)
    assert [r["id"] for r in rows] == ["p1", "p2"]
    assert rows[0]["score"] > rows[1]["score"]


# --------------------------------------------------------------------------------------------- embeddings


def test_embedding_option_fails_clearly_without_a_model(tmp_path):
    with pytest.raises(EmbeddingUnavailable, match="not a directory"):
        Embedder(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(EmbeddingUnavailable, match="does not look like"):
        Embedder(tmp_path / "empty")


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    """A tiny randomly initialised BERT with mean pooling, saved as a sentence-transformers model."""
    return build_tiny_sentence_model(tmp_path_factory.mktemp("tiny-st"), [ECB_EN, ECB_FR, QUAKE_FR])


def test_embedding_backend_with_a_tiny_local_model(tiny_model):
    embedder = Embedder(tiny_model)
    vectors = embedder.encode([ECB_EN, ECB_FR])
    assert len(vectors) == 2 and len(vectors[0]) == 32
    assert sum(v * v for v in vectors[0]) == pytest.approx(1.0, abs=1e-4)

    scorer = Scorer(embedding_model=tiny_model)
    s = scorer.similarity(ECB_FR, ECB_EN, "fr", "en")
    assert "embedding" in s.features and 0.0 <= s.features["embedding"] <= 1.0
    assert 0.0 <= s.score <= 1.0
    assert s == scorer.similarity(ECB_FR, ECB_EN, "fr", "en")  # deterministic with the model too
    # the functional API takes the same option
    assert similarity(ECB_FR, ECB_EN, "fr", "en", embedding_model=tiny_model).score == pytest.approx(s.score)


def test_article_signature_reads_title_body_and_metadata():
    from storyline.records import Article, Published
    from storyline.similarity import article_signature, default_scorer

    title, body = ECB_EN.split("\n", 1)
    text = f"{title}\n\nCookie notice: accept all cookies.\n\n{body}"
    start = text.index(body)
    article = Article(
        id="a1", source="ecb.html", text=text, title=title, language="en",
        published=Published.exact("2024-10-17", "test"), outlet="Reuters", wire=None,
        url="https://www.reuters.com/markets/ecb-cuts-2024-10-17/", body=((start, len(text)),), meta={},
    )
    sig = article_signature(article)
    assert "reuters.com" in sig.domains and "outlet:reuters" in sig.domains
    assert "cookie" not in sig.words  # only the body ranges (and the title) are read
    assert "lagarde" in sig.words and sig.lang == "en"
    s = default_scorer().compare(sig, signature(ECB_FR, "fr"))
    assert s.same_storyline and "Christine Lagarde" in s.shared_entities
