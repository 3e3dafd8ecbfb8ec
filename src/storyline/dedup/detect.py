"""Finding the original a newly stored article copies, through the store's band index.

For each new article (`Deduper.place`, called inside the ingest batch):

1. its body (`Article.body` ranges, without the headline line) becomes word 5-gram shingles (`shingles.py`);
2. two MinHash signatures are banded into index keys (`minhash.py`): the whole body's (42 bands of 3 values:
   finds bodies of Jaccard similarity >= 0.4 with probability >= 0.94, >= 0.5 with >= 0.996) and the lead's,
   its first 40 shingles (8 bands of 4 values: a copy trimmed at the end keeps its lead whole, however short
   the copy, so a copy with a low Jaccard similarity is still found);
3. the articles sharing a key are the candidates (an index lookup, at most `MAX_CANDIDATES`, most keys
   shared first), and each one is verified exactly on the shingles of its stored text (`compare`): sharing
   quotes or a few paragraphs with another article about the same event is not enough;
4. the new article joins the group of copies of the best match: its original is the group's earliest
   published article (else the earliest ingested). When the new article is earlier than the originals of the
   groups it matches (copies were ingested first), it becomes their original and their links are moved to it;
   a group whose original is later than the new article's original, and which copies that original too, moves
   under it. So the result does not depend on the order articles arrive in;
5. the new article is added to the index, unless it has the same body as its original (its keys would be the
   original's): a wire story reprinted verbatim by a thousand outlets adds one article's keys, not a thousand.

Every write goes through the batch, so it commits (or is lost to a crash) together with the article.

Thresholds, measured on PolNeAR (`benchmarks/syndication.py`, bodies as the real pipeline cleans them): copies
planted into the corpus (re-encoded, re-headlined, trimmed by 20-40%, wrapped in site chrome) have containment
>= 0.82 with their original, and Jaccard similarity down to 0.39 (trimmed); across all 350k pairs of distinct
corpus articles, many about the same debates and primaries and sharing quotes, containment stays <= 0.50,
except updated versions of one article (0.70-1.0; those at 0.8 and above are linked as copies).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from ..records import Article
from ..store.base import CopyKind, CopyLink
from . import minhash
from .shingles import Shingled, body_text, normal_words, shingle

__all__ = ["Body", "Match", "Deduper", "backfill", "compare", "similarity", "prepare", "index_keys", "order_key"]

MIN_WORDS = 10  # a body shorter than this is not compared (an extraction failure more often than an article)
NEAR = 0.80  # Jaccard similarity of the shingle sets: a near copy
CONTAINED = 0.80  # share of the smaller body's shingles found in the larger: a trimmed or wrapped copy
MIN_RATIO = 0.20  # ...when the smaller is at least this share of the larger (not one item of a round-up),
# or when both open the same way (a copy trimmed to its first paragraphs, however short)
MAX_CANDIDATES = 20  # candidates verified per new article (the copies of one original share the most bands)
LEAD_BANDS = 8
LEAD_ROWS = 4
CACHE_SIZE = 2048  # bodies kept in memory (about 6 KB each for a 750-word article: 12 MB at most): the originals
# of busy wire stories, and older articles that share bands, are compared again and again; shingling them anew
# from the store costs more than the comparison itself

_KIND_RANK = {"exact": 3, "reheadlined": 3, "near": 2, "contained": 1}
SAME_BODY = ("exact", "reheadlined")


@dataclass(frozen=True, slots=True)
class Body:
    """What comparing an article needs: its shingled body and its normalised title words."""

    shingled: Shingled
    title: tuple[str, ...]

    @property
    def words(self) -> int:
        return self.shingled.words


@dataclass(frozen=True, slots=True)
class Match:
    """How two bodies relate: `kind`, `score` (1.0 for the same body, else the Jaccard similarity for "near"
    or the containment for "contained"), and both measures."""

    kind: CopyKind
    score: float
    jaccard: float
    containment: float

    @property
    def rank(self) -> tuple[int, float]:
        return (_KIND_RANK[self.kind], self.score)


def prepare(article: Article) -> Body:
    title = tuple(normal_words(article.title)) if article.title else ()
    return Body(shingle(body_text(article.text, article.body, article.title)), title)


def index_keys(body: Body) -> list[tuple[int, int]]:
    """The band index keys of a body: its whole-body bands, then its lead's."""
    keys = minhash.bands(minhash.signature(body.shingled.shingles))
    lead = minhash.signature(body.shingled.lead)
    return keys + minhash.bands(lead, LEAD_BANDS, LEAD_ROWS, first=minhash.BANDS)


