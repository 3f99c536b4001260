"""Vernetzte Kommune: an agent-based model of cooperation in municipal networks."""

__version__ = "0.1.0"
