"""Answers about denial codes (and a case), cited to the knowledge base and the records."""
