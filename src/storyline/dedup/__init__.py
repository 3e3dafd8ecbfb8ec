"""Near-duplicates and syndication: which stored articles are copies of which.

`shingles` turns an article body into normalised word shingles, `minhash` into MinHash signatures and LSH band
keys, `detect` finds a new article's original through the store's band index and verifies it exactly.
`Storyline.ingest` calls `Deduper.place` for every stored article; `Storyline.independent_sources` counts the
sources of a story without its copies.
"""

from .detect import Body, Deduper, Match, backfill, compare, index_keys, prepare
from .shingles import body_text, normal_words, shingle

__all__ = ["Body", "Deduper", "Match", "backfill", "compare", "index_keys", "prepare", "body_text", "normal_words", "shingle"]
