"""Evaluations of storyline's stages against public benchmarks (see `storyline eval`)."""

from __future__ import annotations

from .extraction import evaluate_extraction, metrics_from_counts, shingle_counts

__all__ = ["evaluate_extraction", "metrics_from_counts", "shingle_counts"]
