"""Rule-based, multilingual recognition of PER, ORG, GPE and LOC mentions, and their grouping within one
document.

It needs no model: token shape (capitals, acronyms), the per-language cue tables (honorifics, titles and
roles, organisation words, stop words, nationality adjectives), the gazetteer (countries, regions, cities,
subdivisions, known names), a list of first names and a common-word lexicon. An optional model backend
(`storyline.entities.backends`) may replace or complement the spans it finds; typing of the remaining
guesses, roles, and the grouping of mentions are the same either way.

How a capitalised stretch is read, in order of trust:
1. a known name (gazetteer, tables): its type and canonical name;
2. an organisation word with its complement ("Conseil de sécurité nationale", "ministère russe de la
   Défense", "Organisation pour la sécurité et la coopération en Europe (OSCE)");
3. an honorific ("M. Sullivan"), a title before the name ("le président russe Vladimir Poutine") or a role in
   apposition ("Dmitri Peskov, porte-parole du Kremlin"): a person, with the role kept;
4. a first name followed by capitalised words: a person;
5. an acronym: an organisation;
6. other capitalised words: a person when they are two or more, or one that is used inside sentences and is
   not a common word of the language. A capitalised word at the start of a sentence is only taken when the
   document (or the batch) shows it capitalised elsewhere, or it is known.

Within a document, a surname alone or with an honorific joins the full name ("Blinken", "M. Sullivan"), a rare
one-letter variant of a frequent name joins it ("Baiden" -> "Biden"), an acronym joins the name it is defined
by, an organisation word alone ("l'Alliance") joins the organisation of the document it abbreviates, and a
capital used as a government ("Washington a réitéré") is typed GPE and points at its country.
"""

from __future__ import annotations

from functools import lru_cache

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..textnorm import fold, normalized_view
from .gazetteer import Entry, gazetteer
from .keys import edit_distance, fold_name, initials, org_key, phonetic
from .mention import Mention
from .resources import Cues, cues, given_names, known_aliases, lexicon
from .tokens import Token, tokenize

__all__ = ["EntityRecognizer", "Evidence", "Prepared"]

