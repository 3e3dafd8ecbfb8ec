"""Language of a document, and of the blocks written in another one (lingua, over the configured languages).

The document's language comes from the start of its body. A block (a run of lines) is checked only when
its function words (the `stopwords` of the language tables) point away from the document's language, and
lingua then confirms: an English site footer under a French article costs one extra detection, an all-French
article none.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cached_property
from itertools import chain, repeat

from .. import lang
from ..pipeline import register_stage
from ..records import Document
from .metadata import line_ranges

# ISO 639-1 codes storyline supports; lingua knows them by name.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("fr", "en", "es", "de", "it", "pt", "ru")
SAMPLE_CHARS = 800  # the first 800 body characters decide: enough for 7 languages, and detection cost grows with length
MIN_BLOCK_CHARS = 80  # shorter blocks are too short to tell languages apart reliably
MIN_BLOCK_WORDS = 8
_WORD = re.compile(r"\w+")


@register_stage("language")
class DetectLanguage:
    requires = ("text", "body", "meta")
    assigns = ("language", "language_blocks")

    def __init__(self, languages: tuple[str, ...] = SUPPORTED_LANGUAGES):
        self.languages = languages

    @cached_property
    def _detector(self):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, code.upper()) for code in self.languages]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()

    @cached_property
    def _stopword_languages(self) -> dict[str, tuple[str, ...]]:
        """Function word -> the languages it belongs to (one dictionary lookup per word of a block)."""
        out: dict[str, set[str]] = {}
        for t in lang.tables(self.languages):
            for w in t.get("words", {}).get("stopwords", ()):
                out.setdefault(w.lower(), set()).add(t["code"])
        return {w: tuple(sorted(codes)) for w, codes in out.items()}

    def _detect(self, sample: str) -> str | None:
        found = self._detector.detect_language_of(sample) if sample.strip() else None
        return found.iso_code_639_1.name.lower() if found else None

    def __call__(self, doc: Document) -> Document:
        declared = doc.meta.get("language")
        if declared:
            doc.language = str(declared).lower()
        else:
            sample = doc.body_text()[:SAMPLE_CHARS] if doc.body else doc.text[:SAMPLE_CHARS]
            doc.language = self._detect(sample)
        doc.language_blocks = self._foreign_blocks(doc) if doc.language else []
        return doc

    def _foreign_blocks(self, doc: Document) -> list[dict]:
        """Runs of lines (body or not: a foreign footer is worth knowing too) whose language is not the
        document's: [{start, end, language}]."""
        out: list[dict] = []
        for start, end in line_ranges(doc.text):
            block = doc.text[start:end]
            if len(block) < MIN_BLOCK_CHARS:
                continue
            guess = self._stopword_guess(block)
            if guess is None or guess == doc.language:
                continue
            found = self._detect(block[:SAMPLE_CHARS])
            if found and found != doc.language:
                if out and out[-1]["language"] == found and not doc.text[out[-1]["end"] : start].strip():
                    out[-1]["end"] = end  # consecutive lines of one foreign block
                else:
                    out.append({"start": start, "end": end, "language": found})
        return out

    def _stopword_guess(self, block: str) -> str | None:
        words = _WORD.findall(block)
        if len(words) < MIN_BLOCK_WORDS:
            return None
        # every line of every document comes here: the lookups run in C (map), not in a Python loop
        table = self._stopword_languages
        scores = Counter(chain.from_iterable(map(table.get, map(str.lower, words), repeat(()))))
        if not scores:
            return None
        best = max(sorted(scores), key=scores.__getitem__)
        return best if scores[best] >= 2 else None
