"""The records of attribution: a speaker mention in a sentence (`Mention`), a reporting cue (`Cue`) and the
speaker a mention resolves to (`Speaker`), and the result (`Attribution`);
with the limits shared by the attribution modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from .marks import QuoteSpan
from .text import Tok

__all__ = ["Attribution", "Speaker", "Mention", "Cue", "MAX_NP", "DASHES", "PERSON_TYPES"]

MAX_NP = 14  # tokens in a speaker noun phrase
DASHES = frozenset({"—", "–", "―", "-"})
PERSON_TYPES = frozenset({"PER", "PERSON"})


@dataclass(slots=True)
class Speaker:
    name: str
    kind: str  # "name" or "description"
    person: bool | None = None
    gender: str = ""
    entity_id: str | None = None
    start: int = -1  # the mention that names the speaker (for descriptions and names resolved elsewhere)
    end: int = -1
    weak: bool = False  # a lone capitalised word that may be a common noun ("Millennials", "People")


@dataclass(slots=True)
class Mention:
    kind: str  # "name", "desc", "pron", "zero"
    s: int = -1
    e: int = -1
    toks: list[Tok] = field(default_factory=list)  # the noun phrase
    name_toks: list[Tok] = field(default_factory=list)  # the name inside it, if any
    gender: str = ""
    definite: bool = False
    appos: list[Tok] | None = None  # a role description in apposition to a name


@dataclass(slots=True)
class Cue:
    i: int  # first token index of the cue word(s)
    j: int  # one past the last
    kind: str  # "verb", "participle", "source", "colon"
    gs: int = -1  # first token index of the verb group (auxiliaries, clitics, adverbs)
    mention: Mention | None = None
    speaker: Speaker | None = None
    toks: list[Tok] | None = None  # the sentence's tokens
    relative: bool = False  # the verb of a relative clause ("a woman who suggested")

    def span(self) -> tuple[int, int]:
        toks = self.toks
        return (toks[self.gs].s if self.gs >= 0 else toks[self.i].s), toks[self.j - 1].e


@dataclass(slots=True)
class Attribution:
    """A quotation or a reported statement with its speaker, offsets into the analysed (normalised) text."""

    start: int
    end: int
    kind: str  # "direct" or "indirect"
    speaker: Speaker | None
    cue: str | None
    cue_span: tuple[int, int] | None
    mention_span: tuple[int, int] | None
    quote: QuoteSpan | None = None
