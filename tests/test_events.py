"""Events: hand-made sentences in French, English and Spanish (every type, actors and target, the date from
the clause's own temporal expression or from publication), one happening per event across documents, and
the "events" stage and merged events through a real SQLite store.

Entities are given by hand (a small table of names, as the entities stage would record them) so these tests
depend on the event rules alone; one test runs without entities (capitalised names stand for actors) and
one runs the real entities stage when it is registered.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import storyline
from storyline.events import EVENT_TYPES, available, compatible, extract_events, interval_of, lexicon_for
from storyline.pipeline import Pipeline
from storyline.records import Published
from storyline.stages import DEFAULT_PIPELINE
from storyline.temporal import tag
from storyline.timeline import merge_event_records

# surface form -> (type, canonical, country, entity id; a capital standing for its country: refers_to)
PEOPLE = {
    "Antony Blinken": ("PER", "Antony Blinken", "United States"), "Blinken": ("PER", "Antony Blinken", "United States"),
    "Sergueï Lavrov": ("PER", "Sergey Lavrov", "Russia"), "Sergei Lavrov": ("PER", "Sergey Lavrov", "Russia"),
    "Serguéi Lavrov": ("PER", "Sergey Lavrov", "Russia"), "Lavrov": ("PER", "Sergey Lavrov", "Russia"),
    "Joe Biden": ("PER", "Joe Biden", "United States"), "Biden": ("PER", "Joe Biden", "United States"),
    "Vladimir Poutine": ("PER", "Vladimir Putin", "Russia"), "Vladimir Putin": ("PER", "Vladimir Putin", "Russia"),
    "Vladímir Putin": ("PER", "Vladimir Putin", "Russia"), "Poutine": ("PER", "Vladimir Putin", "Russia"),
    "Putin": ("PER", "Vladimir Putin", "Russia"), "Volodymyr Zelensky": ("PER", "Volodymyr Zelensky", "Ukraine"),
    "Emmanuel Macron": ("PER", "Emmanuel Macron", "France"), "Jens Stoltenberg": ("PER", "Jens Stoltenberg", None),
    "Jake Sullivan": ("PER", "Jake Sullivan", "United States"), "Yuri Ushakov": ("PER", "Yuri Ushakov", "Russia"),
    "Russie": ("GPE", "Russia", None), "Russia": ("GPE", "Russia", None), "Rusia": ("GPE", "Russia", None),
    "Ukraine": ("GPE", "Ukraine", None), "Ucrania": ("GPE", "Ukraine", None),
    "Allemagne": ("GPE", "Germany", None), "Germany": ("GPE", "Germany", None), "Alemania": ("GPE", "Germany", None),
    "OTAN": ("ORG", "NATO", None), "NATO": ("ORG", "NATO", None),
    "Union européenne": ("ORG", "European Union", None), "European Union": ("ORG", "European Union", None),
    "Unión Europea": ("ORG", "European Union", None),
    "Genève": ("LOC", "Geneva", "Switzerland"), "Geneva": ("LOC", "Geneva", "Switzerland"),
    "Ginebra": ("LOC", "Geneva", "Switzerland"),
}
CAPITALS = {"Moscou": "Russia", "Moscow": "Russia", "Moscú": "Russia", "Kiev": "Ukraine", "Kyiv": "Ukraine",
            "Washington": "United States"}


def eid(canonical: str) -> str:
    return "E-" + canonical.lower().replace(" ", "-")


def entities(text: str) -> list[dict]:
    """Mentions of the names above, longest first, as the entities stage records them."""
    out: list[dict] = []
    taken: list[tuple[int, int]] = []
    for form in sorted([*PEOPLE, *CAPITALS], key=len, reverse=True):
        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            if form in CAPITALS:
                country = CAPITALS[form]
                out.append({"text": form, "start": m.start(), "end": m.end(), "type": "GPE", "canonical": form,
                            "entity_id": eid(form), "country": country, "refers_to": eid(country)})
                continue
            etype, canonical, country = PEOPLE[form]
            rec = {"text": form, "start": m.start(), "end": m.end(), "type": etype, "canonical": canonical,
                   "entity_id": eid(canonical)}
            if country:
                rec["country"] = country
            out.append(rec)
    return sorted(out, key=lambda r: r["start"])


def events_of(text: str, language: str, published: str = "2022-02-16", with_entities: bool = True):
    return extract_events(text, [(0, len(text))], language, tag(text, language, published),
                          entities(text) if with_entities else [], Published.exact(published, "test"))


def names(people) -> set[str]:
    return {a["name"] for a in people}


def one(events, etype: str):
    found = [e for e in events if e.type == etype]
    assert found, f"no {etype} in {[(e.type, e.trigger) for e in events]}"
    return found[0]


# --- every type, in three languages: (sentence, type, actors, target) ----------------------------------------
CASES = {
    "fr": [
        ("Antony Blinken s'est entretenu par téléphone avec Sergueï Lavrov.", "CONSULT",
         {"Antony Blinken", "Sergey Lavrov"}, None),
        ("Joe Biden et Vladimir Poutine se sont rencontrés à Genève.", "MEET",
         {"Joe Biden", "Vladimir Putin"}, None),
        ("Moscou exige de l'OTAN des garanties de sécurité.", "DEMAND", {"Russia"}, "NATO"),
        ("Volodymyr Zelensky a demandé à l'Allemagne des armes.", "REQUEST", {"Volodymyr Zelensky"}, "Germany"),
        ("Vladimir Poutine a menacé l'Ukraine d'une riposte militaire.", "THREATEN", {"Vladimir Putin"}, "Ukraine"),
        ("L'Union européenne a adopté de nouvelles sanctions contre la Russie.", "SANCTION",
         {"European Union"}, "Russia"),
        ("Kiev accuse Moscou d'avoir lancé une cyberattaque.", "ACCUSE", {"Ukraine"}, "Russia"),
        ("La Russie a rejeté la proposition de l'OTAN.", "REJECT", {"Russia"}, "NATO"),
        ("L'Ukraine et la Russie ont conclu un accord sur les céréales.", "AGREE", {"Ukraine", "Russia"}, None),
        ("La Russie a déployé 100 000 soldats près de l'Ukraine.", "MOBILIZE", {"Russia"}, "Ukraine"),
        ("La Russie a retiré ses troupes de la frontière.", "RETREAT", {"Russia"}, None),
        ("Emmanuel Macron a tenu une conférence de presse.", "STATEMENT", {"Emmanuel Macron"}, None),
    ],
    "en": [
        ("Antony Blinken spoke by phone with Sergei Lavrov.", "CONSULT", {"Antony Blinken", "Sergey Lavrov"}, None),
        ("Joe Biden met Vladimir Putin in Geneva.", "MEET", {"Joe Biden", "Vladimir Putin"}, None),
        ("Moscow demanded security guarantees from NATO.", "DEMAND", {"Russia"}, "NATO"),
        ("Volodymyr Zelensky asked Germany for weapons.", "REQUEST", {"Volodymyr Zelensky"}, "Germany"),
        ("Vladimir Putin threatened Ukraine with a military response.", "THREATEN", {"Vladimir Putin"}, "Ukraine"),
        ("The European Union imposed new sanctions on Russia.", "SANCTION", {"European Union"}, "Russia"),
        ("Kyiv accused Moscow of launching a cyberattack.", "ACCUSE", {"Ukraine"}, "Russia"),
        ("Russia rejected the NATO proposal.", "REJECT", {"Russia"}, "NATO"),
        ("Ukraine and Russia reached an agreement on grain exports.", "AGREE", {"Ukraine", "Russia"}, None),
        ("Russia deployed 100,000 troops near Ukraine.", "MOBILIZE", {"Russia"}, "Ukraine"),
        ("Russia withdrew its troops from the border.", "RETREAT", {"Russia"}, None),
        ("Emmanuel Macron held a press conference.", "STATEMENT", {"Emmanuel Macron"}, None),
    ],
    "es": [
        ("Antony Blinken habló por teléfono con Serguéi Lavrov.", "CONSULT",
         {"Antony Blinken", "Sergey Lavrov"}, None),
        ("Joe Biden se reunió con Vladímir Putin en Ginebra.", "MEET", {"Joe Biden", "Vladimir Putin"}, None),
        ("Moscú exige a la OTAN garantías de seguridad.", "DEMAND", {"Russia"}, "NATO"),
        ("Volodymyr Zelensky pidió armas a Alemania.", "REQUEST", {"Volodymyr Zelensky"}, "Germany"),
        ("Vladímir Putin amenazó a Ucrania con una respuesta militar.", "THREATEN", {"Vladimir Putin"}, "Ukraine"),
        ("La Unión Europea impuso nuevas sanciones a Rusia.", "SANCTION", {"European Union"}, "Russia"),
        ("Kiev acusa a Moscú de lanzar un ciberataque.", "ACCUSE", {"Ukraine"}, "Russia"),
        ("Rusia rechazó la propuesta de la OTAN.", "REJECT", {"Russia"}, "NATO"),
        ("Ucrania y Rusia firmaron un acuerdo sobre los cereales.", "AGREE", {"Ukraine", "Russia"}, None),
        ("Rusia desplegó 100.000 soldados cerca de Ucrania.", "MOBILIZE", {"Russia"}, "Ukraine"),
        ("Rusia retiró sus tropas de la frontera.", "RETREAT", {"Russia"}, None),
        ("Emmanuel Macron ofreció una rueda de prensa.", "STATEMENT", {"Emmanuel Macron"}, None),
    ],
}


@pytest.mark.parametrize(("language", "case"), [(lang, c) for lang, cases in CASES.items() for c in cases],
                         ids=[f"{lang}-{c[1]}" for lang, cases in CASES.items() for c in cases])
def test_each_type_with_actors_and_target(language, case):
    sentence, etype, actors, target = case
    ev = one(events_of(sentence, language), etype)
    assert actors <= names(ev.actors), (ev.actors, sentence)
    if target is not None:
        assert ev.target is not None and ev.target["name"] == target, (ev.target, sentence)
    assert ev.modality == "asserted"
    assert ev.evidence == sentence and sentence[ev.start:ev.end] == ev.trigger
    record = ev.to_dict()
    for key in ("type", "actors", "target", "date", "granularity", "start", "end", "evidence", "place"):
        assert key in record
    json.dumps(record)


def test_every_type_has_triggers_in_every_language():
    assert set(available()) >= {"fr", "en", "es", "de", "it", "pt"}
    for code in available():
        lex = lexicon_for(code)
        types = {e.type for entries in lex.candidates.values() for e in entries}
        assert set(EVENT_TYPES) <= types, (code, set(EVENT_TYPES) - types)


def test_actors_carry_their_country_and_place():
    ev = one(events_of("Joe Biden et Vladimir Poutine se sont rencontrés à Genève.", "fr"), "MEET")
    assert {(a["name"], a["country"]) for a in ev.actors} == {
        ("Joe Biden", "United States"), ("Vladimir Putin", "Russia")}
    assert ev.place and ev.place["name"] == "Geneva"


# --- dates -------------------------------------------------------------------------------------------------
def test_date_from_the_governing_time_expression():
    ev = one(events_of("Antony Blinken s'est entretenu mardi par téléphone avec Sergueï Lavrov.", "fr"), "CONSULT")
    assert (ev.date, ev.granularity, ev.date_source) == ("2022-02-15", "day", "expression")
    assert ev.time and ev.time["text"] == "mardi"


def test_date_falls_back_on_publication():
    ev = one(events_of("Antony Blinken s'est entretenu par téléphone avec Sergueï Lavrov.", "fr"), "CONSULT")
    assert (ev.date, ev.granularity, ev.date_source) == ("2022-02-16", "day", "published")


def test_each_clause_has_its_own_date():
    text = "Le Kremlin a annoncé vendredi que Vladimir Poutine s'était entretenu jeudi avec Joe Biden."
    ev = one(events_of(text, "fr", published="2021-12-31"), "CONSULT")
    assert ev.date == "2021-12-30"  # jeudi, not the vendredi of the announcement
    text = "Lunes: Blinken se reunió con Lavrov en Ginebra; el martes, Biden habló por teléfono con Putin."
    evs = events_of(text, "es", published="2022-02-16")
    assert one(evs, "MEET").date == "2022-02-14" and one(evs, "CONSULT").date == "2022-02-15"


def test_a_date_in_an_attribution_dates_the_statement_only():
    text = "Russia needs results from the coming negotiations with NATO, the Kremlin said on Friday."
    ev = one(events_of(text, "en", published="2021-12-31"), "MEET")
    assert ev.date_source != "expression" and ev.modality == "planned"


def test_month_level_and_relative_dates():
    text = "President Joe Biden spoke with Vladimir Putin early this month."
    ev = one(events_of(text, "en", "2021-12-27"), "CONSULT")
    assert (ev.date, ev.granularity, ev.earliest, ev.latest) == ("2021-12", "month", "2021-12-01", "2021-12-11")
    ev = one(events_of("Hace dos semanas, Joe Biden habló con Vladímir Putin.", "es", "2021-12-27"), "CONSULT")
    assert ev.granularity == "week" and ev.earliest == "2021-12-13"  # the week two weeks before 27 December


def test_later_mentions_of_one_happening_are_one_event():
    text = ("Joe Biden et Vladimir Poutine ont eu une conversation téléphonique jeudi. "
            "L'appel a duré 50 minutes, à la demande de Poutine. Biden a averti Poutine.")
    evs = events_of(text, "fr", published="2021-12-31")
    calls = [e for e in evs if e.type == "CONSULT"]
    assert len(calls) == 1 and len(calls[0].mentions) == 2
    assert calls[0].date == "2021-12-30" and calls[0].duration == "PT50M"
    warning = one(evs, "THREATEN")
    assert warning.date == "2021-12-30" and warning.date_source == "context"  # told in the report of the call
    assert names(warning.actors) == {"Joe Biden"} and warning.target["name"] == "Vladimir Putin"


def test_a_second_call_implies_an_earlier_one():
    text = ("Joe Biden et Vladimir Poutine ont eu une conversation téléphonique jeudi. "
            "C'était la deuxième conversation de Biden et Poutine en moins d'un mois.")
    evs = events_of(text, "fr", published="2021-12-31")
    implied = [e for e in evs if e.implied]
    assert len(implied) == 1
    assert (implied[0].earliest, implied[0].latest) == ("2021-11-30", "2021-12-29")
    assert names(implied[0].actors) == {"Joe Biden", "Vladimir Putin"}


def test_negated_and_hypothetical_events():
    assert one(events_of("Antony Blinken n'a pas rencontré Sergueï Lavrov.", "fr"), "MEET").modality == "negated"
    text = "If Russia invades Ukraine, the European Union would impose sanctions on Russia."
    assert one(events_of(text, "en"), "SANCTION").modality == "hypothetical"
    text = "Joe Biden et Vladimir Poutine se rencontreront le 16 juin."
    ev = one(events_of(text, "fr", published="2021-06-01"), "MEET")
    assert ev.modality == "planned" and ev.date == "2021-06-16"


def test_quoted_speech_is_not_an_event():
    text = "« Ce n'est pas nous qui menaçons quelqu'un, ils sont venus à nous », a déclaré Vladimir Poutine."
    assert not [e for e in events_of(text, "fr") if e.type == "THREATEN"]


def test_two_people_of_two_countries_addressed_make_a_weak_contact():
    ev = one(events_of("Joe Biden a écrit au président russe Vladimir Poutine lundi.", "fr"), "CONSULT")
    assert names(ev.actors) == {"Joe Biden", "Vladimir Putin"} and ev.confidence < 1 and ev.date == "2022-02-14"


def test_capitalised_names_stand_for_actors_without_entities():
    text = "Le président Joe Biden a parlé au téléphone avec Vladimir Poutine jeudi. Biden a averti Poutine."
    evs = events_of(text, "fr", published="2021-12-31", with_entities=False)
    call = one(evs, "CONSULT")
    assert {a["entity_id"] for a in call.actors} == {"name:biden", "name:poutine"}
    assert names(one(evs, "THREATEN").actors) == {"Joe Biden"}


def test_a_language_without_lexicon_gives_no_events():
    assert extract_events("Что-то случилось.", None, "xx") == []


# --- one event per happening across documents --------------------------------------------------------------
class _Articles:
    """What merging asks of the store, for records made in the test."""

    def __init__(self, outlets: dict[str, str], published: dict[str, str]):
        self.outlets, self.dates = outlets, published

    def get(self, article_id):
        return None

    def outlet(self, article_id):
        return self.outlets[article_id]

    def published(self, article_id):
        return self.dates[article_id]

    published_label = published

    def independence_key(self, article_id):
        return self.outlets[article_id]


REPORTS = {  # three reports of the early-December call, and a later call of the same two men
    "a": ("fr", "2021-12-20", "Le Monde",
          "Depuis la conversation téléphonique de plus de deux heures entre Joe Biden et Vladimir Poutine "
          "il y a quinze jours, les contacts se multiplient."),
    "b": ("en", "2021-12-27", "CNN",
          "President Joe Biden spoke with Vladimir Putin early this month to calm tensions."),
    "c": ("es", "2021-12-31", "El País",
          "Joe Biden y Vladímir Putin conversaron por teléfono el jueves durante 50 minutos. "
          "Fue la segunda conversación entre Biden y Putin en menos de un mes."),
}


def _merged(reports=REPORTS):
    facts = []
    for aid, (language, day, _, text) in reports.items():
        facts += [{**e.to_dict(), "article_id": aid} for e in events_of(text, language, published=day)]
    articles = _Articles({a: r[2] for a, r in reports.items()}, {a: r[1] for a, r in reports.items()})
    return merge_event_records(facts, articles)


def test_reports_of_one_happening_merge_across_documents():
    calls = [e for e in _merged() if e.type == "CONSULT"]
    early = [e for e in calls if {s.article_id for s in e.sources} == {"a", "b", "c"}]
    assert len(early) == 1, [(e.date, [s.article_id for s in e.sources]) for e in calls]
    ev = early[0]
    assert ev.date == "2021-12-06" and ev.granularity == "day"  # the most precise report
    assert names(ev.actors) == {"Joe Biden", "Vladimir Putin"}
    assert ev.independent_sources == 3 and ev.salience >= 3
    assert {s.outlet for s in ev.sources} == {"Le Monde", "CNN", "El País"}
    for s in ev.sources:
        assert s.evidence and s.end > s.start
    assert ev.description and ev.summary


def test_different_happenings_stay_apart():
    calls = [e for e in _merged() if e.type == "CONSULT"]
    later = [e for e in calls if e.date == "2021-12-30"]
    assert len(later) == 1 and [s.article_id for s in later[0].sources] == ["c"]
    assert later[0].id != next(e.id for e in calls if e.date == "2021-12-06")
    other = dict(REPORTS, d=("en", "2021-12-07", "AP", "Antony Blinken spoke by phone with Sergei Lavrov on Monday."))
    blinken = [e for e in _merged(other) if {a["name"] for a in e.actors} == {"Antony Blinken", "Sergey Lavrov"}]
    assert len(blinken) == 1 and [s.article_id for s in blinken[0].sources] == ["d"]  # same day, other people


def test_disagreeing_details_are_listed():
    reports = {
        "a": ("en", "2021-12-08", "AP", "Joe Biden spoke with Vladimir Putin by phone on Tuesday for two hours."),
        "b": ("en", "2021-12-08", "Reuters", "Joe Biden spoke with Vladimir Putin by phone on Monday for 50 minutes."),
    }
    merged = [e for e in _merged(reports) if e.type == "CONSULT"]
    assert len(merged) == 1  # one day apart: one call, reported differently
    fields = {c["field"]: c["values"] for c in merged[0].conflicts}
    assert {v["value"] for v in fields["date"]} == {"2021-12-06", "2021-12-07"}
    assert {v["value"] for v in fields["duration"]} == {"PT2H", "PT50M"}


def test_merged_ids_are_stable():
    assert [e.id for e in _merged()] == [e.id for e in _merged()]
    assert [e.id for e in _merged()] == [e.id for e in _merged(dict(reversed(list(REPORTS.items()))))]


def test_date_intervals():
    assert interval_of("2021-W49")[0].isoformat() == "2021-12-06"
    assert [d.isoformat() for d in interval_of("2022-01", "START")] == ["2022-01-01", "2022-01-11"]
    assert compatible(interval_of("2021-12-06"), interval_of("2021-12", "START"))
    assert not compatible(interval_of("2021-12-20"), interval_of("2021-W50"))
    assert interval_of("PAST_REF") is None and interval_of("P2W") is None


# --- through the pipeline and a real store -----------------------------------------------------------------
def _pipeline(with_entities: bool) -> Pipeline:
    import storyline.stages.events  # noqa: F401  (registers "events" until it is in DEFAULT_PIPELINE)

    names_ = [n for n in DEFAULT_PIPELINE if n not in ("entities", "events")]
    if with_entities:
        names_.insert(names_.index("times"), "entities")
    names_.insert(names_.index("times") + 1, "events")
    return Pipeline.from_names(names_)


def _entities_registered() -> bool:
    try:
        import storyline.stages.entities  # noqa: F401
    except ImportError:
        return False
    return True


ROWS = [  # same language, so capitalised names match across documents when the entities stage is absent
    {"id": "r1", "outlet": "Le Monde", "published": "2021-12-20", "language": "fr",
     "text": "Crise ukrainienne\n\nDepuis la conversation téléphonique entre Joe Biden et Vladimir Poutine il y a "
             "quinze jours, les contacts entre Washington et Moscou se multiplient. "
             "Les diplomates préparent la suite."},
    {"id": "r2", "outlet": "Libération", "published": "2021-12-27", "language": "fr",
     "text": "Sécurité européenne\n\nLe président Joe Biden a parlé au téléphone avec Vladimir Poutine "
             "au début du mois "
             "pour calmer les tensions. Les alliés restent prudents."},
    {"id": "r3", "outlet": "Le Figaro", "published": "2021-12-31", "language": "fr",
     "text": "Nouvel appel\n\nJoe Biden et Vladimir Poutine ont eu une conversation téléphonique jeudi. C'était la "
             "deuxième conversation de Biden et Poutine en moins d'un mois. L'appel a duré 50 minutes."},
]


@pytest.mark.parametrize("with_entities", [False, True], ids=["names", "entities"])
def test_stage_store_and_merged_events(tmp_path: Path, with_entities: bool):
    if with_entities and not _entities_registered():
        pytest.skip("the entities stage is not available")
    src = tmp_path / "news.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n", encoding="utf-8")
    with storyline.open(tmp_path / "news.db", pipeline=_pipeline(with_entities)) as sl:
        assert sl.ingest([src]).counts["stored"] == 3
        stored = sl.facts("event")
        assert stored and all(f["type"] in EVENT_TYPES for f in stored)
        calls = [e for e in sl.events() if e.type == "CONSULT" and len(e.sources) == 3]
        assert len(calls) == 1, [(e.type, e.date, len(e.sources)) for e in sl.events()]
        ev = calls[0]
        assert ev.date == "2021-12-06"
        assert {s.outlet for s in ev.sources} == {"Le Monde", "Libération", "Le Figaro"}
        assert [e.date for e in sl.events() if e.type == "CONSULT" and e.date == "2021-12-30"]
        story = max(sl.stories("storyline"), key=lambda s: len(s.articles))
        tl = sl.timeline(story.id)
        data = json.loads(json.dumps(tl.to_dict()))
        assert data["story_id"] == story.id and data["language"] == "fr" and data["summary"]
        days = [e["earliest"] for e in data["events"]]
        assert days == sorted(days) or len(days) < 2
        with pytest.raises(KeyError):
            sl.timeline("no-such-story")
