"""Cleaning stages on tiny hand-made inputs in several languages: Unicode view, language tables, boilerplate,
headline, publication date, outlet / wire / dateline."""

from __future__ import annotations

import time
from datetime import date

import pytest

from storyline import lang
from storyline.records import Document
from storyline.stages.boilerplate import Boilerplate, OutletMemory
from storyline.stages.dates import PublicationDate, date_line
from storyline.stages.metadata import DeclaredMetadata
from storyline.stages.source import Source, match_dateline, wire_credit_line
from storyline.stages.title import Headline
from storyline.textnorm import fold, normalized_view


def clean(*texts: str, html: bool = False, language: str | None = None, meta: dict | None = None,
          today: date | None = date(2026, 1, 1)) -> list[Document]:
    """Run metadata, title, body, source and published over a batch, as the default pipeline does."""
    docs = [Document(source=f"doc{i}", text=t, html="<html></html>" if html else None, meta=dict(meta or {}))
            for i, t in enumerate(texts)]
    docs = [Headline()(DeclaredMetadata()(d)) for d in docs]
    Boilerplate().pipe(docs)
    docs = [Source()(d) for d in docs]
    for d in docs:
        d.language = language
    PublicationDate(today=today).pipe(docs)
    return docs


def kept(doc: Document) -> list[str]:
    return [doc.text[s:e] for s, e in doc.body]


def dropped(doc: Document) -> list[str]:
    return [doc.text[r["start"]:r["end"]] for r in doc.removed]


# --- Unicode view ------------------------------------------------------------------------------------------


def test_normalized_view_folds_and_maps_back_to_the_original():
    text = "Est-\u0441e que l'e\u0301te\u0301\u00a0arrive\u200b ? ﬁn"  # Cyrillic es, combining accents, nbsp, ZWSP, ligature
    norm, omap = normalized_view(text)
    assert norm == "Est-ce que l'été arrive ? fin"
    for word in ("Est-ce", "été", "arrive", "fin"):
        i = norm.index(word)
        s, e = omap.span(i, i + len(word))
        assert normalized_view(text[s:e])[0].strip() == word
    assert omap.to_original(len(norm)) == len(text)
    assert text[slice(*omap.span(norm.index("été"), norm.index("été") + 3))] == "e\u0301te\u0301"


def test_normalized_view_is_identity_on_clean_text_and_folds_toward_the_word_script():
    norm, omap = normalized_view("Plain ASCII text.")
    assert norm == "Plain ASCII text." and omap.is_identity and omap.span(6, 11) == (6, 11)
    norm, _ = normalized_view("М\u006fсква")  # a Latin o inside a Cyrillic word
    assert norm == "Москва"
    assert normalized_view("Ελλάδα και Αθήνα")[0] == "Ελλάδα και Αθήνα"  # one script: untouched


def test_fold_is_a_loose_comparison_key():
    assert fold("Est-\u0441e  QU’IL «Été»") == fold('est-ce qu\'il "ete"')
    assert fold("15\u00a0FÉVRIER 2022") == "15 fevrier 2022"


# --- language tables ---------------------------------------------------------------------------------------


def test_every_language_table_is_complete():
    assert {"fr", "en", "es", "de", "it", "pt", "ru"} <= set(lang.available())
    for code in lang.available():
        t = lang.table(code)
        assert t["code"] == code
        assert len(t["months"]) == 12 and all(t["months"])
        assert len(t["weekdays"]) == 7 and all(t["weekdays"])
        assert {"next_month", "last_month", "today_prefix"} <= set(t["relative"])
        assert {"read_also", "navigation", "cookies", "share", "comments", "subscribe", "credit"} <= set(t["boilerplate"])
    assert lang.table("xx") is None
    assert any(w["name"] == "AFP" for w in lang.shared("wires")["wires"])
    with pytest.raises(KeyError):
        lang.shared("nope")


# --- boilerplate -------------------------------------------------------------------------------------------

FR = """Accueil > Monde > Europe
Le sommet européen s'achève sur un accord budgétaire
Partager
Les dirigeants européens sont parvenus vendredi à un accord sur le budget après deux jours de négociations difficiles à Bruxelles.
Lire aussi : Le prix de l'électricité flambe en Espagne
Un compromis de dernière minute
Le texte prévoit une hausse des dépenses de défense et un fonds d'aide aux régions frontalières, a précisé la présidence.
Suivez-nous sur Twitter
Nous utilisons des cookies pour améliorer votre expérience. En cliquant sur « Accepter », vous consentez à leur utilisation.
Article précédent
La coupe du monde de rugby commence ce soir"""


def test_french_boilerplate_goes_and_the_article_stays():
    (doc,) = clean(FR)
    assert doc.title == "Le sommet européen s'achève sur un accord budgétaire"
    assert kept(doc) == [
        "Le sommet européen s'achève sur un accord budgétaire",
        "Les dirigeants européens sont parvenus vendredi à un accord sur le budget après deux jours de négociations difficiles à Bruxelles.",
        "Un compromis de dernière minute",  # an intertitle stays
        "Le texte prévoit une hausse des dépenses de défense et un fonds d'aide aux régions frontalières, a précisé la présidence.",
    ]
    reasons = {doc.text[r["start"]:r["end"]]: r["reason"] for r in doc.removed}
    assert reasons["Lire aussi : Le prix de l'électricité flambe en Espagne"] == "read_also"
    assert reasons["Suivez-nous sur Twitter"] == "follow"
    assert reasons["Article précédent"] == "navigation"
    assert reasons["La coupe du monde de rugby commence ce soir"] in ("teaser", "tail")
    assert doc.text == FR  # the text itself is never touched


