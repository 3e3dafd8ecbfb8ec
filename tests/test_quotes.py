"""Quotations and their speakers (storyline.quotes, stage "quotes") on small hand-made texts."""

from __future__ import annotations

import pytest

from storyline.quotes import QuoteMerger, extract_quotes, find_quotes, merge_quotes
from storyline.records import Document


def quotes(text: str, language: str, kind: str | None = "direct", body=None):
    return [q for q in extract_quotes(text, body, language) if kind is None or q.kind == kind]


def one(text: str, language: str):
    qs = quotes(text, language)
    assert len(qs) == 1, [q.to_dict() for q in qs]
    return qs[0]


# ---------------------------------------------------------------------------------------- quotation marks ----
@pytest.mark.parametrize(
    "text",
    [
        "« Nous sommes prêts au dialogue », a déclaré Ouchakov.",
        "“Nous sommes prêts au dialogue”, a déclaré Ouchakov.",
        "„Nous sommes prêts au dialogue“, a déclaré Ouchakov.",
        "\"Nous sommes prêts au dialogue\", a déclaré Ouchakov.",
        "‹ Nous sommes prêts au dialogue ›, a déclaré Ouchakov.",
        "‘Nous sommes prêts au dialogue’, a déclaré Ouchakov.",
        "«Nous sommes prêts au dialogue», a déclaré Ouchakov.",
        "»Nous sommes prêts au dialogue«, a déclaré Ouchakov.",
    ],
)
def test_every_quotation_style(text):
    q = one(text, "fr")
    assert q.text == "Nous sommes prêts au dialogue"
    assert text[q.start:q.end] == q.text  # offsets into the text as read, marks excluded
    assert q.speaker == "Ouchakov"
    assert q.kind == "direct"


@pytest.mark.parametrize(
    "text",
    [
        "Il a exigé « de voir une désescalade vérifiable et crédible\", a déclaré Ned Price.",
        "\"Nous restons ouverts au dialogue », a déclaré Julianne Smith.",
        "“Nous espérons que cela n’arrivera pas », a déclaré Ouchakov.",
    ],
)
def test_mismatched_marks_pair(text):
    qs = quotes(text, "fr")
    assert len(qs) == 1
    assert qs[0].text[0].isalpha() and qs[0].text[-1].isalpha()
    assert not any(c in qs[0].text for c in "«»“\"")


def test_apostrophes_are_not_quotation_marks():
    text = "It’s the voters’ choice, Clinton’s aide said. ‘We will win,’ she added."
    qs = quotes(text, "en")
    assert [q.text for q in qs] == ["We will win"]


def test_quotation_inside_quotation_stays_inside():
    text = "« Il m’a dit \"non\" à tout, et c’est fini », a déclaré le ministre."
    q = one(text, "fr")
    assert q.text == "Il m’a dit \"non\" à tout, et c’est fini"


def test_quotation_over_several_sentences_and_paragraphs():
    text = (
        "Ouchakov a répondu : « Qu’est-ce qu’un compromis ? Naturellement, nous prendrons en compte "
        "leurs préoccupations.\n\n"
        "Mais nous voulons des garanties. »\n\n"
        "La réunion a duré deux heures."
    )
    q = one(text, "fr")
    assert q.text.startswith("Qu’est-ce qu’un compromis ?")
    assert q.text.endswith("Mais nous voulons des garanties.")
    assert q.speaker == "Ouchakov"


def test_english_multi_paragraph_quotation_reopens_each_paragraph():
    text = (
        "Caddell continued:\n\n"
        "“The health issue is very much a partisan issue.\n\n"
        "“Forty-three said yes; forty-four said no,” he said.\n\n"
        "The rest of the poll was unremarkable."
    )
    q = one(text, "en")
    assert "partisan issue" in q.text and "forty-four said no" in q.text
    assert "“" not in q.text  # the reopening mark is not part of the text
    assert q.speaker == "Caddell"


def test_partial_quotation_inside_a_sentence():
    text = "Le président russe a évoqué une réponse « militaire et technique » si l’OTAN avançait."
    q = one(text, "fr")
    assert q.text == "militaire et technique"


def test_only_body_ranges():
    text = "« Cliquez ici pour tout accepter », dit la bannière.\n\nIl a déclaré : « Nous partons demain. »"
    body = [(text.index("Il a"), len(text))]
    qs = quotes(text, "fr", body=body)
    assert [q.text for q in qs] == ["Nous partons demain."]


