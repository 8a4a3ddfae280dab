"""Scoring answers against gold question sets: `qa eval`."""