def test_a_closing_paragraph_after_an_inline_teaser_stays():
    text = (
        "Le Canada et l'Union européenne signent un accord sur les minerais critiques\n"
        "Ottawa, 23 juin (AFP) – Le Canada et l'Union européenne ont signé lundi un accord de partenariat "
        "stratégique sur les minerais critiques, destiné à réduire leur dépendance envers la Chine.\n"
        "L'accord prévoit des investissements conjoints dans l'extraction et le raffinage du lithium, du cobalt "
        "et du nickel, ainsi qu'une coordination des normes environnementales.\n"
        "« C'est une étape majeure pour notre sécurité économique », a déclaré la présidente de la Commission.\n"
        "Lire aussi : Le G7 s'engage à sécuriser les chaînes d'approvisionnement\n"
        "Le Canada possède d'importantes réserves de minerais critiques, mais manque de capacités de "
        "transformation, selon les experts.\n"
        "Share this:\nTwitter\nVous aimerez aussi\nLa BCE maintient ses taux inchangés\n"
    )
    (doc,) = clean(text)
    assert kept(doc)[-1].startswith("Le Canada possède d'importantes réserves")
    assert dropped(doc) == ["Lire aussi : Le G7 s'engage à sécuriser les chaînes d'approvisionnement", "Share this:",
                            "Twitter", "Vous aimerez aussi", "La BCE maintient ses taux inchangés"]


def test_an_authors_biography_goes_but_a_paragraph_on_a_person_in_a_caption_stays():
    paragraphs = ("Le chef de la diplomatie américaine a rencontré jeudi son homologue chinois à Pékin pour tenter "
                  "d'apaiser les tensions commerciales entre les deux pays.\n"
                  "Les deux hommes ont évoqué les droits de douane, les exportations de puces et la situation dans le "
                  "détroit de Taïwan, selon un communiqué du département d'État.\n")
    (doc,) = clean("Washington et Pékin renouent le dialogue sur le commerce\nPar Marie Durand\n" + paragraphs
                   + "Marie Durand est correspondante à Pékin depuis 2019. Elle a couvert la Chine pour plusieurs "
                     "quotidiens régionaux avant de rejoindre la rédaction.\n")
    assert dropped(doc) == ["Par Marie Durand", "Marie Durand est correspondante à Pékin depuis 2019. Elle a couvert "
                            "la Chine pour plusieurs quotidiens régionaux avant de rejoindre la rédaction."]
    (doc,) = clean("Washington et Pékin renouent le dialogue sur le commerce\nAntony Blinken\n" + paragraphs
                   + "Antony Blinken doit ensuite se rendre à Séoul, où il rencontrera le président sud-coréen pour "
                     "évoquer la menace nord-coréenne.\n")
    assert kept(doc)[-1].startswith("Antony Blinken doit ensuite se rendre à Séoul")


def test_a_signature_under_the_article_opens_the_authors_box():
    text = ("L'Allemagne et la France appellent à un cessez-le-feu immédiat au Soudan\n"
            "Les ministres des affaires étrangères de l'Allemagne et de la France ont appelé dimanche à un "
            "cessez-le-feu immédiat au Soudan, affirmant que la situation humanitaire était « catastrophique ».\n"
            "Selon les Nations unies, plus de 12 millions de personnes ont été déplacées depuis le début du conflit "
            "en avril 2023.\n"
            "Cette histoire a été mise à jour.\nAmadou Diallo\n"
            "\"Gourou des médias sociaux. Fanatique de la bière. Lecteur. Évangéliste de la culture pop.\"\n")
    (doc,) = clean(text)
    assert dropped(doc)[-2:] == ["Amadou Diallo", "\"Gourou des médias sociaux. Fanatique de la bière. Lecteur. "
                                 "Évangéliste de la culture pop.\""]
    assert kept(doc)[-1].startswith("Selon les Nations unies")


def test_a_list_inside_the_article_stays_whole():
    text = ("Ukraine : Zelensky appelle les Occidentaux à accélérer les livraisons d'armes\n\n"
            "Le président ukrainien a de nouveau exhorté lundi ses alliés occidentaux à accélérer les livraisons de "
            "systèmes de défense antiaérienne, au lendemain d'une vague de frappes russes.\n\n"
            "Selon l'armée de l'air ukrainienne, la Russie a lancé dans la nuit 45 missiles et une soixantaine de "
            "drones, dont la majorité a été abattue.\n\nLes frappes ont visé :\n"
            "- des installations énergétiques dans la région de Kharkiv ;\n- un dépôt ferroviaire près de Lviv ;\n"
            "- des immeubles résidentiels à Odessa.\n\nLe Kremlin n'a pas commenté.\n")
    (doc,) = clean(text)
    assert dropped(doc) == []


