"""Denial-code knowledge: Markdown files with YAML front matter, and the seed-page importer."""

from service.knowledge.loader import Billable, KnowledgeBase, load_code_file, load_knowledge

__all__ = ["Billable", "KnowledgeBase", "load_code_file", "load_knowledge"]
