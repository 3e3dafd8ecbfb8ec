"""storyline: news articles in, stories out, every fact traced to its sentence."""

import logging

from .api import Storyline, analyze, open
from .pipeline import Pipeline, PipelineError, register_stage
from .records import Article, Document, Published, RawDocument, Rejection, Span, Story

__all__ = [
    "Article",
    "Document",
    "Pipeline",
    "PipelineError",
    "Published",
    "RawDocument",
    "Rejection",
    "Span",
    "Story",
    "Storyline",
    "analyze",
    "open",
    "register_stage",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