def test_live_blog_time_stamps_and_numbered_cues():
    text = ("Crues : l'Aa déborde de nouveau dans le Pas-de-Calais\nLecture 3 min.\n"
            "16h55\nLe niveau de l'Aa commence à se stabiliser à Saint-Omer, selon le service de prévision des "
            "crues, mais la décrue ne devrait pas débuter avant jeudi.\n"
            "16:31\nLe ministre de l'Intérieur est attendu vendredi dans l'Audomarois, où il rencontrera les maires "
            "des communes sinistrées.\nPartager\n"
            "09h12\nBonjour et bienvenue dans ce direct consacré aux crues, que nous suivrons tout au long de la "
            "journée.\n12 commentaires\n")
    (doc,) = clean(text)
    assert {"16h55", "16:31", "09h12"} <= set(kept(doc))
    assert dropped(doc) == ["Lecture 3 min.", "Partager", "12 commentaires"]


@pytest.mark.parametrize("cue", [
    "Read more: Trump's lawyers ask for a delay",  # en
    "Lee también: El Gobierno aprueba los presupuestos",  # es
    "Lesen Sie auch: Scholz reist nach Washington",  # de
    "Leggi anche: Draghi incontra Macron a Roma",  # it
    "Leia também: Lula visita Buenos Aires",  # pt
    "Читайте также: Лавров встретился с Блинкеном",  # ru
    "Share this article",
    "Leave a comment",
    "Advertisement",
    "Abonnez-vous à notre newsletter",
    "© Getty Images",
    "Síguenos en Twitter",
    "LIRE PLUS : Le Chili double les redevances sur le cuivre",  # a teaser on the cue's line
    "Activer les notifications",  # a live blog's controls
    "Accepter et afficher",  # the button of a blocked embed
    "Vous avez trouvé une erreur? Signalez-la.",  # a correction form's prompt
])
def test_cues_in_many_languages(cue):
    body = ("The talks lasted for three hours and ended without any agreement, officials on both sides said.\n"
            "Both delegations agreed to meet again next week in Geneva to continue the discussion.")
    text = "Talks end without a deal\n" + body.split("\n")[0] + "\n" + cue + "\n" + body.split("\n")[1]
    (doc,) = clean(text)
    assert cue in dropped(doc)
    assert len(doc.body) == 3


def test_a_copy_of_the_headline_goes_but_the_headline_stays():
    text = ("Dakar Daily\nLes pourparlers reprendront à Genève en janvier\n"
            "Les pourparlers reprendront à Genève en janvier\n"
            "Les deux délégations ont confirmé lundi qu'elles se retrouveraient à Genève au début du mois prochain.")
    (doc,) = clean(text)
    assert doc.title == "Les pourparlers reprendront à Genève en janvier"
    assert kept(doc)[0] == doc.title and len(doc.body) == 2
    assert [r["reason"] for r in doc.removed] == ["header", "title_copy"]
    assert doc.outlet == "Dakar Daily"


def test_teasers_after_the_last_paragraph_go():
    text = ("Biden and Putin speak by phone\n"
            "President Joe Biden and Russian President Vladimir Putin spoke for fifty minutes on Thursday, officials said.\n"
            "The Kremlin called the conversation frank and useful.\n"
            "Previous\n"
            "Five home workouts to get in shape for free\n"
            "Bank races to recover millions after Christmas Day error\n"
            "Next\n")
    (doc,) = clean(text)
    assert len(doc.body) == 3
    assert "Bank races to recover millions after Christmas Day error" in dropped(doc)


def test_html_text_is_handled_conservatively():
    text = ("A short standfirst line\n"
            "The minister resigned on Monday after weeks of pressure from his own party, aides said.\n"
            "What comes next\n")
    (doc,) = clean(text, html=True, meta={"title": "Minister resigns"})
    assert len(doc.body) == 3 and doc.removed == []


def test_a_body_is_never_emptied():
    (doc,) = clean("Partager\nTwitter\nFacebook")
    assert doc.body


def test_lines_repeating_across_an_outlet_are_learned_within_a_batch():
    def article(i: int) -> str:
        return (f"Headline number {i} about the talks\n"
                f"Paragraph {i}: negotiators met again today in Vienna and said progress had been made on item {i}.\n"
                "Our award-winning team brings you the stories that matter\n"
                f"Closing paragraph {i}: the next round of talks is expected within two weeks, diplomats said.\n")
    docs = clean(*(article(i) for i in range(3)), meta={"outlet": "example.org"})
    for d in docs:
        assert "Our award-winning team brings you the stories that matter" in dropped(d)
        assert len(d.body) == 3
    stage = Boilerplate()
    stage.pipe([Document(source="x", text=article(1), meta={}, outlet="example.org", title=None)])
    memory = OutletMemory.from_dict(stage.memory.to_dict())
    assert memory.to_dict() == stage.memory.to_dict()
    # a second copy of the same article teaches nothing
    assert memory.learn("example.org", ["line a", "line b"]) is True
    assert memory.learn("example.org", ["line a", "line b"]) is False


# --- headline ----------------------------------------------------------------------------------------------


def test_declared_title_wins_and_a_breadcrumb_copy_points_at_the_headline():
    (doc,) = clean("Bonjour.\nLe ministre a parlé lundi.", meta={"title": "  Le   ministre "})
    assert doc.title == "Le ministre"
    text = ("Accueil Actualités Monde Les États-Unis et la Russie reprennent le dialogue sur...\n"
            "Les États-Unis et la Russie reprennent le dialogue sur la sécurité\n"
            "Washington et Moscou ont annoncé mercredi la reprise de leurs discussions sur la sécurité européenne.")
    (doc,) = clean(text)
    assert doc.title == "Les États-Unis et la Russie reprennent le dialogue sur la sécurité"
    assert dropped(doc) == [text.split("\n")[0]]


