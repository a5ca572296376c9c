"""Which pages and sentences of a case may be quoted at all, decided before any evidence is chosen:
whose page it is, when it was written, instructions and meta-text, boilerplate and stamps."""
