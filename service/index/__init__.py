"""Embeddings, the Chroma vector store, BM25 and their fusion: the search side of a case."""
