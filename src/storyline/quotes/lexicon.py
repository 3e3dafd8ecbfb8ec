"""Per-language attribution knowledge, read from `storyline/lang/quotes/<code>.json`.

A table lists reporting verbs (`verbs`: regular verbs by paradigm, whose third-person forms are generated, no
future or conditional; irregular verbs and fixed expressions by their forms), the words around a verb
(`auxiliaries`, `clitics`, `adverbs` including multi-word ones, `adverb_suffixes` and
`group_adverb_suffixes`, `not_cue_after` for noun uses and infinitives, `not_cue_before_passive`,
`participle_suffixes` and `participle_adjunct_markers`, `noun_forms` that are verbs only after a subject),
pronouns (`pronouns` with gender m/f/p/n, "1" for the first person; `inverted_pronouns` as in "a-t-il";
`object_pronouns` after "selon"; `impersonal_source` after "on" as in "explique-t-on à"), noun phrases
(`determiners` with gender, `definite_determiners`, `possessive_determiners`, `complement_markers`,
`contracted_articles`, `title_complements`, `elision_prefixes`, `possessive_suffixes`, `name_particles`,
`name_connectors`), clause words (`relative_pronouns`, `coordinators`, `complementizers`, `boundary_words`,
`function_words`), `source_markers` ("selon", "according to"), `source_markers_post` ("zufolge"),
`source_markers_initial` ("Pour X, …"), `honorifics`, person `titles` with gender and `leader_titles`,
`group_nouns`, `document_nouns`, `time_words` (plus the month and weekday names of `storyline.lang`) and
`capitalized_nouns` (German). No code names a language: adding a language is adding a file.
`_first_names.json` (shared) gives the usual gender of common first names.

Every word is looked up by `key(word)`: lower case, typographic apostrophes made plain. Content words (verb
forms, titles, group and document nouns, honorifics) also match without their accents ("Etat", "declare").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Lexicon", "lexicon", "available", "first_names", "key", "plain", "DEFAULT_LANGUAGE"]

DEFAULT_LANGUAGE = "en"

# Latin letters with diacritics -> base letter (a translate table: much faster than NFKD per token).
def _deaccent_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0xC0, 0x250):
        c = chr(cp)
        base = unicodedata.normalize("NFKD", c)[:1]
        if base != c and base.isascii() and base.isalpha():
            table[cp] = base
    for c, b in {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ħ": "h", "Ħ": "H", "ı": "i",
                 "’": "'", "‘": "'", "ʼ": "'", "ё": "е", "Ё": "Е"}.items():
        table[ord(c)] = b
    return table


_DEACCENT = _deaccent_table()


_APOS = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "ё": "е"})


def key(word: str) -> str:
    """The lookup key of a word or phrase: lower case, plain apostrophes (accents kept: "a" is not "à")."""
    return word.lower().translate(_APOS)


def plain(word: str) -> str:
    """A key without accents ("etat" for "État"), for content words written without their accents."""
    return word.lower().translate(_DEACCENT)


@lru_cache(maxsize=1)
def available() -> tuple[str, ...]:
    names = (p.name for p in resources.files("storyline.lang").joinpath("quotes").iterdir())
    return tuple(sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith("_")))


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Folded first name -> "m" or "f" (`lang/quotes/_first_names.json`, shared by every language)."""
    try:
        with resources.files("storyline.lang").joinpath("quotes", "_first_names.json").open(encoding="utf-8") as f:
            data = json.load(f)
    except (FileNotFoundError, OSError):
        return {}
    out: dict[str, str] = {}
    for g in ("f", "m"):
        for name in data.get(g, []):
            out.setdefault(plain(name), g)
    return out


def _keys(words) -> frozenset[str]:
    return frozenset(key(w) for w in words)


def _content_keys(words) -> frozenset[str]:
    """Keys of content words, with their accent-less spellings too."""
    out = set()
    for w in words:
        out.add(key(w))
        out.add(plain(w))
    return frozenset(out)


def _content_map(d: dict[str, str]) -> dict[str, str]:
    out = {}
    for w, v in d.items():
        out.setdefault(key(w), v)
        out.setdefault(plain(w), v)
    return out


