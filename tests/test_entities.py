"""Entities: recognition on tiny hand-made texts in several languages, grouping within and across documents,
stable ids, persistence, knowledge-base links, the spaCy backend and the cost of merging."""

from __future__ import annotations

import json

import pytest

from storyline.entities import EntityResolver, KnowledgeBase, phonetic, translit
from storyline.entities.keys import edit_distance, org_key
from storyline.records import Document


@pytest.fixture(scope="module")
def stage():
    from storyline.stages.entities import Entities

    return Entities


def run(stage_cls, *texts, language="fr", **kw):
    """Documents whose whole text is body, through one fresh stage (one batch)."""
    docs = [Document(source=f"d{i}", text=t, body=[(0, len(t))], language=language) for i, t in enumerate(texts)]
    stage_cls(workers=1, **kw).pipe(docs)
    return docs


def find(doc, text):
    hits = [m for m in doc.entities if m.text == text]
    assert hits, f"{text!r} not found in {[m.text for m in doc.entities]}"
    return hits[0]


def texts(doc):
    return {m.text for m in doc.entities}


# --- keys --------------------------------------------------------------------------------------------------


def test_transliterations_share_one_phonetic_key():
    assert phonetic("Iouri Ouchakov") == phonetic("Yuriy Ushakov") == phonetic("Юрий Ушаков") == phonetic("Yuri Ushakov")
    assert phonetic("Sergueï Lavrov") == phonetic("Sergey Lavrov") == phonetic("Сергей Лавров")
    assert phonetic("Dmitri Peskov") == phonetic("Dmitry Peskov")
    assert phonetic("Zelensky") == phonetic("Zelenskyy") == phonetic("Selenskyj")
    assert phonetic("Gorbatchev") == phonetic("Gorbachev")
    assert phonetic("Biden") != phonetic("Baiden") and edit_distance(phonetic("Biden"), phonetic("Baiden")) == 1
    assert translit("Юрий Ушаков") == "Yuriy Ushakov"


def test_organisation_key_ignores_word_order_and_agreement():
    assert org_key("Conseil de sécurité nationale") == org_key("Conseil national de sécurité")
    assert org_key("Conseil de sécurité") != org_key("Conseil de sécurité nationale")


# --- recognition -------------------------------------------------------------------------------------------


def test_french_people_titles_roles_and_partial_names(stage):
    (doc,) = run(
        stage,
        "Le porte-parole du Kremlin, Dmitri Peskov, a répondu au conseiller américain pour la sécurité "
        "nationale, Jake Sullivan. M. Sullivan a ensuite appelé Peskov. Antony Blinken était absent ; "
        "Blinken doit rencontrer le président français Emmanuel Macron.",
    )
    peskov = find(doc, "Dmitri Peskov")
    assert peskov.type == "PER" and peskov.role == "porte-parole du Kremlin" and peskov.country == "Russia"
    assert find(doc, "Peskov").entity_id == peskov.entity_id
    sullivan = find(doc, "Jake Sullivan")
    assert sullivan.role == "conseiller américain pour la sécurité nationale" and sullivan.country == "United States"
    assert find(doc, "M. Sullivan").entity_id == sullivan.entity_id
    assert find(doc, "M. Sullivan").canonical == "Jake Sullivan"
    assert find(doc, "Blinken").canonical == "Antony Blinken"
    assert find(doc, "Emmanuel Macron").role == "président français"
    assert find(doc, "Kremlin").type == "ORG"
    assert all(doc.text[m.start : m.end] == m.text for m in doc.entities)


