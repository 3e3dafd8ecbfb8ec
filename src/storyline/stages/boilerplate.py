"""Boilerplate removal for text that is already extracted, line by line.

A scraped article carries lines that are not the article: navigation and breadcrumbs, teasers for other
articles ("Lire aussi : ...", "Article suivant..."), cookie banners, "follow us" and share buttons, comment
forms, photo credits and captions, forum controls, copies of the headline. They go; the headline, the dateline,
the standfirst, subheads and intertitles stay. Each line is judged by

1. cues: per-language tables (`storyline.lang`, category "boilerplate"): whole-line words ("Réduire",
   "Previous"), line openings ("Lire aussi", "Article précédent"), phrases anywhere ("utilise des cookies",
   "©"), some weak ones that only count in pairs or on short lines;
2. shape: a copy of the headline, a line without letters, a whole-line wire credit ("- Avec AFP"), a caption
   under a photo credit;
3. position: lines above the headline (site header); short lines and bylines between the headline and the
   first paragraph; the line a lone cue announces ("Lire aussi" / the teaser under it); after the last
   paragraph, whatever is not a sentence, and everything once a footer cue appeared ("Previous",
   "Leave a Comment": the teasers "Santander court pour récupérer ..." between "Previous" and "Next");
4. the outlet: lines that repeat across articles of one outlet (`OutletMemory`, learned over a batch with
   `pipe(docs)` and kept between batches; `to_dict`/`from_dict` let a store persist it).

A line is the unit of the decision; a "paragraph" (prose) is a line that reads as sentences. Texts from HTML
(`doc.html` set, extracted by trafilatura) are already clean: only cues, headline copies, empty lines and
outlet repeats apply there, never the position rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import lang
from ..pipeline import register_stage
from ..records import Document
from ..textnorm import fold, trie_pattern
from .dates import date_line
from .metadata import line_ranges
from .source import guess_outlet, match_dateline, wire_credit_line

__all__ = [
    "Line", "split_lines", "line_reason", "is_title_copy", "find_title_line", "CueMatcher", "cues", "OutletMemory",
    "Boilerplate", "BULLETS", "SENTENCE_INSIDE",
]

# Endings of a sentence: . ! ? … possibly followed by closing quotes or brackets.
_TERMINAL = re.compile(r"[.!?;](?:[\s\"'»”’)\]]*)$")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)[\s\"'»”’)\]]*$")
_CLOSING_QUOTE = re.compile(r"[»”\"]\s*$")
BULLETS = " \t•*·▪►▶-–—|>»"
_TWO_LETTERS = re.compile(r"[^\W\d_][^\n]*?[^\W\d_]")
_SENTENCES = re.compile(r"[^.!?]+[.!?]+")
# A sentence ending inside a line ("... a dit le ministre. Il a ajouté"), not an abbreviation ("U.S. to").
SENTENCE_INSIDE = re.compile(r"[^\W\d_]{2}[.!?]\s+[\"«“(]?[^\W\d_]")
_COUNTER = re.compile(r"^\d+\s+")
_LIST_MARKS = frozenset("•*·▪►▶-–—")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line: its offsets in the text, its text, a comparison key and its shape."""

    start: int
    end: int
    text: str
    key: str  # fold(text) without bullets
    words: int
    lettered: bool  # has two letters or more
    terminal: bool  # ends like a sentence
    ellipsis: bool  # ends with "..." (a truncated teaser or breadcrumb)

    @property
    def prose(self) -> bool:
        """Reads as running text: a sentence of six words or more, or a long line."""
        if self.words >= 25:
            return True
        if self.ellipsis:
            return False
        if self.terminal and self.words >= 6:
            return True
        return self.words >= 12 and bool(_CLOSING_QUOTE.search(self.text))

    @property
    def fragmentary(self) -> bool:
        """Three or more "sentences" of at most four words: an author blurb ("Fan de café. Expert en médias
        sociaux. Organisateur."), a list of tags, not a paragraph."""
        parts = _SENTENCES.findall(self.text)
        return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)

    @property
    def short(self) -> bool:
        """Not running text and at most 20 words: a heading, a label, a link."""
        return self.words <= 20 and not self.prose


