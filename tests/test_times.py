"""Temporal expressions on tiny hand-made sentences with fixed anchors: exact TIMEX3 values, per language."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from storyline.records import Document, Published
from storyline.stages.times import TimeExpressions
from storyline.temporal import TimeExpr, anchor_day, available, tag
from storyline.temporal.calendar import duration_value, easter


def value(text: str, language: str, anchor: str | None, expr: str) -> str | None:
    """The value given to the expression `expr` found in `text` (which must be found exactly once)."""
    found = [t for t in tag(text, language, anchor) if t.text == expr]
    assert len(found) == 1, f"{expr!r} not found once in {[(t.text, t.value) for t in tag(text, language, anchor)]}"
    return found[0].value


def test_every_language_has_a_table():
    assert {"fr", "en", "es", "de", "it", "pt"} <= set(available())


# --- French --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expr, expected", [
    ("Les États-Unis ont fait part lundi à la Russie de leur volonté.", "lundi", "2021-12-20"),
    ("La semaine dernière, M. Sullivan a appelé.", "La semaine dernière", "2021-W50"),
    ("Depuis la conversation il y a quinze jours, Moscou a parlé.", "il y a quinze jours", "2021-12-06"),
    ("Ils discuteront le mois prochain.", "le mois prochain", "2022-01"),
    ("La Russie a fait des demandes ce mois-ci.", "ce mois-ci", "2021-12"),
    ("Une invasion au début de 2022.", "au début de 2022", "2022"),
    ("Prêts dès le début du mois de janvier.", "dès le début du mois de janvier", "2022-01"),
    ("Il est arrivé hier soir.", "hier soir", "2021-12-19"),
    ("Le sommet aura lieu demain.", "demain", "2021-12-21"),
    ("Il a parlé mardi dernier.", "mardi dernier", "2021-12-14"),
    ("Ils se verront mardi prochain.", "mardi prochain", "2021-12-21"),
    ("Ils se reverront dans deux semaines.", "dans deux semaines", "2022-W01"),
    ("Le gouvernement avait promis l'an dernier.", "l'an dernier", "2020"),
    ("Le 15 février 2022, à Madrid.", "Le 15 février 2022", "2022-02-15"),
    ("Paris, 20 déc. (Cinktank.com)", "20 déc.", "2021-12-20"),
    ("Une réunion le 12 janvier.", "le 12 janvier", "2022-01-12"),
    ("Des pourparlers début janvier.", "début janvier", "2022-01"),
    ("L'appel a duré 50 minutes.", "50 minutes", "PT50M"),
    ("Une conversation de plus de deux heures.", "plus de deux heures", "PT2H"),
    ("Il a vécu trois ans à Rome.", "trois ans", "P3Y"),
    ("Elle est restée quinze jours.", "quinze jours", "P2W"),
    ("Actuellement, rien ne bouge.", "Actuellement", "PRESENT_REF"),
    ("Le sommet prévu au premier trimestre 2022.", "au premier trimestre 2022", "2022-Q1"),
    ("Dans les années 1990, la Russie s'est ouverte.", "Dans les années 1990", "199X"),
    ("Il est parti à 14h30.", "à 14h30", "2021-12-20T14:30"),
])
def test_french(text, expr, expected):
    assert value(text, "fr", "2021-12-20", expr) == expected


def test_french_weekday_follows_the_tense_of_its_clause():
    anchor = "2021-12-31"  # a Friday
    assert value("Un responsable a déclaré mercredi que Biden parlerait.", "fr", anchor, "mercredi") == "2021-12-29"
    assert value("Le conseil se réunira mardi à Bruxelles.", "fr", anchor, "mardi") == "2022-01-04"
    assert value("Les ministres doivent se retrouver jeudi.", "fr", anchor, "jeudi") == "2022-01-06"
    assert value("Vendredi, le Kremlin a réagi.", "fr", anchor, "Vendredi") == "2021-12-31"  # the anchor day itself
    assert value("On attend la réponse lundi.", "fr", anchor, "lundi") == "2021-12-27"  # news default: the last one


def test_french_ce_weekday_is_the_nearest_such_day():
    assert value("L'ambassadrice a célébré ce mardi l'unité.", "fr", "2022-02-15", "ce mardi") == "2022-02-15"


def test_year_less_dates_around_new_year():
    assert value("La réunion du 3 janvier.", "fr", "2021-12-27", "du 3 janvier") == "2022-01-03"
    assert value("Le discours du 28 décembre.", "fr", "2022-01-03", "du 28 décembre") == "2021-12-28"
    assert value("The talks on Jan. 10 will be hard.", "en", "2021-12-29", "Jan. 10") == "2022-01-10"
    assert value("Prices fell on Dec. 28.", "en", "2022-01-04", "Dec. 28") == "2021-12-28"
    assert value("Il a neigé en décembre.", "fr", "2022-01-05", "en décembre") == "2021-12"
    assert value("Ils se verront en janvier.", "fr", "2021-12-23", "en janvier") == "2022-01"


def test_year_less_dates_respect_a_clear_tense():
    anchor = "2022-01-15"
    assert value("Le contrat a été signé le 2 juillet.", "fr", anchor, "le 2 juillet") == "2021-07-02"
    assert value("Le sommet se tiendra le 2 juillet.", "fr", anchor, "le 2 juillet") == "2022-07-02"
    assert value("The summit will be held on July 2.", "en", anchor, "July 2") == "2022-07-02"
    assert value("The deal was signed on July 2.", "en", anchor, "July 2") == "2021-07-02"


def test_french_boilerplate_words_are_not_dates():
    found = tag("La réunion a été reportée. Ce mars 2022 a été un mois difficile pour Mars.", "fr", "2022-04-01")
    assert [t.text for t in found] == ["mars 2022", "un mois"]


# --- English -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expr, expected", [
    ("The deal was signed December 3, 2021.", "December 3, 2021", "2021-12-03"),
    ("Filed on 2021-12-20.", "2021-12-20", "2021-12-20"),
    ("They will talk next week.", "next week", "2021-W49"),
    ("It happened two days ago.", "two days ago", "2021-11-29"),
    ("Sales rose last year.", "last year", "2020"),
    ("He spoke this morning.", "this morning", "2021-12-01TMO"),
    ("She served three years in office.", "three years", "P3Y"),
    ("It took a couple of weeks.", "a couple of weeks", "P2W"),
    ("It took 5 1/2 hours.", "5 1/2 hours", "PT5H30M"),
    ("Profit rose in the third quarter.", "the third quarter", "2021-Q3"),
    ("Interest is paid daily.", "daily", "P1D"),
    ("Stocks are now lower.", "now", "PRESENT_REF"),
    ("The talks resume in January.", "January", "2022-01"),
    ("The 1980s were different.", "The 1980s", "198X"),
    ("Yesterday the board met.", "Yesterday", "2021-11-30"),
    ("The blast came at 10:35 a.m.", "10:35 a.m.", "2021-12-01T10:35"),
    ("Christmas Day was quiet.", "Christmas Day", "2021-12-25"),
])
def test_english(text, expr, expected):
    assert value(text, "en", "2021-12-01", expr) == expected


def test_english_weekday_follows_the_tense_of_its_clause():
    anchor = "2021-12-01"  # a Wednesday
    assert value("The minister said Wednesday that talks failed.", "en", anchor, "Wednesday") == "2021-12-01"
    assert value("The leaders will meet Tuesday in Geneva.", "en", anchor, "Tuesday") == "2021-12-07"
    assert value("The leaders met Tuesday in Geneva.", "en", anchor, "Tuesday") == "2021-11-30"
    assert value("On Friday, the ministry announced cuts.", "en", anchor, "Friday") == "2021-11-26"
    assert value("Ministers are scheduled to vote Friday.", "en", anchor, "Friday") == "2021-12-03"


def test_english_may_the_verb_is_no_month():
    found = tag("Prices may fall. The vote is due in May.", "en", "2021-12-01")
    assert [(t.text, t.value) for t in found] == [("May", "2022-05")]


def test_ages_are_no_durations():
    assert [t.text for t in tag("The 52-year-old doctor, 60 years old, spoke.", "en", "2021-12-01")] == []


# --- Spanish, German, Italian, Portuguese --------------------------------------------------------------------


@pytest.mark.parametrize("language, text, expr, expected", [
    ("es", "El ministro dijo el lunes que no cederá.", "el lunes", "2022-02-14"),
    ("es", "La reunión se celebrará el próximo martes.", "el próximo martes", "2022-02-22"),
    ("es", "Hace dos semanas llegó la carta.", "Hace dos semanas", "2022-W05"),
    ("es", "Firmado el 3 de enero de 2022.", "el 3 de enero de 2022", "2022-01-03"),
    ("es", "Las ventas cayeron el año pasado.", "el año pasado", "2021"),
    ("es", "Llegará a principios de marzo.", "a principios de marzo", "2022-03"),
    ("es", "Habló ayer por la tarde.", "ayer por la tarde", "2022-02-15"),
    ("es", "La llamada duró dos horas.", "dos horas", "PT2H"),
    ("de", "Der Minister sagte am Montag, es gebe keine Einigung.", "am Montag", "2022-02-14"),
    ("de", "Das Treffen findet am kommenden Dienstag statt.", "am kommenden Dienstag", "2022-02-22"),
    ("de", "Vor zwei Wochen kam der Brief.", "Vor zwei Wochen", "2022-W05"),
    ("de", "Unterzeichnet am 3. Januar 2022 in Berlin.", "am 3. Januar 2022", "2022-01-03"),
    ("de", "Die Preise stiegen im vergangenen Jahr.", "im vergangenen Jahr", "2021"),
    ("de", "Die Gespräche beginnen Anfang März.", "Anfang März", "2022-03"),
    ("de", "Das Gespräch dauerte zwei Stunden.", "zwei Stunden", "PT2H"),
    ("de", "Wir sehen uns in drei Tagen.", "in drei Tagen", "2022-02-19"),
    ("it", "Il ministro ha detto lunedì che non cederà.", "lunedì", "2022-02-14"),
    ("it", "La riunione si terrà martedì prossimo.", "martedì prossimo", "2022-02-22"),
    ("it", "Due settimane fa è arrivata la lettera.", "Due settimane fa", "2022-W05"),
    ("it", "Firmato il 3 gennaio 2022 a Roma.", "il 3 gennaio 2022", "2022-01-03"),
    ("it", "Le vendite sono calate l'anno scorso.", "l'anno scorso", "2021"),
    ("it", "La telefonata è durata due ore.", "due ore", "PT2H"),
    ("pt", "O ministro disse na segunda-feira que não cede.", "na segunda-feira", "2022-02-14"),
    ("pt", "A reunião vai acontecer na próxima terça.", "na próxima terça", "2022-02-22"),
    ("pt", "Há duas semanas chegou a carta.", "Há duas semanas", "2022-W05"),
    ("pt", "Assinado em 3 de janeiro de 2022.", "em 3 de janeiro de 2022", "2022-01-03"),
    ("pt", "As vendas caíram no ano passado.", "no ano passado", "2021"),
    ("pt", "A chamada durou duas horas.", "duas horas", "PT2H"),
])
def test_other_languages(language, text, expr, expected):
    assert value(text, language, "2022-02-16", expr) == expected


def test_ambiguous_names_need_a_cue():
    assert tag("Foi a segunda vez que o presidente falou.", "pt", "2022-02-16") == []
    assert [t.text for t in tag("Am Morgen war es kalt, morgen wird es warm.", "de", "2022-02-16")] == ["morgen"]


# --- anchors, offsets, ranges, records -----------------------------------------------------------------------


def test_without_anchor_expressions_are_reported_with_null_relative_values():
    found = tag("Le 15 février 2022, soit lundi, pour deux heures.", "fr", None)
    assert [(t.text, t.value, t.anchor) for t in found] == [
        ("Le 15 février 2022", "2022-02-15", None), ("lundi", None, None), ("deux heures", "PT2H", None)]


def test_offsets_point_into_the_text_as_read_even_when_decomposed():
    text = unicodedata.normalize("NFD", "Réunion le 3 février, avant décembre.")
    found = tag(text, "fr", "2022-01-10")
    assert [(text[t.start:t.end], t.value) for t in found] == [
        (unicodedata.normalize("NFD", "le 3 février"), "2022-02-03"),
        (unicodedata.normalize("NFD", "décembre"), "2021-12")]


def test_only_the_given_ranges_are_read():
    text = "Lire aussi : hier soir à Paris\n\nLe ministre a parlé mardi."
    body = [(text.index("Le ministre"), len(text))]
    assert [t.text for t in tag(text, "fr", "2022-02-16", body)] == ["mardi"]


def test_unknown_language_gives_nothing():
    assert tag("Le 15 février 2022", "xx", "2022-02-16") == []


def test_record_to_dict():
    t = tag("Il est venu hier.", "fr", "2022-02-16")[0]
    assert isinstance(t, TimeExpr)
    assert t.to_dict() == {"text": "hier", "start": 12, "end": 16, "value": "2022-02-15", "type": "DATE",
                           "granularity": "day", "anchor": "2022-02-16", "mod": None}


def test_anchor_day():
    assert anchor_day(Published.exact("2021-12-20", "x")) == date(2021, 12, 20)
    assert anchor_day(Published(None, "2021-12-26", "2021-12-31", "x")) == date(2021, 12, 28)
    assert anchor_day(Published()) is None


def test_stage_reads_the_body_and_anchors_on_the_publication_interval():
    text = "Accueil hier\n\nLe ministère a déclaré samedi que les troupes rentraient."
    doc = Document(source="t", text=text, language="fr", body=[(text.index("Le "), len(text))],
                   published=Published(None, "2021-12-26", "2021-12-31", "interval"))
    doc = TimeExpressions()(doc)
    # every day of the interval reads "samedi" as the 25th
    assert [(t.text, t.value, t.anchor) for t in doc.times] == [("samedi", "2021-12-25", "2021-12-26/2021-12-31")]
    assert doc.to_dict()["times"][0]["value"] == "2021-12-25"


def test_an_undated_article_gives_relative_dates_no_more_precision_than_its_interval():
    text = "Le ministère a déclaré samedi que les troupes rentraient. Une réunion aura lieu le 12 janvier 2022."
    wide = Published(None, "2021-12-04", "2021-12-31", "interval")
    doc = TimeExpressions()(Document(source="t", text=text, language="fr", body=[(0, len(text))], published=wide))
    # "samedi" is the 4th at the earliest and the 25th at the latest: all we know is December
    assert [(t.text, t.value, t.granularity) for t in doc.times] == [
        ("samedi", "2021-12", "month"), ("le 12 janvier 2022", "2022-01-12", "day")]
    across_years = Published(None, "2021-12-20", "2022-01-10", "interval")
    doc = TimeExpressions()(Document(source="t", text=text, language="fr", body=[(0, len(text))], published=across_years))
    assert doc.times[0].value is None and doc.times[1].value == "2022-01-12"


def test_calendar_helpers():
    assert easter(2022) == date(2022, 4, 17)
    assert duration_value(2.5, "Y") == "P2Y6M"
    assert duration_value(None, "H") == "PTXH"
    assert duration_value(4, "DE") == "P40Y"
