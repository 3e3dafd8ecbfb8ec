"""Event trigger lexicons: `storyline/lang/events/<code>.json`, one per language, compiled once per process.

A table lists, per event type, trigger `nouns` and `verbs`. An entry is matched in lower case with
apostrophes unified: "*" ends a stem (any word ending: "menac*" is menace, menacé, menaçait's sibling
menacera...), "~" is a gap of up to three words ("retourn* ~ bases"), a space is any white space. An object
entry `{"t": "retir*", "with": ["troupes", ...]}` only counts when one of the `with` words (stems allowed)
is in its sentence. Type IGNORE holds phrases that contain a trigger but are no event ("à la demande de").

Besides triggers, a table holds the small word lists the extractor reads clauses with: complementizers that
open reported content ("que", "that"), attribution cues ("selon", "said"), negation, hypothetical cues (words,
and endings of the conditional mood with the nouns that merely look like one), future cues, subject pronouns,
determiners (a verb stem after one is a noun: "la demande"), prepositions that join participants, mark a
genitive or introduce a place, possessive endings, the abbreviations that do not end a sentence, and the
`dyad` rule (see `storyline.events.extract`). Ordinals ("deuxième", "second") come from the temporal table of
the language (`lang/time/<code>.json`).

Matching is one regular expression per language: the literal beginnings of all entries as a trie (so a
position fails on its first character), then each candidate entry's own pattern at that position; the
longest match wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .. import lang
from ..temporal.tables import time_table
from ..textnorm import trie_pattern

__all__ = ["EVENT_TYPES", "Entry", "Lexicon", "available", "lexicon_for", "lower_view", "sentence_end_regex"]

# The PLOVER-based type set, plus STATEMENT (public statements), which PLOVER lacks. IGNORE is not a type.
EVENT_TYPES = (
    "CONSULT", "MEET", "DEMAND", "REQUEST", "THREATEN", "SANCTION", "ACCUSE", "REJECT", "AGREE", "MOBILIZE",
    "RETREAT", "STATEMENT",
)

# One character in, one character out (offsets stay valid): apostrophes unified, white space made a space.
_FOLD_PAIRS = (
    ("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("´", "'"), ("\t", " "), ("\u2010", "-"), ("\u2011", "-"),
    ("\u00a0", " "), ("\u202f", " "), ("\u2009", " "), ("\u2007", " "),
)


def lower_view(text: str) -> str:
    """`text` in lower case, apostrophes and hyphens unified, tabs and no-break spaces made spaces, with the
    same length (a
    character whose lower case is longer, like "İ", stays as it is)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if low.isascii():
        return low.replace("`", "'").replace("\t", " ") if ("`" in low or "\t" in low) else low
    for a, b in _FOLD_PAIRS:
        if a in low:
            low = low.replace(a, b)
    return low


@dataclass(frozen=True, slots=True)
class Entry:
    type: str
    kind: str  # "noun" or "verb"
    text: str
    rx: re.Pattern
    needs: re.Pattern | None  # a word the sentence must hold ("with")


def _entry_regex(text: str) -> str:
    tokens = text.split()
    out = []
    gap = False
    for i, tok in enumerate(tokens):
        if tok == "~":
            gap = True
            continue
        piece = re.escape(tok[:-1]) + r"\w*" if tok.endswith("*") else re.escape(tok)
        if i:
            out.append(r"(?:\s+[^\s.;:!?«»\"]+){0,3}?\s+" if gap else r"\s+")
        out.append(piece)
        gap = False
    end = "" if tokens[-1].endswith("*") else r"(?!\w)"
    return "".join(out) + end


def _key(text: str) -> str:
    """The literal beginning of an entry: up to its first stem mark or gap."""
    cut = len(text)
    for mark in ("*", " ~"):
        i = text.find(mark)
        if i >= 0:
            cut = min(cut, i)
    return text[:cut].rstrip()


def _words_regex(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    alts = sorted({(re.escape(w[:-1]) + r"\w*") if w.endswith("*") else re.escape(w) + r"(?!\w)" for w in words},
                  key=lambda a: (-len(a), a))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + ")")


