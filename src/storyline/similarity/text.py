"""Language-light text keys shared by the similarity features and the gazetteer builder (no dependencies)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "translit_key", "CJK", "is_cjk"]

# Combining marks are dropped after Latin, Greek, Cyrillic and Arabic letters (accents, harakat), kept after
# other scripts where they are part of the letter (Japanese dakuten, Indic vowel signs).
_STRIP_AFTER = re.compile(r"[\u0000-\u052f\u0600-\u06ff\u1e00-\u1fff]")
_SPECIAL = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "’": "'",
                          "ʼ": "'", "‘": "'", "-": " ", "‐": " ", "‑": " ", "–": " ", "—": " ", ".": ""})
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RE = re.compile(f"[{CJK}]")


@lru_cache(maxsize=262_144)
def fold(text: str) -> str:
    """Comparison key: NFKC, case folded, accents dropped (Latin, Greek, Cyrillic, Arabic), a few letters
    without a decomposition mapped to their base ("ł" -> "l"), dots dropped ("U.S." == "US"), hyphens and
    dashes as spaces, white space collapsed."""
    if text.isascii():
        return " ".join(text.lower().translate(_SPECIAL).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    out: list[str] = []
    prev = ""
    for ch in decomposed:
        if unicodedata.combining(ch) and _STRIP_AFTER.match(prev or " "):
            continue
        out.append(ch)
        if not unicodedata.combining(ch):
            prev = ch
    return " ".join(unicodedata.normalize("NFC", "".join(out)).translate(_SPECIAL).split())


def translit_key(word: str) -> str:
    """A script-independent key for a name: folded, then romanised with `anyascii` when it is installed
    ("Пелоси" -> "pelosi"); without it, the folded form."""
    key = fold(word)
    if key.isascii():
        return key
    try:
        from anyascii import anyascii
    except ImportError:  # pragma: no cover - anyascii is a light dependency, but keys still work without it
        return key
    return anyascii(key).lower().replace("'", "")


def is_cjk(text: str) -> bool:
    return bool(_CJK_RE.search(text))