# --- publication date --------------------------------------------------------------------------------------


@pytest.mark.parametrize("line, day", [
    ("15 FÉVRIER 2022", "2022-02-15"),
    ("Publié le mardi 15 février 2022 à 10h05", "2022-02-15"),
    ("Published February 15, 2022 10:05 AM", "2022-02-15"),
    ("15 de febrero de 2022", "2022-02-15"),
    ("15. Februar 2022, 10:05 Uhr", "2022-02-15"),
    ("15 февраля 2022", "2022-02-15"),
    ("Pubblicato il 15 febbraio 2022", "2022-02-15"),
    ("15/02/2022", "2022-02-15"),
])
def test_date_lines_in_many_languages(line, day):
    m = date_line(line)
    assert m is not None and date(m.year, m.month, m.day).isoformat() == day
    (doc,) = clean(f"Title of the article\n{line}\nThe article starts here with a first full sentence of text.")
    assert doc.published.date == day and doc.published.earliest == day == doc.published.latest


def test_a_sentence_is_not_a_date_line():
    assert date_line("Le sommet aura lieu le 15 février 2022 à Bruxelles.") is None


def test_declared_date_wins():
    (doc,) = clean("Titre\nLe 15 FÉVRIER 2022\nTexte.", meta={"published": "2021-03-04"})
    assert doc.published.date == "2021-03-04" and "declared" in doc.published.evidence


def test_yearless_dateline_takes_the_year_the_weekday_agrees_with():
    text = ("Les deux ministres se sont parlé\n"
            "Paris, 20 déc. (Exemple.fr) –\n"
            "Les deux ministres se sont entretenus lundi par téléphone pendant une heure, selon un communiqué.")
    (doc,) = clean(text, language="fr", today=date(2023, 6, 1))
    assert doc.published.date == "2021-12-20"  # 20 December was a Monday in 2021 (and in 2010)
    assert doc.dateline["place"] == "Paris" and doc.dateline["source"] == "Exemple.fr"
    assert doc.outlet == "Exemple.fr" and doc.wire is None


def test_a_day_called_today_takes_its_year_from_the_batch():
    dated = "Autre article\n3 JANVIER 2022\nUn autre article du même dossier, avec une date complète."
    yearless = ("Washington se dit prêt au dialogue\n"
                "Le secrétaire d'État a assuré ce 23 décembre que les États-Unis restaient prêts à dialoguer.")
    docs = clean(dated, yearless, language="fr")
    assert docs[1].published.date == "2021-12-23"
    assert docs[1].published.latest == "2021-12-24" and "batch" in docs[1].published.evidence


def test_next_month_with_dated_meetings_gives_an_interval():
    text = ("Talks will resume next month\n"
            "Russian and American officials will meet next month, with talks on January 12 and January 13, "
            "a spokesman said, adding that the date had been agreed in early 2022 planning.\n"
            "Other talks are planned at the OSCE.")
    (doc,) = clean(text, language="en", today=date(2022, 6, 1))
    assert doc.published.date is None
    assert doc.published.earliest == "2021-12-01" and doc.published.latest == "2021-12-31"


def test_a_year_the_text_writes_dates_the_months_it_names():
    # Alone (no batch), long after the fact: the sentence-final "2019." and the March meeting agree on a
    # publication in February 2019, not in the February nearest today.
    text = ("Les ministres se retrouveront le mois prochain\n"
            "Les ministres européens se retrouveront le mois prochain à Bruxelles, le 14 mars, pour adopter le "
            "budget, a indiqué la présidence, qui veut un accord avant la fin de 2019.")
    (doc,) = clean(text, language="fr", today=date(2026, 12, 4))
    assert (doc.published.earliest, doc.published.latest) == ("2019-02-01", "2019-02-28")
    assert "2019" in doc.published.evidence


def test_published_is_always_complete():
    (doc,) = clean("Nothing here tells the date\nA sentence without any date in it at all, none.")
    assert set(doc.published.to_dict()) == {"date", "earliest", "latest", "evidence"}
    assert doc.published.date is None and doc.published.evidence


# --- outlet, wire, dateline --------------------------------------------------------------------------------


@pytest.mark.parametrize("line, place, source", [
    ("MADRID, 15 février (EUROPA PRESS) -", "MADRID", "EUROPA PRESS"),
    ("WASHINGTON (Reuters) - The United States said on Tuesday", "WASHINGTON", "Reuters"),
    ("Moscou, 15 févr. 2022 (AFP) – La Russie a annoncé", "Moscou", "AFP"),
    ("Berlin (dpa) - Die Bundesregierung", "Berlin", "dpa"),
    ("Madrid, 15 feb (EFE).- El Gobierno", "Madrid", "EFE"),
    ("МОСКВА, 15 фев — РИА Новости. Президент", "МОСКВА", "РИА Новости"),
    ("(ANSA) - ROMA, 15 FEB - Il governo", "ROMA", "ANSA"),
])
def test_datelines(line, place, source):
    dl = match_dateline(line)
    assert dl is not None and dl.place == place and dl.source == source