def compare(a: Body, b: Body) -> Match | None:
    """The copy relation between two bodies, or None when neither copies the other."""
    if a.words < MIN_WORDS or b.words < MIN_WORDS:
        return None
    if a.shingled.digest == b.shingled.digest:
        kind: CopyKind = "reheadlined" if a.title and b.title and a.title != b.title else "exact"
        return Match(kind, 1.0, 1.0, 1.0)
    jaccard, containment = similarity(a, b)
    small, large = sorted((a.shingled.size, b.shingled.size))
    if jaccard >= NEAR:
        return Match("near", round(jaccard, 4), jaccard, containment)
    if containment >= CONTAINED and (small >= MIN_RATIO * large or _same_lead(a.shingled, b.shingled)):
        return Match("contained", round(containment, 4), jaccard, containment)
    return None


def similarity(a: Body, b: Body) -> tuple[float, float]:
    """(Jaccard similarity, containment of the smaller in the larger) of two bodies' shingle sets."""
    sa, sb = a.shingled.shingles, b.shingled.shingles
    if not sa.size or not sb.size:
        return 0.0, 0.0
    shared = int(np.intersect1d(sa, sb, assume_unique=True).size)
    return shared / (sa.size + sb.size - shared), shared / min(sa.size, sb.size)


def _same_lead(a: Shingled, b: Shingled) -> bool:
    small = min(a.lead.size, b.lead.size)
    return small > 0 and np.intersect1d(a.lead, b.lead, assume_unique=True).size >= CONTAINED * small


def order_key(article: Article, seq: int | None) -> tuple[bool, str, int]:
    """Sorts the earliest published first (a known day before an unknown one), then the earliest ingested."""
    p = article.published
    day = p.date or p.earliest
    return (day is None, day or "", seq if seq is not None else 1 << 62)