@lru_cache(maxsize=256)
def split_lines(text: str) -> tuple[Line, ...]:
    """The non-blank lines of a text (cached: the title and body stages read the same text in turn, a whole
    batch apart, hence a cache larger than an ingest batch of 200 documents)."""
    out = []
    for s, e in line_ranges(text):
        t = text[s:e]
        key = fold(t).strip(BULLETS)
        out.append(Line(
            start=s, end=e, text=t, key=key, words=len(key.split()), lettered=bool(_TWO_LETTERS.search(t)),
            terminal=bool(_TERMINAL.search(t)), ellipsis=bool(_ELLIPSIS.search(t)),
        ))
    return tuple(out)


# --- cues ------------------------------------------------------------------------------------------------


class CueMatcher:
    """Boilerplate cues from the language tables, compiled once. `match(line)` gives a category or None."""

    def __init__(self, codes: tuple[str, ...] | None = None):
        entries: dict[str, dict[str, list[str]]] = {}
        sources = [t["boilerplate"] for t in lang.tables(codes)] + [lang.shared("common")["boilerplate"]]
        for table in sources:
            for category, kinds in table.items():
                for kind, words in kinds.items():
                    entries.setdefault(kind, {}).setdefault(category, []).extend(words)
        self.line: dict[str, str] = {}
        for category, words in entries.get("line", {}).items():
            for w in words:
                self.line.setdefault(_cue_key(w), category)
        self.prefix, self.prefix_of = _compile(entries.get("prefix", {}), anchored=True)
        self.prefix_short, self.prefix_short_of = _compile(entries.get("prefix_short", {}), anchored=True)
        self.contains_of = _cue_map(entries.get("contains", {}))
        self.weak_of = {k: c for k, c in _cue_map(entries.get("contains_weak", {})).items() if k not in self.contains_of}
        # strong and weak phrases in one scan of the line; a strong phrase also counts the weak ones inside it
        # ("utilise des cookies" holds "cookies"), which one scan cannot see apart
        self.anywhere, _ = _compile({"": list(self.contains_of) + list(self.weak_of)}, anchored=False)
        self.inner_weak = {c: sum(1 for w in self.weak_of if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", c))
                           for c in self.contains_of}
        bylines = {fold(p) for t in lang.tables(codes) for p in t.get("byline_prefixes", ())}
        self.byline = re.compile(rf"^(?:{trie_pattern(bylines)})\s+\S")

    def match(self, line: Line) -> str | None:
        key = line.key
        bare = _cue_key(key)
        if bare in self.line:
            return self.line[bare]
        if bare[:1].isdigit():  # a counter: "0", "12 commentaires", "3 réactions"
            counted = _COUNTER.sub("", bare)
            if counted in self.line:
                return self.line[counted]
        m = self.prefix.match(key)
        if m:
            return self.prefix_of[m.group()]
        if line.short:
            m = self.prefix_short.match(key)
            if m:
                return self.prefix_short_of[m.group()]
        found = {m.group() for m in self.anywhere.finditer(key)}
        if not found:
            return None
        strong = {c for c in found if c in self.contains_of}
        if line.words < 30:  # a caption or a credit, not a paragraph that happens to name one
            for cue in strong:
                if self.contains_of[cue] in _DECISIVE:
                    return self.contains_of[cue]
        weak = found - strong
        score = len(strong) + 0.5 * (len(weak) + sum(self.inner_weak[c] for c in strong))
        if score >= (1.5 if line.prose else 1.0):
            first = min(strong | weak, key=key.find)
            return self.contains_of.get(first) or self.weak_of[first]
        return None


# Categories whose phrases settle a short line alone, even a sentence ("(image d'illustration)", "©",
# "Akismet"); the others (cookies, follow, subscribe...) need a second cue on a line that reads as a sentence.
_DECISIVE = frozenset({"illustration", "credit", "comments"})


def _cue_key(s: str) -> str:
    return fold(s).strip(BULLETS + " .:;,!?()[]…")


def _cue_map(by_category: dict[str, list[str]]) -> dict[str, str]:
    """{folded cue: category}; a cue listed twice keeps its first category."""
    of: dict[str, str] = {}
    for category, words in by_category.items():
        for w in words:
            k = fold(w)
            if k:
                of.setdefault(k, category)
    return of


def _compile(by_category: dict[str, list[str]], anchored: bool) -> tuple[re.Pattern, dict[str, str]]:
    """One regex for many cue strings, shaped as a trie so that a position fails on its first character
    (a plain alternation of hundreds of strings is tried one by one at every position)."""
    of = _cue_map(by_category)
    if not of:
        return re.compile(r"(?!)"), of
    # a one-word cue must end on a word boundary ("accueil" is not "accueillir"); longer anchored ones may be
    # glued to what follows ("Article précédentLes talibans..."); a cue inside a line starts on a boundary
    bounded = {k: k[-1].isalnum() and (" " not in k or not anchored) for k in of}
    word_start = [k for k in of if k[0].isalnum()]
    other_start = [k for k in of if not k[0].isalnum()]
    parts = []
    if word_start:
        parts.append(("" if anchored else r"(?<!\w)") + trie_pattern(word_start, bounded.get))
    if other_start:
        parts.append(trie_pattern(other_start, bounded.get))
    body = "|".join(parts)
    return re.compile(("^(?:" if anchored else "(?:") + body + ")"), of


@lru_cache(maxsize=8)
def cues(codes: tuple[str, ...] | None = None) -> CueMatcher:
    """The matcher for some languages; None (the default) unites every table, because boilerplate is often in
    another language than the article (an English "Previous" on a French page) and the language is not known
    yet when boilerplate is removed."""
    return CueMatcher(codes)


# --- the headline ----------------------------------------------------------------------------------------


def find_title_line(lines: Sequence[Line], title: str | None) -> int | None:
    """Index of the first line that is the headline (bullets and case aside)."""
    if not title:
        return None
    tkey = fold(title).strip(BULLETS)
    if not tkey:
        return None
    for i, line in enumerate(lines):
        if line.key == tkey:
            return i
    for i, line in enumerate(lines[:40]):  # a declared title may carry or miss a site suffix
        shorter, longer = sorted((line.key, tkey), key=len)
        if len(shorter) >= 20 and longer.startswith(shorter) and len(shorter) >= 0.6 * len(longer):
            return i
    return None


def is_title_copy(line: Line, tkey: str) -> bool:
    """A copy of the headline: the same line, the headline followed by a credit, or a truncated headline at
    the end of a breadcrumb ("Accueil > Monde > Les États-Unis disent à la Russie qu'ils...")."""
    key = line.key
    if key == tkey:
        return True
    extra = len(key.split()) - len(tkey.split())
    if key.startswith(tkey) and (extra <= 12 or (extra <= 25 and not line.terminal)):
        return True  # the headline and a photo credit; not a lede that happens to open with it
    if key.endswith(tkey) and extra <= 8:
        return True  # a breadcrumb ending with the headline
    if line.ellipsis:
        stem = re.sub(r"(?:\.\.\.|…)[\s\"'»”’)\]]*$", "", line.text)
        words = fold(stem).split()
        for k in range(len(words), 3, -1):
            if tkey.startswith(" ".join(words[-k:])):
                return True
    return False


# --- outlet memory ---------------------------------------------------------------------------------------


class OutletMemory:
    """Lines that repeat across the articles of one outlet, counted per outlet.

    Learned from a batch (`learn`), persisted by whoever owns it (`to_dict` / `from_dict`). A document that
    is mostly lines already seen (a second version of an article) teaches nothing, so a story told twice
    does not turn its own paragraphs into boilerplate.
    """

    def __init__(self, min_docs: int = 2, max_lines: int = 20000, near_duplicate: float = 0.8):
        self.min_docs = min_docs
        self.max_lines = max_lines
        self.near_duplicate = near_duplicate
        self.outlets: dict[str, dict[str, Any]] = {}

    def learn(self, outlet: str | None, keys: list[str]) -> bool:
        """Count the distinct lines of one document. Returns False when it taught nothing."""
        if not outlet or not keys:
            return False
        entry = self.outlets.setdefault(outlet, {"docs": 0, "lines": {}})
        seen = entry["lines"]
        distinct = list(dict.fromkeys(k[:300] for k in keys if k))
        total = sum(len(k) for k in distinct)
        known = sum(len(k) for k in distinct if k in seen)
        if entry["docs"] and total and known / total >= self.near_duplicate:
            return False
        entry["docs"] += 1
        for k in distinct:
            seen[k] = seen.get(k, 0) + 1
        if len(seen) > self.max_lines:  # forget lines seen once; they are the articles, not the outlet
            entry["lines"] = {k: c for k, c in seen.items() if c > 1}
        return True

    def count(self, outlet: str | None, key: str) -> int:
        entry = self.outlets.get(outlet) if outlet else None
        return entry["lines"].get(key[:300], 0) if entry else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "min_docs": self.min_docs, "max_lines": self.max_lines, "near_duplicate": self.near_duplicate,
            "outlets": {o: {"docs": e["docs"], "lines": dict(sorted(e["lines"].items()))}
                        for o, e in sorted(self.outlets.items())},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutletMemory:
        mem = cls(data.get("min_docs", 2), data.get("max_lines", 20000), data.get("near_duplicate", 0.8))
        mem.outlets = {o: {"docs": int(e["docs"]), "lines": {k: int(c) for k, c in e["lines"].items()}}
                       for o, e in data.get("outlets", {}).items()}
        return mem


# --- the stage -------------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Analysis:
    lines: Sequence[Line]
    title_index: int | None
    reasons: list[str | None]
    protected: list[bool]  # date lines and datelines: part of the article's head, never removed
    outlet: str | None = None


@register_stage("body")
class Boilerplate:
    """Body ranges without boilerplate: assigns `body` [(start, end)] and `removed` [{start, end, reason}]."""

    requires = ("text", "meta", "title")
    assigns = ("body", "removed")

    state_name = "outlet_memory"  # what it learns is kept in the store between runs (see api.Storyline)

    def __init__(self, memory: OutletMemory | None = None):
        self.memory = memory if memory is not None else OutletMemory()

    def get_state(self) -> dict[str, Any]:
        return self.memory.to_dict()

    def set_state(self, data: dict[str, Any]) -> None:
        self.memory = OutletMemory.from_dict(data)

    def __call__(self, doc: Document) -> Document:
        return self.pipe([doc])[0]

    def pipe(self, docs: list[Document], analyses: list[_Analysis] | None = None) -> list[Document]:
        """`analyses`: the documents' `analyse(doc)` when already computed (by a worker process)."""
        docs = list(docs)
        if analyses is None:
            analyses = [self.analyse(doc) for doc in docs]
        for a in analyses:
            self.memory.learn(a.outlet, [ln.key for ln, p in zip(a.lines, a.protected) if not p])
        for doc, a in zip(docs, analyses):
            self._decide(doc, a)
        return docs

    def analyse(self, doc: Document) -> _Analysis:
        """What the outlet memory does not change: the lines, the headline among them, each line's own reason
        to go, and the outlet (see `storyline.pipeline.run_stages`)."""
        lines = split_lines(doc.text)
        matcher = cues()
        title_index = find_title_line(lines, doc.title)
        reasons: list[str | None] = []
        protected: list[bool] = []
        for i, line in enumerate(lines):
            is_date = line.words <= 14 and (date_line(line.text) is not None or match_dateline(line.text) is not None)
            # a date line or dateline is the article's own head: never boilerplate
            protected.append(is_date and i != title_index)
            if i == title_index:
                reasons.append(None)
                continue
            reasons.append(None if is_date else line_reason(line, matcher))
        outlet = doc.outlet
        if not outlet:
            skip = {i for i, r in enumerate(reasons) if r}
            own = [i for i, r in enumerate(reasons) if r in ("follow", "cookies", "subscribe", "share", "credit")]
            outlet = guess_outlet([ln.text for ln in lines], title_index, skip, own_words=own)
        return _Analysis(lines, title_index, reasons, protected, outlet)

    def _decide(self, doc: Document, a: _Analysis) -> None:
        lines, reasons, protected, t = a.lines, a.reasons, a.protected, a.title_index
        from_html = doc.html is not None
        tkey = lines[t].key if t is not None else (fold(doc.title).strip(BULLETS) if doc.title else "")
        for i, line in enumerate(lines):
            if from_html and reasons[i] == "junk" and any(c.isalnum() for c in line.text):
                reasons[i] = None  # extracted text keeps its figures ("S : 40,000₩", "0")
            if reasons[i] or protected[i] or i == t:
                continue
            if tkey and len(tkey) >= 15 and is_title_copy(line, tkey):
                reasons[i] = "title_copy"
            elif (c := self.memory.count(a.outlet, line.key)) >= self.memory.min_docs and (not line.prose or c >= 3):
                reasons[i] = "repeated"
        if not from_html:
            _position_rules(lines, reasons, protected, t)
        body, removed = [], []
        for i, line in enumerate(lines):
            if reasons[i] and not protected[i]:
                removed.append({"start": line.start, "end": line.end, "reason": reasons[i]})
            else:
                body.append((line.start, line.end))
        if not body and lines:  # never leave an article without text: keep all but the sure cues
            body = [(ln.start, ln.end) for ln, r in zip(lines, reasons) if r in (None, "header", "tail", "navigation")]
            body = body or [(ln.start, ln.end) for ln in lines]
            kept = set(body)
            removed = [r for r in removed if (r["start"], r["end"]) not in kept]
        doc.body = body
        doc.removed = removed


@lru_cache(maxsize=8192)
def line_reason(line: Line, matcher: CueMatcher) -> str | None:
    """Why a line is boilerplate on its own (cues and shape), or None."""
    if not line.lettered:
        return "junk"
    if line.words <= 10 and wire_credit_line(line.text) is not None:
        return "wire_credit"
    return matcher.match(line)


# Cues that open the footer of a page: nothing after them is the article.
_FOOTER_CUES = frozenset({"navigation", "comments", "share", "follow", "cookies", "subscribe", "ads", "tagline",
                          "read_also", "teaser", "forum"})


def _sentence(line: Line) -> bool:
    """A short closing sentence ("They ignored us, too.") rather than a label, link or teaser."""
    first = line.text.lstrip("\"'«“‘—–- ")[:1]
    return line.terminal and not line.ellipsis and line.words >= 3 and not line.fragmentary and first.isupper()


def _position_rules(lines: Sequence[Line], reasons: list[str | None], protected: list[bool], t: int | None) -> None:
    """Header above the headline, controls before the first paragraph, captions under photo credits, teasers
    after a cue line, and the footer after the last paragraph."""
    n = len(lines)

    def content(i: int) -> bool:
        return reasons[i] is None and not protected[i] and lines[i].prose and not lines[i].fragmentary

    # captions: the line under a photo credit ("© ... / Getty Images"): a short one anywhere, a longer one
    # only right under the headline, where the lead photo sits (lower down, it is the text itself)
    lead = next((i for i in range(n) if content(i)), n)
    for i in range(1, n):
        prev = lines[i - 1]
        near_top = t is not None and t < i <= lead
        if reasons[i] is None and not protected[i] and i != t and (
            lines[i].words <= 12 or (near_top and lines[i].words < 25)
        ) and ("©" in prev.text or reasons[i - 1] == "credit"):
            reasons[i] = "caption"
    # a cue line alone ("À lire aussi", "Previous") announces the teaser line under it, or a bulleted list
    for i in range(n - 1):
        if reasons[i] in ("read_also", "navigation") and lines[i].words <= 4:
            j = i + 1
            while j < n and reasons[j] is None and not protected[j] and j != t:
                teaser = lines[j].words <= 20 and not SENTENCE_INSIDE.search(lines[j].text.rstrip())
                if not (teaser or not lines[j].prose):
                    break
                reasons[j] = "teaser"
                if not (lines[j].text[:1] in _LIST_MARKS and j + 1 < n and lines[j + 1].text[:1] in _LIST_MARKS):
                    break
                j += 1
    first = next((i for i in range(n) if content(i)), None)
    last = next((i for i in range(n - 1, -1, -1) if content(i)), None)
    if first is None:
        return  # no paragraph at all: nothing tells the header from the text
    # header: everything above the headline, when the headline comes before the first paragraph
    if t is not None and t <= first:
        for i in range(t):
            if reasons[i] is None and not protected[i]:
                reasons[i] = "header"
    # between the headline (or the top) and the first paragraph: controls (short lines that are not subheads)
    # and bylines ("Par Jean Dupont et Marie Martin")
    byline = cues().byline
    top = (t + 1) if t is not None and t <= first else 0
    for i in range(top, max(first, top + 4)):  # a byline may follow the standfirst
        if i >= n or reasons[i] is not None or protected[i]:
            continue
        line = lines[i]
        if i < first and line.words <= 3 and not line.terminal:
            reasons[i] = "navigation"
        elif line.words <= 8 and (not line.terminal or line.words <= 4) and byline.match(line.key):
            reasons[i] = "byline"
    # footer: after the last paragraph (or the headline), whatever is not a sentence; after the first cue
    # of the footer ("Previous", "Leave a comment", "Suivez-nous"), everything
    end = max(last, t) if t is not None else last
    footer = False
    for i in range(end + 1, n):
        if reasons[i] is not None:
            footer = footer or reasons[i] in _FOOTER_CUES
        elif not protected[i] and (footer or not _sentence(lines[i])):
            reasons[i] = "tail"