# ------------------------------------------------------------------------------------------- attribution ----
def test_inverted_order_french_and_english():
    text = "« Les discussions ne doivent pas traîner », a déclaré Ouchakov aux journalistes."
    assert one(text, "fr").speaker == "Ouchakov"
    assert one("“We are ready for diplomacy,” said Blinken.", "en").speaker == "Blinken"
    assert one("“We are ready for diplomacy,” Blinken said on Tuesday.", "en").speaker == "Blinken"
    q = one("Vladimir Poutine a tenu sa conférence de presse. «Il ne doit y avoir aucune avancée», a-t-il noté.", "fr")
    assert (q.speaker, q.cue) == ("Vladimir Poutine", "a-t-il noté")
    q = one("«Il ne doit y avoir aucune avancée», a-t-il noté.", "fr")  # nobody to refer to: the cue stays
    assert (q.speaker, q.cue) == (None, "a-t-il noté")


def test_inverted_subject_prefers_the_name_in_apposition():
    text = "« Nous restons attachés à la voie diplomatique », a déclaré le porte-parole du département d’État, Ned Price."
    q = one(text, "fr")
    assert q.speaker == "Ned Price"


def test_apposition_before_the_verb():
    text = ("Emilia Horna, porte-parole du Conseil de sécurité nationale, a déclaré que Biden parlerait "
            "de « un certain nombre de questions ».")
    assert one(text, "fr").speaker == "Emilia Horna"
    text = ("Le porte-parole du Kremlin, Dmitri Peskov, a déclaré aux journalistes que Poutine était "
            "« d’humeur à discuter ».")
    assert one(text, "fr").speaker == "Dmitri Peskov"


def test_selon_and_according_to():
    assert one("Selon Ouchakov, la Russie veut « des garanties de sécurité juridiques ».", "fr").speaker == "Ouchakov"
    assert one("The talks will resume “early in January,” according to Jake Sullivan.", "en").speaker == "Jake Sullivan"
    assert one("La Russie veut « des garanties juridiques », selon Sergueï Lavrov.", "fr").speaker == "Sergueï Lavrov"


def test_colon_introduction():
    q = one("Ouchakov a répondu : « Qu’est-ce qu’un compromis ? »", "fr")
    assert (q.speaker, q.cue) == ("Ouchakov", "a répondu")
    q = one("Poutine : « La balle est dans leur camp »", "fr")
    assert q.speaker == "Poutine"
    q = one("Sen. Claire McCaskill scolded him: “The scientific community is against you.”", "en")
    assert q.speaker == "Claire McCaskill"


def test_pronoun_takes_the_most_recent_compatible_speaker():
    text = ("Le conseiller américain, Jake Sullivan, a prévenu que « tout dialogue doit être réciproque ». "
            "D’autre part, il a également noté « que des progrès ne viendront qu’avec une désescalade ».")
    qs = quotes(text, "fr")
    assert [q.speaker for q in qs] == ["Jake Sullivan", "Jake Sullivan"]
    text = ("Hillary Clinton met Donald Trump in St. Louis. “He is not fit to be president,” she said. "
            "“She is a nasty woman,” he said.")
    qs = quotes(text, "en")
    assert [q.speaker for q in qs] == ["Hillary Clinton", "Donald Trump"]


def test_full_name_from_the_article():
    text = ("Le conseiller Jake Sullivan a rencontré son homologue. « Il faut des préoccupations concrètes », "
            "a prévenu M. Sullivan.")
    assert one(text, "fr").speaker == "Jake Sullivan"


def test_role_description_resolved_to_the_named_person():
    text = ("Iouri Ouchakov, conseiller en politique étrangère de Poutine, a déclaré que le Kremlin était satisfait. "
            "« Ensuite, nous tirerons des conclusions », a déclaré le conseiller en politique étrangère de Poutine.")
    assert one(text, "fr").speaker == "Iouri Ouchakov"
    text = ("White House press secretary Jen Psaki briefed reporters. “We will respond decisively,” "
            "the press secretary said.")
    assert one(text, "en").speaker == "Jen Psaki"


