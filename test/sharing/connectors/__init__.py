"""Scripted clients that behave like the official Delta Sharing connectors (test-only)."""
