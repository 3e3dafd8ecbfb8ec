"""Article text out of HTML pages (trafilatura). Plain-text inputs pass through unchanged."""

from __future__ import annotations

from ..pipeline import register_stage
from ..records import Document


@register_stage("extract")
class ExtractText:
    requires = ("html", "text", "meta")
    assigns = ("text", "meta")

    def __call__(self, doc: Document) -> Document:
        if doc.html is None:
            return doc
        import trafilatura  # imported lazily: plain-text runs never pay for it

        result = trafilatura.bare_extraction(
            doc.html, url=doc.meta.get("url"), with_metadata=True, include_comments=False, as_dict=True
        )
        if not result or not (result.get("text") or "").strip():
            raise NoTextError("no article text found in the HTML page")
        doc.text = result["text"]
        # What the page says about itself; explicit input metadata (JSON Lines fields) wins.
        for key, meta_key in (("title", "title"), ("date", "published"), ("sitename", "outlet"), ("url", "url")):
            value = result.get(key)
            if value and not doc.meta.get(meta_key):
                doc.meta[meta_key] = value
        return doc


class NoTextError(ValueError):
    """Extraction found nothing that reads as an article."""