def test_name_shapes_of_other_languages_in_french_text(stage):
    """Family name first, Arabic linking particles, compound first names, acronyms of a person's name and a
    surname after an article: each joins the full name of the document."""
    (doc,) = run(
        stage,
        "Le Premier ministre chinois, Li Qiang, a reçu le prince Faisal ben Farhane. M. Li a salué Ben Farhane. "
        "Le président mexicain Andrés Manuel López Obrador a répondu ; AMLO a refusé. "
        "Le président syrien Bachar al-Assad est attendu. La députée de la Gironde Marie-Claude Vernet a voté, "
        "après que le Vernet a hésité. Le patron du groupe pétrolier Veltrana a démissionné. Un ancien cadre de "
        "Dorvalis a témoigné contre le parti de Marine Le Pen, selon un sondage Quantix. « Non », a dit l'Italien. "
        "Mme Le Pen a répondu.",
    )
    assert find(doc, "M. Li").entity_id == find(doc, "Li Qiang").entity_id
    assert find(doc, "Ben Farhane").entity_id == find(doc, "Faisal ben Farhane").entity_id
    assert find(doc, "AMLO").type == "PER" and find(doc, "AMLO").entity_id == find(doc, "Andrés Manuel López Obrador").entity_id
    assert find(doc, "Bachar al-Assad").type == "PER"
    assert find(doc, "Gironde").type in ("LOC", "GPE") and find(doc, "Marie-Claude Vernet").type == "PER"
    assert find(doc, "Vernet").type == "PER" and find(doc, "Vernet").entity_id == find(doc, "Marie-Claude Vernet").entity_id
    assert find(doc, "Veltrana").type == "ORG" and find(doc, "Dorvalis").type == "ORG" and find(doc, "Quantix").type == "ORG"
    assert find(doc, "Marine Le Pen").type == "PER" and find(doc, "Mme Le Pen").entity_id == find(doc, "Marine Le Pen").entity_id
    assert "Italien" not in texts(doc)  # a person of that nationality, not Italy's German name


def test_french_organisations_acronyms_and_places(stage):
    (doc,) = run(
        stage,
        "Les États-Unis et la Russie participeront à la réunion de l'Organisation pour la sécurité et la "
        "coopération en Europe (OSCE) à Vienne, selon un porte-parole du Conseil de sécurité nationale "
        "des États-Unis. L'OSCE et l'OTAN n'ont pas commenté. Le ministère russe de la Défense a publié un "
        "communiqué, mais pas le ministère américain de la sécurité intérieure.",
    )
    osce = find(doc, "Organisation pour la sécurité et la coopération en Europe")
    assert osce.type == "ORG" and find(doc, "OSCE").entity_id == osce.entity_id
    assert find(doc, "Conseil de sécurité nationale").type == "ORG"
    assert find(doc, "États-Unis").type == "GPE" and find(doc, "États-Unis").canonical == "United States"
    assert find(doc, "Vienne").type == "LOC" and find(doc, "Vienne").canonical == "Vienna"
    assert find(doc, "OTAN").canonical == "NATO"
    assert find(doc, "ministère russe de la Défense").type == "ORG"
    assert not any("sécurité intérieure" in t for t in texts(doc))
    assert "Europe" not in texts(doc)  # inside the organisation's name


def test_capital_named_for_its_government_points_to_the_country(stage):
    (doc,) = run(
        stage,
        "Washington a réitéré sa position. Moscou a rejeté la proposition, a indiqué la Russie. "
        "La réunion aura lieu à Moscou.",
    )
    gov = [m for m in doc.entities if m.text == "Moscou"]
    assert [m.type for m in gov] == ["GPE", "LOC"]
    russia = find(doc, "Russie")
    assert gov[0].refers_to == russia.entity_id and gov[0].entity_id != russia.entity_id  # a relation, not a merge
    assert gov[1].refers_to is None and gov[1].entity_id == gov[0].entity_id
    assert find(doc, "Washington").type == "GPE" and find(doc, "Washington").refers_to
    (doc,) = run(
        stage,
        "MOSCOU (AFP) - La position de Washington a changé, selon Londres. La maire de Paris, elle, se tait. "
        "Les négociations auront lieu à Genève, Bruxelles et Vienne.",
    )
    types = {m.text: m.type for m in doc.entities}
    assert types == {"MOSCOU": "LOC", "AFP": "ORG", "Washington": "GPE", "Londres": "GPE", "Paris": "LOC",
                     "Genève": "LOC", "Bruxelles": "LOC", "Vienne": "LOC"}


