"""A normalised view of a text that still knows where every character came from.

`Document.text` stays exactly the text as read (every offset in storyline points into it). Stages that want
cleaner input (entities, quotes, dates) run on `normalized_view(text)` and map what they find back:

    norm, omap = normalized_view(doc.text)
    m = re.search("Est-ce", norm)
    start, end = omap.span(m.start(), m.end())   # offsets into doc.text

The view applies, in one pass:
- Unicode NFC (a letter and its combining accent become one character);
- every kind of no-break, thin or wide space becomes a plain space; zero-width characters, soft hyphens and
  byte-order marks disappear;
- compatibility ligatures and full-width ASCII become plain letters (the NFKC forms of those only);
- letters of another script inside a word are folded to the look-alike letter of the word's script (a
  Cyrillic "с" in "Est-сe", a Latin "o" in "Мoсква"); mixed-script words without look-alikes stay as they are.

`fold(text)` is the lossy comparison key used to match lines, cues and titles (accents and case dropped,
quotes and dashes unified); it keeps no offsets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache

__all__ = ["OffsetMap", "normalized_view", "fold", "clean_line", "trie_pattern"]

# Spaces that are not U+0020 but mean one (no-break, narrow no-break, figure, thin, hair, ideographic...).
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Invisible characters that carry nothing for reading: zero-width space/joiners, word joiner, BOM, soft
# hyphen, direction marks.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"

# Look-alike letters (Unicode confusables restricted to Latin, Cyrillic and Greek letters that read the same).
_CYRILLIC_TO_LATIN = {
    "а": "a", "в": "b", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "о": "o", "р": "p", "с": "c", "у": "y",
    "х": "x", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ё": "ë", "ї": "ï",
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H", "О": "O",
    "Р": "P", "С": "C", "Т": "T", "Х": "X", "У": "Y", "Һ": "H", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
}
_GREEK_TO_LATIN = {
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
}
_LATIN_TO_CYRILLIC = {
    "a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "x": "х", "i": "і",
    "A": "А", "B": "В", "E": "Е", "K": "К", "M": "М", "H": "Н", "O": "О", "P": "Р", "C": "С", "T": "Т", "X": "Х",
}
_COMPAT = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}

_CYR = "\u0400-\u04ff\u0500-\u052f"
_GRK = "\u0370-\u03ff"
_LAT = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# A boundary between two scripts inside a word: every mixed-script word has one.
_MIXED = re.compile(f"[{_LAT}][{_CYR}{_GRK}]|[{_CYR}{_GRK}][{_LAT}]")
_CYR_GRK = re.compile(f"[{_CYR}{_GRK}]")  # a one-class search is fast: most texts have neither script
# A character followed by combining marks (what NFC may compose).
_COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_CLUSTER = re.compile(f".[{_COMBINING}]+", re.S)
_SIMPLE = re.compile(f"[{_SPACES}{_INVISIBLE}\ufb00-\ufb06\uff01-\uff5e]")


class OffsetMap:
    """Maps offsets in a normalised text back to offsets in the original text.

    Character i of the normalised text comes from original characters [starts[i], ends[i]). Offsets equal to
    the normalised length map to the original length. The identity map stores nothing.
    """

    __slots__ = ("_starts", "_ends", "norm_len", "orig_len")

    def __init__(self, starts: list[int] | None, ends: list[int] | None, norm_len: int, orig_len: int):
        self._starts = starts
        self._ends = ends
        self.norm_len = norm_len
        self.orig_len = orig_len

    @classmethod
    def identity(cls, n: int) -> OffsetMap:
        return cls(None, None, n, n)

    @property
    def is_identity(self) -> bool:
        return self._starts is None

    def to_original(self, i: int) -> int:
        """Original offset of normalised offset i (a boundary: 0 <= i <= norm_len)."""
        if not 0 <= i <= self.norm_len:
            raise IndexError(f"offset {i} outside the normalised text (length {self.norm_len})")
        if self._starts is None:
            return i
        return self._starts[i] if i < self.norm_len else self.orig_len

    __call__ = to_original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) covering normalised [start, end)."""
        if self._starts is None or start >= end:
            s = self.to_original(start)
            return (s, s) if start >= end else (s, self.to_original(end))
        if not (0 <= start < end <= self.norm_len):
            raise IndexError(f"span ({start}, {end}) outside the normalised text (length {self.norm_len})")
        return self._starts[start], self._ends[end - 1]

    def to_normalized(self, j: int) -> int:
        """The normalised offset of the first character that comes from original offset j or later."""
        if self._starts is None:
            return j
        return bisect_right(self._ends, j)


def normalized_view(text: str) -> tuple[str, OffsetMap]:
    """The normalised text and the map from its offsets back to `text` (see the module docstring)."""
    edits = _edits(text)
    if not edits:
        return text, OffsetMap.identity(len(text))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for s, e, rep in edits:
        if s > pos:
            out.append(text[pos:s])
            starts.extend(range(pos, s))
            ends.extend(range(pos + 1, s + 1))
        if len(rep) == e - s:  # one to one: each character keeps its own place
            starts.extend(range(s, e))
            ends.extend(range(s + 1, e + 1))
        else:  # composed, expanded or deleted: every new character covers the whole source
            starts.extend([s] * len(rep))
            ends.extend([e] * len(rep))
        out.append(rep)
        pos = e
    if pos < len(text):
        out.append(text[pos:])
        starts.extend(range(pos, len(text)))
        ends.extend(range(pos + 1, len(text) + 1))
    norm = "".join(out)
    return norm, OffsetMap(starts, ends, len(norm), len(text))


