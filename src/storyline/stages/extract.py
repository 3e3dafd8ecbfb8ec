"""Article text out of HTML pages. Plain-text inputs pass through unchanged.

The work is done by `storyline.extraction.article.extract_article`: trafilatura's main extractor on a page
parsed once, then storyline's own cleaning (repeated headline, link-only lines, navigation dumps, furniture
at the head and tail of the text) and recovery of article bodies split over several containers. It also reads
what the page says about itself: title, site name (-> `meta["outlet"]`), canonical URL, and the original
publication date from the markup (htmldate, fast mode -> `meta["published"]`). Metadata the input declared
itself (JSON Lines fields, feed entries, WARC headers) always wins over what the page says.

A page that cannot be parsed at all, or has no article text, raises: the pipeline records the error on the
document, and the document becomes a rejection with code `no_text`.
"""

from __future__ import annotations

from ..pipeline import register_stage
from ..records import Document


class NoTextError(ValueError):
    """Extraction found nothing that reads as an article."""


class NotHTMLError(NoTextError):
    """The input is not an HTML page lxml can make sense of."""


# page metadata -> meta key; set only where the input did not declare its own
_META_KEYS = (("title", "title"), ("published", "published"), ("outlet", "outlet"), ("url", "url"))


@register_stage("extract")
class ExtractText:
    requires = ("html", "text", "meta")
    assigns = ("text", "meta")

    def __call__(self, doc: Document) -> Document:
        if doc.html is None:
            return doc
        from ..extraction.article import extract_article  # lazily: plain-text runs never import lxml

        url = doc.meta.get("url")
        result = extract_article(doc.html, url=str(url) if url else None)
        if result is None:
            raise NotHTMLError("the page could not be parsed as HTML")
        if not result.text.strip():
            raise NoTextError("no article text found in the HTML page")
        doc.text = result.text
        for attr, key in _META_KEYS:
            value = getattr(result, attr)
            if value and not doc.meta.get(key):
                doc.meta[key] = value
        if result.language and not doc.meta.get("html_lang"):
            doc.meta["html_lang"] = result.language  # declared by the page; often a CMS default, so not "language"
        return doc
