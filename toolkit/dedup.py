"""Near-duplicate articles: wire stories are re-sent with small changes, and each copy would count again.

An article is a near-copy of another when their sets of word 5-shingles have a Jaccard similarity of at
least `THRESHOLD`. Each article's MinHash signature (numpy, fixed seeds, words hashed with a stable hash)
depends on its text alone, so it is computed with the article's other per-article results
(`toolkit.engines.analyze_chunk`) and cached with them: adding articles to a corpus signs only the new
ones. Articles whose signatures agree on a whole band of a banded LSH index are candidates, found by
sorting each band, so the corpus is never compared pair by pair; every candidate is then checked on its
exact shingle sets, so the flags do not depend on the signatures' sampling error.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

THRESHOLD = 0.9
SHINGLE = 5
BANDS, ROWS = 16, 8  # 128 hashes; pairs at Jaccard 0.9 share a bucket with probability 0.9999
HASHES = BANDS * ROWS
_PRIME_STEP = np.uint64(0x9E3779B97F4A7C15)
_ESTIMATE_FLOOR = 0.75  # candidates whose signatures agree less than this cannot reach the threshold
_SEEDS = np.random.default_rng(20240516)
_A = _SEEDS.integers(1, 2**63, size=HASHES, dtype=np.uint64) | np.uint64(1)
_B = _SEEDS.integers(0, 2**63, size=HASHES, dtype=np.uint64)


_BLOCK = 1_000_000  # characters lower-cased and split at a time: a huge article's words are never all held as strings
_SPACE = re.compile(r"\s")


def _hash_new_words(words: Iterable[str], known: dict[str, int]) -> None:
    """Add to `known` a stable 64-bit hash of each distinct word not in it (the same in every process and run)."""
    known.update({word: int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                  for word in set(words) - known.keys()})


def _word_ids(text: str, hashes: dict[str, int]) -> np.ndarray:
    """The hash of each word of the lower-cased text, in order, read a block at a time (cut at whitespace,
    so the words are those of `text.lower().split()`)."""
    blocks, start = [], 0
    while start < len(text):
        space = _SPACE.search(text, start + _BLOCK) if start + _BLOCK < len(text) else None
        end = space.start() if space else len(text)
        words = text[start:end].lower().split()
        _hash_new_words(words, hashes)
        blocks.append(np.fromiter((hashes[word] for word in words), dtype=np.uint64, count=len(words)))
        start = end
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.uint64)


def _shingles(text: str, hashes: dict[str, int] | None = None) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's word 5-shingles (the whole text when it is shorter)."""
    ids = _word_ids(text, {} if hashes is None else hashes)
    if len(ids) == 0:
        return ids
    width = min(SHINGLE, len(ids))
    hashed = np.zeros(len(ids) - width + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            hashed = hashed * _PRIME_STEP + ids[offset:len(ids) - width + 1 + offset]
    return np.unique(hashed)


def signatures(texts: Sequence[str]) -> list[bytes]:
    """Each text's MinHash signature (`HASHES` uint64 as bytes; empty bytes for a text without words)."""
    hashes: dict[str, int] = {}  # each distinct word of the chunk hashed once
    shingles = [_shingles(text, hashes) for text in texts]
    filled = [s for s in shingles if len(s)]
    if not filled:
        return [b"" for _ in shingles]
    values = np.concatenate(filled)
    starts = np.cumsum([0] + [len(s) for s in filled[:-1]])
    matrix = np.empty((len(filled), HASHES), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(HASHES):
            matrix[:, i] = np.minimum.reduceat((values * _A[i] + _B[i]) >> np.uint64(16), starts)
    rows = iter(matrix)
    return [next(rows).tobytes() if len(s) else b"" for s in shingles]


def signature_array(signed: Iterable[bytes]) -> pd.arrays.ArrowExtensionArray:
    """Signatures as one Arrow binary array, as the workers send them and the client keeps them."""
    return pd.arrays.ArrowExtensionArray(pa.array(list(signed), type=pa.binary()))


def _signature_rows(signed: pd.Series | Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the articles with a signature (a text with words) and those signatures, one row of
    `HASHES` uint64 each, read from one Arrow binary array: no Python bytes object an article (at ten times
    Reuters, 190,000 small objects that would pin the heap's memory around them)."""
    values = signed.array if isinstance(signed, pd.Series) else signed
    if not isinstance(values, pd.arrays.ArrowExtensionArray):
        values = signature_array(values)
    arrow = values.__arrow_array__()
    if isinstance(arrow, pa.ChunkedArray):
        arrow = arrow.combine_chunks()
    arrow = arrow.cast(pa.binary())
    offsets = np.frombuffer(arrow.buffers()[1], dtype=np.int32)[arrow.offset:arrow.offset + len(arrow) + 1]
    usable = np.flatnonzero(np.diff(offsets) > 0)
    if not len(usable):
        return usable, np.empty((0, HASHES), dtype=np.uint64)
    data = np.frombuffer(arrow.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
    return usable, data.view(np.uint64).reshape(len(usable), HASHES)


def _jaccard(left: np.ndarray, right: np.ndarray) -> float:
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return shared / (len(left) + len(right) - shared)


def _candidate_pairs(matrix: np.ndarray) -> np.ndarray:
    """(earlier, later) row pairs whose signatures agree on at least one whole band, each pair once."""
    pairs = []
    for band in range(BANDS):
        rows = matrix[:, band * ROWS:(band + 1) * ROWS]
        order = np.lexsort(rows.T[::-1])
        same = np.all(rows[order[1:]] == rows[order[:-1]], axis=1)
        starts = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))) == 1)
        ends = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))) == -1)
        for start, end in zip(starts, ends):
            members = np.sort(order[start:end + 1])
            later, earlier = np.triu_indices(len(members), k=1)[::-1]
            pairs.append(np.stack([members[earlier], members[later]], axis=1))
    if not pairs:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.concatenate(pairs), axis=0)


