"""Sentences and tokens for attribution: a light, language-table-driven tokenizer.

Sentences never end inside a quotation (a quotation of several sentences stays in the sentence that reports
it) and always end at a line break outside one. Tokens are words (hyphenated and apostrophised words kept
whole, French elisions such as "l’" and English possessives "'s" split off, "a-t-il" split into "a" and an
inverted pronoun), punctuation that matters for phrases (, ; : ( ) — –) and one placeholder token per
quotation.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .lexicon import Lexicon

__all__ = ["Tok", "sentences", "tokenize"]

# A sentence ends at . ! ? … (after optional closing marks) followed by space and a capital letter, a digit, an
# opening mark or a dash (a lower-case letter goes on with the sentence: checked after the match).
# Group 1 is the first character after the spaces (a lower-case letter goes on with the sentence). The pattern
# opens with one character class (scanned for at C speed), then tells a line break from end punctuation.
_CUT_RE = re.compile(r"[\n.!?…](?:(?<=\n)|[.!?…]*[)\]»”\"’']*(?=\s+([«“\"„‘'(\[—–\-\d\w])))")
_ABBREV = frozenset(
    "m mm mme mmes mlle dr pr me mgr st mr mrs ms sen rep gov gen lt col sgt rev prof sr jr jan feb febr aug sept "
    "oct nov dec no nos vol fig p pp av ave bd blvd etc cf vs ca approx dept univ inc ltd corp co cie ste env art al "
    "sra srta dra sig dott on ing avv herr fr nr str tel".split()
)


class Tok(NamedTuple):
    """A token: offsets, text, kind ("w" word, "p" punctuation, "q" quotation), lookup key, capitalised,
    inverted subject pronoun ("il" of "a-t-il"), quotation index."""

    s: int
    e: int
    text: str
    kind: str
    k: str = ""
    cap: bool = False
    inv: bool = False
    q: int = -1


_new = tuple.__new__  # builds a Tok without the keyword machinery of its constructor (tokens are many)


def sentences(text: str, start: int, end: int, quotes: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """Sentences of text[start:end] as (start, end, starts_paragraph), never split inside a quotation.
    `quotes` are the [open, close) spans of the quotations, sorted."""
    out: list[tuple[int, int, bool]] = []
    qi = 0
    nq = len(quotes)
    s = start
    para = True
    for m in _CUT_RE.finditer(text, start, end):
        pos = m.end()
        nxt = m.start(1)
        is_nl = nxt < 0
        if is_nl:
            pos -= 1
        elif text[nxt].islower():
            continue  # "(D-Md.) said", "?” asked Trump": the sentence goes on
        while qi < nq and quotes[qi][1] <= pos:
            qi += 1
        if qi < nq and quotes[qi][0] < pos < quotes[qi][1]:
            continue  # inside a quotation
        if not is_nl and _abbreviation_before(text, pos):
            continue
        a, b = s, pos
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b, para))
            para = False
        if is_nl:
            para = True
        s = pos
    a, b = s, end
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b, para))
    return out


def _abbreviation_before(text: str, pos: int) -> bool:
    """Does the period that ends at `pos` close an abbreviation or an initial ("M.", "J.", "U.S.")?"""
    i = pos
    while i > 0 and text[i - 1] in ")]»”\"’'":
        i -= 1
    if i == 0 or text[i - 1] != ".":
        return False
    j = i - 1
    w = j
    while w > 0 and (text[w - 1].isalpha() or text[w - 1] == "."):
        w -= 1
    word = text[w:j]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True
    if "." in word:
        return True
    return word.lower() in _ABBREV and (word[0].isupper() or len(word) <= 3)


def tokenize(text: str, s: int, e: int, quotes: list[tuple[int, int, int]], lex: Lexicon, limit: int = 0) -> list[Tok]:
    """Tokens of text[s:e]; `quotes` are (open, close, index) of the quotations inside, sorted. Each quotation
    becomes one token of kind "q". With `limit`, only about the first `limit` tokens."""
    toks: list[Tok] = []
    pos = s
    for qs, qe, qi in quotes:
        if qe <= s or qs >= e:
            continue
        if qs > pos:
            _words(text, pos, qs, lex, toks, limit)
        if limit and len(toks) >= limit:
            return toks
        toks.append(_new(Tok, (qs, qe, text[qs:qe], "q", "", False, False, qi)))
        pos = max(pos, qe)
    if pos < e:
        _words(text, pos, e, lex, toks, limit)
    return toks


# One pass of findall: (space before, plain word, word with an apostrophe, a hyphen or a period after it,
# punctuation, anything else); offsets are running lengths.
_SCAN_RE = re.compile(r"(\s*)(?:(\w+)(?![-'’.\w])|(\w+(?:[-'’]\w+)*)|([,;:()\[\]—–―-])|(\S))")


def _words(text: str, s: int, e: int, lex: Lexicon, out: list[Tok], limit: int = 0) -> None:
    append = out.append
    pos = s
    if limit:
        e = min(e, s + 12 * limit)  # enough characters for `limit` words
        # lazily: the scan stops with the last token wanted (unmatched groups are None, as falsy as "")
        scan = (m.groups() for m in _SCAN_RE.finditer(text, s, e))
    else:
        scan = _SCAN_RE.findall(text, s, e)
    for sp, w, x, p, o in scan:
        if sp:
            pos += len(sp)
        if w:
            we = pos + len(w)
            append(_new(Tok, (pos, we, w, "w", w.lower(), w[0].isupper(), False, -1)))
            pos = we
            if limit and len(out) >= limit:
                return
        elif x:
            we = pos + len(x)
            _special(text, pos, we, x, e, lex, append)
            pos = we
            if limit and len(out) >= limit:
                return
        elif p:
            if p == "-" and not (text[pos - 1:pos].isspace() and text[pos + 1:pos + 2].isspace()):
                pos += 1
                continue
            append(_new(Tok, (pos, pos + 1, p, "p", "", False, False, -1)))
            pos += 1
        else:
            pos += len(o)


def _special(text: str, ws: int, we: int, w: str, e: int, lex: Lexicon, append) -> None:
    """A word with an apostrophe, a hyphen or a period after it: elisions, possessives, inverted pronouns,
    abbreviations."""
    k = w.lower()
    c = w[0]
    if "’" in k or "'" in k:
        k = k.replace("’", "'")
        # French/Italian elision: l’administration -> l’ + administration
        if lex.elision_prefixes:
            head, _, rest = k.partition("'")
            if head in lex.elision_prefixes and rest:
                n = len(head) + 1
                append(_new(Tok, (ws, ws + n, w[:n], "w", head + "'", False, False, -1)))
                ws, w, k = ws + n, w[n:], rest
                c = w[0]
        # English possessive: Clinton's -> Clinton + 's
        if lex.possessive_suffixes and len(k) > 2 and k.endswith("'s"):
            base = w[:-2]
            append(_new(Tok, (ws, we - 2, base, "w", k[:-2], base[:1].isupper(), False, -1)))
            # "he's claiming": a contracted "is" after a pronoun, a possessive otherwise
            append(_new(Tok, (we - 2, we, w[-2:], "w", "is" if k[:-2] in lex.pronouns else "'s", False, False, -1)))
            return
    # inverted subject pronoun: a-t-il, dit-elle
    if lex.inverted_pronouns and "-" in k:
        base, _, pron = k.rpartition("-")
        if pron in lex.inverted_pronouns and base:
            if base.endswith("-t"):
                base = base[:-2]
            blen = len(base)
            append(_new(Tok, (ws, ws + blen, w[:blen], "w", base, w[:1].isupper(), False, -1)))
            append(_new(Tok, (we - len(pron), we, w[-len(pron):], "w", pron, False, True, -1)))
            return
    # abbreviation or initial followed by a period: M. / Mr. / J.
    if we < e and text[we] == "." and (k in lex.honorifics or (len(w) == 1 and c.isupper())):
        we += 1
        w = text[ws:we]
    append(_new(Tok, (ws, we, w, "w", k, c.isupper(), False, -1)))