def test_quoted_government_noun_and_an_acronym_of_some_initials(stage):
    (doc,) = run(
        stage,
        "Le ministre a salué les « efforts » de Varsovie. Le Programme des Nations unies pour le développement "
        "(PNUD) a publié son rapport.",
    )
    assert find(doc, "Varsovie").type == "GPE" and find(doc, "Varsovie").refers_to
    pnud = find(doc, "Programme des Nations unies pour le développement")
    assert pnud.type == "ORG" and pnud.entity_id == find(doc, "PNUD").entity_id


def test_organisations_named_by_their_noun_or_a_word_acronym(stage):
    (doc,) = run(
        stage,
        "Des mercenaires de Mozart sont arrivés. Le groupe Mozart dément ; la Mozart Group n'a rien dit. "
        "L'Union économique et monétaire ouest-africaine (Uemoa) a imposé un ultimatum à Niamey. "
        "Le porte-parole de la Commission Peter Varga a répondu.",
    )
    ids = {m.entity_id for m in doc.entities if m.text.startswith("Mozart")}
    assert len(ids) == 1 and {m.type for m in doc.entities if m.text.startswith("Mozart")} == {"ORG"}
    uemoa = find(doc, "Union économique et monétaire ouest-africaine")
    assert uemoa.entity_id == find(doc, "Uemoa").entity_id
    assert find(doc, "Niamey").type == "GPE" and find(doc, "Niamey").refers_to
    assert find(doc, "Peter Varga").type == "PER"


def test_common_words_and_sentence_openers_are_not_names(stage):
    (doc,) = run(
        stage,
        "Tensions diplomatiques : la Russie réunie Troupes près de la frontière. Naturellement, rien "
        "ne bouge. Lire aussi notre dossier. Les Russes et les Alliés attendent. Unifier l'alliance : "
        "Dissuasion et diplomatie. Le 15 FÉVRIER 2022, rien.",
    )
    assert texts(doc) == {"Russie"}


def test_party_members_are_described_not_named(stage):
    # "the Ohio Democrat" describes a person; a lone "Democrats" names nobody and must not become his surname
    (doc,) = run(
        stage,
        "The Ohio Democrat said on Monday that the vote would fail. Democrats in the House agreed, and "
        "Democratic leaders told the Democratic Party to wait. The Free Democrats and the Labour Party "
        "disagreed, as did Senator Maria Lindqvist.",
        language="en",
    )
    assert texts(doc) == {"Ohio", "Democratic Party", "Free Democrats", "Labour Party", "Maria Lindqvist"}
    assert find(doc, "Free Democrats").type == "ORG" and find(doc, "Maria Lindqvist").type == "PER"
    # a party word with common words in capitals is a description too; a large city is not another's old name
    (doc,) = run(
        stage,
        "The Republican Presidential candidate spoke in Philadelphia, where the Republican National Committee met.",
        language="en",
    )
    assert texts(doc) == {"Philadelphia", "Republican National Committee"}
    assert find(doc, "Philadelphia").canonical == "Philadelphia"


@pytest.mark.parametrize("text, language", [
    ("Les pompiers ont évacué le comté de Cherokee mardi soir.", "fr"),
    ("Firefighters evacuated the county of Cherokee on Tuesday.", "en"),
])
def test_the_name_after_a_place_noun_is_a_place(stage, text, language):
    (doc,) = run(stage, text, language=language)
    assert find(doc, "Cherokee").type == "LOC"


def test_an_organisation_after_a_role_stays_an_organisation(stage):
    # the role belongs to the unnamed leader; a title right before a name still makes a person
    (doc,) = run(stage, "That is the leader of the Republican Party, said Senator Bill House on Monday.",
                 language="en")
    assert find(doc, "Republican Party").type == "ORG" and find(doc, "Bill House").type == "PER"


def test_site_navigation_left_in_the_body_names_nobody(stage):
    lines = ["Ouest Matin | Accueil | Politique | Monde", "Accueil > Économie > Énergie",
             "Selon l'OPEP+, la Norvège et le G7 attendent."]
    text = "\n".join(lines)
    starts = [text.index(line) for line in lines]
    doc = Document(source="x", text=text, body=[(s, s + len(line)) for s, line in zip(starts, lines)], language="fr")
    stage(workers=1).pipe([doc])
    assert texts(doc) == {"OPEP+", "Norvège", "G7"}