class Deduper:
    """Links each new article to the original it copies, if any, through the store's band index."""

    def __init__(self, max_candidates: int = MAX_CANDIDATES, cache_size: int = CACHE_SIZE):
        self.max_candidates = max_candidates
        self.cache_size = cache_size
        self._cache: OrderedDict[str, Body] = OrderedDict()

    def _body(self, store, article_id: str, article: Article | None = None) -> Body | None:
        """An article's body, from the cache when there (ids are content hashes: a body never goes stale)."""
        hit = self._cache.get(article_id)
        if hit is not None:
            self._cache.move_to_end(article_id)
            return hit
        article = article or store.article(article_id)
        if article is None:
            return None
        return self._remember(article_id, prepare(article))

    def _remember(self, article_id: str, body: Body) -> Body:
        self._cache[article_id] = body
        self._cache.move_to_end(article_id)
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return body

    def place(
        self, batch, store, article: Article, prepared: tuple[Body, list[tuple[int, int]]] | None = None
    ) -> CopyLink | None:
        """Find the original `article` (just stored through `batch`) copies, record the link(s) and index the
        article. Returns the article's link to its original, or None when it is an original. Safe to repeat.
        `prepared`: the article's body and index keys when already computed (by a worker process)."""
        if prepared is not None:
            self._remember(article.id, prepared[0])
        body = self._body(store, article.id, article)
        if body is None or body.words < MIN_WORDS:
            return None
        keys = prepared[1] if prepared is not None else index_keys(body)
        link = store.copy_of(article.id)
        if link is None and not store.copies_of(article.id):
            link = self._link(batch, store, article, body, keys)
        if link is None or link.kind not in SAME_BODY:
            batch.add_signature(article.id, keys)
        return link

    def _link(self, batch, store, article: Article, body: Body, keys) -> CopyLink | None:
        matches: list[tuple[str, Match]] = []
        for cid, _shared in store.lsh_candidates(keys, limit=self.max_candidates + 1):
            if cid == article.id:
                continue
            other = self._body(store, cid)
            if other is None:
                continue
            m = compare(body, other)
            if m is not None:
                matches.append((cid, m))
        if not matches:
            return None
        links = store.copy_links([cid for cid, _ in matches])
        best: dict[str, tuple[str, Match]] = {}  # original -> the best match in its group
        for cid, m in matches:
            root = links[cid].original_id if cid in links else cid
            if root not in best or m.rank > best[root][1].rank:
                best[root] = (cid, m)
        seqs = store.ingest_order([article.id, *best])
        roots: dict[str, tuple[Article, Body]] = {}
        for root in best:
            root_article = store.article(root)
            root_body = self._body(store, root, root_article) if root_article is not None else None
            if root_body is not None:
                roots[root] = (root_article, root_body)
        if not roots:
            return None
        mine = order_key(article, seqs.get(article.id))
        keys_of = {r: order_key(roots[r][0], seqs.get(r)) for r in roots}
        relation = {}  # the new article's relation to each group's original (else to the member it matched)
        for r, (via, m) in best.items():
            if r in roots:
                relation[r] = m if via == r else (compare(body, roots[r][1]) or m)
        earlier = [r for r in roots if keys_of[r] < mine]
        later = [r for r in roots if keys_of[r] > mine]
        if not earlier:
            # the new article is earlier than every group it matches: it becomes their original
            for r in later:
                self._adopt(batch, store, article.id, body, r, relation[r])
            return None
        # the group of the best match (ties: the earliest original)
        top = max(relation[r].rank for r in earlier)
        original = min((r for r in earlier if relation[r].rank == top), key=keys_of.__getitem__)
        m = relation[original]
        batch.set_copy(article.id, original, m.kind, m.score)
        for r in later:  # groups that began after the original and copy it too (the new article bridged them)
            rel = compare(roots[r][1], roots[original][1])
            if rel is not None:
                self._adopt(batch, store, original, roots[original][1], r, rel)
        return CopyLink(article.id, original, m.kind, m.score)

    def _adopt(self, batch, store, original_id: str, original: Body, root_id: str, relation: Match) -> None:
        """Make `original_id` the original of the group `root_id` heads, its copies included."""
        batch.set_copy(root_id, original_id, relation.kind, relation.score)
        for old in store.copies_of(root_id):
            member = self._body(store, old.article_id)
            m = compare(original, member) if member is not None else None
            kind, score = (m.kind, m.score) if m is not None else (old.kind, old.score)
            batch.set_copy(old.article_id, original_id, kind, score)


def backfill(store, deduper: Deduper | None = None, batch_size: int = 200) -> int:
    """Place every stored article again, in ingest order, as ingesting would have: for a database whose articles
    predate the band index (schema version 3), or after `minhash.INDEX_VERSION` changed. Articles already
    linked keep their link; each batch of `batch_size` articles commits on its own (safe to interrupt and
    re-run). Returns the number of articles placed."""
    deduper = deduper or Deduper()
    done = 0
    pending: list[Article] = []

    def flush() -> None:
        with store.batch() as batch:
            for a in pending:
                deduper.place(batch, store, a)
        pending.clear()

    for article in store.articles():
        pending.append(article)
        done += 1
        if len(pending) >= batch_size:
            flush()
    if pending:
        flush()
    return done
