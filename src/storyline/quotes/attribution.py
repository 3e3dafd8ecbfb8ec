"""Who said what: quotations attributed to speakers, from the words around them.

Each sentence (never split inside a quotation) is read as tokens. Its reporting cues are: reporting verbs of
the language table ("a déclaré", "said", "dit-il", "ajoutant"; not in the future: "Biden dira que" is not
Biden's statement), source markers ("selon X", "according to X", "Pour X, …" opening a sentence), an
introducing colon ("Poutine : « … »") and a closing dash ("“…” ― Name"). Each cue gets its speaker mention:

- the noun phrase before the verb ("Ouchakov a répondu", "the campaign said"), through a relative clause
  without commas ("un responsable qui a requis l'anonymat a déclaré");
- after the verb right after a quotation or in an incise (inverted order: "», a déclaré Ouchakov",
  "," said Blinken", "a-t-il noté", "explique-t-on à l'Élysée"), a name in apposition winning over a role
  ("a déclaré le porte-parole, Ned Price");
- the first noun phrase of the clause when commas separate it from the verb ("Emilia Horna, porte-parole du
  Conseil, a déclaré", "X, 59, of Ashton, Md., who watched, said"), a name winning over its role;
- for a participle ("…, ajoutant que", "…, adding") or a verb after "et"/"and", the subject of the sentence;
  without any subject (pro-drop languages), a zero subject resolved like a pronoun.

A quotation takes the nearest cue before it in its sentence (a cue inside a relative clause yields to the
main clause's: "X told a woman who suggested that … “…”" is X's), else the first cue after it (or in a short
sentence right after: "“…?” Trump asked."), else a source marker, a colon or a dash. A quotation with no
cue continues the previous quotation or cue of its paragraph, or of the paragraph before when it stands
alone. Mentions then resolve to speakers:

- a name to the fullest form of that name in the article ("M. Sullivan" -> "Jake Sullivan"), or to the
  entity the entities stage found there (canonical name and id; a capital that names its government, "Moscou
  a rejeté", to the country) when the document has entities;
- a pronoun (il, elle, he, she, they; a zero subject) to the subject of its own sentence when compatible,
  else the most recent compatible speaker or subject before it: gender from first names, honorifics,
  determiners and titles; places and organisations never for "il"/"she"; first-person pronouns to nobody;
- a definite role description ("le conseiller en politique étrangère de Poutine", "the press secretary") to
  the person the article names in that role (appositions, "role Name", the entities' roles), else to an
  earlier description with the same head ("le haut responsable" -> "un haut responsable de la Maison
  Blanche"), else, for a leader's title ("le chef d'État"), to the most recent named speaker; an indefinite
  description ("un haut responsable", "a senior official") stays a description.

Sentences with no quotation and no indirect speech are only skimmed (their first words: who the sentence is
about, names and roles), which keeps the stage fast. Indirect speech ("a déclaré que …", "said that …",
"selon X, …") is reported as a second kind.
"""

from __future__ import annotations

from bisect import bisect_left

from .cues import CueFinder
from .document_memory import DocumentMemory, DocumentState, EntityRef
from .indirect import IndirectSpeech
from .lexicon import Lexicon
from .marks import QuoteSpan
from .mentions import DASHES as _DASHES, Attribution, Cue, Mention, Speaker
from .noun_phrases import NounPhrases
from .resolution import SpeakerResolution
from .subjects import Subjects
from .text import Tok, sentences, tokenize

__all__ = ["Attribution", "attribute", "Speaker", "Mention"]


