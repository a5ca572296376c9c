"""From a case's pages to the evidence a letter may cite: exclusions, instructions, quotes."""
