"""Language per document and per block in another language."""

from __future__ import annotations

import storyline

FRENCH = (
    "Le ministre a rencontré son homologue\n\n"
    "Le ministre des Affaires étrangères a rencontré mardi son homologue allemand à Paris pour discuter de la "
    "crise. Les deux hommes ont affirmé qu'ils étaient prêts à poursuivre le dialogue dans les prochaines semaines.\n\n"
    "Il a ajouté que la situation restait préoccupante et que les alliés devaient rester unis face aux tensions.\n"
)
FOOTER = "This site uses cookies to improve your experience. By continuing to browse the site you agree to our use of cookies.\n"
SPANISH = (
    "El ministro de Asuntos Exteriores se reunió el martes con su homólogo alemán en Madrid para hablar de la "
    "crisis y de las negociaciones que se abrirán la próxima semana.\n"
)


def test_document_language_and_a_foreign_footer_block():
    (doc,) = storyline.analyze(FRENCH + "\n" + FOOTER)
    assert doc.language == "fr"
    (block,) = doc.language_blocks
    assert block["language"] == "en" and doc.text[block["start"] : block["end"]] == FOOTER.strip()


def test_each_language_of_the_tables_is_detected():
    (doc,) = storyline.analyze(SPANISH + "\n" + SPANISH.replace("martes", "miércoles"))
    assert doc.language == "es" and doc.language_blocks == []
    (doc,) = storyline.analyze(FRENCH + "\n" + SPANISH)
    assert doc.language == "fr" and [b["language"] for b in doc.language_blocks] == ["es"]


def test_declared_language_wins_but_blocks_are_still_checked():
    (doc,) = storyline.analyze(FRENCH + "\n" + FOOTER, language="fr")
    assert doc.language == "fr" and [b["language"] for b in doc.language_blocks] == ["en"]
    (doc,) = storyline.analyze(FRENCH)
    assert doc.language_blocks == []
