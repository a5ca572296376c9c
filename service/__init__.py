"""Overturn: cited appeal letters for denied medical claims.

Importing the package scrubs freed memory and caps malloc's arenas for the whole process
(`index/memory.py`): it happens before any record is read, in the CLI, the servers, the workers
and the tests alike.
"""

from service.index.memory import limit_arenas, scrub_freed_memory

scrub_freed_memory()
limit_arenas()

__version__ = "0.1.0"
