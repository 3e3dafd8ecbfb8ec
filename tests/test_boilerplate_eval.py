"""Line-level boilerplate removal measured away from the example corpus: hand-labelled French page dumps
(tests/data/boilerplate-fr, invented articles with the chrome of real French news sites and forums;
tests/data/boilerplate-fr-2, -3 and -4, more sets of other kinds of pages, each labelled before the rules were tuned
on it), the page-to-lines rendering and line labels of `storyline eval boilerplate`, and the floor on the extraction
benchmark's pages dumped as text (skipped when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluation.boilerplate import evaluate_boilerplate, label_lines, line_decisions, page_lines
from storyline.pipeline import Pipeline
from storyline.records import Document

FIXTURES = Path(__file__).resolve().parent / "data" / "boilerplate-fr"
FIXTURES_2 = Path(__file__).resolve().parent / "data" / "boilerplate-fr-2"
FIXTURES_3 = Path(__file__).resolve().parent / "data" / "boilerplate-fr-3"
FIXTURES_4 = Path(__file__).resolve().parent / "data" / "boilerplate-fr-4"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCHMARK = SHARED / "benchmarks" / "article-extraction"
CORPUS = SHARED / "corpora" / "diplomacy-fr"


def test_french_pages_line_f1():
    result = evaluate_boilerplate(FIXTURES, details=True)
    assert result["documents"] == 8
    print(json.dumps(result, ensure_ascii=False, indent=1))
    assert result["boilerplate"]["f1"] >= 0.90, result
    assert result["body"]["f1"] >= 0.90, result
    assert result["headlines"]["documents"] == 8 and result["headlines"]["accuracy"] >= 0.85, result


def test_french_pages_keep_headline_and_intertitles():
    labels = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))["documents"]
    docs = Pipeline.from_names(("metadata", "title", "body")).pipe(
        [Document(source=name, text=(FIXTURES / name).read_text(encoding="utf-8")) for name in sorted(labels)])
    for doc in docs:
        kept = {n: line for n, line, removed in line_decisions(doc) if not removed}
        assert labels[doc.source]["title_line"] in kept, doc.source
    intertitles = {"Une motion déposée dans l'heure", "Un final complètement fou",
                   "Une école interne dès septembre", "La grande distribution à prix coûtant",
                   "Les syndicats réclament l'abandon du projet"}
    one_liners = {"Lens termine la rencontre à dix.", "La société civile reste divisée.",
                  "Le mouvement pourrait être reconduit."}
    kept_lines = {line for doc in docs for _, line, removed in line_decisions(doc) if not removed}
    assert intertitles | one_liners <= kept_lines


@pytest.mark.parametrize("folder, documents", [(FIXTURES_2, 6), (FIXTURES_3, 6), (FIXTURES_4, 8)],
                         ids=["second-set", "third-set", "fourth-set"])
def test_later_french_sets_line_f1_and_headlines(folder, documents):
    result = evaluate_boilerplate(folder, details=True)
    assert result["documents"] == documents
    print(json.dumps(result, ensure_ascii=False, indent=1))
    assert result["boilerplate"]["f1"] >= 0.95, result
    assert result["body"]["f1"] >= 0.95, result
    assert result["headlines"] == {"documents": documents, "accuracy": 1.0}, result


def test_fourth_set_live_blog_headline_video_player_and_wire_pages():
    kept, removed = _kept_and_removed(FIXTURES_4, "direct-sommet-ue-chine.txt")
    assert {"EN DIRECT", "Suivre ce direct", "Accepter et afficher"} <= removed
    assert {"Sommet UE-Chine : les Européens réclament un « rééquilibrage » commercial, Pékin dénonce le "
            "protectionnisme", "17h05", "14h32", "Mis à jour le 23 juillet 2026 à 17h05"} <= kept
    kept, removed = _kept_and_removed(FIXTURES_4, "tv-electricite-tarif.txt")
    assert {"02:13", "00:45", "Votre vidéo commence dans 5 secondes"} <= removed
    assert {"Une hausse des taxes en embuscade", "Publié le 15 janvier 2026 à 12h45"} <= kept
    kept, removed = _kept_and_removed(FIXTURES_4, "aps-senegal-mauritanie-gaz.txt")
    assert {"Mercredi 11 mars 2026", "Lu 1 287 fois", "Par APS", "OD/AKS"} <= removed
    assert "10 mars 2026 à 18:25" in kept


def test_gallery_captions_and_teaser_dates_go_and_a_table_of_figures_stays():
    kept, removed = _kept_and_removed(FIXTURES_3, "galerie-photos-carnaval-binche.txt")
    assert {"Un Gille lance des oranges vers le public.", "© Reuters", "2 / 8"} <= removed
    kept, removed = _kept_and_removed(FIXTURES_3, "agregateur-xinhua-train-laos.txt")
    assert {"3 avril 2026", "1er avril 2026"} <= removed and "4 avril 2026" in kept
    kept, _ = _kept_and_removed(FIXTURES_3, "chiffres-tableau-immobilier.txt")
    assert {"Paris 9 380 € -4,1 %", "Source : Notaires de France, novembre 2025"} <= kept


def _kept_and_removed(folder: Path, name: str) -> tuple[set[str], set[str]]:
    (doc,) = Pipeline.from_names(("metadata", "title", "body")).pipe(
        [Document(source=name, text=(folder / name).read_text(encoding="utf-8"))])
    decisions = line_decisions(doc)
    kept = {line for _, line, removed in decisions if not removed}
    return kept, {line for _, line, _removed in decisions} - kept


def test_live_blog_entries_keep_their_times_and_interview_answers_stay():
    kept, removed = _kept_and_removed(FIXTURES_2, "direct-crues-pas-de-calais.txt")
    assert {"16h55", "09h12", "10h30"} <= kept  # an entry's time stamp is the entry's
    assert any(line.startswith("Bonjour et bienvenue dans ce direct") for line in kept)  # the first entry, last
    assert {"Partager", "Afficher les posts précédents", "Voir cette publication sur X"} <= removed
    kept, removed = _kept_and_removed(FIXTURES_2, "entretien-economiste-inflation.txt")
    assert {"Oui.", "Pourquoi ?", "Et dans les villes moyennes ?"} <= kept
    assert {"Propos recueillis par Julien Morel", "Offrir l'article"} <= removed


def test_boxes_inside_the_article_go_and_the_text_after_them_stays():
    kept, removed = _kept_and_removed(FIXTURES_2, "quotidien-regional-piscine.txt")
    assert {"Lecture 4 min.", "Chaque matin, recevez l'essentiel de l'actualité de votre commune.",
            "Cliquez sur « J'accepte » pour afficher la vidéo."} <= removed
    assert "Les clubs inquiets pour la rentrée" in kept  # an intertitle after a blocked video


def test_forum_poster_lines_and_an_author_biography_go():
    _, removed = _kept_and_removed(FIXTURES_2, "forum-repost-vehicules-chinois.txt")
    assert {"Inscription : mar. 9 févr. 2016 14:20", "6 messages • Page 1 sur 1",
            "Message non lu par Vauban » mer. 12 juin 2024 18:47"} <= removed
    kept, removed = _kept_and_removed(FIXTURES_2, "magazine-bergers-pyrenees.txt")
    assert any(line.startswith("Claire Dufresne est journaliste") for line in removed)
    assert {"Une cohabitation sous tension", "Le métier change de visage"} <= kept


PAGE = """<html><head><title>Site | Title</title><script>var x = "hidden";</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<div style="display: none">Invisible promo</div>
<h1>Talks end <em>without</em> a deal</h1>
<p>The talks lasted three hours and ended without any agreement, officials on both sides said on Monday.</p>
<table><tr><td>Votes</td><td>12</td></tr></table>
<h2>What comes next</h2>
<p>Both delegations agreed to meet again next week<br>in Geneva to continue the discussion.</p>
<aside><p>Read more: Markets rally as talks resume</p></aside>
<footer>Share</footer><noscript>Enable JavaScript</noscript></body></html>"""


def test_page_lines_one_line_per_block():
    lines, headline = page_lines(PAGE)
    assert headline == "Talks end without a deal"
    assert lines == [
        "Home", "World", "Talks end without a deal",
        "The talks lasted three hours and ended without any agreement, officials on both sides said on Monday.",
        "Votes 12", "What comes next", "Both delegations agreed to meet again next week",
        "in Geneva to continue the discussion.", "Read more: Markets rally as talks resume", "Share",
    ]


def test_labels_follow_the_true_body():
    lines, headline = page_lines(PAGE)
    body = ("The talks lasted three hours and ended without any agreement, officials on both sides said on Monday.\n"
            "Votes 12\nWhat comes next\nBoth delegations agreed to meet again next week in Geneva to continue the "
            "discussion. Share your views with us.")
    labels = dict(zip(lines, label_lines(lines, body, headline)))
    assert labels["Talks end without a deal"] is None  # the headline is not scored
    assert labels["What comes next"] == labels["Votes 12"] == "body"  # short lines inside the article's region
    assert labels["Home"] == labels["Read more: Markets rally as talks resume"] == "boilerplate"
    assert labels["Share"] == "boilerplate"  # a word of the body, but outside the article's region


def test_evaluation_needs_a_known_layout(tmp_path):
    with pytest.raises(FileNotFoundError):
        evaluate_boilerplate(tmp_path)


def test_example_corpus_through_the_evaluation():
    if not (CORPUS / "gold.json").is_file():
        pytest.skip("../shared/corpora/diplomacy-fr is not present")
    result = evaluate_boilerplate(CORPUS)
    assert result["boilerplate"]["precision"] >= 0.95 and result["boilerplate"]["recall"] >= 0.95


@pytest.mark.slow
def test_floor_on_the_benchmark_pages_dumped_as_text():
    if not (BENCHMARK / "ground-truth.json").is_file():
        pytest.skip(f"benchmark not available at {BENCHMARK}")
    pytest.importorskip("lingua")
    result = evaluate_boilerplate(BENCHMARK)
    print(json.dumps({k: v for k, v in result.items() if k != "by_language"}, indent=1))
    assert result["documents"] >= 100
    assert result["boilerplate"]["f1"] >= 0.955, result
    assert result["body"]["recall"] >= 0.88, result
    assert result["headlines"]["accuracy"] >= 0.58, result


def test_a_folder_of_another_layout_is_an_error_message_not_a_traceback(tmp_path):
    from conftest import run_cli

    (tmp_path / "a.txt").write_text("Un titre\n\nUn paragraphe.\n", encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps({"documents": {"a.txt": {"language": "fr"}}}), encoding="utf-8")
    proc = run_cli("eval", "boilerplate", str(tmp_path), check=False)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert b"boilerplate_lines" in proc.stderr  # what the ground truth lacks
    proc = run_cli("eval", "extraction", str(tmp_path / "missing"), check=False)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr and b"missing" in proc.stderr
    # documents without line labels are left out; the labelled ones are scored
    (tmp_path / "b.txt").write_text("Menu | Accueil | Contact\nUn titre\n\nUn paragraphe assez long.\n", encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps({"documents": {"a.txt": {}, "b.txt": {"boilerplate_lines": [1]}}}),
                                        encoding="utf-8")
    assert evaluate_boilerplate(tmp_path)["documents"] == 1
