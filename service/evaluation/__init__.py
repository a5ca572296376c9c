"""The eval: our pipeline and its baselines on a seeded set of generated cases (`overturn eval`)."""

SYSTEMS = ("overturn", "bm25-only", "dense-only", "langchain-recipe")
