"""Tokens for entity recognition: words (hyphenated compounds kept whole), French/Italian elisions split off
("l'OTAN" is "l'" + "OTAN"), and single punctuation marks, each with its offsets and shape."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..textnorm import fold

__all__ = ["Token", "tokenize", "token_keys"]

# (the white space before, a word or a punctuation mark): every character outside white space is in a token,
# so the offsets follow from the lengths alone (no match objects to build)
_TOKEN_RE = re.compile(
    r"(\s*)(?:(\w+(?:[-‐‑'’]\w+)*(?:\.(?:com|org|net|fr|info|io|co|uk|de|es|it|ru|tv|be|ch|ca|eu|gov|edu)\b)?)|(\S))"
)
# French and Italian elisions split off a word ("l'OTAN", "d'État", "qu'il", "dell'Europa")
_ELISION = re.compile(r"(?:[LlDdJjMmNnSsTtCc]|[Qq]u|[Jj]usqu|[Ll]orsqu|[Pp]uisqu|[Qq]uoiqu|[Pp]resqu|[Dd]ell|[Aa]ll|[Nn]ell|[Ss]ull|[Dd]all)['’]")
_POSSESSIVE = re.compile(r"['’]s$")


_SENT_END = frozenset(".!?…")
_OPENERS = frozenset("«“\"‘„([•–—-:;|")


class Token(NamedTuple):
    """One token: `text` (as in the normalised text), `start`/`end` offsets, `kind` ("w" word, "el" elision,
    "p" punctuation), `key` (folded), shape (`cap`: capitalised, `upper`: two capitals or more and no lower
    case), `sent_start` (first word of a sentence) and `nl` (a line break before it)."""

    text: str
    start: int
    end: int
    kind: str
    key: str
    cap: bool
    upper: bool
    sent_start: bool
    nl: bool


_WORD_INFO: dict[str, tuple[str, bool, bool, bool]] = {}  # word -> (key, capitalised, all capitals, abbreviation)
_new = tuple.__new__


def _word_info(word: str) -> tuple[str, bool, bool, bool]:
    if len(_WORD_INFO) > 500_000:
        _WORD_INFO.clear()
    key = word.lower() if word.isascii() else fold(word)
    cap = word[0].isupper()
    upper = cap and len(word) >= 2 and word.isupper() and sum(1 for c in word if c.isalpha()) >= 2
    abbreviation = cap and (len(word) <= 2 or word in _ABBREVIATIONS)  # "." after it ends no sentence
    info = _WORD_INFO[word] = (key, cap, upper, abbreviation)
    return info


def _token(word: str, start: int, end: int, kind: str, nl: bool, sent_start: bool) -> Token:
    if kind == "p":
        return _new(Token, (word, start, end, kind, word, False, False, sent_start, nl))
    info = _WORD_INFO.get(word) or _word_info(word)
    return _new(Token, (word, start, end, kind, info[0], info[1], info[2], sent_start, nl))


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[start:end]` (offsets into `text`), with sentence starts marked.

    A sentence starts at the beginning, at a line break, after . ! ? … (not after an abbreviation or an
    initial such as "M." or "J."), and after an opening quote, a colon, a bullet or a dash (what follows is
    written as a new sentence)."""
    end = len(text) if end is None else end
    out: list[Token] = []
    append = out.append
    info_get = _WORD_INFO.get
    expect = True
    prev_abbrev = False  # the previous token is a word after which "." is no sentence end
    pos = start
    for space, word, punct in _TOKEN_RE.findall(text, start, end):
        s = pos + len(space)
        nl = "\n" in space and len(out) > 0
        if nl:
            expect = True
        if punct:
            pos = s + 1
            append(_new(Token, (punct, s, pos, "p", punct, False, False, False, nl)))
            if punct in _SENT_END:
                # "M." "J." "Dr." "Mme." are abbreviations; "U.S." an acronym: no sentence end after them
                if not prev_abbrev:
                    expect = True
            elif punct in _OPENERS:
                expect = True
            prev_abbrev = False
            continue
        e = pos = s + len(word)
        if "'" in word or "’" in word:
            el = _ELISION.match(word)
            if el is not None and el.end() < len(word):
                append(_token(word[: el.end()], s, s + el.end(), "el", nl, expect))
                expect = nl = False
                s += el.end()
                word = word[el.end() :]
            if len(word) > 2 and _POSSESSIVE.search(word):
                append(_token(word[:-2], s, e - 2, "w", nl, expect))
                append(_token(word[-2], e - 2, e - 1, "p", False, False))
                append(_token(word[-1], e - 1, e, "w", False, False))
                expect = prev_abbrev = False
                continue
        info = info_get(word)
        if info is None:
            info = _word_info(word)
        append(_new(Token, (word, s, e, "w", info[0], info[1], info[2], expect, nl)))
        prev_abbrev = info[3]
        expect = False
    return out


_ABBREVIATIONS = frozenset({"Mme", "Mlle", "Dr", "Pr", "Mgr", "Mr", "Mrs", "Ms", "St", "Sr", "Jr", "Sen", "Rep", "Gov", "Gen", "Prof"})


@lru_cache(maxsize=200000)
def token_keys(name: str) -> tuple[str, ...]:
    """The folded word keys of a name, as the tokenizer cuts it (to index gazetteer names)."""
    return tuple(t.key for t in tokenize(name))
