"""From candidates to typed mentions: what a capitalised stretch is (person, organisation, place, or
nothing), the role said of a person, a capital used for its government; then the grouping within the
document (`linker`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .keys import fold_name
from .linker import _Linker
from .mention import Mention
from .scanner import _Cand, _looks_like_verb, _Scanner
from .tokens import Token

if TYPE_CHECKING:
    from .recognizer import EntityRecognizer, Evidence, Prepared

ROLE_LOOKBACK = 10  # tokens between a title and the name it introduces
_ROMAN = re.compile(r"^[IVXLCDM]+(?:e|er|ème|eme|th|st|nd|rd)?$")
_CLITIC = re.compile(r"-(?:moi|toi|nous|vous|le|la|les|lui|leur|y|en|il|elle|ils|elles|on|ce|je|tu)$", re.I)
_DOMAIN = re.compile(r"\.(?:com|org|net|fr|info|io|co|uk|de|es|it|ru|tv)$", re.I)
_QUOTES = frozenset({"«", "»", "“", "”", '"'})
_CLAUSE_BREAK = frozenset({".", "!", "?", ";", ":", "«", "»", "“", "”", '"', "(", ")", "[", "]", "…", "–", "—"})
_CLAUSE_BREAK_OR_COMMA = _CLAUSE_BREAK | {","}


class _Context(_Scanner):
    """Recognition state for one document: the scan (`_Scanner`), then typing, roles and grouping."""

    def __init__(self, rec: EntityRecognizer, prepared: Prepared, evidence: Evidence) -> None:
        super().__init__(rec, prepared, evidence)
        # a candidate's title and role, asked when it is typed and again for its role: found once
        self._titles: dict[tuple[int, int, int], tuple[int, int] | None] = {}
        self._roles: dict[tuple[int, int, int], tuple[int, int] | None] = {}

    # --- typing, roles and grouping -----------------------------------------------------------------------

    def type_and_link(self, cands: list[_Cand]) -> list[Mention]:
        ms: list[Mention] = []
        meta: list[_Cand] = []
        for ci, cand in enumerate(cands):
            m = self.make_mention(cand, cands, ci)
            if m is not None:
                ms.append(m)
                meta.append(cand)
        return _Linker(self, ms, meta).run()

    def span_text(self, cand: _Cand, start_tok: int | None = None) -> tuple[int, int, str]:
        toks = self.p.segments[cand.seg]
        if cand.span is not None:
            s, e = cand.span
        else:
            s, e = toks[start_tok if start_tok is not None else cand.i].start, toks[cand.j - 1].end
        return s, e, self.p.text[s:e]

    def make_mention(self, cand: _Cand, cands: list[_Cand], ci: int) -> Mention | None:
        toks = self.p.segments[cand.seg]
        first = toks[cand.i]
        if cand.kind in ("known", "part"):
            e = cand.entry
            assert e is not None
            m = self._mention(cand, e.type, kind=e.kind)
            m.known = e.canonical
            m.country_code = e.country
            if e.kind == "capital" and not self.p.caps[cand.seg]:
                if self.government_use(cand, cands, ci):
                    m.type = "GPE"
            elif e.type == "ORG" and self.seat_as_place(cand):
                m.type = "LOC"
            return m
        if cand.kind == "model":
            return self._mention(cand, cand.type, kind="model", source="model")
        if cand.kind == "capsname":  # typed by the names of the document it joins
            return self._mention(cand, "", kind="maybe" if cand.j - cand.i == 1 else "name", weak=True)
        if cand.kind == "hon":
            return self._mention(cand, "PER", kind="name")
        if cand.kind == "org":
            m = self._mention(cand, "ORG", kind="org")
            after = toks[cand.j] if cand.j < len(toks) else None
            if after is not None and after.key in self.c.nationalities:
                m.country_code = self.c.nationalities[after.key]  # "le Congrès américain": whose institution
            return m
        if cand.kind == "place":
            return self._mention(cand, "LOC", kind="org")  # named like an organisation, grouped like one
        if cand.kind == "short":
            return self._mention(cand, "ORG", kind="short", weak=True)
        if cand.kind == "acronym":
            if first.key in self.c.stopwords or _ROMAN.match(first.text) or len(first.text) > 6:
                return None
            if self.lex.get(first.key, 0) >= 20 and len(first.text) > 3:
                return None  # a word in capitals ("POLO :", "CONNEXES")
            if not any(ch.isalpha() for ch in first.text):
                return None
            prev = self.prev_word(toks, cand.i)
            if prev is not None and prev.key in self.c.plural_determiners:
                return None  # "des SUV", "les PME": a common noun in capitals
            return self._mention(cand, "ORG", kind="acronym")
        # a capitalised sequence
        return self.name_mention(cand)

    def _mention(self, cand: _Cand, typ: str, kind: str, source: str = "rules", weak: bool = False) -> Mention:
        s, e, text = self.span_text(cand)
        toks = self.p.segments[cand.seg]
        if cand.kind == "part" or cand.span is not None:  # (a part of a hyphenated token is its own name)
            name = text
        else:
            ns = toks[cand.name_i].start if cand.name_i >= 0 else s
            name = self.p.text[ns:e]
        os_, oe = self.p.omap.span(s, e)
        return Mention(
            text=self.p.raw[os_:oe], start=os_, end=oe, type=typ, name=name, kind=kind, source=source, weak=weak, nested=cand.nested
        )

    def seat_as_place(self, cand: _Cand) -> bool:
        """A building that names the institution it houses, written as the place ("réunis à Matignon", "reçu au
        Kremlin"); "Matignon a annoncé" and "le porte-parole du Kremlin" are the institution."""
        toks = self.p.segments[cand.seg]
        if tuple(t.key for t in toks[cand.i : cand.j]) not in self.c.seats:
            return False
        prev = self.prev_word(toks, cand.i)
        if prev is not None and prev.key in self.c.articles and prev.text[0].islower():
            prev = self.prev_word(toks, cand.i - 1)  # "à la Maison Blanche"
        return prev is not None and prev.key in self.c.locative and prev.key not in self.c.locative_government

    def dateline(self, cand: _Cand) -> bool:
        """A dateline or a headline's place ("Paris, 20 déc.", "MOSCOU (AFP) -", "Paris : ...")."""
        toks = self.p.segments[cand.seg]
        if not (toks[cand.i].sent_start and cand.j < len(toks) and toks[cand.j].text in (",", ":", "(", "–", "-")):
            return False
        # "Paris, 20 déc.", "Genève, le 3 mars" but not "Berne, qui a repris les sanctions": a clause goes on
        # after the comma
        after = toks[cand.j + 1] if cand.j + 1 < len(toks) else None
        clause = after is not None and after.kind == "w" and after.text[0].islower() and after.key not in self.c.articles
        return not (toks[cand.j].text == "," and clause)

    @staticmethod
    def _actor_before(prevc: _Cand, seg: int, end: int) -> bool:
        """The candidate ending at `end` is an organisation or a country (an actor a capital is listed with)."""
        if prevc.seg != seg or prevc.j != end:
            return False
        e = prevc.entry
        return (e is not None and (e.type == "ORG" or e.kind == "country")) or prevc.type == "ORG"

    def government_use(self, cand: _Cand, cands: list[_Cand], ci: int) -> bool:
        """A capital standing for its government ("Moscou a rejeté", "la position de Washington") rather than
        a place ("à Moscou", a dateline "Paris, 20 déc.", "à Genève, Bruxelles et Vienne")."""
        toks = self.p.segments[cand.seg]
        i = cand.i
        if self.dateline(cand):
            return False
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.key in self.c.of_words:
            if i > 1 and toks[i - 2].key in self.c.locative:
                return False  # "près de Kiev", "autour de Kyiv": where something is
            if i > 1 and toks[i - 2].key in self.c.coordinators and ci > 0 and self._actor_before(cands[ci - 1], cand.seg, i - 2):
                return True  # "les livraisons d'armes de l'OTAN et de Washington": listed with an actor
            # "la position de Washington" (its government) but "la maire de Paris", "la Ville de Paris" (the city)
            # the noun the capital completes, within a few words ("les responsables politiques et religieux de")
            for end in range(i - 1, max(0, i - 6), -1):
                if toks[end - 1].text in _QUOTES:
                    continue  # "les « efforts » d'Ankara"
                if toks[end - 1].kind == "p":
                    break
                if any(tuple(x.key for x in toks[end - n : end]) in self.c.government_nouns for n in (1, 2, 3) if end - n >= 0):
                    return True
            return False
        if prev is not None and prev.kind != "p" and prev.key in self.c.locative:
            if prev.key in self.c.locative_government:
                return True
            if i > 1 and any(tuple(x.key for x in toks[i - 1 - n : i - 1]) in self.c.government_nouns for n in (1, 2) if i - 1 - n >= 0):
                return True  # "des sanctions à Bamako", "son soutien à Kiev"
            before = toks[i - 2] if i > 1 else None
            # "présenté à Moscou", "dit à Washington": the capital receives something
            return before is not None and before.kind == "w" and before.key.startswith(self.c.recipient_verbs or ("\0",))
        # a list of places: "à Genève, Bruxelles et Vienne" (walk back to the head of the list); a comma alone
        # before the capital with nothing listed after it ends an opening place ("À Istanbul, Moscou a annoncé")
        if prev is not None and prev.text == "," and not (cand.j < len(toks) and (toks[cand.j].text == "," or toks[cand.j].key in self.c.coordinators)):
            return True
        k, start = ci, i
        while k > 0:
            sep = toks[start - 1] if start > 0 else None
            prevc = cands[k - 1]
            if sep is None or not (sep.key in self.c.coordinators or sep.text == ",") or prevc.seg != cand.seg:
                break
            if prevc.j != start - 1 or prevc.entry is None or prevc.entry.kind not in ("city", "capital"):
                break
            k, start = k - 1, prevc.i
        if k != ci:
            before = toks[start - 1] if start > 0 else None
            if before is not None and before.key in self.c.locative and before.key not in self.c.locative_government:
                return False
        return True

    def name_mention(self, cand: _Cand) -> Mention | None:
        toks = self.p.segments[cand.seg]
        i, j = cand.i, cand.j
        sent = toks[i].sent_start
        # leading words that are not part of the name at the start of a sentence
        while i < j and sent and j - i > 1 and self.common(toks[i].key) and not self.given(toks[i].key):
            i += 1
        if not sent and i == cand.i and self.completes_noun(toks, i, j):
            # "le Ministre des Finances Bezalel Smotrich": the capitalised common word completes the role
            while i < j - 1 and self.common(toks[i].key) and not self.given(toks[i].key):
                i += 1
        if i != cand.i:
            cand.i = cand.name_i = i
            k = self.known(toks, i)
            if k is not None and k[0] == j:
                cand.kind, cand.entry = "known", k[1]
                return self.make_mention(cand, [], -1)
        words = toks[i:j]
        keys = [t.key for t in words if t.kind == "w"]
        first = toks[i]
        mid = not sent
        if all(len(k) == 1 for k in keys):
            return None  # initials alone ("D.C.")
        if _CLITIC.search(words[-1].text):
            return None  # an imperative with its pronoun ("Inscrivez-moi")
        before = toks[i - 1] if i > 0 else None
        if j - i == 1 and before is not None and before.kind == "w" and before.text.isdigit():
            return None  # "282 Lombards": a count of people
        if self.org_noun_before(cand):
            return self._mention(cand, "ORG", kind="org")  # "la compagnie Easyjet"
        if len(keys) >= 2 and keys[-1] in self.c.affiliations and words[-1].key == keys[-1]:
            if all(k in self.c.affiliations or self.common(k) for k in keys[:-1]):
                return self._mention(cand, "ORG", kind="org")  # "Liberal Democrats", "Free Democrats": a party
            # "the Kentucky Republican", "Reagan Democrats": a description; a known place may open it
            cand.j = j - 1
            k = self.known(toks, i)
            if k is not None and k[0] == cand.j and k[1].type != "PER":
                cand.kind, cand.entry = "known", k[1]
                return self.make_mention(cand, [], -1)
            return None
        if (
            len(keys) >= 2
            and keys[0] in self.c.affiliations
            and keys[-1] not in self.c.org_heads
            and all(k in self.c.affiliations or self.common(k) for k in keys[1:])
        ):
            return None  # "the Republican Presidential candidate": a party word and common words describe
        if len(keys) >= 2 and (keys[-1] in self.c.org_suffixes or fold_name(words[-1].text) in self.c.org_suffixes):
            return self._mention(cand, "ORG", kind="org")  # "Wagner Group", not the composer
        # a known person's name inside ("Vladimir Poutine")
        for t in reversed(words):
            e = self.gaz.index.get((t.key,))
            if e is not None and e.type == "PER":
                m = self._mention(cand, "PER", kind="name")
                m.known = e.canonical
                m.country_code = e.country
                return m
        if len(keys) >= 2:
            if all(t.upper for t in words if t.kind == "w"):
                return None  # words in capitals ("INITIATIVE AUSTRO-HONGROISE VALABLE")
            if self.given(keys[0]):
                return self._mention(cand, "PER", kind="name")
            if keys[-1] in self.c.org_heads and not self.titled(toks, i):
                return self._mention(cand, "ORG", kind="org")  # "the leader of the Republican Party"
            if self.cued_person(cand):
                return self._mention(cand, "PER", kind="name")
            if keys[-1] in self.c.org_suffixes or fold_name(words[-1].text) in self.c.org_suffixes:
                return self._mention(cand, "ORG", kind="org")
            if all(self.common(k) for k in keys):
                return None
            if self.impersonal_article_before(toks, i):
                return self._mention(cand, "ORG", kind="org", weak=True)  # "le Paris Saint-Germain"
            return self._mention(cand, "PER", kind="name", weak=True)
        # one word
        key = keys[0] if keys else ""
        if not key or len(key) < 2:
            return None
        if _DOMAIN.search(first.text):
            return self._mention(cand, "ORG", kind="org")
        if key in self.c.affiliations or key in self.c.foreign_nationalities:
            return None  # "Republicans said"; "the Japanese government" in an English passage: members of a party, not a name ("Republican Party" is one)
        if "-" in key and key.rpartition("-")[2] in self.c.nationalities:
            return None  # "un Franco-Israélien", "les Nord-Coréens": a demonym, as "l'Israélien" is
        uppers = sum(1 for ch in first.text if ch.isupper())
        if uppers >= 2 and len(first.text) <= 6 and uppers * 2 >= len(first.text):
            return self._mention(cand, "ORG", kind="acronym")  # "AfD", "PiS"
        prev = self.prev_word(toks, i)
        if prev is not None and prev.key in self.c.plural_determiners and not self.cued_person(cand):
            return None  # "les Russes", "des Alliés"
        cued = self.cued_person(cand)
        if cued:
            return self._mention(cand, "PER", kind="name")
        if prev is not None and prev.key in self.c.street_words:
            return self._mention(cand, "LOC", kind="name")  # "rue Masui"
        if not self.common(key) and self.impersonal_article_before(toks, i):
            return self._mention(cand, "ORG", kind="org", weak=True)  # "le Mercosur", "l'Insee"
        if prev is not None and prev.key in self.c.place_of and i > 1 and toks[i - 2].key in self.c.place_nouns:
            return self._mention(cand, "LOC", kind="name")  # "le comté de Cherokee"
        if mid:
            if self.common(key) and first.text not in self.ev.known:
                return self._mention(cand, "", kind="maybe", weak=True)  # kept only if it joins a name
            return self._mention(cand, "", kind="single", weak=True)
        # at the start of a sentence: needs evidence
        if (self.ev.mid_caps.get(key, 0) > 0 and not self.common(key)) or first.text in self.ev.known:
            return self._mention(cand, "", kind="single", weak=True)
        return self._mention(cand, "", kind="maybe", weak=True)

    def completes_noun(self, toks: list[Token], i: int, j: int) -> bool:
        """Capitalised common words after "de" ("des Finances", "de la Défense") that run into a name of
        rare words only ("Bezalel Smotrich"): the common words end a noun phrase, the rest is the name."""
        k = i - 1
        if k >= 0 and toks[k].key in self.c.articles and toks[k].text[0].islower():
            k -= 1
        if k < 0 or toks[k].key not in self.c.of_words:
            return False
        rest = next((x for x in range(i, j) if not self.common(toks[x].key)), None)
        return (
            rest is not None
            and rest > i
            and all(self.common(t.key) and not self.given(t.key) for t in toks[i:rest])
            and all(t.kind == "w" and not self.common(t.key) and not self.given(t.key) for t in toks[rest:j])
        )

    def impersonal_article_before(self, toks: list[Token], i: int) -> bool:
        """An article that a person's name does not take ("le Mercosur", "du Paris Saint-Germain")."""
        prev = self.prev_word(toks, i)
        return prev is not None and prev.key in self.c.impersonal_articles

    def org_noun_before(self, cand: _Cand) -> bool:
        """An organisation noun right before the name ("la compagnie Easyjet", "le groupe pétrolier Saudi
        Aramco"; "le patron d'Easyjet" is not)."""
        toks = self.p.segments[cand.seg]
        i = cand.i
        if i > 0 and toks[i - 1].key in self.c.of_words:
            if self._org_noun_ends_at(toks, i - 1):  # "le parti du Likud", "un salarié de Renault"
                # "le parti de Marine Le Pen", "le parti d'Ousmane Sonko": two names after a bare "de" are its owner
                return not (cand.j - i >= 2 and (toks[i].key in self.rec._given or toks[i - 1].key in self.c.place_of))
            return False
        # the noun right before, or one or two adjectives of it between ("le groupe pétrolier")
        return any(
            self._org_noun_ends_at(toks, end) and all(self.adjective(t) for t in toks[end:i])
            for end in (i, i - 1, i - 2)
        )

    def _org_noun_ends_at(self, toks: list[Token], end: int) -> bool:
        if end < 1 or toks[end - 1].key not in self.c.org_noun_ends:
            return False
        return any(end - n >= 0 and tuple(x.key for x in toks[end - n : end]) in self.c.org_nouns for n in (1, 2, 3))

    def cued_person(self, cand: _Cand) -> bool:
        toks = self.p.segments[cand.seg]
        if cand.j - cand.i == 1 and self.common(toks[cand.i].key):
            return False  # "le ministre des Affaires étrangères": a word of the role, not a name
        return self.title_before(cand) is not None or self.role_after(cand) is not None

    def titled(self, toks: list[Token], i: int) -> bool:
        """A title right before token i ("Senator Bill House"), not one a complement separates from it."""
        return any(self._title_at(toks, i - n, i, n) for n in range(1, min(i, self.c.title_max) + 1))

    def title_before(self, cand: _Cand) -> tuple[int, int] | None:
        """(start, end) token range of a title before the name ("le président russe", "la porte-parole de la
        Maison Blanche,"), or None."""
        key = (cand.seg, cand.i, cand.j)
        if key not in self._titles:
            self._titles[key] = self._find_title_before(cand)
        return self._titles[key]

    def _find_title_before(self, cand: _Cand) -> tuple[int, int] | None:
        toks = self.p.segments[cand.seg]
        k = cand.i - 1
        if k >= 0 and (toks[k].key in self.c.of_words or toks[k].key in self.c.recipient_prepositions):
            return None  # "conseiller de Poutine": the name completes someone else's role
        if k >= 0 and toks[k].text == ",":
            k -= 1
        lo = max(0, cand.i - ROLE_LOOKBACK - 1)
        while k >= lo:
            t = toks[k]
            if t.kind == "p" and t.text in _CLAUSE_BREAK_OR_COMMA:
                return None
            if self._title_at(toks, k, cand.i):
                # the longest title that covers this word ("secrétaire général", "Premier ministre")
                start = k
                for d in range(1, self.c.title_max):
                    if k - d >= lo and any(
                        self._title_at(toks, k - d, cand.i, length) for length in range(d + 1, self.c.title_max + 1)
                    ):
                        start = k - d
                return start, cand.i
            if t.kind == "w" and t.text[0].islower() and not self.role_word(t):
                return None
            k -= 1
        return None

    def _title_at(self, toks: list[Token], k: int, limit: int, length: int | None = None) -> bool:
        if k < len(toks) and toks[k].key not in self.c.title_words:
            return False  # (most words start no title: no key tuples to build)
        lengths = (length,) if length else range(1, self.c.title_max + 1)
        return any(k + n <= limit and tuple(x.key for x in toks[k : k + n]) in self.c.titles for n in lengths)

    def role_word(self, t: Token) -> bool:
        """A word that can sit between a title and a name: complements, adjectives, nouns of the role."""
        if t.key in self.c.role_words or t.key in self.c.nationalities:
            return True
        if t.key in self.c.stopwords:
            return False
        return not _looks_like_verb(t.text.lower())

    def role_after(self, cand: _Cand) -> tuple[int, int] | None:
        """(start, end) token range of a role in apposition after the name ("Dmitri Peskov, porte-parole du
        Kremlin,"), or None."""
        key = (cand.seg, cand.i, cand.j)
        if key not in self._roles:
            self._roles[key] = self._find_role_after(cand)
        return self._roles[key]

    def _find_role_after(self, cand: _Cand) -> tuple[int, int] | None:
        toks = self.p.segments[cand.seg]
        k = cand.j
        if k >= len(toks) or toks[k].text != ",":
            return None
        k += 1
        if k < len(toks) and toks[k].key in self.c.articles:
            k += 1
        for length in range(self.c.title_max, 0, -1):
            key = tuple(x.key for x in toks[k : k + length])
            if key in self.c.titles:
                end = k + length
                while end < len(toks) and toks[end].text not in _CLAUSE_BREAK_OR_COMMA:
                    if toks[end].kind == "w" and toks[end].text[0].islower() and not self.role_word(toks[end]):
                        break
                    end += 1
                return k, end
        return None

    def role_text(self, cand: _Cand) -> tuple[str | None, str | None]:
        """The role said of a person, and the country code it implies (a nationality adjective or a known
        name with a country inside it)."""
        span = self.title_before(cand) or self.role_after(cand)
        if span is None:
            return None, None
        toks = self.p.segments[cand.seg]
        a, b = span
        while b > a and toks[b - 1].kind == "p":
            b -= 1
        if b <= a:
            return None, None
        text = self.p.text[toks[a].start : toks[b - 1].end]
        country = None
        for k in range(a, b):
            t = toks[k]
            if t.key in self.c.nationalities:
                country = self.c.nationalities[t.key]
                break
            found = self.known(toks, k) if t.kind == "w" else None  # "du Kremlin", "du département d'État"
            if found is not None and found[1].country and found[1].type in ("GPE", "ORG"):
                country = found[1].country
                break
        return text, country

