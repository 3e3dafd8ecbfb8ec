"""Speakers of mentions: "M. Sullivan" -> "Jake Sullivan", "il" -> the last compatible speaker, "le porte-parole"
-> the person the article names in that role (see `attribution` for the rules)."""

from __future__ import annotations

from bisect import bisect_left

from .document_memory import DocumentState
from .lexicon import Lexicon, first_names, key, plain
from .mentions import PERSON_TYPES, Mention, Speaker
from .text import Tok

GENDER_LOOKBACK = 0  # speakers of unknown gender a pronoun may skip to reach one of its gender
PERSON_MEMO_SIZE = 50_000  # runs of words remembered as person names or not, per language
_UNKNOWN = object()
PRONOUN_WINDOW = 1500  # characters before a pronoun where what it refers to is looked for in skimmed sentences


class SpeakerResolution:
    """Mentions resolved to speakers: names to their fullest form or entity, pronouns to a compatible earlier
    speaker, role descriptions to the person named in that role. A mixin of the attribution analyzer: it
    reads `self.t`, `self.lex`, `self.doc` and its caches."""

    t: str
    lex: Lexicon
    doc: DocumentState

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
            et = ent.type
            canonical = ent.canonical or text
            eid = ent.entity_id
            target = ent.refers_to
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
        memo = self.lex.person_names
        r = memo.get(ck, _UNKNOWN)
        if r is _UNKNOWN:
            if len(memo) >= PERSON_MEMO_SIZE:
                memo.clear()
            r = memo[ck] = self._name_person1(words)
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

