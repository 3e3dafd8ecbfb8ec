"""Grouping articles into stories: events (one happening) and storylines (a thread of events)."""

from .evidence import Evidence, Happening, article_day, evidence_of, salient_terms
from .grouper import Grouper, same_event

__all__ = ["Evidence", "Grouper", "Happening", "article_day", "evidence_of", "salient_terms", "same_event"]
