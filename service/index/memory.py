"""Freed memory scrubbed, fresh memory never an earlier request's.

Chroma saves its HNSW index files (`data_level0.bin`) from buffers it allocates with malloc and
does not clear, unused slots included: without this, those files carried page text, letters and
case ids of earlier requests that had been freed, and deleting a case did not remove them. glibc's
`M_PERTURB` fills every block it frees, and every block it hands out (calloc aside), with a fixed
byte, so no buffer starts with someone's data. Set once per process, before any record is read:
importing the `service` package does it.

It also caps glibc's malloc arenas (`limit_arenas`): by default each thread that allocates may get
an arena of its own (up to eight per core), and a server's request, reader and drafter threads
each kept tens of megabytes of freed memory in theirs.
"""

import ctypes
import ctypes.util
import logging
import os
from functools import cache

log = logging.getLogger(__name__)

M_PERTURB = -6
M_ARENA_MAX = -8
"""glibc's mallopt parameters (malloc.h)."""
SCRUB_BYTE = 0x5A
ARENAS = 2
"""The main arena and one more: what glibc's own tuning advice gives for threaded servers."""


def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


@cache
def scrub_freed_memory() -> bool:
    """True when the C library took the setting (glibc); elsewhere False, and a debug line."""
    try:
        taken = bool(_libc().mallopt(M_PERTURB, SCRUB_BYTE))
    except (OSError, AttributeError):
        taken = False
    if not taken:
        log.debug("this C library cannot scrub freed memory (mallopt M_PERTURB)")
    return taken


@cache
def limit_arenas() -> bool:
    """True when glibc took the cap; an operator's own `MALLOC_ARENA_MAX` is left to rule."""
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    try:
        return bool(_libc().mallopt(M_ARENA_MAX, ARENAS))
    except (OSError, AttributeError):
        return False
