"""Freed memory scrubbed, fresh memory never an earlier request's.

Chroma saves its HNSW index files (`data_level0.bin`) from buffers it allocates with malloc and
does not clear, unused slots included: without this, those files carried page text, letters and
case ids of earlier requests that had been freed, and deleting a case did not remove them. glibc's
`M_PERTURB` fills every block it frees, and every block it hands out (calloc aside), with a fixed
byte, so no buffer starts with someone's data. Set once per process, before any record is read:
importing the `service` package does it.
"""

import ctypes
import ctypes.util
import logging
from functools import cache

log = logging.getLogger(__name__)

M_PERTURB = -6
"""glibc's mallopt parameter (malloc.h)."""
SCRUB_BYTE = 0x5A


@cache
def scrub_freed_memory() -> bool:
    """True when the C library took the setting (glibc); elsewhere False, and a debug line."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        taken = bool(libc.mallopt(M_PERTURB, SCRUB_BYTE))
    except (OSError, AttributeError):
        taken = False
    if not taken:
        log.debug("this C library cannot scrub freed memory (mallopt M_PERTURB)")
    return taken