def test_role_description_kept_when_the_article_names_nobody():
    text = ("Un haut responsable de la Maison Blanche a confirmé la position de Washington. "
            "« Tout dialogue doit être réciproque », a ajouté le haut responsable.")
    assert one(text, "fr").speaker == "Un haut responsable de la Maison Blanche"
    q = one("“The door remains open,” a senior administration official said.", "en")
    assert q.speaker == "a senior administration official"


def test_quotation_without_cue_continues_the_previous_speaker():
    text = ("« Lorsque nous nous asseyons pour parler, chacun pose ses préoccupations », a déclaré un porte-parole du "
            "Conseil. « C’est ce que signifie la diplomatie. »")
    qs = quotes(text, "fr")
    assert [q.speaker for q in qs] == ["un porte-parole du Conseil"] * 2


def test_future_statement_is_not_attributed_to_its_subject():
    text = ("Biden dira à Poutine que « nous sommes prêts pour la diplomatie », a déclaré un responsable "
            "américain aux journalistes.")
    assert one(text, "fr").speaker == "un responsable américain"


def test_participle_takes_the_clause_subject():
    text = ("L’administration Biden a menacé de sanctions, affirmant que les États-Unis étaient « prêts à agir "
            "si nécessaire ».")
    assert one(text, "fr").speaker == "L’administration Biden"
    text = "Trump attacked Clinton in Ohio, saying, “She is trigger-happy and very unstable.”"
    assert one(text, "en").speaker == "Trump"


def test_dash_attribution():
    assert one("“Maybe we can build a wall around the debate stage.” ― Steve Quinlan", "en").speaker == "Steve Quinlan"


@pytest.mark.parametrize(
    "text,speaker",
    [
        ("« Nous ne lâcherons rien », explique à l'AFP Jean Dupont, directeur de l'association.", "Jean Dupont"),
        ("« La situation est grave », estime Marie Martin, chercheuse au CNRS.", "Marie Martin"),
        ("« Rien n'est décidé », indique-t-on dans l'entourage du président.", "l'entourage du président"),
        ("Pour le ministre de l'Intérieur, « la menace terroriste reste très élevée ».", "le ministre de l'Intérieur"),
        ("Interrogé par l'AFP, le maire de Lyon a assuré que « tout sera prêt à temps ».", "le maire de Lyon"),
        ("Le président a été clair : « Il n'y aura pas de nouvel impôt. »", "Le président"),
        ("« C'est un désastre », lâche un proche du dossier.", "un proche du dossier"),
        ("Le ministre de l'Économie, Bruno Le Maire, a averti : « Les prix vont augmenter. »", "Bruno Le Maire"),
        ("« Les prix vont augmenter », a averti le ministre de l'Économie Bruno Le Maire sur France Inter.",
         "Bruno Le Maire"),
        ("« Nous sommes inquiets », a déclaré sa secrétaire générale, Sophie Binet.", "Sophie Binet"),
        ("« Aucune piste n'est écartée », a indiqué mercredi Olivier Véran, le porte-parole du gouvernement.",
         "Olivier Véran"),
        ("« Nous sommes en guerre », avait déclaré Emmanuel Macron le 16 mars 2020.", "Emmanuel Macron"),
        ("Le député LFI François Ruffin a qualifié la mesure de « mensonge d'État ».", "François Ruffin"),
        ("D'après le ministère de la Santé, « la vague épidémique a atteint son pic ».", "le ministère de la Santé"),
    ],
)
def test_french_news_style(text, speaker):
    assert one(text, "fr").speaker == speaker


def test_french_article_flow():
    text = (
        "Le ministre des Armées, Sébastien Lecornu, s'est rendu jeudi à Kiev.\n\n"
        "« Nous continuerons à soutenir l'Ukraine », a-t-il déclaré lors d'une conférence de presse.\n\n"
        "Son homologue, Oleksiï Reznikov, a salué « un soutien indéfectible ». Selon lui, la France « joue un rôle "
        "clé dans la coalition ».\n\n"
        "« Ces livraisons ne changeront rien », a affirmé le porte-parole de la présidence russe, Dmitri Peskov.\n\n"
        "Interrogée par l'AFP, une habitante de Kiev, Olena, se dit « épuisée mais déterminée ». « On tient, on n'a "
        "pas le choix », confie-t-elle."
    )
    assert [q.speaker for q in quotes(text, "fr")] == [
        "Sébastien Lecornu", "Oleksiï Reznikov", "Oleksiï Reznikov", "Dmitri Peskov", "Olena", "Olena"]


