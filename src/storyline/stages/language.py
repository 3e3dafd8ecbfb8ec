"""Language of a document (lingua, restricted to the configured languages for speed and accuracy)."""

from __future__ import annotations

from functools import cached_property

from ..pipeline import register_stage
from ..records import Document

# ISO 639-1 codes storyline supports; lingua knows them by name.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("fr", "en", "es", "de", "it", "pt", "ru")
SAMPLE_CHARS = 800  # the first 800 body characters decide: enough for 7 languages, and detection cost grows with length


@register_stage("language")
class DetectLanguage:
    requires = ("text", "body", "meta")
    assigns = ("language",)

    def __init__(self, languages: tuple[str, ...] = SUPPORTED_LANGUAGES):
        self.languages = languages

    @cached_property
    def _detector(self):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        codes = [getattr(IsoCode639_1, code.upper()) for code in self.languages]
        return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()

    def __call__(self, doc: Document) -> Document:
        declared = doc.meta.get("language")
        if declared:
            doc.language = str(declared).lower()
            return doc
        sample = doc.body_text()[:SAMPLE_CHARS] if doc.body else doc.text[:SAMPLE_CHARS]
        found = self._detector.detect_language_of(sample) if sample.strip() else None
        doc.language = found.iso_code_639_1.name.lower() if found else None
        return doc
