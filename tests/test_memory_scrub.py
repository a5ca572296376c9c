"""Buffers Chroma allocates and saves without clearing must never hold an earlier request's text."""

import subprocess
import sys
import textwrap


def reused_block(scrub: bool) -> bytes:
    """In a fresh interpreter: free a block holding a marker, allocate one of the same size (glibc
    hands the same block back), and return what the new block holds before anything is written."""
    script = textwrap.dedent(
        f"""
        import ctypes, ctypes.util, sys
        if {scrub}:
            import service  # importing the package sets it
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        libc.free.argtypes = [ctypes.c_void_p]
        marker = b"Patient: Jane Roe, MRN 0042 " * 64
        first = libc.malloc(len(marker))
        ctypes.memmove(first, marker, len(marker))
        libc.free(first)
        second = libc.malloc(len(marker))
        sys.stdout.buffer.write(ctypes.string_at(second, len(marker)))
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    return out.stdout


def test_once_the_package_is_imported_a_freed_block_comes_back_scrubbed():
    assert b"Jane Roe" not in reused_block(scrub=True)


def test_the_check_would_see_a_block_that_is_not_scrubbed():
    """The same allocation without the setting still holds the marker: the test above can fail."""
    assert b"Jane Roe" in reused_block(scrub=False)