class Lexicon:
    """The compiled trigger table and word lists of one language."""

    def __init__(self, table: dict[str, Any]):
        self.code: str = table["code"]
        entries: list[Entry] = []
        for etype, parts in table["triggers"].items():
            if etype not in EVENT_TYPES and etype != "IGNORE":
                raise ValueError(f"E301 unknown event type {etype!r} in lang/events/{self.code}.json; "
                                 f"one of {', '.join(EVENT_TYPES)} or IGNORE")
            for kind in ("nouns", "verbs"):
                for item in parts.get(kind, ()):
                    text, needs = (item["t"], item.get("with")) if isinstance(item, dict) else (item, None)
                    text = lower_view(" ".join(text.split()))
                    entries.append(Entry(etype, kind[:-1], text, re.compile(_entry_regex(text)),
                                         _words_regex([lower_view(w) for w in needs]) if needs else None))
        by_key: dict[str, list[Entry]] = {}
        for e in entries:
            by_key.setdefault(_key(e.text), []).append(e)
        # at a key, the entries of that key and of every shorter key it starts with, longest entry first
        self.candidates: dict[str, list[Entry]] = {}
        for k in by_key:
            found = [e for k2, es in by_key.items() if k.startswith(k2) for e in es]
            self.candidates[k] = sorted(found, key=lambda e: (-len(e.text), e.text))
        self.trigger_rx = re.compile(r"(?<!\w)" + trie_pattern(by_key, bounded=lambda w: False))

        def words(name: str) -> frozenset[str]:
            return frozenset(lower_view(w) for w in table.get(name, ()))

        self.complementizers = words("complementizers")
        self.negation = words("negation")
        self.hypothetical = words("hypothetical")
        self.hypothetical_suffixes = tuple(table.get("hypothetical_suffixes", ()))
        self.hypothetical_exceptions = words("hypothetical_exceptions")  # "retrait" is no conditional
        self.future = words("future")
        self.pronouns = words("pronouns")
        self.abbreviations = words("abbreviations")
        self.sentence_end = sentence_end_regex(self.abbreviations)
        self.participants = words("participants")
        self.determiners = words("determiners")
        self.attribution_rx = _words_regex([lower_view(w) for w in table.get("attribution", ())])
        gen = sorted((lower_view(w) for w in table.get("genitive", ())), key=len, reverse=True)
        self.genitive_rx = (re.compile(r"(?:^|[\s'])(?:" + "|".join(re.escape(g) for g in gen) + r")\s*$")
                            if gen else None)
        self.possessive = tuple(lower_view(w) for w in table.get("possessive", ()))
        place = sorted((lower_view(w) for w in table.get("place", ())), key=len, reverse=True)
        self.place_rx = (re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(p) for p in place)
                                    + r")\s*(?:l'|la |le |les |the )?$") if place else None)
        dyad = table.get("dyad") or {}
        self.dyad_type: str | None = dyad.get("type")
        self.dyad_rx = None
        if self.dyad_type:
            preps = "|".join(re.escape(lower_view(p)) for p in sorted(dyad["prepositions"], key=len, reverse=True))
            # A, at most `max_words` words (the verb), a preposition, at most four lower-case words (a title), B
            self.dyad_rx = re.compile(
                rf"^\s+(?:[^\W\d]+\s+){{1,{int(dyad.get('max_words', 2))}}}(?:{preps})\s+(?:[^\W\d_][\w'-]*\s+){{0,4}}$"
            )
        tt = time_table(self.code) or {}
        self.ordinals = {lower_view(k): v for k, v in (tt.get("ordinals") or {}).items()
                         if isinstance(v, int) and v >= 2}
        self.ordinals.update({lower_view(k): v for k, v in (table.get("ordinals") or {}).items()})

    def match_at(self, low: str, start: int, key: str, sentence: tuple[int, int]) -> tuple[Entry, int] | None:
        """The longest entry matching at `start` (where the trie found `key`), and where it ends."""
        best: tuple[Entry, int] | None = None
        for e in self.candidates.get(key, ()):
            m = e.rx.match(low, start)
            if not m or (best and m.end() <= best[1]):
                continue
            if e.needs is not None and not e.needs.search(low, sentence[0], sentence[1]):
                continue
            best = (e, m.end())
        return best


def sentence_end_regex(abbreviations: Iterable[str]) -> re.Pattern:
    """Where a sentence ends: a stop (and closing quotes) before white space and a word that is not in
    lower case, or a line break; a period after an abbreviation ("M.", "U.S.") or an initial ("J.") ends none."""
    behind = "".join(f"(?<!\\b{re.escape(a)}\\.)" for a in sorted(abbreviations, key=lambda a: (len(a), a)) if a)
    stop = rf"(?:\.(?i:{behind})(?<!\b[^\W\d_]\.)\.*|[!?…]+)[.!?…]*[»”\"')\]]*\s+(?=\S)(?![a-zà-öø-ÿ])"
    return re.compile(rf"{stop}|\n\s*")


def _dir():
    return resources.files(lang.__name__).joinpath("events")


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    """Languages with an event lexicon, sorted."""
    return tuple(sorted(p.name[:-5] for p in _dir().iterdir() if p.name.endswith(".json")))


@lru_cache(maxsize=None)
def lexicon_for(code: str | None) -> Lexicon | None:
    """The compiled lexicon of a language (built once per process), or None when there is none."""
    code = (code or "").lower()
    if code not in available():
        return None
    with _dir().joinpath(f"{code}.json").open(encoding="utf-8") as f:
        return Lexicon(json.load(f))