def test_only_the_body_is_read(stage):
    text = "Alexander Zverev explique tout\nBoris Johnson a parlé à Emmanuel Macron.\nGetty Images / Samuel Corum"
    start = text.index("Boris")
    doc = Document(source="x", text=text, body=[(start, text.index("\nGetty"))], language="fr")
    stage(workers=1).pipe([doc])
    assert texts(doc) == {"Boris Johnson", "Emmanuel Macron"}
    empty = Document(source="y", text=text, body=[], language="fr")
    stage(workers=1).pipe([empty])
    assert empty.entities == []


def test_offsets_point_into_the_raw_text_despite_homoglyphs_and_decomposed_accents(stage):
    text = "Est-\u0441e que Serge\u0301i Lavrov a vu l'OTAN\u00a0? Sergueï Lavrov a dit non."
    (doc,) = run(stage, text)
    for m in doc.entities:
        assert text[m.start : m.end] == m.text
    assert {m.canonical for m in doc.entities} >= {"NATO"}


def test_english_spanish_german_and_russian(stage):
    (en,) = run(
        stage,
        "Secretary of State Antony Blinken met NATO Secretary General Jens Stoltenberg in Brussels on Monday. "
        "Blinken said the White House was ready.",
        language="en",
    )
    assert find(en, "Antony Blinken").role.lower().startswith("secretary of state")
    assert find(en, "Blinken").canonical == "Antony Blinken"
    assert find(en, "NATO").type == "ORG" and find(en, "White House").canonical == "White House"
    assert find(en, "Brussels").type == "LOC"
    (es,) = run(stage, "El presidente ruso, Vladímir Putin, habló con la OTAN y la Casa Blanca.", language="es")
    assert find(es, "OTAN").canonical == "NATO" and find(es, "Casa Blanca").canonical == "White House"
    assert find(es, "Vladímir Putin").type == "PER"
    (de,) = run(stage, "Der Kreml und die NATO streiten. Wladimir Putin sprach mit Olaf Scholz in Berlin.", language="de")
    assert find(de, "Kreml").canonical == "Kremlin" and find(de, "Olaf Scholz").type == "PER"
    (ru,) = run(stage, "Помощник президента Юрий Ушаков заявил, что НАТО и Кремль обсудили встречу.", language="ru")
    assert find(ru, "НАТО").canonical == "NATO" and find(ru, "Кремль").canonical == "Kremlin"
    assert find(ru, "Юрий Ушаков").type == "PER"


# --- resolution across documents ------------------------------------------------------------------------------


def test_variants_merge_across_documents_and_languages(stage):
    st = stage(workers=1)
    fr = [
        Document(source="a", text="Iouri Ouchakov, conseiller de Poutine, a parlé. Ouchakov a confirmé.", language="fr"),
        Document(source="b", text="Le conseiller russe Yuriy Ushakov a appelé Jake Sullivan. M. Ushakov a raccroché. L'OTAN attend.", language="fr"),
    ]
    en = [
        Document(source="c", text="Kremlin aide Yuri Ushakov said Vladimir Putin told NATO and the UN.", language="en"),
        Document(source="d", text="Помощник Юрий Ушаков сказал, что Путин готов.", language="ru"),
        Document(source="e", text="L'ONU et la Maison Blanche ont répondu au président Vladimir Putín.", language="fr"),
    ]
    for d in fr + en:
        d.body = [(0, len(d.text))]
    st.pipe(fr)
    st.pipe(en)  # a later batch joins the entities of the first
    ids = {find(fr[0], "Iouri Ouchakov").entity_id, find(fr[0], "Ouchakov").entity_id, find(fr[1], "Yuriy Ushakov").entity_id,
           find(fr[1], "M. Ushakov").entity_id, find(en[0], "Yuri Ushakov").entity_id, find(en[1], "Юрий Ушаков").entity_id}
    assert len(ids) == 1
    assert find(en[1], "Юрий Ушаков").canonical in ("Yuriy Ushakov", "Yuri Ushakov", "Iouri Ouchakov")
    putin = {find(fr[0], "Poutine").entity_id, find(en[0], "Vladimir Putin").entity_id, find(en[1], "Путин").entity_id,
             find(en[2], "Vladimir Putín").entity_id}
    assert len(putin) == 1 and find(en[0], "Vladimir Putin").canonical == "Vladimir Putin"
    assert find(fr[1], "OTAN").entity_id == find(en[0], "NATO").entity_id
    assert find(en[0], "UN").entity_id == find(en[2], "ONU").entity_id