class _Analyzer(NounPhrases, CueFinder, Subjects, SpeakerResolution, DocumentMemory, IndirectSpeech):
    """One document's attribution: the mixins hold the parts (noun phrases, cues, subjects, resolution, document
    memory, indirect speech); `run` reads the sentences and gives each quotation its cue and speaker."""

    def __init__(self, text: str, lex: Lexicon, quotes: list[QuoteSpan], entities: list[EntityRef]):
        self.t = text
        self.lex = lex
        self.quotes = quotes
        self.doc = DocumentState(text, lex, entities)
        self.out: list[Attribution] = []
        self._name_cache: dict[tuple, Speaker] = {}
        self._pending_roles: list[tuple[list[Tok], Mention]] = []
        self._skimmed: list[tuple] = []  # sentences without quotation or cue, skimmed when needed
        self._skim_starts: list[int] = []
        self._skim_done: list[bool] = []

    def run(self, blocks: list[tuple[int, int]]) -> list[Attribution]:
        t = self.t
        quotes = self.quotes
        qspans = [(q.open_start, q.close_end) for q in quotes]
        qtriples = [(q.open_start, q.close_end, i) for i, q in enumerate(quotes)]
        units = []
        lex = self.lex
        for bs, be in blocks:
            q0, q1 = bisect_left(qspans, (bs, -1)), bisect_left(qspans, (be, -1))
            hits, low = lex.positions(t, bs, be, qspans[q0:q1])
            quoted = False  # the sentence before had a quotation
            sents = sentences(t, bs, be, qspans)
            for si, (s, e, para) in enumerate(sents):
                lo = bisect_left(qspans, (s, -1))
                hi = bisect_left(qspans, (e, -1))
                h = bisect_left(hits, s)
                cue = h < len(hits) and hits[h] < e
                # a quotation in the next sentence of the paragraph may be this sentence's speaker's: "…, Schiff
                # said. “…”"
                next_quoted = si + 1 < len(sents) and hi < len(qspans) and qspans[hi][0] < sents[si + 1][1]
                quote_next = next_quoted and not sents[si + 1][2]
                if cue and not (hi > lo or quoted or quote_next or t[e - 1] == ":"):
                    # a cue without quotation matters for indirect speech ("que", "that", "selon") only
                    cue = lex.has_more(t, low, bs, hits[h], e)
                # a sentence ending with a colon before a quotation introduces it: "X made this comment: ¶ “…”"
                full = hi > lo or cue or (t[e - 1] == ":" and next_quoted)
                quoted = hi > lo
                if full:
                    toks = tokenize(t, s, e, qtriples[lo:hi], lex)
                else:
                    # no quotation and no cue: only its names (now) and its opening words (subject, roles: when
                    # a pronoun or a role description needs them, see _catch_up) matter
                    toks = None
                    self._collect_names(s, e)
                units.append((s, e, para, toks, full))
        self._entity_roles()
        for u in units:
            if u[4]:
                self._collect(u[3])
        self._resolve_roles()
        self._skimmed = [u for u in units if not u[4]]
        self._skim_starts = [u[0] for u in self._skimmed]
        self._skim_done = [False] * len(self._skimmed)
        last_speaker_para = None  # (paragraph no., (speaker, cue, cue span, mention span), ends with a colon)
        para_no = -1
        prev_quote = None  # (speaker, cue, cue span, mention span) of the last attributed quotation
        prev_quote_para = -2
        for ui, (s, e, para, toks, full) in enumerate(units):
            if para:
                para_no += 1
            if not full:
                continue
            cues = self._find_cues(toks)
            n = len(toks)
            subject = None
            # speakers of the verb cues, in order
            for c in cues:
                if c.kind in ("verb", "participle"):
                    c.mention = self._verb_subject(toks, c, cues, 0, n)
                elif c.kind == "source":
                    m, _ = self._np_forward(toks, c.j, n, objects=True)
                    if m is None:
                        m, _ = self._np_forward(toks, c.j, n, strict_end=False, objects=True)
                    c.mention = m
                elif c.kind == "source_post":
                    c.mention = self._np_backward(toks, c.i - 1, 0) if c.i > 0 else None
            subject = self._sentence_subject(toks, 0, n)
            for c in cues:
                if c.mention is not None:
                    pos = c.mention.s if c.mention.s >= 0 else toks[c.i].s
                    c.speaker = self._resolve(c.mention, pos, subject)
                    if c.speaker is not None and c.speaker.person is None and c.mention.kind == "name" \
                            and c.kind in ("verb", "participle") and not c.speaker.weak:
                        c.speaker.person = True  # "McLenney said": whoever speaks is taken for a person
                    if c.speaker is not None and c.kind in ("verb", "participle", "source"):
                        self._remember(toks[c.i].s, c.speaker)
            if subject is not None and subject.kind in ("name", "desc") and self._speakerlike(subject):
                sp = self._resolve(subject, subject.s)
                if sp is not None and sp.person is not False:
                    self._remember(subject.s, sp)
            # quotations of this sentence
            qidx = [x for x in range(n) if toks[x].kind == "q"]
            for x in qidx:
                q = quotes[toks[x].q]
                c = self._cue_for(toks, x, cues, qidx)
                sp = c.speaker if c is not None else None
                if c is None and ui + 1 < len(units):
                    c = self._next_sentence_cue(units[ui + 1], para_no)
                    sp = c.speaker if c is not None else None
                if c is None and "," in t[q.content_start:q.content_end] \
                        and lex.cue_re.search(t[q.content_start:q.content_end].lower()):
                    c = self._incise_cue(q)
                    sp = c.speaker if c is not None else None
                cue_text = cue_span = mspan = None
                if c is not None:
                    a, b = c.span()
                    cue_text, cue_span = t[a:b], (a, b)
                    if c.mention is not None and c.mention.s >= 0:
                        mspan = (c.mention.s, c.mention.e)
                else:
                    # a quotation without a cue continues the previous speaker's statement
                    prev = None
                    if prev_quote is not None and prev_quote_para == para_no:
                        prev = prev_quote
                    elif last_speaker_para is not None and last_speaker_para[0] == para_no and not para:
                        prev = last_speaker_para[1]  # "…, Schiff said. “…”"
                    elif last_speaker_para is not None and last_speaker_para[0] == para_no - 1 and para and \
                            (last_speaker_para[2] or self._whole(toks, x)):
                        prev = last_speaker_para[1]
                    if prev is not None:
                        sp, cue_text, cue_span, mspan = prev
                self.out.append(Attribution(q.content_start, q.content_end, "direct", sp, cue_text, cue_span, mspan, q))
                if sp is not None:
                    prev_quote, prev_quote_para = (sp, cue_text, cue_span, mspan), para_no
            # indirect speech
            self._indirect(toks, cues, s, e)
            # what the paragraph ends with (for a quotation paragraph that follows)
            spk = None
            for c in cues:
                if c.speaker is not None and c.kind in ("verb", "participle", "source"):
                    a, b = c.span()
                    ms = (c.mention.s, c.mention.e) if c.mention is not None and c.mention.s >= 0 else None
                    spk = (c.speaker, t[a:b], (a, b), ms)
            if qidx and prev_quote_para == para_no:
                spk = prev_quote
            if spk is None and n > 1 and toks[-1].text == ":":
                spk = self._colon_speaker(toks)  # "Sanders made the following comment:" ¶ "…"
            if spk is not None:
                ends_colon = bool(toks) and toks[-1].text == ":"
                last_speaker_para = (para_no, spk, ends_colon)
        return self.out

    def _colon_speaker(self, toks: list[Tok]) -> tuple | None:
        """The speaker a sentence ending with a colon introduces: what its clause is about, when a name, a
        pronoun or a speaker-like description; as (speaker, cue text, cue span, mention span)."""
        m = self._sentence_subject(toks, 0, len(toks) - 1)
        if m is None or m.kind not in ("name", "desc", "pron") or not self._speakerlike(m):
            return None
        sp = self._resolve(m, m.s)
        if sp is None or sp.person is False:
            return None
        colon = toks[-1]
        return sp, colon.text, (colon.s, colon.e), (m.s, m.e)

    def _whole(self, toks: list[Tok], x: int) -> bool:
        """Is the quotation (nearly) the whole sentence?"""
        return sum(1 for t in toks if t.kind == "w") <= 2

    def _cue_for(self, toks: list[Tok], x: int, cues: list[Cue], qidx: list[int]) -> Cue | None:
        verbs = [c for c in cues if c.kind in ("verb", "participle") and c.speaker is not None]
        before = [c for c in verbs if c.j <= x and not self._hard_break(toks, c.j, x)]
        if before:
            if before[-1].relative and len(before) > 1 and not before[-2].relative:
                return before[-2]  # "X told a woman who suggested that … “…”": X's words
            last = before[-1].mention
            if last is not None and last.kind == "pron" and last.gender == "n" and len(before) > 1 \
                    and before[-2].speaker.person is not False:
                return before[-2]  # "She says it underscores that …": a thing is no speaker, she is
            return before[-1]
        after = [c for c in verbs if c.i > x and not self._hard_break(toks, x, c.i)]
        if after:
            return after[0]
        src = [c for c in cues if c.kind in ("source", "source_post") and c.speaker is not None]
        if src:
            return min(src, key=lambda c: abs(c.i - x))
        # "Poutine : « … »", "Sen. McCaskill scolded him: “…”": what the clause before the colon is about
        if x >= 2 and toks[x - 1].text == ":":
            for c in cues:
                if c.kind == "colon" and c.i == x - 1:
                    m = self._np_backward(toks, x - 2, 0)
                    if m is None or not m.toks or m.toks[0] is not toks[0] or m.kind not in ("name", "desc"):
                        m = self._sentence_subject(toks, 0, x - 1)
                    if m is not None:
                        c.mention = m
                        c.gs = c.i
                        c.speaker = self._resolve(m, m.s if m.s >= 0 else toks[c.i].s)
                        return c if c.speaker is not None else None
        # "Issa: Clinton's ‘Honesty Is In Question’", "Poutine : la Russie ne cédera « jamais »": a name alone
        # before the colon that opens the sentence speaks the rest of it
        for c in cues:
            if c.kind == "colon" and 1 <= c.i < x - 1 and not self._hard_break(toks, c.i, x):
                m = self._np_backward(toks, c.i - 1, 0)
                if m is not None and m.kind == "name" and m.toks[0] is toks[0]:
                    c.mention, c.gs = m, c.i
                    c.speaker = self._resolve(m, m.s)
                    return c if c.speaker is not None else None
                break
        # "“…” ― Ariana Huichapa": a dash and a name closing the sentence
        n = len(toks)
        if x + 2 < n + 1 and x + 1 < n and toks[x + 1].text in _DASHES:
            z = n
            while z > x + 2 and toks[z - 1].kind == "p" and toks[z - 1].text not in (")",):
                z -= 1
            if z > x + 2:
                m = self._np_backward(toks, z - 1, x + 2)
                if m is not None and m.kind == "name" and m.toks[0] is toks[x + 2]:
                    c = Cue(x + 1, x + 2, "dash", gs=x + 1, toks=toks)
                    c.mention = m
                    c.speaker = self._resolve(m, m.s)
                    return c
        # a cue whose speaker is unknown ("a-t-il noté" with nobody before): keep the cue
        unresolved = [c for c in cues if c.kind in ("verb", "participle") and c.mention is not None
                      and c.mention.kind == "pron" and not self._hard_break(toks, min(c.i, x), max(c.i, x))]
        if unresolved:
            return min(unresolved, key=lambda c: abs(c.i - x))
        return None

    def _hard_break(self, toks: list[Tok], a: int, b: int) -> bool:
        return any(toks[y].text == ";" for y in range(a, b))

    def _incise_cue(self, q: QuoteSpan) -> Cue | None:
        """A reporting verb set off by a comma inside the quotation (the French incise): "« Nous sommes prêts,
        a-t-il déclaré, à négocier »", "« C'est rompu, a affirmé le député Paul Girard. Nous … »"."""
        t = self.t
        toks = tokenize(t, q.content_start, q.content_end, (), self.lex)
        n = len(toks)
        for c in self._find_cues(toks):
            if c.kind != "verb" or c.gs < 1 or toks[c.gs - 1].text != ",":
                continue
            # the incise ends at the next comma or sentence end
            hi = c.j
            while hi < n and toks[hi].text not in (",", ";") and not any(
                    ch in ".!?" for ch in t[toks[hi - 1].e:toks[hi].s]):
                hi += 1
            m = next((Mention("pron", x.s, x.e, [x], gender=self.lex.pronouns.get(x.k, ""))
                      for x in toks[c.gs:min(c.j + 1, hi)] if x.inv), None)
            if m is None:
                m, _ = self._np_forward(toks, c.j, hi, strict_end=False)
            if m is None or not self._speakerlike(m):
                continue
            c.mention = m
            c.speaker = self._resolve(m, toks[c.gs].s)
            return c if c.speaker is not None else None
        return None

    def _next_sentence_cue(self, unit, para_no: int) -> Cue | None:
        """`"Is this what we want?" Trump asked.` -- a short next sentence with a cue and no quotation."""
        s, e, para, toks, full = unit
        if para or not full or any(t.kind == "q" for t in toks):
            return None
        cues = [c for c in self._find_cues(toks) if c.kind == "verb" and c.i <= 4]
        if not cues:
            return None
        c = cues[0]
        c.mention = self._verb_subject(toks, c, cues, 0, len(toks))
        if c.mention is None:
            return None
        c.speaker = self._resolve(c.mention, toks[0].s)
        return c if c.speaker is not None else None


def attribute(text: str, blocks: list[tuple[int, int]], quotes: list[QuoteSpan], lex: Lexicon,
              entities: list[EntityRef] | None = None) -> list[Attribution]:
    """Attributions (direct and indirect) for the quotations of `text` (offsets into `text`). `blocks` are the
    body ranges; `entities` are the entities stage's mentions (`entity_refs`), offsets into `text`."""
    return _Analyzer(text, lex, quotes, entities or []).run(blocks)
