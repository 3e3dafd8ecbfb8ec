"""Indirect speech: "a assuré que …", "said that …", "selon X, …" (a second kind of attribution)."""

from __future__ import annotations

from .lexicon import Lexicon
from .marks import QuoteSpan
from .mentions import Attribution, Cue
from .text import Tok


class IndirectSpeech:
    """Reported statements: the clause after a verb and its complementizer ("a déclaré que …", "said that …") and
    the clause a source marker governs ("selon X, …", "…, according to X"). A mixin of the attribution analyzer;
    it appends to `self.out`."""

    t: str
    lex: Lexicon
    quotes: list[QuoteSpan]
    out: list

    def _indirect(self, toks: list[Tok], cues: list[Cue], s: int, e: int) -> None:
        lex = self.lex
        n = len(toks)
        for ci, c in enumerate(cues):
            if c.kind not in ("verb", "participle") or c.speaker is None:
                continue
            # the complementizer within a few words after the verb
            k = c.j
            found = -1
            while k < n and k - c.j <= 8:
                u = toks[k]
                if u.kind == "q" or u.text in (";", ":"):
                    break
                if u.kind == "w" and u.k in lex.complementizers:
                    found = k
                    break
                if u.kind == "w" and u.k in lex.verb_forms and k > c.j:
                    break
                k += 1
            if found < 0 or found + 1 >= n:
                continue
            end = n
            # stop before the next cue that hangs on a comma (", a déclaré X", ", adding")
            for d in cues[ci + 1:]:
                if d.kind in ("verb", "participle", "source") and d.i > found:
                    g = d.gs if d.gs >= 0 else d.i
                    if g - 1 > found and toks[g - 1].text == ",":
                        end = g - 1
                        break
            for y in range(found + 1, end):
                if toks[y].text == ";":
                    end = y
                    break
            words = sum(1 for y in range(found + 1, end) if toks[y].kind == "w")
            if words < 3:
                continue
            span = self._reported(toks[found + 1].s, toks[end - 1].e)
            if span is None:
                continue
            a, b = span
            ga, gb = c.span()
            mspan = (c.mention.s, c.mention.e) if c.mention is not None and c.mention.s >= 0 else None
            self.out.append(Attribution(a, b, "indirect", c.speaker, self.t[ga:gb], (ga, gb), mspan))
        # "selon X, …" / "…, according to X."
        verbs = [c for c in cues if c.kind in ("verb", "participle")]
        for c in cues:
            if c.kind != "source" or c.speaker is None or verbs:
                continue
            if c.i == 0:
                # Selon X, content
                k = c.j
                while k < n and toks[k].text != ",":
                    k += 1
                a_i, b_i = k + 1, n
            else:
                a_i, b_i = 0, c.i
                if b_i > 0 and toks[b_i - 1].text == ",":
                    b_i -= 1
            words = sum(1 for y in range(a_i, b_i) if toks[y].kind == "w")
            if words < 3 or a_i >= b_i:
                continue
            span = self._reported(toks[a_i].s, toks[b_i - 1].e)
            if span is None:
                continue
            a, b = span
            mspan = (c.mention.s, c.mention.e) if c.mention is not None and c.mention.s >= 0 else None
            self.out.append(Attribution(a, b, "indirect", c.speaker, self.t[toks[c.i].s:toks[c.j - 1].e],
                                        (toks[c.i].s, toks[c.j - 1].e), mspan))

    def _reported(self, a: int, b: int) -> tuple[int, int] | None:
        """The reported content a..b without its final punctuation, or None when a direct quotation already
        covers (nearly) all of it."""
        while b > a and self.t[b - 1] in ".,;: ":
            b -= 1
        covered = sum(max(0, min(b, q.close_end) - max(a, q.open_start)) for q in self.quotes
                      if q.open_start < b and q.close_end > a)
        return None if covered >= 0.8 * (b - a) else (a, b)
