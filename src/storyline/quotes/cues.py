"""Reporting cues in a sentence's tokens: "a déclaré", "said", "dit-il", "ajoutant", "selon", "according to",
"Pour X, …", "zufolge" and the colon that introduces a quotation (from the language table)."""

from __future__ import annotations

from .lexicon import Lexicon
from .mentions import MAX_NP, Cue
from .text import Tok


class CueFinder:
    """The reporting cues of a sentence: verbs with their group (auxiliaries, clitics, adverbs), participles,
    source markers, colons. A mixin of the attribution analyzer (reads `self.lex`)."""

    lex: Lexicon

    def _find_cues(self, toks: list[Tok]) -> list[Cue]:
        lex = self.lex
        cues: list[Cue] = []
        n = len(toks)
        starts = lex.cue_starts
        done = 0
        for i in [x for x, t in enumerate(toks) if t.k in starts or t.text == ":"]:
            if i < done:
                continue
            t = toks[i]
            if t.text == ":":
                cues.append(Cue(i, i + 1, "colon", toks=toks))
                done = i + 1
                continue
            k = t.k
            # "Pour le ministre, « … »": a marker that attributes only at the start of a sentence
            if i == 0 and k in lex.source_markers_initial:
                hit = self._phrase(toks, i, lex.source_markers_initial[k])
                if hit and any(toks[y].text == "," for y in range(i + hit, min(n, i + hit + MAX_NP))):
                    cues.append(Cue(i, i + hit, "source", toks=toks))
                    done = i + hit
                    continue
            # source markers (selon, according to)
            sm = lex.source_markers.get(k)
            if sm:
                hit = self._phrase(toks, i, sm)
                if hit:
                    cues.append(Cue(i, i + hit, "source", toks=toks))
                    done = i + hit
                    continue
            if k in lex.source_markers_post and i > 0:
                cues.append(Cue(i, i + 1, "source_post", toks=toks))
                done = i + 1
                continue
            j = 0
            vp = lex.verb_phrases.get(k)
            if vp:
                j = self._phrase(toks, i, vp)
            if not j and k in lex.verb_forms:
                j = 1
            if not j:
                continue
            if t.cap and i > 0 and toks[i - 1].kind == "w":
                continue  # a capitalised word inside a sentence is a name ("Price", "Says")
            prev = self._prev_word(toks, i)
            if prev is not None and prev.k in lex.not_cue_after and not self._clitic(toks, prev):
                done = i + j
                continue
            if prev is not None and prev.k in lex.passive_before and not lex.is_participle(toks[i + j - 1].k):
                # "was said", not "is saying" / "he's claiming"
                done = i + j
                continue
            if j == 1 and k in lex.noun_forms:
                # "tweets", "claims": a verb only right after its subject or after a quotation
                p0 = toks[i - 1] if i > 0 else None
                if not (p0 is None or p0.kind != "w" or p0.k in lex.pronouns or self._is_name_tok(p0)
                        or p0.k in lex.titles or p0.k in lex.auxiliaries or p0.k in lex.document_nouns):
                    continue
            last = toks[i + j - 1].k
            participle = lex.is_participle(last) and not (prev is not None and prev.k in lex.auxiliaries)
            c = Cue(i, i + j, "participle" if participle else "verb", toks=toks)
            c.gs = self._group_start(toks, i)
            cues.append(c)
            done = i + j
        return cues

    def _clitic(self, toks: list[Tok], t: Tok) -> bool:
        """Is this "le"/"l'" an object pronoun before its verb ("il le dit", "elle l'a dit")?"""
        lex = self.lex
        if t.k not in lex.clitics:
            return False
        i = toks.index(t)
        p = toks[i - 1] if i > 0 else None
        return p is not None and p.kind == "w" and (
            p.k in lex.pronouns or p.k in lex.clitics or p.k in lex.relative_pronouns)

    def _phrase(self, toks: list[Tok], i: int, phrases: list[tuple[str, ...]]) -> int:
        n = len(toks)
        for p in phrases:
            m = len(p)
            if i + m <= n and all(toks[i + x].kind == "w" and toks[i + x].k == p[x] for x in range(m)):
                return m
        return 0

    def _prev_word(self, toks: list[Tok], i: int) -> Tok | None:
        lex = self.lex
        j = i - 1
        while j >= 0 and toks[j].kind == "w" and (lex.is_adverb(toks[j].k) and toks[j].k not in lex.not_cue_after):
            j -= 1
        return toks[j] if j >= 0 and toks[j].kind == "w" else None

    def _group_start(self, toks: list[Tok], i: int) -> int:
        lex = self.lex
        j = i - 1
        while j >= 0:
            t = toks[j]
            if t.kind != "w" or t.cap and not t.inv and t.k not in lex.auxiliaries:
                break
            k = t.k
            if t.inv or k in lex.auxiliaries or k in lex.clitics or lex.is_adverb(k):
                j -= 1
                continue
            # "a nettement durci", "have repeatedly said": an adverb between an auxiliary and the verb
            if lex.group_adverb_suffixes and len(k) > 5 and k.endswith(lex.group_adverb_suffixes) and j - 1 >= 0 \
                    and toks[j - 1].kind == "w" and (toks[j - 1].k in lex.auxiliaries or toks[j - 1].k in lex.clitics):
                j -= 1
                continue
            # multi-word adverbs ending here
            hit = False
            for back in (2, 3, 4, 5):
                a = j - back + 1
                if a >= 0 and self._adverb_phrase_at(toks, a, j + 1) == j + 1:
                    j = a - 1
                    hit = True
                    break
            if not hit:
                break
        return j + 1

