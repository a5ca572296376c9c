"""Overturn: cited appeal letters for denied medical claims."""

__version__ = "0.1.0"
