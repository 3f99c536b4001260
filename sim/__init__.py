"""Vernetzte Kommune: an agent-based model of cooperation in municipal networks."""

__version__ = "0.2.0"
