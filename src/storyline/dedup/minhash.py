"""MinHash signatures and their LSH bands, vectorised with numpy (no other dependency).

`signature(shingles)` keeps, for each of `NUM_PERM` hash functions h_i(x) = ((a_i * x + b_i) mod 2^64) >> 32
(multiply-add-shift: a universal family; a_i odd), the minimum over the shingles: two bodies agree on one
value with probability equal to the Jaccard similarity of their shingle sets.

`bands(signature)` cuts the signature into `BANDS` bands of `ROWS` values and hashes each band to 31 bits (so
SQLite stores it in 4 bytes): two bodies share a band with probability 1 - (1 - J^ROWS)^BANDS, the "S curve"
that makes the band index find candidates without comparing against every stored article. Band numbers start at
`first`, so several banded signatures (the whole body, its lead) share one index without mixing. The parameters
are part of what is stored: changing them means re-indexing (see `INDEX_VERSION`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["NUM_PERM", "BANDS", "ROWS", "INDEX_VERSION", "signature", "bands", "candidate_probability"]

BANDS = 42
ROWS = 3
NUM_PERM = BANDS * ROWS  # 126
INDEX_VERSION = 1  # bump when the shingling, the hash functions or the banding change
SEED = 0x53544C4E  # "STLN": fixed, so every process computes the same signatures
CHUNK = 4096  # shingles per step: bounds the temporary matrix to CHUNK x NUM_PERM values



def _splitmix64(seed: int, n: int) -> list[int]:
    """n pseudo-random 64-bit integers from SplitMix64: fixed by definition, unlike a library's generator
    streams, so stored band hashes stay valid across numpy versions."""
    mask, out, state = (1 << 64) - 1, [], seed
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        out.append(z ^ (z >> 31))
    return out


_constants = _splitmix64(SEED, 2 * NUM_PERM)
_A = np.array([x | 1 for x in _constants[:NUM_PERM]], dtype=np.uint64)  # odd multipliers
_B = np.array(_constants[NUM_PERM:], dtype=np.uint64)
_EMPTY = np.uint32(0xFFFFFFFF)
_BAND_MULT = np.uint64(0x100000001B3)  # FNV-64 prime
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def signature(shingles: np.ndarray) -> np.ndarray:
    """The MinHash signature (NUM_PERM uint32 values) of a set of uint64 shingle hashes."""
    sig = np.full(NUM_PERM, _EMPTY, dtype=np.uint32)
    with np.errstate(over="ignore"):
        for i in range(0, shingles.size, CHUNK):
            values = shingles[i : i + CHUNK, None] * _A  # in place from here: one temporary matrix
            values += _B
            values >>= np.uint64(32)
            np.minimum(sig, values.min(axis=0).astype(np.uint32), out=sig)
    return sig


def bands(sig: np.ndarray, n_bands: int = BANDS, rows: int = ROWS, first: int = 0) -> list[tuple[int, int]]:
    """(band number, 31-bit band hash) pairs of the first n_bands * rows values of a signature: the band
    index's keys, numbered from `first`."""
    values = sig[: n_bands * rows].reshape(n_bands, rows).astype(np.uint64)
    with np.errstate(over="ignore"):
        h = np.arange(first + 1, first + n_bands + 1, dtype=np.uint64) * _MIX2
        for j in range(rows):
            h = (h ^ values[:, j]) * _BAND_MULT
        h = h ^ (h >> np.uint64(30))
        h = h * _MIX1
        h = h ^ (h >> np.uint64(31))
    return list(enumerate((h >> np.uint64(33)).tolist(), start=first))


def candidate_probability(jaccard: float, bands: int = BANDS, rows: int = ROWS) -> float:
    """The chance two bodies of Jaccard similarity `jaccard` share at least one band."""
    return 1.0 - (1.0 - jaccard**rows) ** bands