CITY_MIN_POPULATION = 300_000  # a smaller city whose name is also a common word needs a place context
ROLE_LOOKBACK = 10  # tokens between a title and the name it introduces
_ROMAN = re.compile(r"^[IVXLCDM]+(?:e|er|ème|eme|th|st|nd|rd)?$")
# a word starting with a capital (Latin, Greek or Cyrillic)
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩЀ-Я][\w'’-]*")
_CLITIC = re.compile(r"-(?:moi|toi|nous|vous|le|la|les|lui|leur|y|en|il|elle|ils|elles|on|ce|je|tu)$", re.I)
_DOMAIN = re.compile(r"\.(?:com|org|net|fr|info|io|co|uk|de|es|it|ru|tv)$", re.I)
_CLAUSE_BREAK = frozenset({".", "!", "?", ";", ":", "«", "»", "“", "”", '"', "(", ")", "[", "]", "…", "–", "—"})


@dataclass
class Prepared:
    """A document ready for recognition: the normalised text, its offset map and the tokens of each body
    range."""

    text: str
    omap: Any
    segments: list[list[Token]]
    caps: list[bool]
    language: str | None
    cues: Cues
    raw: str = ""  # the text as read (mentions quote it)


class Evidence:
    """What the documents of a batch say about words: which ones appear capitalised inside sentences. A word
    capitalised at the start of a sentence is taken as a name only with such evidence. Built from the raw
    texts with one regular expression (no tokenisation), so it can be computed before recognition is shared
    out between processes."""

    def __init__(self) -> None:
        self.mid_caps: Counter[str] = Counter()
        self.capitalised: set[str] = set()  # every capitalised word of the batch (as written)
        self.known: set[str] = set()  # those an earlier batch made entities of (filled by the stage)

    def add_text(self, text: str, ranges: list[tuple[int, int]] | None) -> None:
        for s, e in [(0, len(text))] if ranges is None else ranges:
            for m in _CAPITALISED.finditer(text, s, e):
                start = m.start()
                self.capitalised.add(m.group())
                before = text[max(s, start - 3) : start]
                # inside a sentence: after a word and a space, a comma, or an elision ("l'OTAN")
                if len(before) == 3 and (
                    (before[2] == " " and (before[1].isalnum() or before[1] in ",;"))
                    or (before[2] in "'’" and before[1] in "dlDL" and not before[0].isalnum())
                ):
                    word = m.group()
                    if not word.isupper() or len(word) < 2:
                        self.mid_caps[word.lower() if word.isascii() else fold(word)] += 1

    @classmethod
    def from_texts(cls, items: list[tuple[str, list[tuple[int, int]] | None]]) -> Evidence:
        ev = cls()
        for text, ranges in items:
            ev.add_text(text, ranges)
        return ev


@dataclass
class _Cand:
    seg: int
    i: int  # first token (the honorific for "M. Sullivan")
    j: int  # one past the last token
    kind: str  # known, org, short, hon, acronym, name, capsname, part (of a hyphenated name), model
    entry: Entry | None = None
    name_i: int = -1  # first token of the name proper
    type: str = ""  # the model's label, for "model"
    nested: bool = False
    span: tuple[int, int] | None = None  # character span of a part of a hyphenated token ("OTAN" in "OTAN-Russie")


class EntityRecognizer:
    """Finds mentions in a document's body and groups those of one entity (document-level ids in
    `Mention.local`). `backend`, if given, is a model backend whose spans replace ("replace") or take
    precedence over and complement ("complement") the rule-based ones."""

    def __init__(self, backend: Any = None, mode: str = "complement"):
        if mode not in ("complement", "replace"):
            raise ValueError(f"mode must be 'complement' or 'replace', not {mode!r}")
        self.backend = backend
        self.mode = mode
        self._gaz = gazetteer()
        self._lengths = _gazetteer_lengths()
        self._given = given_names()
        self._aliases = _alias_heads()

    # --- preparation --------------------------------------------------------------------------------------

    def prepare(self, text: str, body: list[tuple[int, int]] | None, language: str | None) -> Prepared:
        """Tokenise the body ranges (the whole text when `body` is None; nothing when it is empty)."""
        norm, omap = normalized_view(text)
        ranges = [(0, len(text))] if body is None else body
        c = cues(language)
        segments, caps = [], []
        for s, e in ranges:
            ns, ne = omap.to_normalized(s), omap.to_normalized(e)
            toks = tokenize(norm, ns, ne)
            if not toks:
                continue
            segments.append(toks)
            caps.append(_is_caps_line(toks))
        return Prepared(norm, omap, segments, caps, language, c, raw=text)

    # --- recognition --------------------------------------------------------------------------------------

    def recognize(self, prepared: Prepared, evidence: Evidence | None = None) -> list[Mention]:
        """Mentions of the body, in text order, with `local` set to a document-level entity index."""
        if evidence is None:
            evidence = Evidence()
            evidence.add_text(prepared.text, [(t[0].start, t[-1].end) for t in prepared.segments])
        ctx = _Context(self, prepared, evidence)
        cands: list[_Cand] = []
        model = self._model_cands(prepared) if self.backend is not None else None
        for si, toks in enumerate(prepared.segments):
            found = [] if self.mode == "replace" and model is not None else ctx.scan(si, toks, prepared.caps[si])
            if model is not None:
                found = _overlay(model.get(si, []), found)
            cands.extend(found)
        return ctx.type_and_link(cands)

    def _model_cands(self, prepared: Prepared) -> dict[int, list[_Cand]]:
        out: dict[int, list[_Cand]] = {}
        bounds = [(toks[0].start, toks[-1].end) for toks in prepared.segments]
        found = self.backend.find_many([prepared.text[s:e] for s, e in bounds], prepared.language)
        for si, (toks, (s, _e), spans) in enumerate(zip(prepared.segments, bounds, found)):
            for start, end, label in spans:
                start, end = start + s, end + s
                i = next((k for k, t in enumerate(toks) if t.end > start), None)
                if i is None:
                    continue
                j = i
                while j < len(toks) and toks[j].start < end:
                    j += 1
                if j > i:
                    out.setdefault(si, []).append(_Cand(si, i, j, "model", type=label, name_i=i))
        return out


def _overlay(model: list[_Cand], rules: list[_Cand]) -> list[_Cand]:
    """Model spans win; rule spans fill what they leave."""
    taken = [(c.i, c.j) for c in model]
    out = list(model)
    for c in rules:
        if not any(c.i < j and i < c.j for i, j in taken):
            out.append(c)
    return sorted(out, key=lambda c: (c.i, c.j))


def _is_caps_line(toks: list[Token]) -> bool:
    words = upper = 0
    first_upper = False
    for t in toks:
        if t.kind == "w" and t.text[0].isalpha():
            words += 1
            if t.upper or (len(t.text) == 1 and t.cap):
                upper += 1
                if words == 1:
                    first_upper = True
    if not words:
        return False
    return upper / words >= 0.7 and (words >= 2 or first_upper)


@lru_cache(maxsize=1)
def _gazetteer_lengths() -> dict[str, tuple[int, ...]]:
    """Name lengths per first word of the gazetteer, built once per process like the gazetteer itself."""
    return _lengths_by_first_key(gazetteer().index)


def _lengths_by_first_key(index: dict[tuple[str, ...], Entry]) -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for key in index:
        lengths.setdefault(key[0], set()).add(len(key))
    return {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}


def _alias_heads() -> dict[str, set[str]]:
    """First and last words of known multi-word names -> canonical names ("alliance" -> NATO)."""
    out: dict[str, set[str]] = {}
    for canonical, surfaces in known_aliases().items():
        for s in surfaces:
            words = fold_name(s).split()
            if len(words) >= 2:
                out.setdefault(words[0], set()).add(canonical)
                out.setdefault(words[-1], set()).add(canonical)
    return out


class _Context:
    """Recognition state for one document."""

    def __init__(self, rec: EntityRecognizer, prepared: Prepared, evidence: Evidence):
        self.rec = rec
        self.p = prepared
        self.c = prepared.cues
        self.ev = evidence
        self.gaz = rec._gaz
        self.lex = lexicon(prepared.cues.code)

    # --- word classes ----------------------------------------------------------------------------------------

    def common(self, key: str) -> bool:
        return key in self.c.stopwords or self.lex.get(key, 0) >= self.c.common_min_freq

    def given(self, key: str) -> bool:
        return key in self.rec._given and key not in self.c.stopwords and self.lex.get(key, 0) < self.c.given_name_max_freq

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
        if t.key in self.c.nationalities:
            return True
        return any(t.key.endswith(s) and len(t.key) > len(s) + 2 for s in self.c.adjective_suffixes)

    # --- scanning -------------------------------------------------------------------------------------------

    def scan(self, si: int, toks: list[Token], caps: bool) -> list[_Cand]:
        out: list[_Cand] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if t.kind != "w" or not (t.cap or t.upper or t.key in self.c.org_heads_lower):
                i += 1
                continue
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
                j = self.name_seq(toks, hon) or hon + 1
                out.append(_Cand(si, i, j, "hon", name_i=hon, type="PER"))
                i = j
                continue
            options: list[tuple[int, int, _Cand]] = []
            k = self.known(toks, i)
            if k is not None:
                options.append((k[0], 0, _Cand(si, i, k[0], "known", entry=k[1], name_i=i)))
            o = self.org(toks, i)
            if o is not None:
                options.append((o[0], 1, _Cand(si, i, o[0], o[1], name_i=i, type="ORG")))
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
            parts = self.compound_parts(toks, si, best) if best.kind in ("org", "known", "name") else []
            if not (parts and best.kind == "name" and best.j == best.i + 1):
                out.append(best)  # (a hyphenated pair of known names alone, "OTAN-Russie", is just its parts)
            for p in parts:
                p.nested = best.kind != "name"
                out.append(p)
            i = end
        return out

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
        if j < len(toks) and toks[j].cap and toks[j].kind == "w" and not self.not_name_word(toks[j]):
            return j
        return None

    def known(self, toks: list[Token], i: int, caps: bool = False) -> tuple[int, Entry] | None:
        t = toks[i]
        n = len(toks)
        for length in self.rec._lengths.get(t.key, ()):
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
            if t.key in self.c.compass or t.key in self.c.stopwords or t.key in self.c.calendar:
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
                return False  # "Marion raconte": a first name before a small town's
            if entry.kind == "subdivision" and self.common(t.key):
                return self.locative_before(toks, i)
            if entry.kind == "known" and not t.upper and len(t.text) <= 3 and not t.cap:
                return False
        return True

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
                    break  # acronym next to a capitalised word: two names
                g = self.given(u.key)
                if g and not all_given and (
                    (j + 1 < n and toks[j + 1].cap and not toks[j + 1].nl) or self.gaz.index.get(tuple(x.key for x in toks[i:j])) is not None
                ):
                    break  # "Washington Donald Trump", "Bucarest Cristi": a first name starts another name
                all_given = all_given and g
                j += 1
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
                and not self.common(toks[j - 1].key)
            ):
                j += 2  # "Jean-Yves Le Drian", "Rafael Di Rosa": a capitalised particle between two names
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
        if t.key not in self.c.org_heads and not (lower_mode and t.key in self.c.org_heads_lower):
            return None
        if t.upper:
            return None
        n = len(toks)
        j = i + 1
        ends: list[int] = []  # candidate ends, one per complete group
        stopped_at: int | None = None  # end of the extension past a place (kept for an acronym check)
        # capitalised words right after the head ("Conseil OTAN-Russie")
        while j < n and not toks[j].nl and toks[j].kind == "w" and (toks[j].cap or toks[j].upper) and not self.not_name_word(toks[j]):
            j += 1
            ends.append(j)
        adj = 0
        while j < n and adj < 2 and self.adjective(toks[j]):
            j += 1
            adj += 1
            ends.append(j)
        groups = 0
        while j < n and groups < 4:
            u = toks[j]
            if u.nl or u.key not in self.c.org_connectors or u.key in ("le", "la", "les", "l'", "the"):
                break
            k = j + 1
            if k < n and u.key in ("et", "and") and toks[k].key in self.c.org_connectors and toks[k].key not in ("et", "and"):
                k += 1  # "et des Affaires étrangères", "et de la Défense"
            if k < n and toks[k].key in ("la", "le", "les", "l'", "the") and toks[k].text[0].islower():
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
                    break
                j = end_place
            elif w.cap or w.upper:
                if self.not_name_word(w) and w.key not in ("etat", "etats"):
                    break
                j = k + 1
                while j < n and toks[j].kind == "w" and toks[j].cap and not self.not_name_word(toks[j]):
                    j += 1
            elif w.text[0].islower() and w.key not in self.c.stopwords and w.key not in self.c.calendar:
                if _infinitive(w.key) or _looks_like_verb(w.text.lower()):
                    break  # "Alliance pour renforcer"
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
            if lower_mode:
                return None
            return i + 1, "short"
        end = ends[-1]
        # an acronym in parentheses decides how far the name goes ("... en Europe (OSCE)")
        for e in [*([stopped_at] if stopped_at else []), *reversed(ends)]:
            if e + 2 < n and toks[e].text == "(" and toks[e + 1].upper and toks[e + 2].text == ")":
                if initials([x.text for x in toks[i:e] if x.kind != "p"]) == fold_name(toks[e + 1].text).upper():
                    end = e
                    break
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
        return end, "org"

    def compound_parts(self, toks: list[Token], si: int, cand: _Cand) -> list[_Cand]:
        """Known names joined by hyphens inside a name ("OTAN" and "Russie" in "Conseil OTAN-Russie")."""
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
                offset += len(p) + 1
            if len(found) == len(parts):
                for s, e, entry in found:
                    out.append(_Cand(si, k, k + 1, "part", entry=entry, name_i=k, nested=True, span=(s, e)))
        return out

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
            return m
        if cand.kind == "model":
            return self._mention(cand, cand.type, kind="model", source="model")
        if cand.kind == "capsname":  # typed by the names of the document it joins
            return self._mention(cand, "", kind="maybe" if cand.j - cand.i == 1 else "name", weak=True)
        if cand.kind == "hon":
            return self._mention(cand, "PER", kind="name")
        if cand.kind == "org":
            return self._mention(cand, "ORG", kind="org")
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
        if cand.kind == "part":
            name = text
        else:
            ns = toks[cand.name_i].start if cand.name_i >= 0 else s
            name = self.p.text[ns:e]
        os_, oe = self.p.omap.span(s, e)
        return Mention(
            text=self.p.raw[os_:oe], start=os_, end=oe, type=typ, name=name, kind=kind, source=source, weak=weak, nested=cand.nested
        )

    def government_use(self, cand: _Cand, cands: list[_Cand], ci: int) -> bool:
        """A capital standing for its government ("Moscou a rejeté", "la position de Washington") rather than
        a place ("à Moscou", a dateline "Paris, 20 déc.", "à Genève, Bruxelles et Vienne")."""
        toks = self.p.segments[cand.seg]
        i = cand.i
        if toks[i].sent_start and cand.j < len(toks) and toks[cand.j].text in (",", ":", "(", "–", "-"):
            return False  # a dateline or a headline's place ("Paris, 20 déc.", "MOSCOU (AFP) -", "Paris : ...")
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.key in ("de", "d'", "du", "des", "of"):
            # "la position de Washington" (its government) but "la maire de Paris", "la Ville de Paris" (the city)
            # the noun the capital completes, within a few words ("les responsables politiques et religieux de")
            for end in range(i - 1, max(0, i - 6), -1):
                if toks[end - 1].kind == "p":
                    break
                if any(tuple(x.key for x in toks[end - n : end]) in self.c.government_nouns for n in (1, 2, 3) if end - n >= 0):
                    return True
            return False
        if prev is not None and prev.kind != "p" and prev.key in self.c.locative:
            if prev.key in self.c.locative_government:
                return True
            before = toks[i - 2] if i > 1 else None
            # "présenté à Moscou", "dit à Washington": the capital receives something
            return before is not None and before.kind == "w" and before.key.startswith(self.c.recipient_verbs or ("\0",))
        # a list of places: "à Genève, Bruxelles et Vienne" (walk back to the head of the list)
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
            if self.given(keys[0]) or self.cued_person(cand):
                return self._mention(cand, "PER", kind="name")
            if keys[-1] in self.c.org_suffixes or fold_name(words[-1].text) in self.c.org_suffixes:
                return self._mention(cand, "ORG", kind="org")
            if all(self.common(k) for k in keys):
                return None
            return self._mention(cand, "PER", kind="name", weak=True)
        # one word
        key = keys[0] if keys else ""
        if not key or len(key) < 2:
            return None
        if _DOMAIN.search(first.text):
            return self._mention(cand, "ORG", kind="org")
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
        if prev is not None and prev.key in ("de", "d'", "of") and i > 1 and toks[i - 2].key in self.c.place_nouns:
            return self._mention(cand, "LOC", kind="name")  # "le comté de Cherokee"
        if mid:
            if self.common(key) and first.text not in self.ev.known:
                return self._mention(cand, "", kind="maybe", weak=True)  # kept only if it joins a name
            return self._mention(cand, "", kind="single", weak=True)
        # at the start of a sentence: needs evidence
        if (self.ev.mid_caps.get(key, 0) > 0 and not self.common(key)) or first.text in self.ev.known:
            return self._mention(cand, "", kind="single", weak=True)
        return self._mention(cand, "", kind="maybe", weak=True)

    def org_noun_before(self, cand: _Cand) -> bool:
        """An organisation noun right before the name ("la compagnie Easyjet", "le patron d'Easyjet" is not)."""
        toks = self.p.segments[cand.seg]
        end = cand.i
        if end > 0 and toks[end - 1].key in ("de", "du", "des", "d'", "of"):
            end -= 1  # "le parti du Likud"
        for length in (1, 2, 3):
            k = end - length
            if k >= 0 and tuple(x.key for x in toks[k:end]) in self.c.org_nouns:
                return True
        return False

    def cued_person(self, cand: _Cand) -> bool:
        toks = self.p.segments[cand.seg]
        if cand.j - cand.i == 1 and self.common(toks[cand.i].key):
            return False  # "le ministre des Affaires étrangères": a word of the role, not a name
        return self.title_before(cand) is not None or self.role_after(cand) is not None

    def title_before(self, cand: _Cand) -> tuple[int, int] | None:
        """(start, end) token range of a title before the name ("le président russe", "la porte-parole de la
        Maison Blanche,"), or None."""
        toks = self.p.segments[cand.seg]
        k = cand.i - 1
        if k >= 0 and toks[k].key in ("de", "du", "des", "d'", "of", "pour", "for", "à", "to"):
            return None  # "conseiller de Poutine": the name completes someone else's role
        if k >= 0 and toks[k].text == ",":
            k -= 1
        lo = max(0, cand.i - ROLE_LOOKBACK - 1)
        while k >= lo:
            t = toks[k]
            if t.kind == "p" and t.text in _CLAUSE_BREAK | {","}:
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
        toks = self.p.segments[cand.seg]
        k = cand.j
        if k >= len(toks) or toks[k].text != ",":
            return None
        k += 1
        if k < len(toks) and toks[k].key in ("le", "la", "l'", "un", "une", "the", "a", "an", "el", "il"):
            k += 1
        for length in range(self.c.title_max, 0, -1):
            key = tuple(x.key for x in toks[k : k + length])
            if key in self.c.titles:
                end = k + length
                while end < len(toks) and toks[end].text not in _CLAUSE_BREAK | {","}:
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