def _phrases(words) -> dict[str, list[tuple[str, ...]]]:
    """Multi-word phrases indexed by their first word's key: {first: [(w1, w2, ...), ...]} (longest first)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for w in words:
        toks = tuple(key(w).replace("'", "' ").split())
        if toks:
            out.setdefault(toks[0], []).append(toks)
    for v in out.values():
        v.sort(key=len, reverse=True)
    return out


@dataclass(slots=True)
class Lexicon:
    code: str
    verb_forms: dict[str, str]  # form key -> lemma (single-word forms)
    verb_phrases: dict[str, list[tuple[str, ...]]]  # multi-word forms by first word
    participle_suffixes: tuple[str, ...]
    noun_forms: frozenset[str]
    adjunct_markers: frozenset[str]
    not_cue_after: frozenset[str]
    passive_before: frozenset[str]
    auxiliaries: frozenset[str]
    clitics: frozenset[str]
    adverbs: frozenset[str]  # single-word adverbs and time words
    adverb_suffixes: tuple[str, ...]
    group_adverb_suffixes: tuple[str, ...]
    leader_titles: frozenset[str]
    not_adverbs: frozenset[str]
    adverb_phrases: dict[str, list[tuple[str, ...]]]
    pronouns: dict[str, str]  # key -> gender ("m", "f", "p", "n" or "")
    pronoun_phrases: dict[str, list[tuple[str, ...]]]
    inverted_pronouns: frozenset[str]
    object_pronouns: dict[str, str]
    impersonal_source: frozenset[str]
    impersonal_after: frozenset[str]
    determiners: dict[str, str]
    definite: frozenset[str]
    possessive_determiners: frozenset[str]
    complement_markers: frozenset[str]
    title_complements: frozenset[str]
    contracted_articles: frozenset[str]
    possessive_suffixes: tuple[str, ...]
    elision_prefixes: frozenset[str]
    relative_pronouns: frozenset[str]
    coordinators: frozenset[str]
    complementizers: frozenset[str]
    boundary: frozenset[str]
    source_markers: dict[str, list[tuple[str, ...]]]
    source_markers_post: frozenset[str]
    source_markers_initial: dict[str, list[tuple[str, ...]]]
    honorifics: dict[str, str]
    titles: dict[str, str]  # single-word title key -> gender
    title_phrases: dict[str, list[tuple[str, ...]]]
    group_nouns: frozenset[str]
    document_nouns: frozenset[str]
    name_particles: frozenset[str]
    name_connectors: frozenset[str]
    function_words: frozenset[str]
    time_words: frozenset[str]
    cue_re: re.Pattern[str]  # lower-case cue words (see positions)
    more_re: re.Pattern[str]  # complementizers and source markers
    not_name: frozenset[str]
    cue_starts: frozenset[str]  # first words of every cue
    name_strip: frozenset[str]  # words that do not begin a name (function words, titles, determiners)
    article_words: frozenset[str]  # determiners and contracted articles: a name after them is no person's
    capitalized_nouns: bool
    raw: dict[str, Any] = field(repr=False, default_factory=dict)
    # whether a run of words names a person (it depends on the table alone): shared by the documents
    person_names: dict[tuple[str, ...], bool | None] = field(repr=False, compare=False, default_factory=dict)

    def is_cue_form(self, k: str) -> bool:
        return k in self.verb_forms

    def positions(self, text: str, start: int, end: int,
                  skip: list[tuple[int, int]] = ()) -> tuple[list[int], str | None]:
        """Where words that may start a cue begin in text[start:end], outside the `skip` spans (quotations),
        found on lower-cased text (a fast pre-filter: sentences without them need less analysis); and the
        lower-cased text (None when lower-casing changes its length: then the searches ignore case)."""
        low = text[start:end].lower()
        if len(low) != end - start:  # a letter whose lower case is longer: search case-insensitively
            cue = re.compile(self.cue_re.pattern, re.IGNORECASE)
            return [m.start() for m in cue.finditer(text, start, end)], None
        out: list[int] = []
        pos = 0
        rx = self.cue_re
        for a, b in skip:
            a, b = max(a - start, 0), min(b - start, end - start)
            if b <= pos:
                continue
            if a > pos:
                out.extend(m.start() + start for m in rx.finditer(low, pos, a))
            pos = max(pos, b)
        out.extend(m.start() + start for m in rx.finditer(low, pos))
        return out, low

    def has_more(self, text: str, low: str | None, offset: int, start: int, end: int) -> bool:
        """Is there a complementizer or a source marker in text[start:end] (`low` is text lower-cased from
        `offset`, or None)?"""
        if low is None:
            return re.compile(self.more_re.pattern, re.IGNORECASE).search(text, start, end) is not None
        return self.more_re.search(low, start - offset, end - offset) is not None

    def is_adverb(self, k: str) -> bool:
        """A single-word adverb: listed, or formed with an adverb suffix ("aggressively")."""
        if k in self.adverbs:
            return True
        return bool(self.adverb_suffixes) and len(k) > 4 and k.endswith(self.adverb_suffixes) \
            and k not in self.not_adverbs

    def is_participle(self, k: str) -> bool:
        return bool(self.participle_suffixes) and k.endswith(self.participle_suffixes)


def _verb_forms(verbs: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    forms: dict[str, str] = {}
    phrases: list[str] = []
    paradigms = verbs.get("paradigms", {})
    for cls, lemmas in verbs.get("regular", {}).items():
        p = paradigms.get(cls)
        if not p:
            continue
        strip = p.get("strip", "")
        for lemma in lemmas:
            if strip and not lemma.endswith(strip):
                continue
            stem = lemma[: len(lemma) - len(strip)] if strip else lemma
            for ending in p.get("add", []):
                forms.setdefault(key(stem + ending), lemma)
                forms.setdefault(plain(stem + ending), lemma)
    for lemma, fs in verbs.get("forms", {}).items():
        for f in fs:
            if " " in f.strip():
                phrases.append(f)
            else:
                forms.setdefault(key(f), lemma)
                forms.setdefault(plain(f), lemma)
    for lemma, fs in verbs.get("multiword", {}).items():
        phrases.extend(fs)
    return forms, phrases


def _time_words(code: str) -> frozenset[str]:
    """Month and weekday names of the language, from the shared language tables (`storyline.lang`)."""
    try:
        from .. import lang
        t = lang.table(code) or {}
    except Exception:  # the shared tables are optional here
        return frozenset()
    words = set()
    for group in ("months", "weekdays"):
        for names in t.get(group, []):
            for w in names if isinstance(names, list) else [names]:
                words.add(key(w))
                words.add(plain(w))
    return frozenset(words)


def _trie(words) -> str:
    """A regex alternation shaped as a trie (a position fails on its first character)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True
    if not root:
        return "(?!)"

    def emit(node: dict) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            c = "['’]" if ch == "'" else ("\\s+" if ch == " " else re.escape(ch))
            alts.append(c + emit(node[ch]))
        if "" in node:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def _words_regex(words) -> re.Pattern[str]:
    words = {key(w) for w in words if w}
    return re.compile(r"\b" + _trie(sorted(words)) + r"(?!\w)")