def test_spanish_and_german():
    assert one("«Estamos preparados para el diálogo», dijo el ministro Sergio Ramos.", "es").speaker == "Sergio Ramos"
    assert one("Según Pedro Sánchez, el acuerdo es «un paso histórico para Europa».", "es").speaker == "Pedro Sánchez"
    assert one("„Wir sind zu Gesprächen bereit“, sagte Scholz am Dienstag.", "de").speaker == "Scholz"
    assert one("Bundeskanzler Olaf Scholz sagte: „Die Lage ist ernst und wir handeln.“", "de").speaker == "Olaf Scholz"


def test_other_languages_have_tables():
    assert one("«Siamo pronti al dialogo con Mosca», ha detto Mario Draghi.", "it").speaker == "Mario Draghi"
    assert one("«Estamos prontos para o diálogo com Moscovo», disse Lula.", "pt").speaker == "Lula"
    assert one("«Мы готовы к диалогу с Вашингтоном», — сказал Песков.", "ru").speaker == "Песков"


# ------------------------------------------------------------------------------------------ indirect speech ----
def test_indirect_speech_is_a_second_kind():
    text = "Le ministre russe de la Défense a déclaré samedi que 10 000 soldats étaient retournés dans leurs bases."
    qs = quotes(text, "fr", kind=None)
    assert len(qs) == 1
    q = qs[0]
    assert q.kind == "indirect"
    assert q.text == "10 000 soldats étaient retournés dans leurs bases"
    assert q.speaker == "Le ministre russe de la Défense"
    q = quotes("Blinken said that the United States would respond to any invasion.", "en", kind="indirect")[0]
    assert (q.speaker, q.text) == ("Blinken", "the United States would respond to any invasion")


def test_to_dict_contract():
    text = "« Nous sommes prêts », a déclaré Iouri Ouchakov."
    d = one(text, "fr").to_dict()
    assert set(d) == {"text", "start", "end", "kind", "speaker", "speaker_entity_id", "cue", "speaker_start",
                      "speaker_end"}
    assert text[d["speaker_start"]:d["speaker_end"]] == "Iouri Ouchakov"
    assert d["cue"] == "a déclaré"


def test_offsets_survive_normalisation():
    # a Cyrillic "с" in "Est-сe", no-break spaces
    text = "«\u00a0Est-\u0441e que c’est nous\u00a0?\u00a0», a\u00a0déclaré Vladimir\u00a0Poutine."
    q = one(text, "fr")
    assert text[q.start:q.end].startswith("Est-")
    assert q.speaker.replace("\u00a0", " ") == "Vladimir Poutine"


def test_entities_give_canonical_names_and_ids():
    text = "« Nous sommes prêts », a déclaré Ouchakov. Moscou a réagi : « Nous verrons. »"
    ents = [
        {"text": "Ouchakov", "start": text.index("Ouchakov"), "end": text.index("Ouchakov") + 8, "type": "PER",
         "canonical": "Yuri Ushakov", "entity_id": "E1"},
        {"text": "Moscou", "start": text.index("Moscou"), "end": text.index("Moscou") + 6, "type": "GPE",
         "canonical": "Moscow", "entity_id": "E2", "refers_to": "E3"},
        {"text": "Russie", "start": len(text), "end": len(text), "type": "GPE", "canonical": "Russia",
         "entity_id": "E3"},
    ]
    qs = extract_quotes(text, None, "fr", ents)
    assert [(q.speaker, q.speaker_entity_id) for q in qs] == [("Yuri Ushakov", "E1"), ("Russia", "E3")]


# ------------------------------------------------------------------------------------------------- stage ----
def test_stage_runs_without_entities_and_assigns_quotes():
    from storyline.stages.quotes import Quotes

    stage = Quotes()
    assert stage.name == "quotes"
    assert stage.requires == ("text", "body", "language")
    text = "« Nous sommes prêts au dialogue », a déclaré Ouchakov."
    doc = Document(source="x", text=text, body=[(0, len(text))], language="fr")
    doc = stage(doc)
    assert [q.to_dict()["speaker"] for q in doc.quotes] == ["Ouchakov"]
    assert doc.to_dict()["quotes"][0]["text"] == "Nous sommes prêts au dialogue"


