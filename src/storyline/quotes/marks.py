"""Direct quotations: pairing quotation marks in real text.

Every style is recognised: « » and ‹ › (French, Russian), “ ” (English), „ “ and ‚ ‘ (German), » « (reversed),
" " and '' '' (typewriter), ‘ ’ and ' ' (single). Real text mixes them, so a quotation may open with one style
and close with another («…" and "…» occur in news copy): what pairs marks is their role, not their shape.

A mark's role comes from the mark and from what touches it. « „ ‚ ‟ ‹ open; » › close (» opens a reversed
quotation when it stands before a word outside any quotation); “ ” " '' open when they lean on the word after
them (space before, a letter after) and close when they lean on the word before; a mark that leans on both
sides or neither opens outside a quotation and closes inside one. Single marks (‘ ’ ') are apostrophes unless
they lean on a word on one side only, and they count only outside double quotations (inside one they are a
quotation within the quotation).

Quotations may run over several sentences and paragraphs. A paragraph that ends inside a quotation goes on
into the next one when that paragraph reopens the quotation (“… ¶ “… ”, the English convention) or closes it
before opening anything (the French convention). A quotation still open at the end is kept when it opened at
the start of its paragraph (a whole-paragraph quotation whose closing mark was lost) and dropped otherwise (a
stray mark); the paragraph is then paired again without that mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["QuoteSpan", "find_quotes", "QUOTE_CHARS"]

QUOTE_CHARS = "«»‹›“”„‟\"‘’‚‛'`"
# Every mark, '' and `` as one mark (a lone ` is none); one opening character class keeps the scan fast.
_MARK_RE = re.compile(r"[«»‹›“”„‟\"‘’‚'`](?:(?<=')'|(?<=`)`|(?<=[^`]))")
_LINE_RE = re.compile(r"[^\n]+")
_OPEN_PUNCT = set("([{—–-/\u2010\u2011\u2012") | set(QUOTE_CHARS)
_CLOSE_PUNCT = set(".,;:!?)]}…—–-/\u2010\u2011\u2012") | set(QUOTE_CHARS)

DOUBLE, SINGLE = 2, 1
OPEN, CLOSE, EITHER, NONE = "open", "close", "either", "none"
MAX_CARRY_PARAGRAPHS = 12


@dataclass(slots=True)
class QuoteSpan:
    """One quotation: the marks' offsets and the content between them (offsets into the searched text)."""

    open_start: int
    content_start: int
    content_end: int
    close_end: int
    opener: str
    closer: str  # "" when the quotation was never closed
    continuations: list[tuple[int, int]] = field(default_factory=list)  # reopening marks inside the quotation

    @property
    def span(self) -> tuple[int, int]:
        return self.content_start, self.content_end


@dataclass(slots=True)
class _Open:
    pos: int
    end: int
    char: str
    level: int
    para_start: bool  # the mark opens its paragraph


def _is_space(c: str) -> bool:
    return c.isspace()