def _cue_regex(forms, phrases, markers) -> re.Pattern[str]:
    """Finds the words that may start a cue (verb forms, first words of expressions and source markers)."""
    words = set(forms)
    for group in (phrases, markers):
        for seqs in group.values():
            for seq in seqs:
                words.add(" ".join(seq).replace("' ", "'"))
    words = {w for w in words if w}
    # the class of first letters rejects most word starts before the trie is tried
    first = "".join(sorted({re.escape(w[0]) for w in words} | ({"’"} if any(w[0] == "'" for w in words) else set())))
    return re.compile(r"\b(?=[" + first + "])" + _trie(sorted(words)) + r"\b")


def build(data: dict[str, Any]) -> Lexicon:
    forms, phrases = _verb_forms(data.get("verbs", {}))
    verb_phrases = _phrases(phrases)
    source_markers = _phrases(data.get("source_markers", []))
    adverbs = data.get("adverbs", [])
    pronouns = data.get("pronouns", {})
    titles = data.get("titles", {})
    return Lexicon(
        code=data.get("code", ""),
        verb_forms=forms,
        verb_phrases=verb_phrases,
        participle_suffixes=tuple(key(s) for s in data.get("participle_suffixes", [])),
        noun_forms=_content_keys(data.get("noun_forms", [])),
        adjunct_markers=_keys(data.get("participle_adjunct_markers", [])),
        not_cue_after=_keys(data.get("not_cue_after", [])),
        passive_before=_keys(data.get("not_cue_before_passive", [])),
        auxiliaries=_keys(data.get("auxiliaries", [])),
        clitics=_keys(data.get("clitics", [])),
        adverbs=_keys(a for a in adverbs if " " not in a),
        adverb_suffixes=tuple(key(x) for x in data.get("adverb_suffixes", [])),
        group_adverb_suffixes=tuple(key(x) for x in data.get("group_adverb_suffixes", [])),
        leader_titles=_content_keys(data.get("leader_titles", [])),
        not_adverbs=_keys(data.get("not_adverbs", [])),
        adverb_phrases=_phrases(a for a in adverbs if " " in a),
        pronouns={key(k): v for k, v in pronouns.items() if " " not in k},
        pronoun_phrases=_phrases(k for k in pronouns if " " in k),
        inverted_pronouns=_keys(data.get("inverted_pronouns", [])),
        object_pronouns={key(k): v for k, v in data.get("object_pronouns", {}).items()},
        impersonal_source=_keys(data.get("impersonal_source", [])),
        impersonal_after=_keys(data.get("impersonal_after", [])),
        determiners={key(k): v for k, v in data.get("determiners", {}).items()},
        definite=_keys(data.get("definite_determiners", [])),
        possessive_determiners=_keys(data.get("possessive_determiners", [])),
        complement_markers=_keys(data.get("complement_markers", [])),
        title_complements=_keys(data.get("title_complements", [])),
        contracted_articles=_keys(data.get("contracted_articles", [])),
        possessive_suffixes=tuple(key(s) for s in data.get("possessive_suffixes", [])),
        elision_prefixes=_keys(data.get("elision_prefixes", [])),
        relative_pronouns=_keys(data.get("relative_pronouns", [])),
        coordinators=_keys(data.get("coordinators", [])),
        complementizers=_keys(data.get("complementizers", [])),
        boundary=_keys(data.get("boundary_words", [])),
        source_markers=source_markers,
        source_markers_post=_keys(data.get("source_markers_post", [])),
        source_markers_initial=_phrases(data.get("source_markers_initial", [])),
        honorifics=_content_map(data.get("honorifics", {})),
        titles=_content_map({k: v for k, v in titles.items() if " " not in k}),
        title_phrases=_phrases(k for k in titles if " " in k),
        group_nouns=_content_keys(data.get("group_nouns", [])),
        document_nouns=_content_keys(data.get("document_nouns", [])),
        name_particles=_keys(data.get("name_particles", [])),
        name_connectors=_keys(data.get("name_connectors", [])),
        function_words=_keys(data.get("function_words", [])),
        time_words=_time_words(data.get("code", "")) | _keys(data.get("time_words", [])),
        cue_re=_cue_regex(forms, verb_phrases, source_markers),
        more_re=_words_regex(list(data.get("complementizers", [])) + list(data.get("source_markers", []))
                             + list(data.get("source_markers_post", []))),
        not_name=_keys(data.get("function_words", [])) | _keys(data.get("pronouns", {}))
        | _keys(data.get("determiners", {})),
        name_strip=_keys(data.get("function_words", [])) | _content_keys(k for k in titles if " " not in k)
        | _keys(data.get("determiners", {})),
        article_words=_keys(data.get("determiners", {})) | _keys(data.get("contracted_articles", [])),
        cue_starts=frozenset(forms) | frozenset(verb_phrases) | frozenset(source_markers)
        | frozenset(_phrases(data.get("source_markers_initial", [])))
        | _keys(data.get("source_markers_post", [])),
        capitalized_nouns=bool(data.get("capitalized_nouns", False)),
        raw=data,
    )


@lru_cache(maxsize=None)
def lexicon(code: str | None) -> Lexicon:
    """The lexicon of a language; English when storyline has no table for it (quotation marks are universal,
    the attribution cues then mostly miss, and quotes keep an unknown speaker)."""
    code = (code or "").lower().split("-")[0]
    if code not in available():
        code = DEFAULT_LANGUAGE
    with resources.files("storyline.lang").joinpath("quotes", f"{code}.json").open(encoding="utf-8") as f:
        return build(json.load(f))
