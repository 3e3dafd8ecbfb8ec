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

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..textnorm import fold, normalized_view
from .gazetteer import Entry, gazetteer
from .keys import fold_name
from .mention import Mention
from .mention_rules import _Context
from .resources import Cues, cues, given_names, known_aliases
from .scanner import _Cand
from .tokens import Token, tokenize

__all__ = ["EntityRecognizer", "Evidence", "Prepared"]

# a word starting with a capital (Latin, Greek or Cyrillic)
_CAPITALISED = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩЀ-Я][\w'’-]*")


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
            if not toks or _is_menu_line(toks):
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


_MENU_SEPARATORS = frozenset("|›>•·")


def _is_menu_line(toks: list[Token]) -> bool:
    """Site navigation left in the body ("Accueil | Politique | Monde", "Accueil > Politique"): short items
    between separators, no prose to take names from."""
    seps = sum(1 for t in toks if t.kind == "p" and t.text in _MENU_SEPARATORS)
    if seps < 2:
        return False
    words = sum(1 for t in toks if t.kind == "w")
    return words <= 4 * (seps + 1) and not any(t.text in (".", "!", "?") for t in toks)


def _is_caps_line(toks: list[Token]) -> bool:
    words = upper = 0
    first_upper = False
    most_lower = 0.3 * len(toks)  # more words not in capitals than this: no line in capitals (a paragraph)
    for t in toks:
        if t.kind == "w" and t.text[0].isalpha():
            words += 1
            if t.upper or (len(t.text) == 1 and t.cap):
                upper += 1
                if words == 1:
                    first_upper = True
            elif words - upper > most_lower:
                return False
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

