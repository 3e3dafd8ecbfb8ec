"""Article text and metadata out of web pages (see `storyline.extraction.article`)."""

from __future__ import annotations

from .article import ExtractedArticle, extract_article, parse_html

__all__ = ["ExtractedArticle", "extract_article", "parse_html"]
