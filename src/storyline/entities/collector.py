"""Pausing Python's cyclic garbage collector around bulk work.

Recognising and resolving a batch creates many short-lived containers (tokens, candidates, mentions, document
entities) that live just long enough to be promoted to the oldest generation; with the collector on, each
batch then triggers full collections that walk every object of the process: the gazetteers' 80,000 entries
and every entity the resolver holds, so their cost grows with the corpus (measured: about a fifth of the
entity stage's time, and the CPU spikes of merging 100,000 names). Reference counting still frees whatever
the batch drops; cycles, if any, are collected after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["cycle_collection_paused"]


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block; its previous state is restored (nesting is safe)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
