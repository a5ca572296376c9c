"""Denial-code knowledge: Markdown files with YAML front matter, and the seed-page importer."""

from service.knowledge.loader import KnowledgeBase, load_code_file, load_knowledge

__all__ = ["KnowledgeBase", "load_code_file", "load_knowledge"]