def _edits(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, replacement) edits, sorted."""
    if text.isascii():
        return []
    edits: dict[int, tuple[int, str]] = {}
    for m in _SIMPLE.finditer(text):
        ch = m.group()
        if ch in _SPACES:
            rep = " "
        elif ch in _INVISIBLE:
            rep = ""
        elif ch in _COMPAT:
            rep = _COMPAT[ch]
        else:  # full-width ASCII
            rep = chr(ord(ch) - 0xFEE0)
        edits[m.start()] = (m.end(), rep)
    if not unicodedata.is_normalized("NFC", text):
        for m in _CLUSTER.finditer(text):
            composed = unicodedata.normalize("NFC", m.group())
            if composed != m.group():
                edits[m.start()] = (m.end(), composed)
        for i, ch in enumerate(text):  # singletons (Angstrom sign, Kelvin sign, CJK compatibility...)
            if ord(ch) > 0x7F and i not in edits and unicodedata.normalize("NFC", ch) != ch:
                edits[i] = (i + 1, unicodedata.normalize("NFC", ch))
    for start, end, folded in _mixed_script_words(text):
        for k, ch in enumerate(folded):
            i = start + k
            if ch != text[i] and i not in edits:
                edits[i] = (i + 1, ch)
    out = []
    last = 0
    for s in sorted(edits):
        e, rep = edits[s]
        if s < last:  # a cluster swallowed this position already
            continue
        out.append((s, e, rep))
        last = e
    return out


def _mixed_script_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word that mixes Latin with Cyrillic or Greek letters."""
    out: list[tuple[int, int, str]] = []
    if _CYR_GRK.search(text) is None:
        return out
    seen_end = -1
    dominant = None
    for m in _MIXED.finditer(text):
        if m.start() < seen_end:
            continue
        s = m.start()
        while s > 0 and text[s - 1].isalpha():
            s -= 1
        e = m.end()
        while e < len(text) and text[e].isalpha():
            e += 1
        seen_end = e
        word = text[s:e]
        latin = sum(1 for c in word if _script(c) == "latin")
        other = len(word) - latin
        if latin == other:
            if dominant is None:
                dominant = _dominant_script(text)
            to_latin = dominant == "latin"
        else:
            to_latin = latin > other
        if to_latin:
            folded = "".join(_CYRILLIC_TO_LATIN.get(c) or _GREEK_TO_LATIN.get(c) or c for c in word)
        else:
            folded = "".join(_LATIN_TO_CYRILLIC.get(c, c) if _script(c) == "latin" else c for c in word)
        if folded != word:
            out.append((s, e, folded))
    return out


def _script(c: str) -> str:
    o = ord(c)
    if 0x0400 <= o <= 0x052F:
        return "cyrillic"
    if 0x0370 <= o <= 0x03FF:
        return "greek"
    return "latin" if c.isalpha() else "other"


def _dominant_script(text: str) -> str:
    cyr = len(re.findall(f"[{_CYR}]", text))
    grk = len(re.findall(f"[{_GRK}]", text))
    lat = len(re.findall(f"[{_LAT}]", text))
    return max((lat, "latin"), (cyr, "cyrillic"), (grk, "greek"))[1]


# --- comparison keys --------------------------------------------------------------------------------------

_QUOTES = str.maketrans({
    "’": "'", "‘": "'", "‚": "'", "‛": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‹": '"', "›": '"', "″": '"',
    "–": "-", "—": "-", "―": "-", "‐": "-", "‑": "-", "−": "-", "…": "...",
})
_WS = re.compile(r"\s+")
_MARKS = re.compile(f"[{_COMBINING}]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: NFKC, look-alikes folded, accents and case dropped, quotes, apostrophes and dashes
    unified, white space collapsed. "Est-сe  QU’" and "est-ce qu'" fold the same."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        if _MIXED.search(text):
            text, _ = normalized_view(text)
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
        text = text.translate(_QUOTES)
    return _WS.sub(" ", text).strip().casefold()


def clean_line(text: str) -> str:
    """A line as a person would quote it: the normalised view with white space collapsed."""
    norm, _ = normalized_view(text)
    return _WS.sub(" ", norm).strip()


def trie_pattern(words, bounded=lambda w: False) -> str:
    """A regex alternation of many literal strings shaped as a trie, so that a position fails on its first
    character (a plain alternation of hundreds of strings is tried one string at a time). Longer strings win;
    `bounded(w)` says whether a match of w must end on a word boundary."""
    root: dict = {}
    for w in words:
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = node.get("", False) or bool(bounded(w))
    if not root:
        return "(?!)"

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if "" in node:  # a string ends here; the longer ones above are tried first
            alts.append(r"(?!\w)" if node[""] else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)
