"""One statement, many outlets: grouping the quotations that report the same words.

Outlets trim quotations, cut them differently, fix or introduce typos and punctuation, translate them anew.
Each quotation is reduced to its folded word tokens (accents, case and punctuation dropped), to the set of its
word 3-grams ("shingles") and to the set of its content words (function words of every language table
dropped). Two quotations are the same statement when their shingle *containment* -- the share of the shorter
one's shingles found in the longer one -- reaches `threshold` (0.6 by default): a trimmed quotation is fully
contained in the full one. A reworded one ("tout dialogue doit être fondé sur la réciprocité" / "tout
dialogue doit être basé sur un principe de réciprocité") is the same statement when at least
`word_threshold` (0.8) of the shorter one's content words, and at least `min_content` (4) of them, are in
the other. Quotations too short to have shingles (under three words) only match an identical token sequence.
Groups are the connected components (union-find), found through inverted indexes on shingles and content
words, so a corpus is grouped in near-linear time.

    merger = QuoteMerger()
    for doc in docs:
        merger.add_document(doc)           # or merger.add(quote, source=doc.id)
    for group in merger.groups():          # largest first
        group.text, group.sources, group.speakers
"""

from __future__ import annotations

import re
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["QuoteMerger", "QuoteGroup", "merge_quotes", "tokens", "containment"]

_WORD = re.compile(r"\w+")
SHINGLE = 3


def tokens(text: str) -> list[str]:
    """Folded word tokens: NFKC, no accents, lower case."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _WORD.findall(text.casefold())


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    """Function words of every language table, folded like `tokens`."""
    from .lexicon import available, lexicon

    out: set[str] = set()
    for code in available():
        lex = lexicon(code)
        for group in (lex.function_words, lex.determiners, lex.pronouns, lex.boundary, lex.auxiliaries):
            for w in group:
                out.update(tokens(w))
    return frozenset(out)


COMMON = 2000  # a content word found in more quotations than this is not used to find candidates


def _shingles(toks: list[str], n: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    if len(toks) < n:
        return frozenset()
    return frozenset(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def containment(a: str, b: str, n: int = SHINGLE) -> float:
    """Share of the shorter quotation's shingles found in the other one (1.0 for a trimmed copy)."""
    sa, sb = _shingles(tokens(a), n), _shingles(tokens(b), n)
    if not sa or not sb:
        return 1.0 if tokens(a) == tokens(b) and tokens(a) else 0.0
    return len(sa & sb) / min(len(sa), len(sb))


@dataclass(slots=True)
class QuoteGroup:
    """Quotations of one statement. `text` is the longest version; `sources` the documents (in the order they
    were added, no repeats); `speakers` the speakers given, most frequent first."""

    text: str
    quotes: list[Any] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)

    @property
    def speaker(self) -> str | None:
        return self.speakers[0] if self.speakers else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "speaker": self.speaker,
            "speakers": self.speakers,
            "sources": self.sources,
            "quotes": [q.to_dict() if hasattr(q, "to_dict") else q for q in self.quotes],
        }


def _get(q: Any, name: str):
    return q.get(name) if isinstance(q, dict) else getattr(q, name, None)


class QuoteMerger:
    """Groups quotations from many documents that report the same statement (see the module docstring)."""

    def __init__(self, threshold: float = 0.6, kinds: tuple[str, ...] = ("direct",), min_words: int = 1,
                 word_threshold: float = 0.8, min_content: int = 4):
        self.threshold = threshold
        self.kinds = kinds
        self.min_words = min_words
        self.word_threshold = word_threshold
        self.min_content = min_content
        self._content: list[frozenset[str]] = []
        self._words: dict[str, list[int]] = defaultdict(list)
        self._quotes: list[Any] = []
        self._sources: list[str] = []
        self._toks: list[tuple[str, ...]] = []
        self._sh: list[frozenset] = []
        self._index: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._exact: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self._parent: list[int] = []

    def add(self, quote: Any, source: str = "") -> None:
        """Add one quotation (a `Quote`, or a dict with at least "text") reported by `source`."""
        kind = _get(quote, "kind")
        if self.kinds and kind is not None and kind not in self.kinds:
            return
        toks = tuple(tokens(_get(quote, "text") or ""))
        if len(toks) < max(1, self.min_words):
            return
        i = len(self._quotes)
        self._quotes.append(quote)
        self._sources.append(source)
        self._toks.append(toks)
        sh = _shingles(list(toks))
        self._sh.append(sh)
        self._parent.append(i)
        stop = _function_words()
        content = frozenset(t for t in toks if t not in stop and not t.isdigit())
        self._content.append(content)
        if len(content) >= self.min_content:
            # reworded: most content words shared
            counts: dict[int, int] = defaultdict(int)
            for w in content:
                posting = self._words.get(w, ())
                if len(posting) <= COMMON:
                    for j in posting:
                        counts[j] += 1
            for j, shared in counts.items():
                other = self._content[j]
                need = math.ceil(self.word_threshold * min(len(content), len(other)))
                if shared >= need and len(content & other) >= need:
                    self._union(i, j)
            for w in content:
                self._words[w].append(i)
        if not sh:
            for j in self._exact.get(toks, ()):
                self._union(i, j)
            self._exact[toks].append(i)
            # a short quotation equal to a whole longer one cannot be told apart from a fragment: exact only
            return
        candidates: dict[int, int] = defaultdict(int)
        for s in sh:
            for j in self._index.get(s, ()):
                candidates[j] += 1
        for j, shared in candidates.items():
            if shared / min(len(sh), len(self._sh[j])) >= self.threshold:
                self._union(i, j)
        for s in sh:
            self._index[s].append(i)

    def add_document(self, doc: Any) -> None:
        source = _get(doc, "id") or _get(doc, "source") or ""
        for q in _get(doc, "quotes") or ():
            self.add(q, str(source))

    def _find(self, i: int) -> int:
        p = self._parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def groups(self, min_sources: int = 1) -> list[QuoteGroup]:
        """The groups, largest (most sources) first; only those reported by at least `min_sources` documents."""
        members: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self._quotes)):
            members[self._find(i)].append(i)
        out = []
        for root, idx in members.items():
            sources = list(dict.fromkeys(self._sources[i] for i in idx))
            if len(sources) < min_sources:
                continue
            longest = max(idx, key=lambda i: len(self._toks[i]))
            counts: dict[str, int] = defaultdict(int)
            for i in idx:
                sp = _get(self._quotes[i], "speaker")
                if sp:
                    counts[sp] += 1
            speakers = sorted(counts, key=lambda s: (-counts[s], s))
            quotes = [self._quotes[i] for i in idx]
            out.append(QuoteGroup(_get(self._quotes[longest], "text"), quotes, sources, speakers))
        out.sort(key=lambda g: (-len(g.sources), -len(g.quotes), g.text))
        return out


def merge_quotes(items: Iterable[Any], threshold: float = 0.6, min_sources: int = 1) -> list[QuoteGroup]:
    """Group quotations from many documents. `items` are documents (with `quotes` and an `id`) or
    (source, quote) pairs."""
    m = QuoteMerger(threshold=threshold)
    for it in items:
        if isinstance(it, tuple) and len(it) == 2:
            m.add(it[1], str(it[0]))
        else:
            m.add_document(it)
    return m.groups(min_sources=min_sources)
