"""Normalised word shingles of an article body: what near-duplicate detection compares.

The comparison key is deliberately lossy so that re-encodings of one text compare equal: Unicode NFKC (ligatures,
full-width forms), case folded, accents dropped (NFKD, combining marks removed), and every punctuation mark,
symbol and white-space run dropped: only the words remain, in order. Scripts written without spaces (Chinese,
Japanese kana, Thai...) count each character as a word, so their shingles are character n-grams.

A shingle is `SHINGLE_WORDS` consecutive words, hashed to a stable 64-bit integer (CRC-32 and Adler-32 of each
distinct word side by side, combined by a polynomial over 64-bit integers and a SplitMix64 finaliser): the same
text gives the same shingles in every process and on every platform, so hashes derived from them can be stored.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass

import numpy as np

__all__ = ["SHINGLE_WORDS", "Shingled", "body_text", "normal_words", "shingle"]

SHINGLE_WORDS = 5  # word 5-grams: long enough that two different articles rarely share one by chance
LEAD_SHINGLES = 40  # the lead: the body's first shingles (about its first 45 words), which trimmed copies keep

# Letters and digits (no underscore); each ideograph, kana or Thai/Lao/Khmer/Myanmar letter is a word.
_UNSPACED = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_UNSPACED}]|[^\\W_{_UNSPACED}]+")
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a]+"
)
_M64 = (1 << 64) - 1
_MULT = np.uint64(0x9E3779B97F4A7C15)  # the polynomial's base (odd: multiplication is a bijection mod 2^64)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def normal_words(text: str) -> list[str]:
    """The words of `text` as compared: NFKC, case folded, accents dropped, punctuation gone."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
        text = unicodedata.normalize("NFC", text)
    return _WORD.findall(text)


def body_text(text: str, body: tuple[tuple[int, int], ...] | list, title: str | None) -> str:
    """The article body to compare: its body ranges (the whole text when there are none), without the ranges
    that merely repeat the headline, so that a re-headlined copy keeps the same body."""
    if not body:
        return text
    parts = [text[s:e] for s, e in body]
    if title:
        n = len(title)
        title_words = normal_words(title)
        parts = [p for p in parts if not (n // 2 <= len(p) <= 2 * n + 8 and normal_words(p) == title_words)]
    return "\n\n".join(parts)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, vectorised (uint64 arithmetic wraps modulo 2^64)."""
    x = x ^ (x >> np.uint64(30))
    x = x * _MIX1
    x = x ^ (x >> np.uint64(27))
    x = x * _MIX2
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class Shingled:
    """One body's comparison form: the digest of its word sequence (equal digests: the same normalised body),
    its word count, its distinct shingle hashes (sorted uint64) and those of its lead (its first
    `LEAD_SHINGLES` shingles)."""

    digest: bytes
    words: int
    shingles: np.ndarray
    lead: np.ndarray

    @property
    def size(self) -> int:
        return int(self.shingles.size)


def shingle(text: str, k: int = SHINGLE_WORDS, lead: int = LEAD_SHINGLES) -> Shingled:
    """The word k-gram shingles of `text` (a text shorter than k words is one shingle)."""
    words = normal_words(text)
    digest = hashlib.blake2b("\x1f".join(words).encode("utf-8"), digest_size=16).digest()
    if not words:
        empty = np.empty(0, dtype=np.uint64)
        return Shingled(digest, 0, empty, empty)
    memo = {w: (zlib.crc32(b := w.encode("utf-8")) << 32) | zlib.adler32(b) for w in set(words)}
    ids = np.array([memo[w] for w in words], dtype=np.uint64)
    k = min(k, len(words))
    n = len(words) - k + 1
    with np.errstate(over="ignore"):
        h = ids[:n].copy()
        for j in range(1, k):
            h = h * _MULT + ids[j : j + n]
        h = _mix(h)
    return Shingled(digest, len(words), np.unique(h), np.unique(h[:lead]))
