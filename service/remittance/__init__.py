"""Remittances (X12 835) and denial notices read into claims, and the triage of each denial."""
