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

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from .lexicon import Lexicon, first_names, key, plain
from .marks import QuoteSpan
from .text import Tok, sentences, tokenize

__all__ = ["Attribution", "attribute", "Speaker", "Mention"]

MAX_NP = 14  # tokens in a speaker noun phrase
_DASHES = frozenset({"—", "–", "―", "-"})
GENDER_LOOKBACK = 0  # speakers of unknown gender a pronoun may skip to reach one of its gender
PRONOUN_WINDOW = 1500  # characters before a pronoun where what it refers to is looked for in skimmed sentences
PARTIAL_TOKENS = 8  # tokens read from a sentence with no quotation and no cue
_UPPER = "A-ZÀ-ÖØ-ÞĀ-ŽА-ЯЁ"
_NAME_RUN = re.compile(rf"(?<![\w'’-])[{_UPPER}][\w'’-]*(?:\.?[ \t\u00a0](?:[{_UPPER}][\w'’-]*|[{_UPPER}]\.))+")
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


class _Doc:
    """Per-document state: names seen, roles, speakers in order (for pronouns), entities."""

    def __init__(self, text: str, lex: Lexicon, entities: list[tuple[int, int, Any]]):
        self.text = text
        self.lex = lex
        self.entities = entities
        self.ent_starts = [e[0] for e in entities]
        self.by_id: dict[str, str] = {}  # entity id -> canonical name
        for _, _, item in entities:
            eid = _eid(item)
            if eid and eid not in self.by_id:
                self.by_id[eid] = str(_eget(item, "canonical") or _eget(item, "text") or "")
        self.history: list[tuple[int, Speaker]] = []
        self.mentions: list[tuple[int, Mention]] = []  # names of people, wherever they stand
        self.roles: list[tuple[int, frozenset[str], str, Speaker]] = []  # (pos, role words, head, person)
        self.descs: list[tuple[int, frozenset[str], str, Speaker]] = []  # earlier descriptions
        self.names: dict[str, list[tuple[str, int, bool]]] = {}  # last-token key -> (full name, n tokens, person)
        self.gender: dict[str, str] = {}  # canonical -> gender
        self.mid_caps: set[str] = set()  # capitalised words seen inside sentences (names, not sentence starts)

    # ---- entities --------------------------------------------------------------------------------------
    def entity_at(self, s: int, e: int, prefer_person: bool = True) -> Any | None:
        if not self.entities:
            return None
        i = bisect_left(self.ent_starts, s - 200)
        best = None
        for es, ee, item in self.entities[i:]:
            if es >= e:
                break
            if ee <= s:
                continue
            if best is None or (prefer_person and _etype(item) in PERSON_TYPES and _etype(best[2]) not in PERSON_TYPES):
                best = (es, ee, item)
        return best[2] if best else None


def _eget(item: Any, name: str, default=None):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _etype(item: Any) -> str:
    return str(_eget(item, "type", "") or _eget(item, "label", "") or "").upper()


