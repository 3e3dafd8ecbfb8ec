"""Publication dates read from the text: date lines with bylines, places, update times and time stamps;
datelines followed by their date; weekdays that are coming or written with their own date; the year of
writing a text states. Each text goes through the cleaning stages alone, as `storyline analyze FILE` does."""

from __future__ import annotations

import json
from datetime import date

import pytest

from storyline.api import analyze
from storyline.pipeline import Pipeline, make_stage
from storyline.stages import DEFAULT_PIPELINE
from storyline.stages.dates import date_line

TODAY = date(2026, 12, 4)
LEAD = "Les ministres se sont réunis lundi à Paris pour évoquer la crise ukrainienne avec leurs homologues."


@pytest.fixture(scope="module")
def cleaning() -> Pipeline:
    from storyline.stages.dates import PublicationDate

    names = DEFAULT_PIPELINE[: DEFAULT_PIPELINE.index("published")]
    return Pipeline([make_stage(n) for n in names] + [PublicationDate(today=TODAY), make_stage("identity")])


def published(text: str, cleaning: Pipeline):
    (doc,) = analyze(text, pipeline=cleaning)
    return doc.published


@pytest.mark.parametrize("line, day", [
    ("Paris, le 20 décembre 2021", "2021-12-20"),
    ("Par Marie Dupont | Publié le 20/12/2021 à 18h30", "2021-12-20"),
    ("Par AFP - 20 déc. 2021 à 18:30", "2021-12-20"),
    ("Publié le lundi 20 décembre 2021 à 20h15, modifié le mardi 21 décembre 2021 à 08h02", "2021-12-20"),
    ("Mis à jour le 21/12/2021 à 08h02 - Publié le 20/12/2021 à 18h30", "2021-12-20"),
    ("Published 6:30 PM EST, Monday, December 20, 2021", "2021-12-20"),
    ("Publié le : 20/12/2021 - 18:30\nModifié le : 21/12/2021 - 08:12", "2021-12-20"),
])
def test_date_lines_with_bylines_places_and_updates(line, day, cleaning):
    p = published(f"Monde\nSommet : les alliés se concertent\n{line}\n{LEAD}", cleaning)
    assert (p.date, p.earliest, p.latest) == (day, day, day), p.evidence


def test_time_stamps_and_dates_after_a_dateline(cleaning):
    text = "World\nBiden and Putin talk\n2021-12-30T18:30:00+01:00\nThe two presidents spoke by phone on Thursday."
    assert date_line("2021-12-30T18:30:00+01:00") is not None
    assert published(text, cleaning).date == "2021-12-30"
    text = ("International\nRusses et Américains négocient à Genève\nGenève (AFP) - 10/01/2022 18:02\n"
            "Les délégations russe et américaine ont entamé lundi à Genève des discussions sur la sécurité.")
    assert published(text, cleaning).date == "2022-01-10"


def test_a_weekday_to_come_does_not_date_the_text(cleaning):
    # 20 December was a Monday in 2021 and a Saturday in 2025: "lundi prochain" says nothing of today
    text = ("Monde\nLes alliés se concertent\nPARIS, 20 déc. (AFP) -\nLes ministres se sont réunis samedi à Paris "
            "et se retrouveront lundi prochain à Bruxelles pour un nouveau sommet.")
    assert published(text, cleaning).date == "2025-12-20"
    without_next = text.replace("samedi", "lundi").replace("lundi prochain", "mardi prochain")
    assert published(without_next, cleaning).date == "2021-12-20"


def test_a_weekday_written_with_its_date_is_that_days(cleaning):
    # "lundi 10 janvier" is the meeting's day, not a past weekday of the story; the interval stays December
    text = ("Les États-Unis et la Russie se parleront le mois prochain\n"
            "Les deux délégations se retrouveront le mois prochain à Genève, lundi 10 janvier, a indiqué "
            "la Maison Blanche, qui redoute une offensive au début de 2022.")
    p = published(text, cleaning)
    assert (p.date, p.earliest, p.latest) == (None, "2021-12-01", "2021-12-31"), p.evidence


def test_a_dateline_takes_the_weekday_the_body_writes_with_its_day(cleaning):
    text = ("Internacional\nLa OTAN se reúne en Bruselas\nBRUSELAS, 15 feb (EFE).-\n"
            "Los ministros de Defensa de la OTAN se reúnen este martes 15 de febrero en Bruselas para debatir.")
    assert published(text, cleaning).date == "2022-02-15"  # 15 February was a Tuesday in 2022


