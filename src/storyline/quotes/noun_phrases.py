"""Speaker noun phrases: "le porte-parole du Kremlin, Dmitri Peskov", "Sen. Tim Kaine (D-Va.)", "un haut
responsable qui a requis l'anonymat"; names versus descriptions."""

from __future__ import annotations

from .lexicon import Lexicon, first_names, plain
from .mentions import MAX_NP, Mention
from .text import Tok


class NounPhrases:
    """Noun phrases around a cue, read as tokens: the phrase ending at a token (leftwards), the phrase starting
    at one (rightwards, with an apposition), and whether a phrase is a name or a description. A mixin of the
    attribution analyzer: it reads `self.lex` (the language table)."""

    lex: Lexicon

    def _is_name_tok(self, t: Tok) -> bool:
        """A capitalised word that is not a function word, a pronoun or a determiner."""
        return t.cap and t.kind == "w" and t.k not in self.lex.not_name

    def _np_backward(self, toks: list[Tok], b: int, lo: int = 0) -> Mention | None:
        """The noun phrase that ends at token b (inclusive), reading leftwards no further than lo."""
        lex = self.lex
        t = toks[b]
        if t.text == ")":  # a parenthetical closes the phrase: "le directeur de l'OMS (Genève)"
            m = b - 1
            while m > lo and toks[m].text != "(" and b - m < 8:
                m -= 1
            if m > lo and toks[m].text == "(" and toks[m - 1].kind == "w":
                b = m - 1
                t = toks[b]
        if t.kind != "w":
            return None
        if t.k in lex.pronouns:
            return Mention("pron", t.s, t.e, [t], gender=lex.pronouns[t.k])
        # pronoun phrases ("ce dernier")
        for k0 in range(max(lo, b - 2), b):
            ph = lex.pronoun_phrases.get(toks[k0].k)
            if ph:
                for p in ph:
                    if k0 + len(p) - 1 == b and all(toks[k0 + x].k == p[x] for x in range(len(p))):
                        g = lex.pronouns.get(" ".join(p), "")
                        return Mention("pron", toks[k0].s, t.e, toks[k0:b + 1], gender=g)
        k = b
        start = None
        while k >= lo and b - k < MAX_NP:
            t = toks[k]
            if t.kind == "p" and t.text == ")":
                # skip a parenthetical: Kaine (D-Va.)
                m = k - 1
                while m >= lo and toks[m].text != "(" and k - m < 8:
                    m -= 1
                if m > lo and toks[m].text == "(" and toks[m - 1].kind == "w":
                    if start is None:
                        b = m - 1
                    k = m - 1
                    continue
                break
            if t.kind != "w":
                break
            kk = t.k
            if ((kk in lex.complement_markers or kk == "'s") and not t.cap) or (
                    kk in lex.title_complements and start is not None and k - 1 >= lo and toks[k - 1].k in lex.titles):
                if start is None:
                    break
                start = k
                k -= 1
                continue
            if start is not None and k - 1 >= lo and self._particle(t, toks[k - 1], toks[start]) and t.cap:
                start = k  # "Bruno Le Maire"
                k -= 1
                continue
            if kk in lex.name_connectors and not t.cap and start is not None and toks[start].cap \
                    and k - 1 >= lo and toks[k - 1].cap and toks[k - 1].kind == "w":
                start = k  # "the Commission on Presidential Debates"
                k -= 1
                continue
            if kk in lex.determiners and (not t.cap or k == lo or toks[k - 1].kind != "w"
                                          or toks[k - 1].k in lex.complement_markers):
                if start is None:
                    break
                start = k
                if k - 1 >= lo and toks[k - 1].k in lex.complement_markers:
                    k -= 1
                    start = k
                    k -= 1
                    continue
                break
            if (kk in lex.boundary or kk in lex.relative_pronouns or kk in lex.pronouns or kk in lex.coordinators
                    or kk in lex.auxiliaries) and not (t.cap and kk not in lex.function_words):
                break
            if kk in lex.verb_forms and not t.cap:
                break
            if not t.cap and (kk in lex.function_words or lex.is_adverb(kk)):
                if start is None and kk in lex.function_words and k - 1 >= lo \
                        and toks[k - 1].k in lex.complement_markers and kk not in lex.pronouns \
                        and kk not in lex.boundary:
                    start = k  # "the mother of three"
                    k -= 1
                    continue
                break
            if t.cap and kk in lex.function_words:
                break
            start = k
            k -= 1
        if start is None:
            return None
        # a phrase cannot start with a complement marker
        while start <= b and (toks[start].k in lex.complement_markers or toks[start].k == "'s"):
            start += 1
        if start > b:
            return None
        return self._interpret(toks[start:b + 1])

    def _subject_before(self, toks: list[Tok], b: int, lo: int) -> Mention | None:
        """The subject noun phrase ending at b; through a relative clause without commas ("un responsable qui
        a souhaité garder l'anonymat a déclaré" is the official's statement)."""
        m = self._np_backward(toks, b, lo)
        if m is None or m.kind == "pron":
            return m
        lex = self.lex
        first = m.toks[0]
        k = b
        while k >= lo and toks[k] is not first:
            k -= 1
        r = k - 1
        while r >= lo and k - r <= 8:
            u = toks[r]
            if u.kind != "w" or u.k in lex.coordinators:
                break
            # a relative pronoun ("qui", "who"; "que"/"that" only after a noun, not after a verb)
            if u.k in lex.relative_pronouns and (u.k not in lex.complementizers or (
                    r - 1 >= lo and toks[r - 1].kind == "w" and toks[r - 1].k not in lex.verb_forms)):
                if r - 1 >= lo and toks[r - 1].kind == "w":
                    m2 = self._np_backward(toks, r - 1, lo)
                    if m2 is not None and m2.kind in ("name", "desc"):
                        return m2
                break
            r -= 1
        return m

    def _particle(self, t: Tok, before: Tok, after: Tok) -> bool:
        """Is t a particle inside a name: "Bruno Le Maire", "Charles de Gaulle" (after a first name)?"""
        if t.k not in self.lex.name_particles or not self._is_name_tok(before) or not self._is_name_tok(after):
            return False
        return t.cap or plain(before.text) in first_names()

    def _trim_run(self, run: list[Tok]) -> list[Tok]:
        """A leading acronym is not part of a person's name ("le député LFI François Ruffin")."""
        if len(run) >= 3 and run[0].text.isupper() and len(run[0].text) >= 2 and run[1].text[:1].isupper() \
                and not run[1].text.isupper() and run[0].k not in self.lex.honorifics:
            return run[1:]
        return run

    def _np_forward(self, toks: list[Tok], i: int, hi: int, strict_end: bool = True,
                    objects: bool = False) -> tuple[Mention | None, int]:
        """The noun phrase that starts at token i (after adverbs), and the index after it. With `strict_end`,
        what follows must end the phrase (punctuation, a boundary word); `objects` accepts object pronouns
        ("selon lui", "according to him")."""
        lex = self.lex
        i = self._skip_adverbs(toks, i, hi)
        if i >= hi:
            return None, i
        t = toks[i]
        if t.kind != "w":
            return None, i
        if t.k in lex.pronouns and not t.cap or (t.k in lex.pronouns and t.inv):
            return Mention("pron", t.s, t.e, [t], gender=lex.pronouns[t.k]), i + 1
        if objects and t.k in lex.object_pronouns:
            return Mention("pron", t.s, t.e, [t], gender=lex.object_pronouns[t.k]), i + 1
        if t.k in lex.possessive_determiners and not (i + 1 < hi and (toks[i + 1].k in lex.titles or (
                i + 2 < hi and toks[i + 2].k in lex.titles))):
            return None, i  # "son intérêt" is no speaker; "sa secrétaire générale" is one
        if t.k in lex.complement_markers or t.k in lex.complementizers or (
                t.k in lex.relative_pronouns and t.k not in lex.determiners):  # German "die": an article here
            return None, i
        k = i
        if t.k in lex.determiners:
            k += 1
        while k < hi and k - i < MAX_NP:
            u = toks[k]
            if u.kind == "p" and u.text == "(" :
                m = k + 1
                while m < hi and toks[m].text != ")" and m - k < 8:
                    m += 1
                if m < hi and toks[m].text == ")":
                    k = m + 1
                    continue
                break
            if u.kind != "w":
                break
            kk = u.k
            if kk in lex.complement_markers or kk == "'s" or (
                    kk in lex.title_complements and k > i and toks[k - 1].k in lex.titles):
                if k + 1 < hi and toks[k + 1].kind == "w" and toks[k + 1].k in lex.determiners:
                    k += 2
                else:
                    k += 1
                continue
            if u.cap and (kk not in lex.function_words
                          or (k > i and k + 1 < hi and self._particle(u, toks[k - 1], toks[k + 1]))):
                k += 1  # a name, or a particle inside one ("Bruno Le Maire")
                continue
            if u.cap or kk in lex.boundary or kk in lex.relative_pronouns or kk in lex.function_words \
                    or kk in lex.verb_forms or lex.is_adverb(kk) or kk in lex.auxiliaries:
                break
            k += 1
        # trailing complement markers belong to what follows
        while k > i and toks[k - 1].kind == "w" and (
                toks[k - 1].k in lex.complement_markers or toks[k - 1].k in lex.determiners):
            k -= 1
        if k <= i or (k == i + 1 and toks[i].k in lex.determiners):
            return None, i
        # what follows must end the phrase: punctuation, a boundary word, the end
        if k < hi and strict_end:
            u = toks[k]
            if u.kind == "w" and u.k not in lex.boundary and not lex.is_adverb(u.k) and u.k not in lex.complementizers \
                    and not self._adverb_phrase_at(toks, k, hi):
                return None, i
        m = self._interpret(toks[i:k])
        if m is None:
            return None, i
        if not strict_end and not self._speakerlike(m):
            return None, i
        # apposition: "le porte-parole du département d'État, Ned Price."
        if m.kind == "desc" and k + 1 < hi and toks[k].text == "," and (
                m.definite or toks[i].k not in lex.determiners or toks[i].k in lex.possessive_determiners):
            n = k + 1
            while n < hi and self._is_name_tok(toks[n]) and n - k < 6:
                n += 1
            if n > k + 1 and (n >= hi or toks[n].kind != "w" or toks[n].k in lex.boundary):
                name = self._interpret(toks[k + 1:n])
                if name is not None and name.kind == "name":
                    name.appos = m.toks
                    if not name.gender:
                        name.gender = m.gender
                    return name, n
        return m, k

    def _skip_adverbs(self, toks: list[Tok], i: int, hi: int) -> int:
        lex = self.lex
        while i < hi:
            t = toks[i]
            if t.kind != "w":
                return i
            if (lex.is_adverb(t.k) or t.k in lex.time_words) and not t.cap:
                i += 1
                continue
            n = self._adverb_phrase_at(toks, i, hi)
            if n:
                i = n
                continue
            return i
        return i

    def _adverb_phrase_at(self, toks: list[Tok], i: int, hi: int) -> int:
        phs = self.lex.adverb_phrases.get(toks[i].k)
        if not phs:
            return 0
        for p in phs:
            n = len(p)
            if i + n <= hi and all(toks[i + x].k == p[x] for x in range(n)):
                return i + n
        return 0

    def _interpret(self, np: list[Tok]) -> Mention | None:
        """Name or description? `np` is a noun phrase (determiner first, if any)."""
        lex = self.lex
        if not np:
            return None
        det = np[0].k if np[0].k in lex.determiners else None
        body = np[1:] if det is not None else np
        if not body:
            return None
        # a date or a time is not a speaker ("le 21 décembre", "mardi")
        timed = any(t.k in lex.time_words for t in body)
        if timed and not any(self._is_name_tok(t) and t.k not in lex.time_words for t in body) \
                or all(t.k in lex.time_words or t.text.isdigit() for t in body):
            return None
        gender = lex.determiners.get(det, "") if det else ""
        # the name at the right end
        n = len(body)
        r = n
        while r > 0 and (self._is_name_tok(body[r - 1]) or (body[r - 1].k in lex.honorifics and body[r - 1].cap)
                         or (r < n and r - 2 >= 0 and self._particle(body[r - 1], body[r - 2], body[r]))
                         or (r < n and r - 2 >= 0 and body[r - 1].k in lex.name_connectors and not body[r - 1].cap
                             and self._is_name_tok(body[r - 2]))):
            r -= 1
        run = self._trim_run(body[r:])
        r = n - len(run)
        if run and lex.capitalized_nouns and det is not None and r == 0:
            # German: "der Sprecher" is a noun, not a name; "die Ministerin Eva Brandt" is a title and a name
            run = run[1:] if len(run) >= 2 and run[0].k in lex.titles else []
            r = n - len(run)
        if run and lex.capitalized_nouns and r > 0 and body[r - 1].k in lex.complement_markers:
            run = []
        if run:
            before = body[r - 1] if r > 0 else None
            complement = before is not None and (
                before.k in lex.complement_markers or before.k == "'s"
                or (before.k in lex.determiners and r - 2 >= 0 and body[r - 2].k in lex.complement_markers))
            if complement and len(run) >= 3 and not run[0].k in lex.honorifics:
                # "secrétaire d'État Antony Blinken", "de l'OTAN Jens Stoltenberg": the first word closes the title
                run = run[1:]
                complement = False
            if not complement and not (before is not None and before.k in lex.group_nouns and not before.cap):
                g = gender
                for t in run:
                    if t.k in lex.honorifics:
                        g = lex.honorifics[t.k] or g
                for t in body[:r]:
                    tg = lex.titles.get(t.k)
                    if tg:
                        g = tg
                m = Mention("name", run[0].s, run[-1].e, np, run, g, det in lex.definite if det else False)
                if r == 0 and det is not None:
                    m.definite = True  # "la Maison Blanche": a name with an article (an organisation or place)
                return m
        # a description
        if all(t.kind == "w" and t.k in lex.function_words and not t.cap for t in body):
            return None
        if det is None and len(body) == 1 and not (body[0].k in lex.titles or body[0].k in lex.group_nouns
                                                   or body[0].k in lex.document_nouns):
            return None  # "heard", "worth": a lone word is no speaker
        for t in body:
            tg = lex.titles.get(t.k)
            if tg and not gender:
                gender = tg
        return Mention("desc", np[0].s, np[-1].e, np, [], gender, det in lex.definite if det else False)