def near_duplicates(articles: pd.DataFrame, *, threshold: float = THRESHOLD,
                    signed: Sequence[bytes] | pd.Series | None = None) -> pd.Series:
    """For each article, the `article_id` of the earliest earlier article it nearly copies, else NA.

    "Earlier" means published earlier, articles without a date coming last, and the frame's order
    between equal dates. `signed`: the articles' `signatures` when already computed (else computed
    here). Returns a string Series aligned with `articles`.
    """
    result = pd.Series(pd.NA, index=articles.index, dtype="string")
    usable, rows = _signature_rows(signatures(articles["text"].tolist()) if signed is None else signed)
    if len(usable) < 2:
        return result
    order = pd.DataFrame({"published": articles["published"].to_numpy()[usable], "at": usable})
    ranked = order.sort_values(["published", "at"], na_position="last", kind="stable")["at"].to_numpy()
    matrix = rows[np.searchsorted(usable, ranked)]  # rows in the order of `ranked`
    del rows
    pairs = _candidate_pairs(matrix)
    if not len(pairs):
        return result
    estimates = (matrix[pairs[:, 0]] == matrix[pairs[:, 1]]).mean(axis=1)
    pairs = pairs[estimates >= min(_ESTIMATE_FLOOR, threshold)]
    pairs = pairs[np.lexsort((pairs[:, 0], pairs[:, 1]))]  # by later article, then earliest candidate first
    texts, ids = articles["text"].array, articles["article_id"].to_numpy()  # only candidates' texts become strings
    shingles: dict[int, np.ndarray] = {}

    def shingled(position: int) -> np.ndarray:
        article = int(ranked[position])
        if article not in shingles:
            shingles[article] = _shingles(texts[article])
        return shingles[article]

    flagged = set()
    for earlier, later in pairs.tolist():
        if later not in flagged and _jaccard(shingled(later), shingled(earlier)) >= threshold:
            flagged.add(later)
            result.iloc[int(ranked[later])] = ids[int(ranked[earlier])]
    return result
