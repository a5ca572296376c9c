"""Persistence for the API: SQL rows, sealed files, API keys, encryption at rest."""