@pytest.mark.parametrize("line", [
    "Emmanuel Macron (LREM) - un discours attendu",
    "Le 15 février, les ministres se sont réunis.",
    "Lundi, 20 décembre (heure de Paris) – rien",
])
def test_not_datelines(line):
    assert match_dateline(line) is None


def test_wire_credits_and_mere_mentions():
    assert wire_credit_line("- Avec AFP") == ["AFP"]
    assert wire_credit_line("(AFP)") == ["AFP"]
    assert wire_credit_line("Source : AFP et Reuters") == ["AFP", "Reuters"]
    assert wire_credit_line("avec agences") == []
    assert wire_credit_line("Le ministre a déclaré à l'AFP qu'il partirait.") is None
    text = ("Le ministre démissionne\n"
            "Le ministre a annoncé sa démission mardi, a-t-il déclaré à l'AFP lors d'un entretien à Paris.\n"
            "Il sera remplacé par son adjoint dans les prochains jours, selon Reuters.")
    (doc,) = clean(text)
    assert doc.wire is None
    (doc,) = clean(text + "\n(Avec AFP)")
    assert doc.wire == "AFP"


def test_dateline_wire_and_outlet_from_the_site_own_words():
    text = ("Blinken appelle Lavrov\n"
            "MADRID, 15 février (EUROPA PRESS) -\n"
            "Le secrétaire d'État a tenu mardi un nouvel entretien téléphonique avec son homologue russe.\n"
            "Suivez Info Express sur Telegram")
    (doc,) = clean(text, language="fr")
    assert doc.dateline["place"] == "Madrid" and doc.dateline["source"] == "Europa Press"
    assert doc.wire == "Europa Press" and doc.outlet == "Info Express"
    (doc,) = clean(text, meta={"outlet": "declared.example"})
    assert doc.outlet == "declared.example"


# --- speed -------------------------------------------------------------------------------------------------


def test_cleaning_is_cheap(examples):
    texts = [p.read_text(encoding="utf-8") for p in sorted(examples.glob("*.txt"))]
    clean(*texts, language="fr")  # warm up (tables, regular expressions)
    batch = [t + f"\n\nRéf. {i}" for i, t in enumerate(texts * 40)]
    start = time.process_time()
    clean(*batch, language="fr")
    per_second = len(batch) / (time.process_time() - start)
    print(f"\ncleaning (title, body, source, published): {per_second:.0f} documents/s")
    assert per_second > 150  # generous floor for a shared machine; typically several hundred per second


@pytest.mark.parametrize("language, text, wire, place, day", [
    ("es", "El Gobierno aprueba el plan de ayudas\nMADRID, 15 Feb. (EUROPA PRESS) -\n"
           "El Consejo de Ministros ha aprobado este martes un nuevo paquete de ayudas para las familias.\n"
           "Lee también: La inflación se modera en enero\n"
           "La ministra ha explicado que las medidas entrarán en vigor la próxima semana.\nSíguenos en Twitter",
     "Europa Press", "Madrid", "2022-02-15"),
    ("de", "Regierung beschließt Entlastungspaket\nBerlin (dpa) - Die Bundesregierung hat am Dienstag ein neues "
           "Entlastungspaket beschlossen, teilte ein Sprecher mit.\nLesen Sie auch: Inflation steigt weiter\n"
           "Die Maßnahmen sollen im März in Kraft treten, hieß es aus dem Ministerium.\nKommentare",
     "dpa", "Berlin", None),
    ("ru", "Лавров провел переговоры с Блинком\nМОСКВА, 15 фев — РИА Новости. Министр иностранных дел России "
           "Сергей Лавров во вторник провел телефонный разговор с госсекретарем США.\n"
           "Читайте также: Курс рубля снизился\nСтороны договорились продолжить контакты, сообщили в МИД.",
     "RIA Novosti", "Москва", "2022-02-15"),
])
def test_whole_articles_in_other_languages(language, text, wire, place, day):
    dated = "Other article\n3 FEBRUARY 2022\nAnother article of the batch, with a full date on a line of its own."
    doc, _ = clean(text, dated, language=language)
    assert doc.wire == wire and doc.dateline["place"] == place
    assert not any(line.startswith(("Lee también", "Lesen Sie", "Читайте", "Síguenos", "Kommentare")) for line in kept(doc))
    assert doc.title == text.split("\n")[0]
    if day:
        assert doc.published.date == day  # the dateline's day, its year from the batch and the weekday


def test_a_list_of_teasers_under_a_cue_goes():
    text = ("Le Parlement adopte la réforme\n"
            "Les députés ont adopté mardi en première lecture la réforme des retraites, après trois semaines de débats.\n"
            "À lire aussi\n"
            "• Retraites : ce qui change pour vous\n"
            "• Les syndicats appellent à une nouvelle grève\n"
            "Le texte doit maintenant être examiné par le Sénat à partir du mois prochain, a indiqué le gouvernement.")
    (doc,) = clean(text)
    assert len(doc.body) == 3 and [r["reason"] for r in doc.removed] == ["read_also", "teaser", "teaser"]