class _Analyzer:
    def __init__(self, text: str, lex: Lexicon, quotes: list[QuoteSpan], entities: list[tuple[int, int, Any]]):
        self.t = text
        self.lex = lex
        self.quotes = quotes
        self.doc = _Doc(text, lex, entities)
        self.out: list[Attribution] = []
        self._name_cache: dict[tuple, Speaker] = {}
        self._person_cache: dict[tuple, bool | None] = {}
        self._pending_roles: list[tuple[list[Tok], Mention]] = []
        self._skimmed: list[tuple] = []  # sentences without quotation or cue, skimmed when needed
        self._skim_starts: list[int] = []
        self._skim_done: list[bool] = []

    # ================================================================================ noun phrases ======
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
        if t.k in lex.complement_markers or t.k in lex.complementizers or t.k in lex.relative_pronouns:
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
            run = []  # German: "der Sprecher" is a noun, not a name
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

    # ================================================================================ cues =============
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
            if prev is not None and prev.k in lex.passive_before:
                done = i + j
                continue
            if j == 1 and k in lex.noun_forms:
                # "tweets", "claims": a verb only right after its subject or after a quotation
                p0 = toks[i - 1] if i > 0 else None
                if not (p0 is None or p0.kind != "w" or p0.k in lex.pronouns or self._is_name_tok(p0)
                        or p0.k in lex.titles or p0.k in lex.auxiliaries):
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
                return m
        if b >= lo and toks[b].text == ",":
            m2 = self._apposition_left(toks, b, lo)
            if m2 is not None:
                return m2
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

    # ================================================================================ resolution =======
    def _resolve(self, m: Mention | None, pos: int, sent_subject: Mention | None = None) -> Speaker | None:
        if m is None:
            return None
        if m.kind == "name":
            return self._resolve_name(m)
        if m.kind == "desc":
            return self._resolve_desc(m, pos)
        # pronoun or zero subject
        return self._resolve_pronoun(m, pos, sent_subject)

    def _resolve_name(self, m: Mention) -> Speaker:
        ck = (m.s, m.e, m.gender, bool(m.appos))
        sp = self._name_cache.get(ck)
        if sp is None:
            sp = self._name_cache[ck] = self._resolve_name1(m)
        return sp

    def _resolve_name1(self, m: Mention) -> Speaker:
        lex = self.lex
        doc = self.doc
        run = list(m.name_toks)
        while len(run) > 1 and (run[0].k in lex.honorifics or run[0].k in lex.titles):
            run = run[1:]  # "M. Sullivan", "Bundeskanzler Olaf Scholz"
        text = self.t[run[0].s:run[-1].e]
        ent = doc.entity_at(m.name_toks[0].s, m.name_toks[-1].e)
        if ent is not None:
            et = _etype(ent)
            canonical = _eget(ent, "canonical") or _eget(ent, "text") or text
            eid = _eid(ent)
            target = _eget(ent, "refers_to")
            if target and target in doc.by_id:  # a capital naming its government: "Moscou a rejeté"
                canonical, eid = doc.by_id[target], target
            sp = Speaker(str(canonical), "name", et in PERSON_TYPES if et else None, m.gender, eid, m.s, m.e)
        else:
            article = m.definite and m.toks and m.toks[0].k in lex.determiners and m.name_toks[0] is m.toks[1] \
                if len(m.toks) > 1 else False
            full, person = self._full_name(run)
            weak = False
            if article:
                person = False
            elif any(t.k in lex.honorifics for t in m.name_toks) or any(t.k in lex.titles for t in m.toks):
                person = True
            elif len(run) == 1 and " " not in full and run[0].k not in self._mid_caps() \
                    and plain(run[0].text) not in first_names():
                # only ever capitalised at the start of a sentence: maybe a common noun ("Politicians said")
                person, weak = None, True
            sp = Speaker(full or text, "name", person, m.gender, None, m.s, m.e, weak)
        g = sp.gender or doc.gender.get(sp.name, "")
        if not g and sp.person is not False:
            g = self._name_gender(sp.name)
        sp.gender = g
        if g:
            doc.gender.setdefault(sp.name, g)
        if m.appos:
            self._add_role(m.appos, sp)
        return sp

    def _mid_caps(self) -> set[str]:
        """Capitalised words seen inside sentences (names, not just sentence starts; see _collect)."""
        return self.doc.mid_caps

    def _full_name(self, run: list[Tok]) -> tuple[str, bool | None]:
        names = self.doc.names.get(run[-1].k)
        text = self.t[run[0].s:run[-1].e]
        own = self._name_person([t.text for t in run])
        if not names:
            return text, own
        names = [x for x in names if x[1] <= 4 or x[2] is True] or names
        best = max(names, key=lambda x: (x[2] is not False, x[1] <= 4, x[1], len(x[0])))
        if best[1] >= len(run) and best[2] is not False:
            return best[0], (best[2] if best[2] is not None else own)
        return text, own

    def _name_person(self, words: list[str]) -> bool | None:
        """Is a name (without article) a person's? A known first name says yes; an acronym or an organisation
        word ("News", "Council") says no; otherwise two to four words say yes (more is a headline)."""
        if not words:
            return None
        ck = tuple(words)
        if ck in self._person_cache:
            return self._person_cache[ck]
        r = self._person_cache[ck] = self._name_person1(words)
        return r

    def _name_person1(self, words: list[str]) -> bool | None:
        fn = first_names()
        lex = self.lex
        if len(words) <= 4 and any(plain(w) in fn for w in words[:-1]):
            return True
        if len(words) > 4 or any(key(w) in lex.verb_forms for w in words):
            return False
        if any(len(w) >= 2 and w.isupper() and w.isalpha() for w in words):
            return False
        if any(key(w) in lex.group_nouns or plain(w) in lex.group_nouns for w in words):
            return False
        return True if len(words) >= 2 else None

    def _name_gender(self, name: str) -> str:
        fn = first_names()
        for w in name.split()[:-1]:
            g = fn.get(plain(w).strip("."))
            if g:
                return g
        return ""

    def _resolve_desc(self, m: Mention, pos: int) -> Speaker:
        lex = self.lex
        doc = self.doc
        words = self._content(m.toks)
        head = self._head(m.toks)
        text = self.t[m.s:m.e]
        is_doc = head in lex.document_nouns
        person: bool | None = None
        if head in lex.titles:
            person = True
        elif head in lex.group_nouns or is_doc:
            person = False
        if m.definite and not is_doc and head:
            self._catch_up(pos)
            # 1. a person the article names in this role
            best = None
            for rpos, rwords, rhead, sp in doc.roles:
                if head not in rwords or self._named_in(sp, words):
                    continue
                score = len(words & rwords)
                cand = (score, rpos <= pos, rpos, sp)
                if best is None or cand[:3] > best[:3]:
                    best = cand
            if best is not None:
                return best[3]
            # 2. an earlier description with the same head
            best = None
            for dpos, dwords, dhead, sp in doc.descs:
                if dhead != head or dpos >= pos:
                    continue
                cand = (len(words & dwords), dpos, sp)
                if best is None or cand[:2] > best[:2]:
                    best = cand
            if best is not None:
                return best[2]
            # 3. a leader's title with nothing to match ("le chef d'État"): the person the article last quoted
            if head in lex.leader_titles and len(words) <= 3:
                for hpos, sp in reversed(doc.history):
                    same = not m.gender or not sp.gender or m.gender == sp.gender or m.gender == "p"
                    if hpos < pos and sp.kind == "name" and sp.person and same and not self._named_in(sp, words):
                        return sp
                    if pos - hpos > 3000:
                        break
        sp = Speaker(text, "description", person, m.gender, None, m.s, m.e)
        if head:
            doc.descs.append((pos, words, head, sp))
        return sp

    def _remember(self, pos: int, sp: Speaker) -> None:
        """A speaker or subject at `pos`, for pronouns that follow (kept in text order, one entry per mention of
        the same speaker in a row)."""
        h = self.doc.history
        i = bisect_left(h, pos, key=lambda x: x[0])
        if i > 0 and h[i - 1][1] is sp:
            return
        if i < len(h) and h[i][1] is sp:
            h[i] = (pos, sp)
            return
        h.insert(i, (pos, sp))

    def _named_in(self, sp: Speaker, words: frozenset[str]) -> bool:
        """Does a description name this person ("le conseiller de Poutine" is not Poutine)?"""
        last = [w for w in sp.name.split()[-1:]]
        if sp.start >= 0:
            last += self.t[sp.start:sp.end].split()[-1:]
        return any(key(w) in words or plain(w) in words for w in last)

    def _resolve_pronoun(self, m: Mention, pos: int, sent_subject: Mention | None) -> Speaker | None:
        doc = self.doc
        g = m.gender
        if g == "1":
            return None  # "je", "nous", "I", "we": the speaker is not named here
        self._catch_up(pos, PRONOUN_WINDOW)
        if sent_subject is not None and sent_subject.kind in ("name", "desc") \
                and sent_subject.e <= (m.s if m.s >= 0 else pos):
            sp = self._resolve(sent_subject, sent_subject.s)
            if sp is not None and self._compatible(sp, g, strict=True):
                return sp
        fallback = unknown = None
        seen = since = 0
        for hpos, sp in reversed(doc.history):
            if hpos >= pos:
                continue
            if pos - hpos > 4000:
                break
            seen += 1
            if unknown is not None and seen - since > GENDER_LOOKBACK:
                break  # a person of unknown gender, and nobody of the right gender just before
            if g in ("m", "f") and sp.gender == g and sp.person is not False:
                return sp  # the most recent person of that gender
            if g in ("m", "f"):
                if unknown is None and self._compatible(sp, g, strict=True):
                    unknown, since = sp, seen
                if fallback is None and self._compatible(sp, g, strict=False):
                    fallback = sp
                continue
            if self._compatible(sp, g, strict=True):
                return sp
            if fallback is None and self._compatible(sp, g, strict=False):
                fallback = sp
        found = unknown or fallback
        if found is None:
            # people named elsewhere in the sentence or before (objects, not only subjects)
            for mpos, mm in reversed(doc.mentions):
                if mpos >= pos or pos - mpos > 3000:
                    continue
                sp = self._resolve_name(mm)
                if g in ("m", "f") and sp.gender == g and sp.person is not False:
                    return sp
        return found

    def _compatible(self, sp: Speaker, g: str, strict: bool) -> bool:
        if g in ("m", "f"):
            if sp.person is False or sp.gender == "p":
                return False
            if strict and sp.person is None:
                return False
            return not sp.gender or sp.gender == g or sp.gender not in ("m", "f")
        if g == "p":
            return sp.gender == "p" or sp.person is False or not strict
        if g == "n":
            return sp.person is not True
        # unknown gender (zero subject, "sie"): anyone, people first
        return sp.person is not False or not strict

    def _content(self, toks: list[Tok]) -> frozenset[str]:
        lex = self.lex
        return frozenset(t.k for t in toks if t.kind == "w" and t.k not in lex.determiners
                         and t.k not in lex.complement_markers and t.k not in lex.function_words and t.k != "'s")

    def _head(self, toks: list[Tok]) -> str:
        lex = self.lex
        words = [t for t in toks if t.kind == "w"]
        for t in words:
            if t.k in lex.titles or t.k in lex.document_nouns:
                return t.k
        # multi-word titles
        for i, t in enumerate(words):
            for p in lex.title_phrases.get(t.k, ()):
                if all(i + x < len(words) and words[i + x].k == p[x] for x in range(len(p))):
                    return " ".join(p)
        for t in words:
            if t.k not in lex.determiners and t.k not in lex.function_words and t.k not in lex.complement_markers:
                return t.k
        return ""

    def _add_role(self, role_toks: list[Tok], sp: Speaker) -> None:
        words = self._content(role_toks)
        head = self._head(role_toks)
        if head and words:
            self.doc.roles.append((role_toks[0].s, words, head, sp))

    # ================================================================================ document =========
    def _collect(self, toks: list[Tok]) -> None:
        """Names and roles of one sentence (for canonical names and role descriptions). A headline in title
        case ("Gold Star Mom Corners Obama") names nobody."""
        lex = self.lex
        n = len(toks)
        if n >= 5 and self.t[toks[-1].e:toks[-1].e + 1] != "." and not lex.capitalized_nouns:
            words = [t for t in toks if t.kind == "w"]
            if len(words) >= 5 and sum(1 for t in words if t.cap) >= 0.7 * len(words):
                return
        names = self.doc.names
        not_name = lex.not_name
        honorifics = lex.honorifics
        done = -1
        caps = [x for x, t in enumerate(toks) if t.cap]
        mid = self.doc.mid_caps
        for x in caps:
            if x > 0 and toks[x - 1].kind == "w":
                mid.add(toks[x].k)
        for i in caps:
            if i < done:
                continue
            t = toks[i]
            if t.k in not_name and t.k not in honorifics:
                continue
            j = i
            while j < n and (self._is_name_tok(toks[j]) or (toks[j].cap and toks[j].k in lex.honorifics)
                             or (j - i == 1 and j + 1 < n and self._particle(toks[j], toks[j - 1], toks[j + 1]))):
                j += 1
            run = list(toks[i:j])
            while run and (run[0].k in lex.honorifics or run[0].k in lex.titles):
                run = run[1:]
            if i == 0 and len(run) >= 2 and run[0] is toks[0] and (
                    lex.is_participle(run[0].k) or run[0].k in lex.verb_forms or lex.is_adverb(run[0].k)):
                run = run[1:]  # "Injecting Clinton's troubles …": the sentence's first word is no name
            run = self._trim_run(run)
            prev = toks[i - 1] if i > 0 else None
            article = prev is not None and prev.kind == "w" and (
                prev.k in lex.determiners or prev.k in lex.contracted_articles)
            complement = prev is not None and prev.kind == "w" and prev.k in lex.complement_markers
            if complement and len(run) >= 3:
                run = run[1:]
                article = False
            if run:
                if lex.capitalized_nouns and article:
                    run = []
                if run:
                    full = self.t[run[0].s:run[-1].e]
                    if len(run) >= 2:
                        person = False if article else self._name_person([x.text for x in run])
                        names.setdefault(run[-1].k, []).append((full, len(run), person))
                    else:
                        person = False if article else None
                    if person is not False:
                        self._collect_roles(toks, i, j, run, prev, complement)
                        if person or any(x.k in lex.honorifics for x in toks[i:j]):
                            self.doc.mentions.append((run[0].s, Mention("name", run[0].s, run[-1].e, toks[i:j], run)))
            done = j

    def _collect_roles(self, toks: list[Tok], i: int, j: int, run: list[Tok], prev: Tok | None,
                       complement: bool) -> None:
        """Roles said of the name toks[i:j]: "le président russe Vladimir Poutine", "Iouri Ouchakov, conseiller
        de Poutine,", "le porte-parole du Kremlin, Dmitri Peskov,". Resolved once every name is known."""
        lex = self.lex
        n = len(toks)
        roles = []
        # "role Name" without a comma
        if prev is not None and not complement:
            r = i - 1
            while r >= 0 and toks[r].kind == "w" and not toks[r].cap and toks[r].k not in lex.boundary \
                    and toks[r].k not in lex.verb_forms and i - r < 7:
                r -= 1
            role = toks[r + 1:i]
            if role and any(x.k in lex.titles for x in role):
                roles.append(role)
        # "Name, role," and "role, Name,"
        if j < n and toks[j].text == ",":
            k = j + 1
            while k < n and toks[k].kind == "w" and k - j < MAX_NP:
                k += 1
            if k > j + 1 and (k >= n or toks[k].kind != "w"):
                d = self._np_backward(toks, k - 1, j + 1)
                if d is not None and d.kind == "desc" and d.toks[0] is toks[j + 1] and self._head(d.toks) in lex.titles:
                    roles.append(d.toks)
        if i >= 2 and toks[i - 1].text == "," and (j >= n or toks[j].kind != "w"):
            x = i - 2
            while x >= 0 and toks[x].kind == "w" and i - x < MAX_NP:
                x -= 1
            d = self._np_backward(toks, i - 2, x + 1)
            if d is not None and d.kind == "desc" and d.toks[0] is toks[x + 1] and self._head(d.toks) in lex.titles:
                roles.append(d.toks)
        if roles:
            m = Mention("name", run[0].s, run[-1].e, toks[i:j], run)
            for role in roles:
                self._pending_roles.append((role, m))

    def _entity_roles(self) -> None:
        """Roles the entities stage found ("porte-parole du Kremlin" said of Dmitri Peskov)."""
        lex = self.lex
        for s, e, item in self.doc.entities:
            role = _eget(item, "role")
            if not role or _etype(item) not in PERSON_TYPES:
                continue
            words = [key(w) for w in re.findall(r"\w+(?:[-'’]\w+)*", str(role))]
            content = frozenset(w for w in words if w not in lex.determiners and w not in lex.complement_markers
                                and w not in lex.function_words)
            head = next((w for w in words if w in lex.titles), "")
            if not head or not content or words[-1] in lex.complement_markers:
                continue  # no title, or a dangling complement ("conseiller de" said of the one advised)
            canonical = str(_eget(item, "canonical") or _eget(item, "text") or "")
            sp = Speaker(canonical, "name", True, "", _eid(item), s, e)
            sp.gender = self._name_gender(canonical)
            self.doc.roles.append((s, content, head, sp))

    def _resolve_roles(self) -> None:
        for role, m in self._pending_roles:
            sp = self._resolve_name(m)
            if sp.person is not False:
                if not sp.gender:
                    sp.gender = self.lex.titles.get(self._head(role), "") or ""
                self._add_role(role, sp)
        self._pending_roles.clear()

    def _catch_up(self, pos: int, window: int | None = None) -> None:
        """Skim the sentences without quotation or cue that start before `pos` (within `window` characters
        before it, when given: what a pronoun may refer to): their opening words (who the sentence is about),
        names and roles (after an opener: "In an interview, Trump …")."""
        t = self.t
        lex = self.lex
        skimmed = self._skimmed
        hi = bisect_left(self._skim_starts, pos)
        lo = 0 if window is None else bisect_left(self._skim_starts, pos - window)
        for k in range(lo, hi):
            if self._skim_done[k]:
                continue
            self._skim_done[k] = True
            s, e = skimmed[k][:2]
            limit = PARTIAL_TOKENS
            first = t[s:s + 20].split(None, 1)
            fk = first[0].lower() if first else ""
            if fk in lex.function_words and fk not in lex.determiners and fk not in lex.pronouns:
                comma = t.find(",", s, min(e, s + 100))
                if comma != -1:
                    limit = PARTIAL_TOKENS + len(t[s:comma].split()) + 1
            toks = tokenize(t, s, e, (), lex, limit=limit)
            self._collect(toks)
            self._resolve_roles()
            subject = self._opening_subject(toks)
            if subject is not None and self._speakerlike(subject):
                sp = self._resolve(subject, subject.s)
                if sp is not None and sp.person is not False:
                    self._remember(subject.s, sp)

    def _collect_names(self, s: int, e: int) -> None:
        """Names of two words or more in text[s:e] (sentences only skimmed), without tokenizing."""
        lex = self.lex
        if lex.capitalized_nouns:
            return  # German: capitalised runs are nouns as often as names
        strip = lex.name_strip
        t = self.t
        names = self.doc.names
        mid = self.doc.mid_caps
        for m in _NAME_RUN.finditer(t, s, e):
            words = m.group().split()
            while words and words[0].lower() in strip:
                words = words[1:]
            if len(words) < 2:
                continue
            prev = t[max(s, m.start() - 12):m.start()].split()
            if prev and prev[-1].lower() in lex.article_words:
                continue
            low = [w.lower() for w in words]
            names.setdefault(low[-1], []).append((" ".join(words), len(words), self._name_person(words)))
            mid.update(low)

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
            for s, e, para in sentences(t, bs, be, qspans):
                lo = bisect_left(qspans, (s, -1))
                hi = bisect_left(qspans, (e, -1))
                h = bisect_left(hits, s)
                cue = h < len(hits) and hits[h] < e
                if cue and not (hi > lo or quoted or t[e - 1] == ":"):
                    # a cue without quotation matters for indirect speech ("que", "that", "selon") only
                    cue = lex.has_more(t, low, bs, hits[h], e)
                full = hi > lo or cue
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
            if spk is not None:
                ends_colon = bool(toks) and toks[-1].text == ":"
                last_speaker_para = (para_no, spk, ends_colon)
        return self.out

    def _whole(self, toks: list[Tok], x: int) -> bool:
        """Is the quotation (nearly) the whole sentence?"""
        return sum(1 for t in toks if t.kind == "w") <= 2

    def _cue_for(self, toks: list[Tok], x: int, cues: list[Cue], qidx: list[int]) -> Cue | None:
        lex = self.lex
        verbs = [c for c in cues if c.kind in ("verb", "participle") and c.speaker is not None]
        before = [c for c in verbs if c.j <= x and not self._hard_break(toks, c.j, x)]
        if before:
            if before[-1].relative and len(before) > 1 and not before[-2].relative:
                return before[-2]  # "X told a woman who suggested that … “…”": X's words
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
            a, b = toks[found + 1].s, toks[end - 1].e
            while b > a and self.t[b - 1] in ".,;: ":
                b -= 1
            # skip when a direct quotation already covers (nearly) all of it
            covered = sum(max(0, min(b, q.close_end) - max(a, q.open_start)) for q in self.quotes
                          if q.open_start < b and q.close_end > a)
            if covered >= 0.8 * (b - a):
                continue
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
            a, b = toks[a_i].s, toks[b_i - 1].e
            while b > a and self.t[b - 1] in ".,;: ":
                b -= 1
            covered = sum(max(0, min(b, q.close_end) - max(a, q.open_start)) for q in self.quotes
                          if q.open_start < b and q.close_end > a)
            if covered >= 0.8 * (b - a):
                continue
            mspan = (c.mention.s, c.mention.e) if c.mention is not None and c.mention.s >= 0 else None
            self.out.append(Attribution(a, b, "indirect", c.speaker, self.t[toks[c.i].s:toks[c.j - 1].e],
                                        (toks[c.i].s, toks[c.j - 1].e), mspan))


def _eid(item: Any) -> str | None:
    v = _eget(item, "entity_id")
    if v is None:
        v = _eget(item, "id")
    return None if v is None else str(v)


def attribute(text: str, blocks: list[tuple[int, int]], quotes: list[QuoteSpan], lex: Lexicon,
              entities: list[tuple[int, int, Any]] | None = None) -> list[Attribution]:
    """Attributions (direct and indirect) for the quotations of `text` (offsets into `text`). `blocks` are the
    body ranges; `entities` are (start, end, item) sorted by start, offsets into `text`."""
    return _Analyzer(text, lex, quotes, entities or []).run(blocks)