def test_foreign_blocks_are_read_with_their_language():
    text = "« Nous sommes prêts », a déclaré Ouchakov.\n\n“We are ready too,” said Blinken."
    split = text.index("“")
    blocks = [{"start": split, "end": len(text), "language": "en"}]
    qs = extract_quotes(text, [(0, len(text))], "fr", language_blocks=blocks)
    assert [(q.text, q.speaker) for q in qs] == [("Nous sommes prêts", "Ouchakov"), ("We are ready too", "Blinken")]


def test_stage_pipe_in_worker_processes_gives_the_same_quotes():
    from storyline.stages.quotes import Quotes

    texts = [f"« Nous sommes prêts au dialogue numéro {i} », a déclaré Ouchakov." for i in range(70)]

    def batch():
        return [Document(source=str(i), text=t, body=[(0, len(t))], language="fr") for i, t in enumerate(texts)]

    alone = Quotes(workers=1).pipe(batch())
    stage = Quotes(workers=2)
    try:
        shared = stage.pipe(batch())
    finally:
        stage.close()
    assert [[q.to_dict() for q in d.quotes] for d in shared] == [[q.to_dict() for q in d.quotes] for d in alone]
    assert alone[69].quotes[0].text == "Nous sommes prêts au dialogue numéro 69"


def test_stage_in_a_pipeline_check():
    from storyline.pipeline import Pipeline, make_stage

    import storyline.stages.quotes  # noqa: F401  (registration)

    p = Pipeline([make_stage(n) for n in ("extract", "title", "body", "language")] + [make_stage("quotes")])
    assert p.names[-1] == "quotes"


def test_find_quotes_alone():
    spans = find_quotes("He said “yes” and then ‘no’.")
    assert [s.opener for s in spans] == ["“", "‘"]


# ------------------------------------------------------------------------------------------------ merger ----
def test_merger_groups_one_statement_across_outlets():
    a = "« Tout dialogue doit être fondé sur la réciprocité et la confiance mutuelle », a déclaré Sullivan."
    b = "Jake Sullivan a prévenu que « tout dialogue doit être fondé sur la réciprocité »."
    c = "“Any dialogue must be based on reciprocity,” Sullivan said."
    d = "« Nous ne ferons aucune concession sur l'avenir de l'Otan », a déclaré Blinken."
    docs = []
    for i, t in enumerate((a, b, c, d)):
        doc = Document(source=f"d{i}", text=t, body=[(0, len(t))], language="en" if i == 2 else "fr", id=f"d{i}")
        doc.quotes = extract_quotes(t, doc.body, doc.language)
        docs.append(doc)
    groups = merge_quotes(docs)
    first = groups[0]
    assert first.sources == ["d0", "d1"]  # the trimmed quotation joins the full one
    assert first.text.startswith("Tout dialogue doit être fondé sur la réciprocité et la confiance")
    assert "Jake Sullivan" in first.speakers or "Sullivan" in first.speakers
    assert sorted(len(g.sources) for g in groups) == [1, 1, 2]


def test_merger_tolerates_small_edits_and_keeps_apart_different_statements():
    m = QuoteMerger()
    m.add({"text": "We are ready to engage in diplomacy through multiple channels", "speaker": "US"}, "a")
    m.add({"text": "we are ready to engage in diplomacy through multiple channels, but", "speaker": "US"}, "b")
    m.add({"text": "We are ready to engage in war through a single channel", "speaker": "X"}, "c")
    groups = m.groups()
    assert [sorted(g.sources) for g in groups] == [["a", "b"], ["c"]]
    assert groups[0].to_dict()["speaker"] == "US"


# ------------------------------------------------------------------------------ attribution: news patterns ----
def test_incise_inside_the_quotation_names_the_speaker():
    text = "Le ministre Jean Roux était à Lille. « Nous sommes prêts, a-t-il déclaré, à reprendre les discussions. »"
    q = one(text, "fr")
    assert (q.speaker, q.cue) == ("Jean Roux", "a-t-il déclaré")
    q = one("« Le dialogue est rompu, a affirmé le député Paul Girard. Nous demandons des garanties. »", "fr")
    assert (q.speaker, q.cue) == ("Paul Girard", "a affirmé")
    # a comma inside a quotation with no reporting verb names nobody
    assert one("« Oui, bien sûr, nous irons à Paris. »", "fr").speaker is None


