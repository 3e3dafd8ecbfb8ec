"""The speaker mention of a cue: "Ouchakov a répondu", "», a déclaré le porte-parole, Ned Price", "a-t-il noté",
"Emilia Horna, porte-parole du Conseil, a déclaré", "…, ajoutant que" (the subject of the sentence)."""

from __future__ import annotations

from .lexicon import Lexicon
from .mentions import DASHES as _DASHES, MAX_NP, Cue, Mention
from .text import Tok


class Subjects:
    """Who speaks for a cue: the subject before the verb, the inverted subject after it, an apposition, the
    subject of the sentence for participles and coordinated verbs. A mixin of the attribution analyzer, over
    `NounPhrases` and `CueFinder`."""

    lex: Lexicon

    def _verb_subject(self, toks: list[Tok], c: Cue, cues: list[Cue], lo: int, hi: int) -> Mention | None:
        """The speaker mention of a verb cue."""
        lex = self.lex
        # inverted pronoun inside the group or right after the verb: a-t-il noté, dit-il
        for x in range(c.gs, min(c.j + 1, hi)):
            if toks[x].inv:
                t = toks[x]
                g = lex.pronouns.get(t.k, "")
                if g == "1" and x + 1 < hi and toks[x + 1].k in lex.impersonal_source:
                    # "explique-t-on à l'Élysée", "indique-t-on dans l'entourage du président"
                    m, _ = self._np_forward(toks, x + 2, hi, strict_end=False)
                    if m is not None:
                        return m
                return Mention("pron", t.s, t.e, [t], gender=g)
        b = c.gs - 1
        if c.kind == "participle":
            p = c.i - 1
            while p >= lo and toks[p].kind == "w" and lex.is_adverb(toks[p].k) and toks[p].k not in lex.adjunct_markers:
                p -= 1
            prev = toks[p] if p >= lo else None
            if prev is None or prev.kind != "w" or prev.k in lex.adjunct_markers or prev.k in lex.coordinators:
                return self._clause_speaker(toks, c, cues, lo)
        if b >= lo:
            pt = toks[b]
            if pt.text == ")":
                m = self._subject_before(toks, b, lo)
                if m is not None:
                    return m
            if pt.kind == "w":
                if pt.k in lex.coordinators:
                    return self._clause_speaker(toks, c, cues, lo)
                if pt.k not in lex.boundary or pt.k in lex.pronouns or (pt.cap and pt.k not in lex.function_words):
                    m = self._subject_before(toks, b, lo)
                    if m is not None:
                        return m
                if pt.k in lex.relative_pronouns and pt.k not in lex.complementizers:
                    # "X, qui a déclaré" / "X, who said": the antecedent
                    c.relative = True
                    r = b - 1
                    if r >= lo and toks[r].text == ",":
                        r -= 1
                    if r >= lo and toks[r].kind == "w":
                        return self._np_backward(toks, r, lo)
                    return None
                return self._clause_speaker(toks, c, cues, lo, weak=True)
        # nothing before the verb: inverted subject ("», a déclaré X", "," said X"), an incise (", dit le
        # porte-parole,"), else an apposition to the left ("X, porte-parole de Y, a déclaré")
        after_quote = b < lo or toks[b].kind == "q" or toks[b].text in _DASHES or toks[b].text == ":" or (
            toks[b].text == "," and b - 1 >= lo and (toks[b - 1].kind == "q" or toks[b - 1].text in _DASHES))
        m, nxt = self._np_forward(toks, c.j, hi)
        if m is None and after_quote:
            m, nxt = self._np_forward(toks, c.j, hi, strict_end=False)
        if m is not None:
            if after_quote:
                return m
            if toks[b].text == "," and nxt < hi and toks[nxt].text == "," and self._speakerlike(m):
                return m  # an incise: ", dit le porte-parole,"
        if b >= lo and toks[b].text == ",":
            m2 = self._apposition_left(toks, b, lo)
            if m2 is not None:
                return m2
            if m is not None and nxt >= hi and self._speakerlike(m):
                return m  # nobody before the comma: the subject closes the sentence (", explicó la diputada Ana Gil.")
        return Mention("zero")

    def _speakerlike(self, m: Mention) -> bool:
        """A name, a pronoun, or a description headed by a person title, a group or a document."""
        if m.kind in ("name", "pron"):
            return True
        lex = self.lex
        h = self._head(m.toks)
        return h in lex.titles or h in lex.group_nouns or h in lex.document_nouns or h in lex.title_phrases

    def _clause_speaker(self, toks: list[Tok], c: Cue, cues: list[Cue], lo: int, weak: bool = False) -> Mention | None:
        """For a participle or a coordinated verb: the sentence subject, or the speaker of the cue before it."""
        m = self._sentence_subject(toks, lo, c.gs if c.gs >= 0 else c.i)
        if m is not None:
            return m
        for d in reversed(cues):
            if d is c or d.i >= c.i:
                continue
            if d.kind in ("verb",) and d.mention is not None and d.mention.kind != "zero":
                return d.mention
        return None if weak else Mention("zero")

    def _sentence_subject(self, toks: list[Tok], lo: int, hi: int) -> Mention | None:
        """The name opening the sentence, else the noun phrase before its first auxiliary or reporting verb."""
        lex = self.lex
        m = self._initial_subject(toks, lo, hi)
        if m is not None:
            return m
        for x in range(lo, hi):
            t = toks[x]
            if t.kind != "w" or t.cap:
                continue
            if t.k in lex.auxiliaries and t.k not in lex.clitics and not lex.is_adverb(t.k) or t.k in lex.verb_forms:
                gs = self._group_start(toks, x)
                if gs - 1 >= lo and toks[gs - 1].kind == "w":
                    return self._subject_before(toks, gs - 1, lo)
                if gs - 1 >= lo and toks[gs - 1].text == ",":
                    return self._apposition_left(toks, gs - 1, lo)
                return None
        return None

    def _opening_subject(self, toks: list[Tok]) -> Mention | None:
        """A sentence without quotation or cue only tells who it is about, when it opens with a name ("Biden
        a averti …") or a role ("Le ministre a annoncé …"): cheap, for the pronouns that follow."""
        if not toks:
            return None
        lex = self.lex
        n = len(toks)
        a = 0
        if (toks[0].k in lex.function_words or toks[0].k in lex.boundary) and toks[0].k not in lex.determiners \
                and toks[0].k not in lex.pronouns:
            # an opener ("In a Wall Street Journal essay last week, Ivanka Trump …")
            while a < n and toks[a].text != ",":
                a += 1
            a += 1
            if a >= n:
                return None
            toks = toks[a:]
            n = len(toks)
        t = toks[0]
        if (self._is_name_tok(t) and not lex.is_participle(t.k) and t.k not in lex.verb_forms) or (
                t.cap and t.k in lex.honorifics):
            j = 1
            while j < n and (self._is_name_tok(toks[j])
                             or (j + 1 < n and self._particle(toks[j], toks[j - 1], toks[j + 1]))):
                j += 1
            if j < n and toks[j].kind == "w" and not toks[j].cap:
                return self._interpret(toks[:j])
            return None
        if t.k in lex.determiners and n > 2 and (toks[1].k in lex.titles or toks[2].k in lex.titles
                                                  or (n > 3 and toks[3].k in lex.titles)):
            m, _ = self._np_forward(toks, 0, n, strict_end=False)
            return m if m is not None and m.kind in ("name", "desc") else None
        return None

    def _initial_subject(self, toks: list[Tok], lo: int, hi: int) -> Mention | None:
        """A name or a pronoun opening the clause (after openers that end with a comma), followed by a word:
        "Trump attacked Clinton …", "Democratic Sen. Claire McCaskill (D-Mo.) scolded him: …"."""
        lex = self.lex
        a = lo
        for _ in range(3):
            if a >= hi:
                return None
            t = toks[a]
            if t.kind == "w" and (t.k in lex.pronouns and not t.cap or t.k in lex.pronouns and a == lo):
                if a + 1 < hi and toks[a + 1].kind == "w" and toks[a + 1].k not in lex.impersonal_after:
                    return Mention("pron", t.s, t.e, [t], gender=lex.pronouns[t.k])
                return None
            if t.kind == "w" and t.k in lex.verb_forms:
                # "Interrogée par l'AFP, …": a participle opening the sentence is no name
                y = a
                while y < hi and toks[y].text != ",":
                    y += 1
                a = y + 1
                continue
            # the longest noun phrase from here that ends before a lower-case word
            z = a
            while z < hi and toks[z].kind == "w" and (toks[z].cap or toks[z].k in lex.name_particles) or (
                    z < hi and toks[z].text == "(" ):
                if toks[z].text == "(":
                    y = z + 1
                    while y < hi and toks[y].text != ")" and y - z < 8:
                        y += 1
                    if y >= hi or toks[y].text != ")":
                        break
                    z = y + 1
                    continue
                z += 1
            if z > a and z < hi and toks[z].kind == "w" and not toks[z].cap:
                m = self._np_backward(toks, z - 1, a)
                if m is not None and m.kind == "name" and m.toks[0] is toks[a]:
                    return m
            if z > a and z < hi and toks[z].text == "," and self._is_name_tok(toks[a]):
                # "Donald Trump, her Republican opponent, bemoaned …": a name, its apposition, the verb
                y = z + 1
                while y < hi and toks[y].kind == "w" and y - z < MAX_NP:
                    y += 1
                if y > z + 1 and y + 1 < hi and toks[y].text == "," and toks[y + 1].kind == "w" \
                        and not toks[y + 1].cap:
                    m = self._apposition_left(toks, y, a)
                    if m is not None and m.kind == "name" and m.toks[0] is toks[a]:
                        return m
            # skip an opener up to the next comma
            y = a
            while y < hi and toks[y].text != ",":
                y += 1
            a = y + 1
        return None

    def _apposition_left(self, toks: list[Tok], b: int, lo: int) -> Mention | None:
        """`X, role, a déclaré` / `role, X, a déclaré` / `X, 59, of Ashton, Md., who …, said`: the subject is the
        first comma-separated segment of the clause that reads as a noun phrase (a name in apposition to a
        description wins); openers that are not noun phrases ("In a statement,") are skipped."""
        lex = self.lex
        segs: list[tuple[int, int]] = []
        end = b  # toks[b] is the comma before the verb
        while len(segs) < 8:
            x = end - 1
            while x >= lo and toks[x].kind != "q" and toks[x].text not in (",", ";", ":") \
                    and toks[x].text not in _DASHES:
                x -= 1
            segs.append((x + 1, end))
            if x < lo or toks[x].text != ",":
                break
            end = x
        segs.reverse()
        if segs:
            a0, z0 = segs[0]
            while a0 < z0 and toks[a0].kind == "w" and (toks[a0].k in lex.boundary or toks[a0].k in lex.coordinators) \
                    and toks[a0].k not in lex.pronouns:
                a0 += 1  # "As Steven M. Rosenthal, a tax lawyer, put it"
            segs[0] = (a0, z0)
        for idx, (a, z) in enumerate(segs):
            if z <= a or toks[a].kind != "w":
                continue
            m = self._np_backward(toks, z - 1, a)
            if m is None or (m.kind != "pron" and m.toks[0] is not toks[a]):
                continue
            if m.kind in ("name", "pron"):
                if m.kind == "name" and idx + 1 < len(segs) and m.appos is None:
                    a2, z2 = segs[idx + 1]
                    if z2 > a2 and toks[a2].kind == "w":
                        d = self._np_backward(toks, z2 - 1, a2)
                        if d is not None and d.kind == "desc" and d.toks[0] is toks[a2] \
                                and self._head(d.toks) in lex.titles:
                            m.appos = d.toks
                            if not m.gender:
                                m.gender = d.gender
                return m
            for a2, z2 in segs[idx + 1:idx + 3]:
                if z2 > a2 and toks[a2].kind == "w":
                    m2 = self._np_backward(toks, z2 - 1, a2)
                    if m2 is not None and m2.kind == "name" and m2.toks[0] is toks[a2]:
                        m2.appos = m.toks
                        if not m2.gender:
                            m2.gender = m.gender
                        return m2
            return m
        return None

