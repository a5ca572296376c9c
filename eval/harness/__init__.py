"""The eval: our pipeline and its baselines on a seeded set of generated cases (`overturn eval`).

`overturn` is this pipeline; `bm25-only` and `dense-only` are the same pipeline with one kind of
similarity; `langchain-recipe` and `recipe+queries` are the plain LangChain recipe on the same
page text, with one query per requirement or with the knowledge file's queries fused.
"""

SYSTEMS = ("overturn", "bm25-only", "dense-only", "langchain-recipe", "recipe+queries")