def test_a_teaser_block_above_the_headline_is_neither_body_nor_title():
    text = ("À LIRE AUSSI\n"
            "Guerre en Ukraine : le Parlement européen adopte une résolution\n"
            "16 MARS 2022\n"
            "Guerre en Ukraine : Moscou et Kiev reprennent les pourparlers\n"
            "17 MARS 2022\n"
            "Les délégations russe et ukrainienne ont repris jeudi leurs discussions par visioconférence, "
            "sans progrès notable annoncé à l'issue de la séance.\n")
    (doc,) = clean(text)
    assert doc.title == "Guerre en Ukraine : Moscou et Kiev reprennent les pourparlers"
    assert dropped(doc) == ["À LIRE AUSSI", "Guerre en Ukraine : le Parlement européen adopte une résolution",
                            "16 MARS 2022"]
    assert doc.published.date == "2022-03-17"


def test_a_teaser_and_its_date_inside_the_article_go_and_the_next_paragraph_stays():
    text = ("La ligne ferroviaire transporte plus de passagers que prévu\n"
            "La ligne a transporté plus de 50 millions de passagers depuis son ouverture en décembre 2021, a-t-on "
            "appris samedi auprès de la compagnie.\n"
            "LIRE AUSSI\n"
            "Les exportations de voitures électriques battent un nouveau record\n"
            "1er avril 2026\n"
            "Depuis le début de l'année, le nombre de trains de marchandises a augmenté de 18 %, a précisé un "
            "responsable de la compagnie.\n")
    (doc,) = clean(text)
    assert [r["reason"] for r in doc.removed] == ["read_also", "teaser", "teaser"]
    assert kept(doc)[-1].startswith("Depuis le début de l'année")


@pytest.mark.parametrize("opening", [
    "Brasília, 10 de novembro (Agência Brasil) - O governo federal anunciou hoje um plano de investimentos "
    "para a região amazônica.",
    "Paris, 10 novembre (AFP) - Le gouvernement a annoncé mardi un plan d'investissements pour la région © AFP.",
])
def test_a_dateline_opening_the_first_paragraph_is_the_article(opening):
    text = ("Governo anuncia plano de investimentos na Amazônia\n" + opening + "\n"
            "O ministro afirmou que os recursos serão liberados ainda este ano, segundo a nota oficial.\n")
    (doc,) = clean(text)
    assert opening in kept(doc) and len(doc.body) == 3


def test_an_age_line_under_the_headline_is_the_articles_date_line():
    text = ("Sport\nRugby : le XV de France dévoile sa liste pour le Tournoi\nIl y a 3 heures\nPar Jean Martin\n"
            "Le sélectionneur a convoqué 42 joueurs pour le stage de préparation qui débute lundi à Marcoussis.\n")
    (doc,) = clean(text)
    assert "Il y a 3 heures" in kept(doc)
    assert dropped(doc) == ["Sport", "Par Jean Martin"]


def test_a_caption_over_its_credit_and_an_opinion_disclaimer_go():
    text = ("Les écoles ferment à cause des inondations\n"
            "Une dizaine d'écoles de la région sont restées fermées mercredi et le trafic ferroviaire a été "
            "interrompu entre les deux villes.\n"
            "La rivière en crue, mercredi matin.\n"
            "Photo : Belga\n"
            "L'institut météorologique a maintenu l'alerte orange pour les deux provinces jusqu'à jeudi midi, et "
            "des cumuls de 30 à 50 litres par mètre carré sont encore attendus.\n"
            "Les opinions exprimées dans cette tribune n'engagent que leur auteur.\n")
    (doc,) = clean(text)
    assert dropped(doc) == ["La rivière en crue, mercredi matin.", "Photo : Belga",
                            "Les opinions exprimées dans cette tribune n'engagent que leur auteur."]


# --- page heads: menus, site lines, captions ------------------------------------------------------------------

_LEDE = ("Les autorités de transition ont de nouveau démenti lundi tout recours à des mercenaires étrangers, "
         "malgré les témoignages recueillis dans plusieurs régions du pays par des organisations locales.\n\n"
         "Le ministre des Affaires étrangères a affirmé devant la presse qu'il s'agissait d'instructeurs venus "
         "dans le cadre d'un accord de coopération, une version contestée par plusieurs chancelleries.\n")


def test_a_menu_of_sections_is_navigation_never_the_title():
    (doc,) = clean("Faits divers | Justice | Économie | Sport | Culture\n"
                   "BRUXELLES DIRECT   Belgique   Monde   Économie   Opinions\n\n"
                   "Le Mag Sport & Culture | Football | Cinéma | Musique\nAbonnez-vous dès 1€\n\n"
                   "Mali : la junte accusée de recourir à des mercenaires étrangers\n\n"
                   "Le parquet avait ouvert une information judiciaire en 2023.\n\n" + _LEDE)
    assert doc.title == "Mali : la junte accusée de recourir à des mercenaires étrangers"
    assert dropped(doc)[:3] == ["Faits divers | Justice | Économie | Sport | Culture",
                                "BRUXELLES DIRECT   Belgique   Monde   Économie   Opinions",
                                "Le Mag Sport & Culture | Football | Cinéma | Musique"]
    # two parts side by side are no menu: a date beside a byline, a headline with a kicker
    (doc,) = clean("Monde | Mali : la junte accusée de recourir à des mercenaires étrangers\n\n" + _LEDE)
    assert doc.title == "Monde | Mali : la junte accusée de recourir à des mercenaires étrangers"


