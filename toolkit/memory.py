"""Keeping a large corpus's footprint near the size of its frames.

Two allocators hold on to memory a process has freed: Arrow's default pool (mimalloc), in which the
thousands of small Arrow arrays that a corpus's chunks arrive in (from the cache's files or from the
workers) take about 1.8 times their size (1.1 times with the system allocator), and glibc's heap, which
keeps what the JSON parser freed after loading, and the large blocks freed between small ones that
outlive them. So, for corpora of `LARGE_CORPUS` articles or more, Arrow allocates from the system
allocator, glibc maps large blocks on their own, and freed memory is handed back after the big steps (with
the other savings of the same work, a rerun of ten times Reuters from the cache peaks at 4.21 GB instead
of 4.79 GB; a cold run through Dask did not come down: see benchmarks/README.md).
Smaller runs are left alone, so they keep their speed.
"""

from __future__ import annotations

import ctypes

LARGE_CORPUS = 1000  # articles from which the allocators' settings are worth changing


MMAP_THRESHOLD = 128 * 1024  # glibc's default starting point, kept fixed
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def use_large_corpus_allocators(articles: int) -> None:
    """For a corpus of `articles` articles, at least `LARGE_CORPUS`, from now on (process-wide; what is
    allocated already stays put): Arrow allocates from the C library, and glibc serves every block of
    `MMAP_THRESHOLD` bytes or more with its own mapping, given back when freed.

    Measured on 200 chunks of the 10x cache: 0.59 GB resident with mimalloc, 0.36 GB with the system pool,
    for 0.33 GB of frames. glibc's threshold otherwise rises with each large block freed, up to 32 MB, and
    blocks under it then come from the heap, which cannot shrink past the small objects that outlive them:
    on 50,000 articles through Dask, 0.5 GB of the heap free but held at the peak; fixed, the peak fell from
    1.28 to 1.20 GB."""
    if articles < LARGE_CORPUS:
        return
    import pyarrow as pa  # pandas' own dependency, loaded by the Arrow-backed frames already

    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc
        pass


def return_freed_memory(articles: int) -> None:
    """For a corpus of `articles` articles, at least `LARGE_CORPUS`: hand the memory a big step freed back to
    the operating system (as Dask's documentation advises for its workers). Where the C library is not
    glibc, only Arrow's pool is trimmed."""
    if articles < LARGE_CORPUS:
        return
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