def test_cue_sentence_before_a_quotation_sentence_of_its_paragraph():
    text = ('The vote was delayed twice, Senator Ortiz said. "We need more time to read the bill before '
            'anyone signs it."')
    assert one(text, "en").speaker == "Ortiz"
    text = "El proyecto se votará en marzo, explicó la diputada Ana Gil. «Necesitamos más tiempo para negociar.»"
    assert one(text, "es").speaker == "Ana Gil"


def test_progressive_and_document_subjects_are_cues():
    text = "Mayor Linda Park spoke on Monday.\n\nShe’s insisting that the budget is “balanced for the first time.”"
    assert one(text, "en").speaker == "Linda Park"
    q = one("“Our members will not accept a pay freeze,” the statement reads.", "en")
    assert (q.speaker, q.cue) == ("the statement", "reads")


def test_sentence_ending_with_a_colon_introduces_the_next_paragraph():
    text = ("On Tuesday, Governor Mark Ellis made the following promise:\n\n"
            "“Every school in this state will have a nurse by next fall.”")
    q = one(text, "en")
    assert (q.speaker, q.cue) == ("Mark Ellis", ":")
    # a colon after no speaker introduces nobody's words
    assert one("Here are the main points:\n\n“Taxes will fall for every family.”", "en").speaker is None


def test_name_with_an_apposition_opens_the_sentence():
    text = ("The city council met late, according to a spokeswoman. Carla Mendes, the council's oldest member, "
            "left early and said the plan was \"a waste of public money\".")
    assert one(text, "en").speaker == "Carla Mendes"


def test_french_news_attributions():
    text = "« Les négociations avancent lentement », a indiqué Pierre Durand, porte-parole du syndicat, à l'AFP."
    assert one(text, "fr").speaker == "Pierre Durand"
    text = "Le ministre russe des Affaires étrangères Sergueï Lavrov a estimé que « l'accord reste possible »."
    assert one(text, "fr").speaker == "Sergueï Lavrov"
    text = "Le maire de Nantes est prudent. « Rien n'est décidé », estime-t-il. Selon lui, « la décision viendra en juin »."
    assert [q.speaker for q in quotes(text, "fr")] == ["Le maire de Nantes"] * 2
    ind = quotes("Jean Moreau a assuré que le budget serait voté avant la fin de l'année.", "fr", kind="indirect")
    assert [(q.speaker, q.cue) for q in ind] == [("Jean Moreau", "a assuré")]


def test_german_attributions():
    q = one("„Die Gespräche laufen weiter“, sagte die Sprecherin des Ministeriums, Eva Brandt, am Montag.", "de")
    assert q.speaker == "Eva Brandt"


def test_pronoun_before_a_colon_introduces_the_next_paragraph():
    text = ("Senator Dana Whitfield endorsed the governor on Sunday.\n\nShe then listed what a nominee needs:\n\n"
            "“A record of leadership and a plan for the economy.”")
    assert one(text, "en").speaker == "Dana Whitfield"


@pytest.mark.parametrize("text, language, speaker", [
    ("“Get out of my office,” Hollis barked at the reporter.", "en", "Hollis"),
    ("“Nobody can beat us,” Mayor Reyes bragged on Tuesday.", "en", "Reyes"),
    ("« Ce n'est pas une victoire », a nuancé la sénatrice Claire Morel.", "fr", "Claire Morel"),
    ("« Nous avons commis des erreurs », a concédé le maire, Luc Berthier.", "fr", "Luc Berthier"),
])
def test_reporting_verbs_of_the_tables(text, language, speaker):
    assert one(text, language).speaker == speaker


def test_name_before_a_colon_speaks_the_rest_of_the_sentence():
    q = one("Delgado: Budget Talks ‘Are Going Nowhere Fast.’", "en")
    assert (q.speaker, q.cue) == ("Delgado", ":")
    assert one("Mme Ferrand : la ville ne paiera « pas un centime de plus ».", "fr").speaker == "Ferrand"
    # a description before the colon is a label, not a speaker
    assert one("Budget update: officials called it “a fair deal”.", "en").speaker != "Budget update"


def test_a_thing_in_the_reported_clause_is_not_the_speaker():
    text = ("The Federal Election Commission said Monday that it would review the case. Rep. Nora Quinn spoke Friday. "
            "She says it shows that the agency is “completely out of control.”")
    q = quotes(text, "en")[-1]
    assert (q.speaker, q.cue) == ("Nora Quinn", "says")