def _role(text: str, i: int, j: int, mark: str, stack: list[_Open]) -> tuple[int, str]:
    """(level, role) of the mark text[i:j] given the open quotations."""
    p = text[i - 1] if i > 0 else "\n"
    n = text[j] if j < len(text) else "\n"
    left = not n.isspace() and (p.isspace() or p in _OPEN_PUNCT)  # leans on the next word: can open
    right = not p.isspace() and (n.isspace() or n in _CLOSE_PUNCT)  # leans on the previous word: can close
    in_double = any(o.level == DOUBLE for o in stack)
    top = stack[-1].char if stack else ""
    if mark == "«":
        if top == "»":  # reversed style: »…«
            return DOUBLE, CLOSE
        return DOUBLE, OPEN
    if mark == "»":
        if not in_double and left and not right:
            return DOUBLE, OPEN
        return DOUBLE, CLOSE
    if mark in ("„", "‟", "``"):
        return DOUBLE, OPEN
    if mark == "“":
        if top == "„":
            return DOUBLE, CLOSE
        if left and not right:
            return DOUBLE, OPEN
        if right and not left:
            return DOUBLE, CLOSE if in_double else NONE
        return DOUBLE, EITHER
    if mark == "”":
        if right and not left:
            return DOUBLE, CLOSE
        if left and not right:
            return DOUBLE, CLOSE if in_double else OPEN
        return DOUBLE, EITHER
    if mark in ('"', "''"):
        if left and not right:
            return DOUBLE, OPEN
        if right and not left:
            return DOUBLE, CLOSE
        return DOUBLE, EITHER
    # single marks
    if mark == "‹":
        return SINGLE, OPEN
    if mark == "›":
        return SINGLE, CLOSE
    if mark == "‚":
        return (SINGLE, OPEN) if left and n.isalpha() else (SINGLE, NONE)
    if mark == "‘":
        if top == "‚":
            return SINGLE, CLOSE
        if left and not n.isdigit():
            return SINGLE, OPEN
        return SINGLE, NONE
    if mark == "’":
        if right and not n.isalnum():
            return SINGLE, CLOSE
        return SINGLE, NONE
    if mark == "'":
        if (p.isspace() or p in "([{—–") and n.isalpha():
            return SINGLE, OPEN
        if right and not n.isalnum() and top == "'":
            return SINGLE, CLOSE
        return SINGLE, NONE
    return SINGLE, NONE


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of the non-blank lines of text[start:end], trimmed."""
    out = []
    for m in _LINE_RE.finditer(text, start, end):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


class _Pairer:
    def __init__(self, text: str):
        self.text = text
        self.out: list[QuoteSpan] = []

    def run(self, paragraphs: list[tuple[int, int]]) -> list[QuoteSpan]:
        carry: _Open | None = None  # a quotation open at the end of the previous paragraph
        conts: list[tuple[int, int]] = []  # its reopening marks
        reopen: tuple[int, int] | None = None
        carried = 0
        for i, (ps, pe) in enumerate(paragraphs):
            begin = ps
            if reopen is not None:
                conts.append(reopen)
                begin = reopen[1]
            skip: set[int] = set()
            while True:
                mark = len(self.out)
                left = self._pair(ps, pe, begin, [carry] if carry else [], conts if carry else [], skip)
                if left is None:
                    carry, conts, reopen, carried = None, [], None, 0
                    break
                if left is not carry:
                    conts, carried = [], 0
                how = self._continues(left, paragraphs[i + 1]) if i + 1 < len(paragraphs) else None
                if how is not None and carried < MAX_CARRY_PARAGRAPHS:
                    carry, reopen = left, how[1]
                    carried += 1
                    break
                if left.para_start or left is carry:
                    self._emit(left, pe, pe, "", conts)
                    carry, conts, reopen, carried = None, [], None, 0
                    break
                # A quotation opened mid-paragraph and neither closed nor continued: a stray mark.
                del self.out[mark:]
                skip.add(left.pos)
                if len(skip) > 3:
                    carry, conts, reopen, carried = None, [], None, 0
                    break
        return self.out

    def _continues(self, o: _Open, para: tuple[int, int]) -> tuple[str, tuple[int, int] | None] | None:
        """How quotation `o` goes on into the next paragraph: ("reopen", mark span), ("close", None) or None."""
        ns, ne = para
        m = _MARK_RE.search(self.text, ns, ne)
        if m is None:
            return None
        level, role = _role(self.text, m.start(), m.end(), m.group(), [o])
        if level != o.level:
            return None
        if m.start() == ns and role in (OPEN, EITHER):
            return "reopen", (m.start(), m.end())
        if role in (CLOSE, EITHER):
            return "close", None
        return None

    def _emit(self, o: _Open, cend: int, close_end: int, closer: str, conts: list[tuple[int, int]]) -> None:
        text = self.text
        cs = o.end
        while cs < cend and text[cs].isspace():
            cs += 1
        ce = cend
        while ce > cs and text[ce - 1].isspace():
            ce -= 1
        if ce > cs and text[ce - 1] == "," and closer:
            ce -= 1  # the comma English puts inside the closing mark belongs to the sentence, not the quote
            while ce > cs and text[ce - 1].isspace():
                ce -= 1
        if ce <= cs or not any(c.isalnum() for c in text[cs:ce]):
            return
        self.out.append(QuoteSpan(o.pos, cs, ce, close_end, o.char, closer, [c for c in conts if cs < c[0] < ce]))

    def _pair(self, ps: int, pe: int, begin: int, stack: list[_Open], conts: list[tuple[int, int]],
              skip: set[int]) -> _Open | None:
        """Pair the marks of one paragraph; returns the outermost quotation still open at its end, if any."""
        text = self.text
        carried = stack[0] if stack else None
        n = len(text)
        for m in _MARK_RE.finditer(text, begin, pe):
            i, j, mark = m.start(), m.end(), m.group()
            if i in skip:
                continue
            if mark in "'’" and 0 < i and j < n and text[i - 1].isalnum() and text[j].isalnum():
                continue  # an apostrophe inside a word ("don't"): most marks of a text, never a quotation's
            level, role = _role(text, i, j, mark, stack)
            if role == NONE:
                continue
            if level == SINGLE and any(o.level == DOUBLE for o in stack):
                continue  # a quotation inside a quotation
            if role == EITHER:
                role = CLOSE if any(o.level == level for o in stack) else OPEN
            if role == OPEN:
                stack.append(_Open(i, j, mark, level, not text[ps:i].strip()))
                continue
            # CLOSE: the innermost open quotation of this level (mismatched shapes pair too)
            k = len(stack) - 1
            while k >= 0 and stack[k].level != level:
                k -= 1
            if k < 0:
                continue  # a stray closing mark
            o = stack[k]
            del stack[k:]
            if not stack:
                self._emit(o, i, j, mark, conts if o is carried else [])
        return stack[0] if stack else None


def find_quotes(text: str, ranges: list[tuple[int, int]] | None = None) -> list[QuoteSpan]:
    """The direct quotations of `text` inside the given ranges (the whole text when None). Consecutive ranges
    separated only by white space form one block, so a quotation may run over paragraphs."""
    if ranges is None:
        ranges = [(0, len(text))]
    blocks: list[list[tuple[int, int]]] = []
    last_end = None
    for s, e in sorted(ranges):
        paras = _paragraphs(text, s, e)
        if not paras:
            continue
        if blocks and last_end is not None and not text[last_end:s].strip():
            blocks[-1].extend(paras)
        else:
            blocks.append(paras)
        last_end = e
    out: list[QuoteSpan] = []
    for paras in blocks:
        out.extend(_Pairer(text).run(paras))
    out.sort(key=lambda q: q.open_start)
    return out