def test_the_headline_stands_over_its_byline_not_the_site_line_above():
    (doc,) = clean("Sahel Info - L'actualité du Sahel en continu\n\n"
                   "Mali : la junte accusée de recourir à des mercenaires étrangers\n\n"
                   "Par Ibrahima Traoré, correspondant - 24 janvier 2022\n"
                   "Des soldats à Gao. (Crédit photo : Michele Cattani / AFP)\n\n" + _LEDE)
    assert doc.title == "Mali : la junte accusée de recourir à des mercenaires étrangers"
    assert "Sahel Info - L'actualité du Sahel en continu" in dropped(doc)


def test_a_caption_signed_photographer_slash_agency_is_a_credit_not_the_title():
    (doc,) = clean("Otage à Gaza : à Nantes, la famille « n'ose pas encore y croire »\n\n"
                   "Par Claire Le Bihan | Publié le 16/01/2025 à 06h30\n"
                   "Sylvie Azoulay, mardi devant l'hôtel de ville. Photo CLA / Thomas Brégardis\n\n" + _LEDE)
    assert doc.title == "Otage à Gaza : à Nantes, la famille « n'ose pas encore y croire »"
    assert [r["reason"] for r in doc.removed if "Brégardis" in doc.text[r["start"]:r["end"]]] == ["credit"]


def test_teasers_under_plus_d_articles_go():
    (doc,) = clean("Pacte migratoire : la Commission défend son texte devant les eurodéputés\n\n" + _LEDE
                   + "\nPlus d'articles :\nAgriculture : le président face à la colère des agriculteurs\n"
                     "Climat : la conférence se tiendra à Bakou\n")
    assert dropped(doc)[-3:] == ["Plus d'articles :", "Agriculture : le président face à la colère des agriculteurs",
                                 "Climat : la conférence se tiendra à Bakou"]


def test_a_wire_opening_the_byline_is_credited_and_a_breadcrumb_is_no_outlet():
    text = ("Monde | Proche-Orient\n\n"
            "Trêve à Gaza : l'UE salue l'accord et se dit prête à revenir au point de passage\n\n"
            "Belga | Publié le 16 janvier 2025 à 12h04\n© Belga / Nicolas Maeterlinck\n\n" + _LEDE)
    (doc,) = clean(text)
    assert doc.wire == "Belga" and doc.outlet is None
    (doc,) = clean(text.replace("Belga | Publié", "Publié"))
    assert doc.wire is None  # the photo's credit is not the text's


def test_a_date_beside_its_byline_goes_with_it_and_still_dates_the_article():
    (doc,) = clean("Otage à Gaza : à Nantes, la famille de l'otage « n'ose pas encore y croire »\n\n"
                   "Par Claire Le Bihan | Publié le 16/01/2025 à 06h30 | Mis à jour à 08h12\n\n" + _LEDE)
    assert "Par Claire Le Bihan | Publié le 16/01/2025 à 06h30 | Mis à jour à 08h12" in dropped(doc)
    assert doc.published.date == "2025-01-16"
    # a date line alone stays: it is the article's own head (as in the example corpus)
    (doc,) = clean("Otage à Gaza : à Nantes, la famille de l'otage « n'ose pas encore y croire »\n\n"
                   "30 mars 2022 à 6h45 - Temps de lecture : 3 min\n\n" + _LEDE)
    assert "30 mars 2022 à 6h45 - Temps de lecture : 3 min" in kept(doc) and doc.published.date == "2022-03-30"


def test_a_caption_credited_agency_slash_photographer_and_a_domain_site_line_go():
    (doc,) = clean("InfoNord.ca — Nouvelles de l'Abitibi-Témiscamingue et du Nord-du-Québec\n\n"
                   "Pourparlers à Istanbul : Ottawa accueille avec prudence les signaux de Moscou\n\n"
                   "Les délégations face à face au palais, mardi à Istanbul. Keystone/EPA/Emre Yildiz\n\n" + _LEDE)
    assert doc.title == "Pourparlers à Istanbul : Ottawa accueille avec prudence les signaux de Moscou"
    reasons = {doc.text[r["start"]:r["end"]][:12]: r["reason"] for r in doc.removed}
    assert reasons == {"InfoNord.ca ": "tagline", "Les délégati": "credit"}


def test_a_live_badge_over_the_headline_is_a_label_not_a_teaser_cue():
    # "EN DIRECT" marks the live blog itself: the headline under it is no teaser for another article
    (doc,) = clean("Europe\nEN DIRECT\n"
                   "Sommet européen : les Vingt-Sept s'accordent sur l'aide à l'Ukraine, la Hongrie s'abstient\n"
                   "Les dirigeants européens sont réunis ce jeudi à Bruxelles pour un sommet consacré au budget.\n"
                   "17h05\n"
                   "La conférence de presse finale est terminée. Aucune déclaration commune n'a été adoptée, faute "
                   "d'accord sur le paragraphe consacré au budget, confirme un diplomate européen.\n"
                   "16h48\n"
                   "Le président du Conseil européen a salué devant la presse un accord « historique » sur le "
                   "financement de l'aide militaire pour les deux prochaines années.\n")
    assert doc.title.startswith("Sommet européen : les Vingt-Sept")
    assert dropped(doc) == ["Europe", "EN DIRECT"]


