"""Buffers Chroma allocates and saves without clearing must never hold an earlier request's text."""

import os
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


def arenas_after_threads(cap: bool) -> int:
    """In a fresh interpreter: eight threads each allocate and hold a block at once; the number
    of malloc arenas glibc then reports (`malloc_stats` prints one "Arena" line each)."""
    script = textwrap.dedent(
        f"""
        import ctypes, ctypes.util, os, threading
        os.environ.pop("MALLOC_ARENA_MAX", None)
        if {cap}:
            import service  # importing the package caps them
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        libc.malloc.restype = ctypes.c_void_p
        libc.malloc.argtypes = [ctypes.c_size_t]
        all_in = threading.Barrier(8)
        def hold():
            libc.malloc(4096)
            all_in.wait()
        threads = [threading.Thread(target=hold) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        libc.malloc_stats()
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr.decode()[-2000:]
    return out.stderr.decode().count("Arena ")


def test_once_the_package_is_imported_threads_share_two_malloc_arenas():
    assert arenas_after_threads(cap=True) <= 2


def test_without_the_cap_each_thread_takes_an_arena_of_its_own():
    """So the test above can fail: the same threads without the setting spread over more arenas."""
    assert arenas_after_threads(cap=False) > 2