def test_typo_merges_but_different_people_stay_apart(stage):
    docs = run(
        stage,
        "Le président Joe Biden a appelé Poutine. Biden a averti Poutine, mais Baiden restait calme. Biden a conclu.",
        "Hunter Biden, le fils du président, était à Washington.",
        "Joe Biden a reçu Jen Psaki. Mme Psaki a parlé.",
    )
    joe = find(docs[0], "Joe Biden").entity_id
    assert find(docs[0], "Baiden").entity_id == joe and find(docs[0], "Baiden").canonical == "Joe Biden"
    assert find(docs[1], "Hunter Biden").entity_id != joe
    assert find(docs[2], "Joe Biden").entity_id == joe


def test_a_garbled_surname_joins_across_documents_only_when_context_agrees(stage):
    docs = run(
        stage,
        "Le président Joe Biden a appelé Vladimir Poutine au sujet de l'Ukraine.",
        "Selon le Kremlin, Baiden a averti Poutine.",
        "La chercheuse Anna Jansen a publié une étude à Oslo.",
        "L'artiste Anna Janson expose à Lisbonne.",
    )
    assert find(docs[1], "Baiden").entity_id == find(docs[0], "Joe Biden").entity_id
    assert find(docs[3], "Anna Janson").entity_id != find(docs[2], "Anna Jansen").entity_id


def test_ids_are_stable_across_runs_and_batch_orders(stage):
    texts_ = [
        "Jake Sullivan a parlé à Iouri Ouchakov au sujet de l'Ukraine.",
        "M. Sullivan et M. Ouchakov se sont revus à Genève.",
        "L'OTAN et la Russie se réuniront ; Washington a confirmé.",
    ]
    a = run(stage, *texts_)
    b = run(stage, *reversed(texts_))
    ids_a = {(m.text, m.entity_id) for d in a for m in d.entities}
    ids_b = {(m.text, m.entity_id) for d in b for m in d.entities}
    assert ids_a == ids_b