def test_the_year_of_writing_the_text_states(cleaning):
    text = ("Le festival revient\nL'an dernier, en 2021, le festival avait dû réduire sa jauge.\n"
            "Les organisateurs espèrent cette fois accueillir plus de 30 000 spectateurs.")
    p = published(text, cleaning)
    assert (p.date, p.earliest, p.latest) == (None, "2022-01-01", "2022-12-31"), p.evidence
    anniversary = ("Ukraine : un an de guerre\nUn an après ce 24 février 2022 où les chars russes ont franchi la "
                   "frontière, Kiev se prépare à une nouvelle offensive, selon l'état-major.")
    p = published(anniversary, cleaning)
    assert p.date is None and (p.earliest, p.latest) == ("2023-01-01", "2023-12-31"), p.evidence


def test_a_yearless_date_line_takes_the_year_of_its_weekday(cleaning):
    text = ("Monde\nBiden et Poutine se parlent\nJeudi 30 décembre\n"
            "Les deux présidents se sont parlé au téléphone pendant cinquante minutes, selon la Maison Blanche.")
    p = published(text, cleaning)
    assert p.date == "2021-12-30" and "date line" in p.evidence  # 30 December was a Thursday in 2021


def test_dates_of_comments_below_the_article_are_not_its_date(cleaning):
    text = ("Monde\nBiden et Poutine se parlent\n"
            "Les deux présidents se sont parlé jeudi au téléphone pendant cinquante minutes, a indiqué la Maison "
            "Blanche dans un communiqué publié dans la soirée.\n"
            "Ils doivent se retrouver le mois prochain, le 10 janvier, à Genève pour parler de sécurité.\n"
            "Jean-Pierre\n03/01/2022 à 10h12\nUn commentaire de lecteur sur cette conversation entre les deux hommes.")
    p = published(text, cleaning)
    assert p.date != "2022-01-03" and "03/01/2022" not in p.evidence, p.evidence
    assert p.latest <= TODAY.isoformat()  # December of the year of "today", but never after today


def test_the_day_in_the_articles_address(cleaning, tmp_path):
    text = "Monde\nBiden et Poutine se parlent\n" + LEAD
    assert published(text, cleaning).date is None
    path = tmp_path / "articles.jsonl"
    line = {"text": text, "url": "https://www.example.fr/monde/2021/12/30/biden-et-poutine-se-parlent/"}
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    (doc,) = analyze(path, pipeline=cleaning)
    assert doc.published.date == "2021-12-30" and "address" in doc.published.evidence


def test_years_of_history_do_not_pull_a_yearless_dateline_back(cleaning):
    # 4 February was a Friday in 2022 (and 2011); 2014 is history, not the year of writing
    text = ("Ukraine : Moscou dénonce les livraisons d'armes\nMOSCOU, 4 févr. (AFP) -\n"
            "Le Kremlin a dénoncé vendredi les livraisons d'armes occidentales à l'Ukraine, huit ans après "
            "l'annexion de la Crimée en 2014.")
    assert published(text, cleaning).date == "2022-02-04"
    ahead = text.replace("huit ans après l'annexion de la Crimée en 2014", "avant les élections prévues en 2022")
    assert published(ahead, cleaning).date == "2022-02-04"


@pytest.mark.parametrize("line, day", [
    ("Publié le 15/02/22 à 10h05", "2022-02-15"),
    ("mar. 15 févr. 2022 à 10:05", "2022-02-15"),
    ("15-02-2022 10:05", "2022-02-15"),
    ("Aggiornato alle 10:05 del 15 febbraio 2022", "2022-02-15"),
    ("15 февраля 2022 г., 10:05", "2022-02-15"),
    ("sáb, 12 feb 2022 10:05", "2022-02-12"),
    ("Mar 15, 2022", "2022-03-15"),  # an English month, not the French "mar." for Tuesday
    ("Le 15/02/2022 à 18:42 par La rédaction avec AFP", "2022-02-15"),
    ("February 15, 2022 by Jane Doe and John Roe", "2022-02-15"),
    ("Publié il y a 3 heures - 15/02/2022", "2022-02-15"),
    ("15 février 2022 à 10h30 (il y a 3 heures)", "2022-02-15"),
    ("3 hours ago | Feb 15, 2022", "2022-02-15"),
    ("15 февраля 2022, 3 часа назад", "2022-02-15"),
])
def test_more_date_line_forms(line, day):
    m = date_line(line)
    assert m is not None and date(m.year, m.month, m.day).isoformat() == day


def test_a_sentence_with_a_date_and_par_is_no_date_line():
    assert date_line("Le 15 février 2022 par 300 voix contre 200") is None
    assert date_line("il y a 3 heures") is None  # an age alone dates nothing


def test_the_month_named_beside_this_month_is_the_month_of_writing(cleaning):
    text = ("Diplomatie\nLes deux présidents se sont parlé au début du mois, le 7 décembre, par visioconférence, "
            "et leurs équipes se retrouveront à Genève le 10 janvier, selon la Maison Blanche, après deux autres "
            "rencontres cette année, en 2021.")
    p = published(text, cleaning)
    assert (p.earliest, p.latest) == ("2021-12-01", "2021-12-31"), p.evidence
