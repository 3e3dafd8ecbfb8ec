"""Grouping articles into stories: events (one happening) and storylines (a thread of events)."""

from .incremental import IncrementalGrouper, salient_terms

__all__ = ["IncrementalGrouper", "salient_terms"]