def test_the_context_an_entity_keeps_does_not_depend_on_the_hash_seed():
    """A document with more co-occurring entities than an entity keeps: which ones stay must not depend on
    the order of the set they come in, which changes from process to process (string hashing)."""
    import os
    import subprocess
    import sys

    code = (
        "import json; from storyline.entities.resolver import MAX_CONTEXT, DocEntity, EntityResolver as R; "
        "r = R(); ctx = {f'N:per:p{k:03d}' for k in range(2 * MAX_CONTEXT + 20)}; "
        "r.add([DocEntity(type='PER', names=['Aurélie Vasseur'], context=ctx)]); "
        "print(json.dumps(sorted(r.entities()[0]['context'])))"
    )
    kept = [
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert kept[0] == kept[1] == kept[2]
    from storyline.entities.resolver import MAX_CONTEXT

    assert MAX_CONTEXT <= len(json.loads(kept[0])) <= 2 * MAX_CONTEXT


def test_a_french_name_after_an_article_is_no_person(stage):
    """French news gives organisations an article and people none: "la Fnac", "l'Unédic", "le Medef" are no
    one, while "Lucie Marchand" and "Marchand" stay a person."""
    (doc,) = run(
        stage,
        "La direction de la Fnac a reçu les syndicats mardi. Selon l'Unédic, le chômage recule. Le Medef salue "
        "la décision, a indiqué Lucie Marchand, qui préside le Cercle Varenne. Marchand a ajouté que rien ne change.",
    )
    for text in ("Fnac", "Unédic", "Medef", "Cercle Varenne"):
        assert find(doc, text).type == "ORG", text
    assert find(doc, "Lucie Marchand").type == "PER"
    assert find(doc, "Marchand").entity_id == find(doc, "Lucie Marchand").entity_id


def test_venues_institutions_and_foreign_words_in_french_news(stage):
    (doc,) = run(
        stage,
        "Le Paris Saint-Germain a battu l'Olympique lyonnais au stade Pierre-Mauroy de Lille. La finale aura lieu au "
        "Stade de France et le club restera au Parc des Princes. Le Festival de Cannes s'ouvre mardi. "
        "M. al-Khelaïfi a remercié le Real Madrid. Le Congrès américain bloque l'aide. Le Parlement ukrainien a voté. "
        "Le PASTEF, le parti d'Ousmane Sonko, proteste. Le ministre, Kacou Houadja Léon Adom, a parlé. "
        "Le Premier ministre a réuni à Matignon les syndicats. Matignon a ensuite annoncé un accord. "
        "Amnesty International a protesté. The offensive started in December and Mbappé will join Real Madrid.",
    )
    for text in ("stade Pierre-Mauroy", "Lille", "Stade de France", "Parc des Princes"):
        assert find(doc, text).type == "LOC", text
    for text in ("Olympique lyonnais", "Festival de Cannes", "Congrès", "Parlement", "Amnesty International"):
        assert find(doc, text).type == "ORG", text
    for text in ("M. al-Khelaïfi", "Ousmane Sonko", "Kacou Houadja Léon Adom"):
        assert find(doc, text).type == "PER", text
    assert [m.type for m in doc.entities if m.text == "Matignon"] == ["LOC", "ORG"]  # the place, then the office
    assert [m.type for m in doc.entities if m.text == "Real Madrid"] == ["ORG", "ORG"]
    assert find(doc, "Congrès").country_code == "US"  # the nationality says whose institution it is
    assert "December" not in texts(doc) and not [t for t in texts(doc) if "américain" in t or "a voté" in t]


def test_an_english_wire_passage_in_a_french_page(stage):
    (doc,) = run(
        stage,
        "Le président sud-coréen Yoon Suk-yeol a visité les usines de Samsung Electronics. Séoul fait front face à "
        "Pékin. English wire - Yoon Suk Yeol met the prime minister, said the Japanese government. Mr Yoon smiled.",
    )
    assert find(doc, "Samsung Electronics").type == "ORG"
    assert find(doc, "Pékin").type == "GPE"  # "face à Pékin": its government
    assert find(doc, "Mr Yoon").type == "PER" and "Japanese" not in texts(doc)
    assert find(doc, "Yoon Suk Yeol").entity_id == find(doc, "Yoon Suk-yeol").entity_id == find(doc, "Mr Yoon").entity_id


def test_a_dateline_takes_the_government_sense_its_article_gives_the_capital(stage):
    (doc,) = run(stage, "Pékin (CNN) — Le président a reçu son homologue. Pékin soutient fermement le royaume, a dit la Chine.")
    assert [m.type for m in doc.entities if m.text == "Pékin"] == ["GPE", "GPE"]
    assert {m.refers_to for m in doc.entities if m.text == "Pékin"} == {find(doc, "Chine").entity_id}


def test_french_texts_written_for_the_tests_reach_the_held_out_bars(stage):
    """People, organisations and places that the example corpus never names (tests/data/entities-heldout-fr,
    annotated like the shared gold files; most of them raw scraped pages with navigation, teasers and credits
    outside the body; texts 10-13, 15-19 and 20-24 (two stories, each told by five outlets), were written and annotated before any rule was tuned on them): the held-out bars of the issue, mention F1 >= 0.80 and grouping F1 >= 0.85, and no
    boilerplate name extracted, on text the rules were not written against."""
    from pathlib import Path

    from storyline.entities.evaluation import evaluate_entities, gold_body, load_gold

    corpus = Path(__file__).parent / "data" / "entities-heldout-fr"
    gold = load_gold(corpus)
    docs = []
    for name, meta in sorted(gold["documents"].items()):
        text = (corpus / name).read_text(encoding="utf-8")
        docs.append(Document(source=name, text=text, body=gold_body(text, meta.get("boilerplate_lines", [])), language="fr"))
    stage(workers=1).pipe(docs)
    result = evaluate_entities(gold, {d.source: d.entities for d in docs})
    summary = f"mentions {result['mentions']} grouping {result['grouping']}; missed {result['missed']}; spurious {result['spurious']}"
    assert result["mentions"]["f1"] >= 0.80, summary
    assert result["grouping"]["f1"] >= 0.85, summary
    assert not result["not_entities_found"], result["not_entities_found"]
    fontanel = {m.entity_id for d in docs for m in d.entities if "Fontanel" in m.text}
    assert len(fontanel) == 1, "the full name, the honorific and the surname alone are one person"


def test_held_out_texts_through_the_default_pipeline():
    """The same held-out texts as raw scraped pages through the whole default pipeline: boilerplate removal
    decides the body, so a byline, a caption's credit or a teaser left in it shows up as a name extracted."""
    from pathlib import Path

    from storyline.entities.evaluation import evaluate_entities, load_gold
    from storyline.pipeline import Pipeline
    from storyline.records import RawDocument
    from storyline.stages import DEFAULT_PIPELINE

    corpus = Path(__file__).parent / "data" / "entities-heldout-fr"
    gold = load_gold(corpus)
    names = list(DEFAULT_PIPELINE) + ([] if "entities" in DEFAULT_PIPELINE else ["entities"])
    docs = Pipeline.from_names(names).pipe(
        Document.from_raw(RawDocument(source=name, text=(corpus / name).read_text(encoding="utf-8")))
        for name in sorted(gold["documents"]))
    result = evaluate_entities(gold, {d.source: d.entities for d in docs})
    summary = f"mentions {result['mentions']} grouping {result['grouping']}; spurious {result['spurious']}"
    assert result["mentions"]["f1"] >= 0.80 and result["grouping"]["f1"] >= 0.85, summary
    assert not result["not_entities_found"], result["not_entities_found"]


def test_resolver_persists_and_resolves(stage):
    docs = run(stage, "Le secrétaire d'État Antony Blinken a rencontré Sergueï Lavrov à Genève. L'OTAN observe.")
    st = stage(workers=1)
    st.pipe(docs)
    data = json.loads(json.dumps(st.resolver.to_dict()))
    again = EntityResolver.from_dict(data)
    blinken = find(docs[0], "Antony Blinken").entity_id
    assert again.resolve("Blinken", "PER") == blinken
    assert again.resolve("Sergey Lavrov", "PER") == find(docs[0], "Sergueï Lavrov").entity_id
    assert again.resolve(find(docs[0], "OTAN")) == find(docs[0], "OTAN").entity_id
    assert again.resolve("Nobody Atall", "PER") is None
    assert again.entity(blinken)["canonical"] == "Antony Blinken"
    # a later document meets the entity after a reload
    more = Document(source="z", text="Blinken a rappelé Lavrov.", body=[(0, 25)], language="fr")
    stage(workers=1, resolver=again).pipe([more])
    assert find(more, "Blinken").entity_id == blinken


def test_knowledge_base_link(tmp_path, stage):
    kb_file = tmp_path / "kb.json"
    kb_file.write_text(json.dumps([
        {"id": "Q7747", "label": "Vladimir Putin", "aliases": ["Poutine", "Putin"], "type": "PER"},
        {"id": "Q7184", "label": "NATO", "aliases": ["OTAN", "North Atlantic Treaty Organization"]},
    ]), encoding="utf-8")
    csv_file = tmp_path / "kb.csv"
    csv_file.write_text("id,label,aliases\nQ159,Russia,Russie|Russian Federation\n", encoding="utf-8")
    (doc,) = run(stage, "Vladimir Poutine a écrit à l'OTAN.", kb=KnowledgeBase.load(kb_file))
    assert find(doc, "Vladimir Poutine").kb_id == "Q7747" and find(doc, "OTAN").to_dict()["wikidata"] == "Q7184"
    (doc,) = run(stage, "La Russie a répondu.", kb=KnowledgeBase.load(csv_file))
    assert find(doc, "Russie").kb_id == "Q159"


def test_mention_contract_and_stage_declaration(stage):
    assert stage.name == "entities"
    assert stage.requires == ("text", "body", "language") and stage.assigns == ("entities",)
    (doc,) = run(stage, "Le président russe Vladimir Poutine a parlé. Moscou a confirmé.")
    d = find(doc, "Vladimir Poutine").to_dict()
    assert {"text", "start", "end", "type", "canonical", "entity_id", "role", "country"} <= set(d)
    assert d["canonical"] == "Vladimir Putin" and d["role"] == "président russe" and d["country"] == "Russia"
    assert isinstance(doc.to_dict()["entities"][0], dict)


def test_parallel_recognition_gives_the_same_result(stage):
    base = [
        "Le président américain Joe Biden a appelé Vladimir Poutine depuis Wilmington.",
        "Moscou et Washington ont parlé de l'Ukraine ; l'OTAN attend. Biden a conclu.",
    ]
    texts_ = [f"{base[i % 2]} Réf. {i}." for i in range(70)]
    serial = run(stage, *texts_)
    docs = [Document(source=f"d{i}", text=t, body=[(0, len(t))], language="fr") for i, t in enumerate(texts_)]
    st = stage(workers=2)
    try:
        st.pipe(docs)
    finally:
        st.close()
    assert [[m.to_dict() for m in d.entities] for d in docs] == [[m.to_dict() for m in d.entities] for d in serial]


# --- backends ----------------------------------------------------------------------------------------------------


def test_spacy_backend_loads_a_saved_pipeline(tmp_path, stage):
    spacy = pytest.importorskip("spacy")
    from storyline.entities import SpacyBackend

    nlp = spacy.blank("fr")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([
        {"label": "PER", "pattern": "Tartempion"},
        {"label": "ORG", "pattern": [{"LOWER": "acme"}, {"LOWER": "industries"}]},
        {"label": "NORP", "pattern": "Européens"},
    ])
    nlp.to_disk(tmp_path / "ner")
    backend = SpacyBackend(tmp_path / "ner")
    (doc,) = run(stage, "Hier, Tartempion a quitté Acme Industries à Paris, dit le porte-parole.", backend=backend)
    assert find(doc, "Tartempion").type == "PER" and find(doc, "Tartempion").source == "model"
    assert find(doc, "Acme Industries").type == "ORG"
    assert find(doc, "Paris").type == "LOC"  # the rules complement the model
    (only,) = run(stage, "Hier, Tartempion a quitté Paris.", backend=backend, mode="replace")
    assert texts(only) == {"Tartempion"}


# --- scale -------------------------------------------------------------------------------------------------------


def _synthetic(n: int, seed: int = 3) -> list[str]:
    import random

    rng = random.Random(seed)
    syll = ["ka", "lo", "mi", "sen", "tor", "vi", "dra", "pel", "shu", "rin", "ga", "bo", "zet", "nu", "fa", "kov"]
    names = set()
    while len(names) < n:
        first = "".join(rng.choice(syll) for _ in range(2)).capitalize()
        last = "".join(rng.choice(syll) for _ in range(rng.randint(2, 4))).capitalize()
        names.add(f"{first} {last}")
    return sorted(names)


def test_merging_cost_grows_linearly_with_distinct_names():
    from storyline.entities.resolver import DocEntity

    def cost(n):
        r = EntityResolver()
        r.add([DocEntity(type="PER", names=[name]) for name in _synthetic(n)])
        return r.comparisons / n, len(r)

    small, n_small = cost(1000)
    large, n_large = cost(8000)
    assert n_small > 900 and n_large > 7000  # distinct people stay distinct
    assert large < small * 3 + 2  # comparisons per name stay about constant (blocking, not all pairs)
