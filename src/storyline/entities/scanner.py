"""Scanning one document's tokens for candidate names: known names (gazetteer, tables), organisation words
with their complement, honorifics, capitalised sequences and acronyms (see `recognizer` for the order of
trust). `_Scanner` holds one document's recognition state; `mention_rules._Context` extends it with the typing
of candidates into mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .gazetteer import Entry
from .keys import fold_name, initials, spells
from .resources import lexicon
from .tokens import Token

if TYPE_CHECKING:
    from .recognizer import EntityRecognizer, Evidence, Prepared

CITY_MIN_POPULATION = 300_000  # a smaller city whose name is also a common word needs a place context


@dataclass
class _Cand:
    seg: int
    i: int  # first token (the honorific for "M. Sullivan")
    j: int  # one past the last token
    kind: str  # known, org, place, short, hon, acronym, name, capsname, part (of a hyphenated name), model
    entry: Entry | None = None
    name_i: int = -1  # first token of the name proper
    type: str = ""  # the model's label, for "model"
    nested: bool = False
    span: tuple[int, int] | None = None  # character span of a part of a hyphenated token ("OTAN" in "OTAN-Russie")



class _Scanner:
    """Recognition state for one document: word classes and the scan for candidates."""

    def __init__(self, rec: EntityRecognizer, prepared: Prepared, evidence: Evidence):
        self.rec = rec
        self.p = prepared
        self.c = prepared.cues
        self.ev = evidence
        self.gaz = rec._gaz
        self.lex = lexicon(prepared.cues.code)
        # lower-case words that may open a candidate ("ministère", "stade"), once per document, not per segment
        self.lower_heads = self.c.org_heads_lower | self.c.place_heads | self.c.place_prefixes

    # --- word classes ----------------------------------------------------------------------------------------

    def common(self, key: str) -> bool:
        return key in self.c.stopwords or self.lex.get(key, 0) >= self.c.common_min_freq

    def given(self, key: str) -> bool:
        if "-" in key:  # a compound first name ("Jean-Marc", "Marie-Hélène"): two first names, however frequent as words
            return all(part in self.rec._given and part not in self.c.stopwords for part in key.split("-"))
        return key in self.rec._given and key not in self.c.stopwords and self.lex.get(key, 0) < self.c.given_name_max_freq

    def linked_name(self, t: Token) -> bool:
        """A surname written with its linking particle in lower case ("al-Sissi", "el-Assad")."""
        if "-" not in t.text:
            return False
        head, _, rest = t.text.partition("-")
        return bool(rest) and rest[:1].isupper() and fold_name(head) in self.c.name_linkers

    def not_name_word(self, t: Token) -> bool:
        """Capitalised words that never start or continue a name by themselves."""
        k = t.key
        return (
            k in self.c.stopwords
            or k in self.c.calendar
            or k in self.c.title_words
            or k in self.c.nationalities
            or k in self.c.compass
            or k in self.c.honorifics
        )

    def seen_as_name(self, key: str) -> bool:
        return len(key) > 2 and self.ev.mid_caps.get(key, 0) > 0 and not self.common(key) and key not in self.c.calendar

    def adjective(self, t: Token) -> bool:
        if t.kind != "w" or not t.text[0].islower() or t.key in self.c.stopwords or t.key in self.c.not_adjectives:
            return False
        if t.key in self.c.nationalities or t.key in self.c.name_adjectives:
            return True
        return any(t.key.endswith(s) and len(t.key) > len(s) + 2 for s in self.c.adjective_suffixes)

    # --- scanning -------------------------------------------------------------------------------------------

    def scan(self, si: int, toks: list[Token], caps: bool) -> list[_Cand]:
        out: list[_Cand] = []
        n = len(toks)
        lower_heads = self.lower_heads
        # the words a candidate can start at, found in one pass (most tokens are lower-case words; `upper`
        # implies `cap`)
        starts = [k for k, t in enumerate(toks) if (t.cap or t.key in lower_heads) and t.kind == "w"]
        # opening parentheses, for an acronym defining a name ("Médecins sans frontières (MSF)"): looked for in
        # the text first, most segments have none
        parens = []
        if not caps and toks and self.p.text.find("(", toks[0].start, toks[-1].end) >= 0:
            parens = [k for k, t in enumerate(toks) if t.text == "("]
        s = 0
        i = 0
        while s < len(starts):
            if starts[s] < i:
                s += 1
                continue
            i = starts[s]
            t = toks[i]
            if caps:
                k = self.known(toks, i, caps=True)
                if k is not None and k[0] < n and toks[k[0]].upper and not k[1].kind == "known":
                    k = None  # "EUROPA PRESS": a place name opening a longer name in capitals
                if k is not None:
                    out.append(_Cand(si, i, k[0], "known", entry=k[1], name_i=i))
                    i = k[0]
                    continue
                # a name the batch writes in lower case elsewhere ("BIDEN ET POUTINE" after "Joe Biden")
                j = i
                while j < n and toks[j].upper and not toks[j].nl and self.seen_as_name(toks[j].key):
                    j += 1
                if j > i:
                    out.append(_Cand(si, i, j, "capsname", name_i=i))
                    i = j
                else:
                    i += 1
                continue
            hon = self.honorific(toks, i)
            if hon is not None:
                k = hon
                while toks[k].key in self.c.particles:
                    k += 1  # "M. Le Drian", "Mme von der Leyen"
                j = self.name_seq(toks, k) or k + 1
                out.append(_Cand(si, i, j, "hon", name_i=hon, type="PER"))
                i = j
                continue
            options: list[tuple[int, int, _Cand]] = []
            k = self.known(toks, i)
            if k is not None:
                options.append((k[0], 0, _Cand(si, i, k[0], "known", entry=k[1], name_i=i)))
            if t.key in self.c.place_prefixes:
                pk = self.prefixed_place(toks, i)
                if pk is not None:
                    options.append((pk[0], 0, _Cand(si, i, pk[0], "known", entry=pk[1], name_i=i)))
            o = self.org(toks, i)
            if o is not None and k is not None and self.known_org_ends(toks, k, o[0]):
                o = None
            if o is not None:
                options.append((o[0], 1, _Cand(si, i, o[0], o[1], name_i=i, type="ORG")))
            if parens and t.cap and not t.upper:
                e = self.defined_by_acronym(toks, i, parens)
                if e is not None:
                    options.append((e, 1, _Cand(si, i, e, "org", name_i=i, type="ORG")))
            if t.cap or t.upper:
                j = self.name_seq(toks, i)
                if j is not None and k is not None and j > k[0] and all(self.common(x.key) for x in toks[k[0] : j] if x.kind == "w"):
                    j = None  # "Vienne Téléphone": a known name followed by capitalised common words
                if j is not None:
                    kind = "acronym" if j == i + 1 and t.upper else "name"
                    options.append((j, 2, _Cand(si, i, j, kind, name_i=i)))
            if not options:
                i += 1
                continue
            end, _, best = max(options, key=lambda x: (x[0], -x[1]))
            if end < n and toks[end].text == "+" and toks[end].start == toks[end - 1].end and toks[end - 1].upper:
                end = best.j = end + 1  # "OPEP+", "G7+": the enlarged group keeps its sign
            parts = self.compound_parts(toks, si, best) if best.kind in ("org", "known", "name") else []
            if not (parts and best.kind == "name" and best.j == best.i + 1):
                out.append(best)  # (a hyphenated pair of known names alone, "OTAN-Russie", is just its parts)
            for p in parts:
                p.nested = best.kind != "name"
                out.append(p)
            i = end
        return out

    def defined_by_acronym(self, toks: list[Token], i: int, parens: list[int]) -> int | None:
        """End of a name that the acronym in parentheses after it spells, lower-case words included
        ("Médecins sans frontières (MSF)", "Reporters sans frontières (RSF)"): words only between, one of
        them in lower case (capitalised words alone are a name's or an organisation's already)."""
        e = next((k for k in parens if k > i + 1), None)
        if e is None or e - i > 10 or e + 2 >= len(toks) or toks[e + 2].text != ")" or not _acronym_shape(toks[e + 1]):
            return None
        words = toks[i:e]
        if any(t.kind not in ("w", "el") or t.nl for t in words) or all(t.cap for t in words if t.kind == "w"):
            return None
        if self.given(toks[i].key) or self.not_name_word(toks[i]):
            return None  # a person's name and a party's acronym ("Jean Dupont (PS)"); "Le Programme ... (PNUD)"
        texts = [t.text for t in words]
        acronym = fold_name(toks[e + 1].text).upper()
        if spells(acronym, initials(texts)) or spells(acronym, initials(texts, frozenset())):
            return e
        return None

    def known_org_ends(self, toks: list[Token], known: tuple[int, Entry], end: int) -> bool:
        """A known organisation that an organisation word's complement would run past ("l'Union européenne
        pour les Affaires étrangères": the rest is a title's) ends there, unless an acronym in parentheses
        after the longer name says it is one ("... pour la recherche nucléaire (CERN)")."""
        k_end, entry = known
        if entry.type != "ORG" or end <= k_end or toks[k_end].key not in self.c.org_connectors:
            return False
        return not (end + 2 < len(toks) and toks[end].text == "(" and toks[end + 2].text == ")")

    def prefixed_place(self, toks: list[Token], i: int) -> tuple[int, Entry] | None:
        """A state's form or a territory's kind, "de" and a known country or region ("le Royaume du Maroc", "la
        République islamique d'Iran", "la bande de Gaza"): the known place, named with its prefix."""
        n = len(toks)
        k = i + 1
        while k < n and k - i <= 2 and self.adjective(toks[k]):
            k += 1  # "République islamique d'Iran"
        if k >= n or toks[k].key not in self.c.of_words or toks[k].nl:
            return None
        k += 1
        if k < n and toks[k].key in self.c.articles and toks[k].text[0].islower():
            k += 1
        if k >= n or not (toks[k].cap or toks[k].upper):
            return None
        found = self.known(toks, k)
        if found is None or found[1].type not in ("GPE", "LOC") or found[1].kind in ("city", "capital", "subdivision"):
            return None  # "la république de Venise", "le golfe du Mexique" (no prefix of a country's)
        return found

    def honorific(self, toks: list[Token], i: int) -> int | None:
        """Index of the name after an honorific at i ("M." "Mme"), or None."""
        t = toks[i]
        req = self.c.honorifics.get(t.key.rstrip("."))
        if req is None:
            return None
        j = i + 1
        if j < len(toks) and toks[j].text == ".":
            j += 1
        elif req:
            return None
        if j < len(toks) and toks[j].kind == "w" and (toks[j].cap or self.linked_name(toks[j])) and not self.not_name_word(toks[j]):
            return j  # "M. Xi", "M. al-Khelaïfi"
        k = j
        while k < len(toks) and k - j < 3 and toks[k].key in self.c.particles and not toks[k].nl:
            k += 1
        if j < k < len(toks) and toks[k].cap and toks[k].kind == "w" and not toks[k].nl and not self.not_name_word(toks[k]):
            return j  # the name starts with its particles ("M. Le Drian")
        return None

    def known(self, toks: list[Token], i: int, caps: bool = False) -> tuple[int, Entry] | None:
        t = toks[i]
        lengths = self.rec._lengths.get(t.key)
        if lengths is None:
            return None  # (most words start no known name)
        n = len(toks)
        for length in lengths:
            if i + length > n or any(x.nl for x in toks[i + 1 : i + length]):
                continue
            key = tuple(x.key for x in toks[i : i + length])
            entry = self.gaz.index.get(key)
            if entry is None or toks[i + length - 1].kind == "p":
                continue
            lower_head = not (t.cap or t.upper)  # "département d'État" for "Département d'État"
            if (
                entry.mask
                and not caps
                and not all(x.cap or x.upper or not m for x, m in list(zip(toks[i : i + length], entry.mask))[lower_head:])
            ):
                continue  # "le monde" is not "Le Monde"
            if caps or self.known_case_ok(toks, i, length, entry):
                return i + length, entry
        return None

    def known_case_ok(self, toks: list[Token], i: int, length: int, entry: Entry) -> bool:
        t = toks[i]
        if not (t.cap or t.upper):
            # "département d'État": a lower-case organisation word with a capitalised complement
            return (
                entry.kind == "known"
                and t.key in self.c.org_heads_lower
                and any(x.cap for x in toks[i + 1 : i + length])
            )
        if length == 1:
            # an acronym of the tables in capitals after an article is no stop word it spells ("de la UN", not
            # "dit UN mot")
            acronym = (
                t.upper
                and entry.kind == "known"
                and entry.type == "ORG"
                and i > 0
                and (toks[i - 1].key in self.c.articles or toks[i - 1].key in self.c.of_words)
            )
            if t.key in self.c.compass or (t.key in self.c.stopwords and not acronym) or t.key in self.c.calendar:
                return False
            if t.key in self.c.nationalities and entry.kind in ("country", "region"):
                # "l'Italien": a person of the language's nationality words, not Italy in German; but "la Suisse",
                # "en Suisse": the country whose name is also its nationality word
                prev = toks[i - 1] if i > 0 else None
                if not (prev is not None and (prev.text[:1].islower() or prev.sent_start) and prev.key in self.c.country_articles):
                    return False
            surface_acronym = entry.kind == "known" and t.upper
            if t.upper and not surface_acronym and entry.kind not in ("country", "capital", "known"):
                return len(t.text) > 3  # "MADRID" in a title yes, "MA" no
            if entry.alternate and self.lex.get(t.key, 0) >= 50000:
                return False  # "Seul" is not Seoul in French
            dateline = i == 0 and i + 1 < len(toks) and toks[i + 1].text == ","
            if entry.kind not in ("country", "known") and self.common(t.key) and not dateline:
                if t.sent_start and entry.population < 1_000_000:
                    return False  # "Sens", "Orange" opening a sentence
                after_capital = i > 0 and toks[i - 1].cap and not toks[i - 1].sent_start
                if entry.alternate and (t.sent_start or after_capital) and not self.place_context(toks, i):
                    return False  # "le Roi Lion" is not Lyon; "à Vienne", "de Vienne" are Vienna
            if entry.kind == "city" and entry.population < CITY_MIN_POPULATION and self.common(t.key):
                return self.locative_before(toks, i)
            if entry.kind == "city" and entry.population < 1_000_000 and self.given(t.key) and not self.place_context(toks, i):
                if not self.place_of_a_name(toks, i):
                    return False  # "Marion raconte": a first name before a small town's
            if entry.kind == "subdivision" and self.common(t.key):
                return self.locative_before(toks, i)
            if entry.kind == "known" and not t.upper and len(t.text) <= 3 and not t.cap:
                return False
        return True

    def place_of_a_name(self, toks: list[Token], i: int) -> bool:
        """The town completing a name ("le stade Pierre-Mauroy de Lille", "Hartley of Madison, Alabama"), not a
        person's name completing a noun ("la campagne de Marion", "the chair of Clinton's campaign")."""
        return (
            i > 1
            and toks[i - 1].key in self.c.place_of
            and toks[i - 2].cap
            and not toks[i - 2].sent_start
            and not (i + 1 < len(toks) and (toks[i + 1].cap or toks[i + 1].text in ("'", "’")))
        )

    def place_context(self, toks: list[Token], i: int) -> bool:
        """A preposition of place before, or a list of places ("Genève, Bruxelles et Vienne")."""
        if self.locative_before(toks, i):
            return True
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and (prev.text == "," or prev.key in self.c.coordinators) and i > 1:
            e = self.gaz.index.get((toks[i - 2].key,))
            return e is not None and e.type in ("GPE", "LOC") and toks[i - 2].cap
        return False

    def locative_before(self, toks: list[Token], i: int) -> bool:
        prev = self.prev_word(toks, i)
        return prev is not None and prev.key in self.c.locative

    def prev_word(self, toks: list[Token], i: int) -> Token | None:
        j = i - 1
        return toks[j] if j >= 0 and toks[j].kind != "p" else None

    def name_seq(self, toks: list[Token], i: int) -> int | None:
        """End of a sequence of capitalised name words starting at i, or None."""
        t = toks[i]
        if t.kind != "w" or not (t.cap or t.upper) or self.not_name_word(t):
            return None
        if t.upper and t.key in self.rec._lengths and self.gaz.index.get((t.key,)) is not None and i + 1 < len(toks) and not toks[i + 1].upper:
            return i + 1  # "OTAN Jens Stoltenberg": a known acronym does not start a longer name
        if i > 0 and toks[i - 1].text in ("#", "@"):
            return None  # a hashtag or a handle
        first_given = self.given(t.key)
        all_given = first_given
        n = len(toks)
        j = i + 1
        while j < n:
            u = toks[j]
            if u.nl:
                break
            if u.kind == "w" and (u.cap or u.upper) and not self.not_name_word(u):
                if u.upper != toks[j - 1].upper and toks[j - 1].kind == "w" and len(toks[j - 1].text) > 1:
                    if u.upper and _REGNAL.match(u.text) and not toks[j - 1].upper:
                        j += 1  # "Mohammed VI", "Charles III": a regnal number ends the name
                    break  # acronym next to a capitalised word: two names
                if u.key in self.c.name_linkers:
                    j += 1  # a linking particle ("Ben", "Al") is no first name starting another name
                    continue
                g = self.given(u.key)
                # "European Commission Peter Stano": a first name after an organisation word, however frequent as a word
                after_org = toks[j - 1].key in self.c.org_heads and u.key in self.rec._given
                known_before = self.gaz.index.get(tuple(x.key for x in toks[i:j])) is not None
                if (g or after_org) and not all_given and (
                    (j + 1 < n and toks[j + 1].cap and not toks[j + 1].nl and not self.unknown_name_words(toks, i, j)) or known_before
                ):
                    # "Washington Donald Trump", "Bucarest Cristi", "House Speaker Paul Ryan": a first name starts
                    # another name; not after two words that are nothing but a name ("Kacou Houadja Léon Adom")
                    break
                all_given = all_given and g
                j += 1
                continue
            if u.kind == "w" and not u.nl and self.linked_name(u):
                j += 1  # "Abdel Fattah al-Sissi"
                continue
            if (
                u.key in self.c.name_linkers
                and j + 1 < n
                and toks[j + 1].kind == "w"
                and toks[j + 1].cap
                and not toks[j + 1].upper
                and not toks[j + 1].nl
                and not self.not_name_word(toks[j + 1])
                and self.gaz.index.get((toks[j + 1].key,)) is None
            ):
                j += 2  # "Abdelaziz ben Salmane": a linking particle between two names
                continue
            if u.text == "." and len(toks[j - 1].text) == 1 and toks[j - 1].cap and j + 1 < n and toks[j + 1].cap:
                j += 1  # an initial: "John F. Kennedy"
                continue
            if (
                u.cap
                and u.key in self.c.particles
                and j + 1 < n
                and toks[j + 1].cap
                and not toks[j + 1].nl
                and not self.not_name_word(toks[j + 1])
                and not self.common(toks[j + 1].key)
                and (not self.common(toks[j - 1].key) or (j - 1 == i and toks[i].key in self.rec._given))
            ):
                j += 2  # "Jean-Yves Le Drian", "Marine Le Pen": a capitalised particle between two names
                continue
            if first_given and (u.key in self.c.particles or u.key == "d'"):
                # "Charles de Gaulle", "Marine Le Pen", "Ursula von der Leyen"
                k = j
                while k < n and (toks[k].key in self.c.particles or toks[k].key == "d'") and not toks[k].nl:
                    k += 1
                if (
                    k < n
                    and k - j <= 3
                    and toks[k].kind == "w"
                    and toks[k].cap
                    and not toks[k].upper  # "Thilo Sarrazin du SPD": an acronym is no part of a name
                    and not toks[k].nl
                    and not self.not_name_word(toks[k])
                    and self.gaz.index.get((toks[k].key,)) is None
                ):
                    j = k + 1
                    continue
            break
        while j > i + 1 and (toks[j - 1].kind == "p" or toks[j - 1].key in self.c.particles):
            j -= 1
        return j

    def org(self, toks: list[Token], i: int) -> tuple[int, str] | None:
        """An organisation word and its complement: (end, "org"), or (i + 1, "short") for the word alone."""
        t = toks[i]
        lower_mode = not t.cap
        place_head = t.key in self.c.place_heads  # "Stade de France", "Parc des Princes", "stade Pierre-Mauroy"
        if t.key not in self.c.org_heads and not place_head and not (lower_mode and t.key in self.c.org_heads_lower):
            return None
        if t.upper:
            return None
        n = len(toks)
        j = i + 1
        ends: list[int] = []  # candidate ends, one per complete group
        stopped_at: int | None = None  # end of the extension past a place (kept for an acronym check)
        stopped_org = False  # ... past a known organisation ("des Nations unies")
        # capitalised words right after the head ("Conseil OTAN-Russie"), not a person's name ("la Commission
        # Peter Stano")
        while j < n and not toks[j].nl and toks[j].kind == "w" and (toks[j].cap or toks[j].upper) and not self.not_name_word(toks[j]):
            if toks[j].key in self.rec._given and j + 1 < n and toks[j + 1].cap and not toks[j + 1].nl:
                break
            j += 1
            ends.append(j)
        if lower_mode and place_head and not ends:
            # "le palais de Dolmabahçe", "le pont de Brooklyn": the place word, "de" and a name no table knows is
            # one place; "le stade de la ville" (no name) and "le stade de Lyon" (the known town) are not
            k = j + 1
            if k < n and toks[j].key in self.c.place_of and toks[k].cap and not toks[k].upper and not toks[k].nl:
                if self.known(toks, k) is None and not self.not_name_word(toks[k]) and not self.common(toks[k].key):
                    return (self.name_seq(toks, k) or k + 1), "place"
            return None
        adj = 0
        while j < n and adj < 2 and self.adjective(toks[j]):
            if not ends and self.qualifying_nationality(toks, i, j):
                ends.append(j)  # "le Congrès américain": the head alone is the name
                break
            j += 1
            adj += 1
            ends.append(j)
        groups = 0
        while j < n and groups < 4:
            u = toks[j]
            if u.nl or u.key not in self.c.org_connectors or u.key in self.c.articles or self.unaccented_connector(u):
                break
            if place_head and u.key in self.c.coordinators:
                break  # "le Stade de France et le club": a place's name joins no second group
            k = j + 1
            if k < n and u.key in self.c.coordinators and toks[k].key in self.c.org_connectors and toks[k].key not in self.c.coordinators:
                k += 1  # "et des Affaires étrangères", "et de la Défense"
            if k < n and toks[k].key in self.c.articles and toks[k].text[0].islower():
                k += 1
            if k >= n or toks[k].kind != "w" or toks[k].nl:
                break
            w = toks[k]
            if u.key in ("et", "and") and w.cap and w.key in self.c.org_heads:
                break  # "le Conseil OTAN-Russie et l'Organisation ...": two organisations
            if u.key in self.c.capitalised_connectors and not (w.cap or w.upper):
                break  # "Cour constitutionnelle en vue"
            place = self.known(toks, k)
            if place is not None:
                end_place = place[0]
                if len(ends) > 0:
                    # "Conseil de sécurité nationale des États-Unis", "Conseil de sécurité de l'ONU": an
                    # affiliation, not part of the name (unless an acronym after it says otherwise)
                    stopped_at = end_place
                    stopped_org = place[1].type == "ORG"
                    break
                j = end_place
            elif w.cap or w.upper:
                # "le Congrès des Ukrainiens Canadiens": a people named after "des" is the name's complement
                people = u.key in self.c.plural_determiners and w.key in self.c.nationalities
                if self.not_name_word(w) and w.key not in ("etat", "etats") and not people:
                    break
                j = k + 1
                while j < n and toks[j].kind == "w" and toks[j].cap and (not self.not_name_word(toks[j]) or (people and toks[j].key in self.c.nationalities)):
                    j += 1
            elif w.text[0].islower() and w.key not in self.c.stopwords and w.key not in self.c.calendar:
                if _infinitive(w.key) or _looks_like_verb(w.text.lower()):
                    break  # "Alliance pour renforcer"
                if w.key in self.c.place_heads:
                    break  # "l'Olympique lyonnais au stade Pierre-Mauroy": where the organisation is, not its name
                j = k + 1
            else:
                break
            adj = 0
            while j < n and adj < 2 and self.adjective(toks[j]):
                j += 1
                adj += 1
            groups += 1
            ends.append(j)
        if not ends:
            if lower_mode or place_head:
                return None
            return i + 1, "short"
        end = ends[-1]
        # an acronym in parentheses decides how far the name goes ("... en Europe (OSCE)"), even past a few
        # words the extension stopped at ("... des Nations unies pour les réfugiés (HCR)")
        ahead = ends[-1] if ends else j
        while ahead < n and ahead - (ends[-1] if ends else j) < 6 and toks[ahead].kind in ("w", "el") and not toks[ahead].nl:
            ahead += 1
        for e in [*([stopped_at] if stopped_at else []), *([ahead] if ends and ahead > ends[-1] else []), *reversed(ends)]:
            if e + 2 < n and toks[e].text == "(" and toks[e + 2].text == ")" and _acronym_shape(toks[e + 1]):
                words = [x.text for x in toks[i:e] if x.kind != "p"]
                acronym = fold_name(toks[e + 1].text).upper()
                if spells(acronym, initials(words)) or spells(acronym, initials(words, frozenset())):
                    end = e  # "... de l'Afrique de l'Ouest (Cédéao)" spells its "des" too
                    break
        else:
            if stopped_at is not None:
                end = self.agency_of(toks, stopped_at, 4 if stopped_org else 0) or end
        if lower_mode:
            # keep the stretch up to its last capitalised word (and the adjectives after it)
            last_cap = max((k for k in range(i + 1, end) if toks[k].cap), default=None)
            if last_cap is None:
                return None
            end = last_cap + 1
            while end < n and self.adjective(toks[end]):
                end += 1
        if t.sent_start and not any(x.cap for x in toks[i + 1 : end]) and self.ev.mid_caps.get(t.key, 0) == 0:
            return None  # "Groupe de travail" opening a sentence: capitalised only by position
        return end, "place" if place_head else "org"

    def agency_of(self, toks: list[Token], k: int, groups: int) -> int | None:
        """End of an organisation name that runs on past the known name it stopped at, up to the acronym in
        parentheses it is known by, whatever that acronym's letters (English acronyms): past a known
        organisation, up to `groups` more groups of a connector, an article and a noun or a name ("Office de
        secours et de travaux des Nations unies pour les réfugiés de Palestine (UNRWA)"); past a place, none,
        and an acronym no table knows ("Forces de défense d'Israël (IDF)", not "... à Kiev (AFP)")."""
        n = len(toks)
        e = k
        for _ in range(groups + 1):
            if e + 2 < n and toks[e].text == "(" and toks[e + 2].text == ")" and toks[e + 1].upper:
                if groups or self.gaz.index.get((toks[e + 1].key,)) is None:
                    return e
                return None
            if e >= n or toks[e].nl or toks[e].key not in self.c.org_connectors or self.unaccented_connector(toks[e]):
                return None  # "... de l'ONU a voté (AFP)": the verb "a" is no "à"
            e += 1
            if e < n and toks[e].key in self.c.articles and toks[e].text[0].islower():
                e += 1
            if e >= n or toks[e].kind != "w" or toks[e].nl or toks[e].key in self.c.stopwords:
                return None
            e += 1
            while e < n and toks[e].kind == "w" and not toks[e].nl and (toks[e].cap or self.adjective(toks[e])):
                e += 1
        return None

    def qualifying_nationality(self, toks: list[Token], head: int, k: int) -> bool:
        """A nationality adjective right after an organisation word that ends the phrase ("le Congrès américain
        a voté"): it says whose institution it is, as "le président américain" does. Not when the head alone is a
        known name of another country's institution ("Sénat"), nor when a complement follows ("le ministère russe
        de la Défense")."""
        if toks[k].key not in self.c.nationalities or self.gaz.index.get((toks[head].key,)) is not None:
            return False
        if self.c.national_institutions and toks[head].key not in self.c.national_institutions:
            return False  # "l'Autorité palestinienne", "la Ligue arabe": the adjective is part of the name
        return not (k + 1 < len(toks) and toks[k + 1].key in self.c.org_connectors and not self.unaccented_connector(toks[k + 1]))

    def unknown_name_words(self, toks: list[Token], i: int, j: int) -> bool:
        """Two words or more, none a first name, a common word or a known name: the first names of one person."""
        return j - i >= 2 and all(
            t.kind == "w"
            and not t.upper
            and not any(self.lex.get(part, 0) for part in t.key.split("-"))  # not "Editor-in-Chief"
            and t.key not in self.rec._given
            and self.gaz.index.get((t.key,)) is None
            for t in toks[i:j]
        )

    def unaccented_connector(self, t: Token) -> bool:
        """A word that folds to an accented connector but is written without its accent: the verb "a" is no "à"
        ("le Parlement ukrainien a voté")."""
        return t.key in self.c.accented_connectors and t.text.isascii()

    def compound_parts(self, toks: list[Token], si: int, cand: _Cand) -> list[_Cand]:
        """Known names joined by hyphens inside a name ("OTAN" and "Russie" in "Conseil OTAN-Russie"); a known
        person's name joined to a name the text uses alone elsewhere ("une rencontre Poutine-Zelenskyy") is two
        people too."""
        out = []
        for k in range(cand.i, cand.j):
            t = toks[k]
            if t.kind != "w" or "-" not in t.text or self.gaz.index.get((t.key,)) is not None:
                continue
            parts = t.text.split("-")
            if not all(p[:1].isupper() for p in parts):
                continue
            offset = t.start
            found = []
            for p in parts:
                key = fold_name(p)
                entry = self.gaz.index.get((key,))
                if entry is not None and entry.kind in ("known", "country", "capital"):
                    found.append((offset, offset + len(p), entry))
                elif entry is None and self.seen_as_name(key):
                    found.append((offset, offset + len(p), None))
                offset += len(p) + 1
            if len(found) == len(parts):
                entries = [x[2] for x in found]
                if None in entries and not any(x is not None and x.type == "PER" for x in entries):
                    continue
                for s, e, entry in found:
                    kind = "part" if entry is not None else "capsname"  # (typed by the name it joins)
                    out.append(_Cand(si, k, k + 1, kind, entry=entry, name_i=k, nested=True, span=(s, e)))
        return out



_REGNAL = re.compile(r"^(?:I{1,3}|IV|VI{0,3}|IX|XI{0,3}|XIV|XV|XVI{0,3})$")  # I to XVIII: kings, popes


def _acronym_shape(t: Token) -> bool:
    """"OSCE", or an acronym written as a word ("Cédéao", "Unesco")."""
    return t.kind == "w" and (t.upper or (t.cap and 3 <= len(t.text) <= 8 and t.text.isalpha()))


def _infinitive(key: str) -> bool:
    return key.endswith(("er", "ir", "oir")) and not key.endswith(("ier", "eur"))


def _looks_like_verb(word: str) -> bool:
    """A finite verb or participle (lower-case word as written) that ends a role ("a rencontré", "ont déclaré",
    "said"); nouns in -té (sécurité, comité) are not."""
    return len(word) > 3 and bool(re.search(r"(?:é|ée|és|ées|ait|aient|ont|said|ed)$", word)) and not word.endswith(("té", "tés", "eed"))

