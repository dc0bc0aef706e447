"""Near-duplicate articles: wire stories are re-sent with small changes, and each copy would count again.

An article is a near-copy of another when their sets of word 5-shingles have a Jaccard similarity of at
least `THRESHOLD`. MinHash signatures (numpy, fixed seeds) put candidate pairs in the same bucket of a
banded LSH index, so the corpus is never compared pair by pair; every candidate is then checked on its
exact shingle sets, so the flags do not depend on the signatures' sampling error.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

THRESHOLD = 0.9
SHINGLE = 5
BANDS, ROWS = 16, 8  # 128 hashes; pairs at Jaccard 0.9 share a bucket with probability 0.9999
_PRIME_STEP = np.uint64(0x9E3779B97F4A7C15)
_ESTIMATE_FLOOR = 0.75  # candidates whose signatures agree less than this cannot reach the threshold


def _shingles(text: str, vocabulary: dict[str, int]) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's word 5-shingles (the whole text when it is shorter).

    Words become ids from `vocabulary`, shared by all the texts compared in one call.
    """
    ids = np.fromiter(
        (vocabulary.setdefault(w, len(vocabulary) + 1) for w in text.lower().split()),
        dtype=np.uint64,
    )
    if len(ids) == 0:
        return ids
    width = min(SHINGLE, len(ids))
    hashed = np.zeros(len(ids) - width + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(width):
            hashed = hashed * _PRIME_STEP + ids[offset:len(ids) - width + 1 + offset]
    return np.unique(hashed)


def _signatures(shingles: list[np.ndarray]) -> np.ndarray:
    """MinHash signatures (articles x BANDS*ROWS) with multiply-shift hashes of fixed seeds."""
    rng = np.random.default_rng(20240516)
    a = rng.integers(1, 2**63, size=BANDS * ROWS, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=BANDS * ROWS, dtype=np.uint64)
    values = np.concatenate(shingles)
    starts = np.cumsum([0] + [len(s) for s in shingles[:-1]])
    signatures = np.empty((len(shingles), BANDS * ROWS), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(BANDS * ROWS):
            signatures[:, i] = np.minimum.reduceat((values * a[i] + b[i]) >> np.uint64(16), starts)
    return signatures


def _jaccard(left: np.ndarray, right: np.ndarray) -> float:
    shared = len(np.intersect1d(left, right, assume_unique=True))
    return shared / (len(left) + len(right) - shared)


def near_duplicates(articles: pd.DataFrame, *, threshold: float = THRESHOLD) -> pd.Series:
    """For each article, the `article_id` of the earliest earlier article it nearly copies, else NA.

    "Earlier" means published earlier, articles without a date coming last, and the frame's order
    between equal dates. Returns a string Series aligned with `articles`.
    """
    result = pd.Series(pd.NA, index=articles.index, dtype="string")
    vocabulary: dict[str, int] = {}
    shingles = [_shingles(text, vocabulary) for text in articles["text"]]
    usable = np.flatnonzero([len(s) > 0 for s in shingles])
    if len(usable) < 2:
        return result
    order = pd.DataFrame({"published": articles["published"].to_numpy()[usable], "at": usable})
    ranked: list[int] = order.sort_values(["published", "at"], na_position="last", kind="stable")["at"].tolist()
    signatures = _signatures([shingles[i] for i in ranked])
    rank = {article: position for position, article in enumerate(ranked)}
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    ids = articles["article_id"].to_numpy()
    for position, article in enumerate(ranked):
        row = signatures[position]
        candidates: set[int] = set()
        for band in range(BANDS):
            bucket = buckets[(band, row[band * ROWS:(band + 1) * ROWS].tobytes())]
            candidates.update(bucket)
            bucket.append(article)
        if not candidates:
            continue
        earlier = np.array(sorted(candidates, key=rank.__getitem__))
        estimates = (signatures[[rank[c] for c in earlier]] == row).mean(axis=1)
        for candidate in earlier[estimates >= min(_ESTIMATE_FLOOR, threshold)]:
            if _jaccard(shingles[article], shingles[candidate]) >= threshold:
                result.iloc[article] = ids[candidate]
                break
    return result