def test_a_cue_with_a_spaced_colon_matches_an_unspaced_one_and_ends_the_article():
    # the table writes "mots-clés :" (French typography); a Swiss or English page writes "Mots-clés:"; the
    # tags line opens the footer, so the sentence under it is the page's, not the article's
    (doc,) = clean("Pacte migratoire : la Commission défend son texte devant les eurodéputés\n\n" + _LEDE
                   + "\nMots-clés: Union européenne, migrations, Parlement européen\n"
                     "Une erreur dans cet article ? Écrivez à la rédaction.\n")
    assert [r["reason"] for r in doc.removed] == ["navigation", "tail"]


@pytest.mark.parametrize("credit", ["KEYSTONE/Anthony Anex", "REUTERS/Yves Herman", "EPA/OLIVIER HOSLET"])
def test_agency_slash_photographer_is_a_credit_and_the_caption_over_it_goes(credit):
    caption = "La ministre lors de sa conférence de presse, vendredi à Berne."
    (doc,) = clean("Berne transmet le paquet d'accords au Parlement\n\n" + _LEDE + "\n" + caption + "\n" + credit
                   + "\n\nLe texte sera examiné par les Chambres fédérales dès la session d'été, selon le calendrier "
                     "publié vendredi par les services du Parlement.\n")
    assert dropped(doc) == [caption, credit]


def test_a_long_caption_between_share_buttons_and_its_credit_goes():
    caption = ("La conseillère fédérale Martine Aebischer lors de la conférence de presse au Palais fédéral, "
               "vendredi à Berne.")
    (doc,) = clean("Berne transmet le paquet d'accords au Parlement\n\nPartager sur Facebook\nEnvoyer par e-mail\n"
                   + caption + "\nPhoto : Keystone\n\n" + _LEDE)
    assert caption in dropped(doc) and len(kept(doc)) == 3


def test_a_section_under_a_teaser_line_and_its_intertitle_stays_in_the_article():
    text = ("Électricité : le tarif réglementé va baisser de 6 % au 1er février\n\n"
            "La Commission de régulation de l'énergie a proposé jeudi une baisse de 6 % du tarif réglementé de vente "
            "d'électricité au 1er février, une évolution que le gouvernement doit encore valider.\n\n"
            "Cette baisse s'explique principalement par le recul des prix sur les marchés de gros, où le "
            "mégawattheure s'échange désormais autour de 60 euros.\n"
            "► À lire aussi - Gaz : le prix repère en légère hausse en janvier\n\n"
            "Une hausse des taxes en embuscade\n\n"
            "Les associations de consommateurs restent prudentes. L'UFC-Que Choisir rappelle que l'accise sur "
            "l'électricité doit être réévaluée au 1er août et pourrait effacer une partie du gain.\n")
    (doc,) = clean(text)
    assert dropped(doc) == ["► À lire aussi - Gaz : le prix repère en légère hausse en janvier"]


def test_a_video_player_its_length_and_its_title_go_and_a_live_blog_time_stays():
    player = ["Regarder la vidéo", "00:45", "« On chauffe une seule pièce » : à Lille, des familles en difficulté",
              "Lecture en cours", "Votre vidéo commence dans 5 secondes"]
    (doc,) = clean("Électricité : le tarif réglementé va baisser de 6 % au 1er février\n\n" + _LEDE + "\n"
                   + "\n".join(player) + "\n\n" + _LEDE)
    assert dropped(doc) == player and len(kept(doc)) == 5
    (doc,) = clean("Crues : l'Aa déborde de nouveau\n16h55\nLe niveau de l'Aa commence à se stabiliser à "
                   "Saint-Omer, selon le service de prévision des crues, mais la décrue n'est pas attendue.\n")
    assert "16h55" in kept(doc)


def test_the_sites_date_above_its_menu_goes_when_the_article_has_its_own():
    text = ("Mercredi 11 mars 2026\nDakar 31°C\nACCUEIL   POLITIQUE   ÉCONOMIE   SOCIÉTÉ   SPORTS\n"
            "Gaz : le Sénégal et la Mauritanie s'accordent sur le partage des revenus\n10 mars 2026 à 18:25\n\n"
            + _LEDE)
    (doc,) = clean(text)
    assert dropped(doc)[0] == "Mercredi 11 mars 2026" and "10 mars 2026 à 18:25" in kept(doc)
    assert doc.published.date == "2026-03-10"
    (doc,) = clean(text.replace("10 mars 2026 à 18:25\n", ""))
    assert "Mercredi 11 mars 2026" in kept(doc)  # the only date line: it may be the article's


def test_what_stands_between_a_headline_and_its_repeat_opening_a_repost_goes():
    title = "Arménie et Azerbaïdjan paraphent leur traité de paix à Genève"
    (doc,) = clean(f"{title}\nRépondre\n{title}\nMessage par Vauban75 » 14 avr. 2026, 09:12\n"
                   f"Enfin du concret dans le Caucase, à suivre. La dépêche Reuters :\n\n{title}\n\n" + _LEDE)
    assert doc.title == title
    assert "Enfin du concret dans le Caucase, à suivre. La dépêche Reuters :" in dropped(doc)
    assert len(kept(doc)) == 3