def _infinitive(key: str) -> bool:
    return key.endswith(("er", "ir", "oir")) and not key.endswith(("ier", "eur"))


def _looks_like_verb(word: str) -> bool:
    """A finite verb or participle (lower-case word as written) that ends a role ("a rencontré", "ont déclaré",
    "said"); nouns in -té (sécurité, comité) are not."""
    return len(word) > 3 and bool(re.search(r"(?:é|ée|és|ées|ait|aient|ont|said|ed)$", word)) and not word.endswith(("té", "tés", "eed"))


class _Linker:
    """Groups the mentions of one document into entities (union-find) and settles weak types."""

    def __init__(self, ctx: _Context, ms: list[Mention], meta: list[_Cand]):
        self.ctx = ctx
        self.ms = ms
        self.meta = meta
        self.parent = list(range(len(ms)))

    def find(self, a: int) -> int:
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb

    def run(self) -> list[Mention]:
        ms = self.ms
        ctx = self.ctx
        # roles and the country they imply
        for m, cand in zip(ms, self.meta):
            if m.type == "PER" or m.kind in ("single", "maybe", "name"):
                role, cc = ctx.role_text(cand)
                if role:
                    m.role = role
                    if m.type in ("", "PER"):
                        m.type = "PER"
                        m.weak = False
                    if cc and not m.country_code:
                        m.country_code = cc
        self.link_people()
        self.link_organisations()
        self.link_places()
        # settle the rest
        self._standalone = Counter(self.find(k) for k, m in enumerate(ms) if m.kind not in ("maybe", "short"))
        keep = []
        for idx, m in enumerate(ms):
            if m.kind == "maybe" and not self._joined(idx):
                continue  # a capitalised common word or an unexplained word opening a sentence
            if m.kind == "short" and not self._joined(idx):
                continue  # "le Conseil" with nothing to abbreviate
            if not m.type:
                m.type = self.default_type(idx)
            keep.append(idx)
        # document-level entity index: the root of each group, renumbered in text order
        roots: dict[int, int] = {}
        out = []
        for idx in keep:
            m = ms[idx]
            root = self.find(idx)
            m.local = roots.setdefault(root, len(roots))
            out.append(m)
        self.unify_types(out)
        return out

    def _joined(self, idx: int) -> bool:
        """True when the mention's group holds a mention that stands by itself (not a guess like it)."""
        n = self._standalone.get(self.find(idx), 0)
        return n > (1 if self.ms[idx].kind not in ("maybe", "short") else 0)

    def default_type(self, idx: int) -> str:
        m = self.ms[idx]
        cand = self.meta[idx]
        toks = self.ctx.p.segments[cand.seg]
        prev = self.ctx.prev_word(toks, cand.i)
        listed = (prev is not None and prev.key in self.ctx.c.coordinators) or (cand.i > 0 and toks[cand.i - 1].text == ",")
        if listed and idx > 0:
            before = self.ms[idx - 1]
            if before.type in ("LOC", "GPE") and self.meta[idx - 1].seg == cand.seg and self.meta[idx - 1].j == cand.i - 1:
                return "LOC"  # "Kharkiv et Zaporijia": a list of places
        if prev is not None and prev.key in self.ctx.c.locative:
            before = toks[cand.i - 2] if cand.i > 1 else None
            dative = before is not None and before.kind == "w" and before.key.startswith(self.ctx.c.recipient_verbs or ("\0",))
            if not dative:
                return "LOC"  # "dans X", "in X", "à Brienz" (but "a demandé à X")
        m.weak = True
        return "PER"

    def unify_types(self, out: list[Mention]) -> None:
        groups: dict[int, list[Mention]] = {}
        for m in out:
            groups.setdefault(m.local, []).append(m)
        for g in groups.values():
            if len(g) == 1:
                continue
            strong = Counter(m.type for m in g if not m.weak and m.type in ("PER", "ORG")) or Counter(
                m.type for m in g if not m.weak and m.type
            )
            if strong:
                t = strong.most_common(1)[0][0]
                for m in g:
                    if m.type in ("PER", "ORG", "") or m.weak:
                        m.type = t
                        if not m.known:
                            m.known = next((x.known for x in g if x.known), None)
            known = next((m.known for m in g if m.known), None)
            cc = next((m.country_code for m in g if m.country_code), None)
            for m in g:
                if known and not m.known and m.type in ("PER", "ORG"):
                    m.known = known
                if cc and not m.country_code and m.type == "PER":
                    m.country_code = cc

    # --- people -------------------------------------------------------------------------------------------

    def link_people(self) -> None:
        ms = self.ms
        person_like = [k for k, m in enumerate(ms) if m.type in ("PER", "") or m.kind in ("single", "maybe")]
        full = [k for k in person_like if ms[k].type == "PER" and len(_words(ms[k].name)) >= 2]
        by_surname: dict[str, list[int]] = {}
        by_given_surname: dict[str, list[int]] = {}
        for k in full:
            words = _words(ms[k].name)
            by_surname.setdefault(phonetic(words[-1]), []).append(k)
            by_given_surname.setdefault(phonetic(" ".join(words)), []).append(k)
        # full names: same name, or the same surname with a close first name (Jen / Jena)
        for keys in by_given_surname.values():
            for k in keys[1:]:
                self.union(keys[0], k)
        for sur, keys in by_surname.items():
            for a_i, a in enumerate(keys):
                for b in keys[a_i + 1 :]:
                    fa, fb = phonetic(_words(ms[a].name)[0]), phonetic(_words(ms[b].name)[0])
                    if fa == fb or (min(len(fa), len(fb)) >= 3 and edit_distance(fa, fb, 1) <= 1):
                        self.union(a, b)
        # a known person's surname or exonym alone ("Poutine") joins "Vladimir Poutine" by key
        singles = [k for k in person_like if len(_words(ms[k].name)) == 1]
        counts = Counter(phonetic(ms[k].name) for k in person_like)
        for k in singles:
            key = phonetic(ms[k].name)
            targets = by_surname.get(key)
            if targets:
                self.union(self._nearest(k, targets), k)
                self._as_person(k)
        # places and organisations whose name is the surname of a person of the document ("Jackson")
        for k, m in enumerate(ms):
            if m.kind in ("city", "subdivision") and len(_words(m.name)) == 1:
                targets = [t for t in by_surname.get(phonetic(m.name), []) if not ms[t].weak]
                if targets:
                    m.kind, m.known, m.country_code = "name", None, None
                    self.union(self._nearest(k, targets), k)
                    self._as_person(k)
        # singles with the same key join each other
        by_key: dict[str, list[int]] = {}
        for k in singles:
            by_key.setdefault(phonetic(ms[k].name), []).append(k)
        for keys in by_key.values():
            for k in keys[1:]:
                self.union(keys[0], k)
        # a rare variant one edit away from a frequent name ("Baiden" 4 times, "Biden" 11 times)
        names = {}
        for k in person_like:
            key = phonetic(_words(ms[k].name)[-1]) if ms[k].name else ""
            if key:
                names.setdefault(key, []).append(k)
        keys_sorted = sorted(names, key=lambda x: (-len(names[x]), x))
        for key in keys_sorted:
            if len(key) < 4:
                continue
            mine = names[key]
            if any(ms[k].known for k in mine):
                continue
            for other in keys_sorted:
                if other == key or len(names[other]) <= len(mine) or len(other) < 4:
                    continue
                if edit_distance(key, other, 1) <= 1 and not self._distinct_first_names(mine, names[other]):
                    if any(ms[k].type == "PER" or ms[k].kind == "name" for k in names[other]):
                        for k in mine:
                            self.union(names[other][0], k)
                            self._as_person(k)
                        break

    def _distinct_first_names(self, a: list[int], b: list[int]) -> bool:
        fa = {phonetic(_words(self.ms[k].name)[0]) for k in a if len(_words(self.ms[k].name)) >= 2}
        fb = {phonetic(_words(self.ms[k].name)[0]) for k in b if len(_words(self.ms[k].name)) >= 2}
        return bool(fa and fb and not (fa & fb))

    def _as_person(self, k: int) -> None:
        m = self.ms[k]
        if m.type in ("", "PER") or m.kind in ("single", "maybe", "name"):
            m.type = "PER"
            if m.kind == "maybe":
                m.kind = "single"
            m.weak = False

    def _nearest(self, k: int, targets: list[int]) -> int:
        before = [t for t in targets if t < k]
        return before[-1] if before else targets[0]

    # --- organisations ------------------------------------------------------------------------------------

    def link_organisations(self) -> None:
        ms = self.ms
        ctx = self.ctx
        orgs = [k for k, m in enumerate(ms) if m.type == "ORG"]
        # acronym defined in parentheses right after the name
        for k in orgs:
            cand = self.meta[k]
            toks = ctx.p.segments[cand.seg]
            j = cand.j
            if j + 2 < len(toks) and toks[j].text == "(" and toks[j + 2].text == ")":
                for k2 in orgs:
                    c2 = self.meta[k2]
                    if c2.seg == cand.seg and c2.i == j + 1:
                        self.union(k, k2)
        # the same organisation named twice (by canonical, by order-free key)
        by_key: dict[str, int] = {}
        for k in orgs:
            m = ms[k]
            for key in (f"known:{m.known}" if m.known else None, f"org:{org_key(m.name)}" if m.kind != "short" else None):
                if key is None:
                    continue
                if key in by_key:
                    self.union(by_key[key], k)
                else:
                    by_key[key] = k
        # an organisation word alone ("l'Alliance", "la Commission") abbreviates an organisation of the document
        for k in orgs:
            m = ms[k]
            if m.kind != "short":
                continue
            head = fold_name(m.name)
            best = None
            for k2 in orgs:
                if k2 == k or ms[k2].kind == "short":
                    continue
                words = fold_name(ms[k2].name).split()
                canon = ms[k2].known
                if (words and (words[0] == head or words[-1] == head)) or (canon and canon in ctx.rec._aliases.get(head, ())):
                    if best is None or abs(k2 - k) < abs(best - k):
                        best = k2
            if best is not None:
                self.union(best, k)
                m.known = ms[best].known

    # --- places -------------------------------------------------------------------------------------------

    def link_places(self) -> None:
        by_key: dict[str, int] = {}
        for k, m in enumerate(self.ms):
            if m.type in ("GPE", "LOC") and m.known:
                key = f"{m.known}|{m.country_code}"
                if key in by_key:
                    self.union(by_key[key], k)
                else:
                    by_key[key] = k


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"\s+", name.strip()) if w and w != "."]
