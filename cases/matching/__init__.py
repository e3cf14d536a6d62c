"""Matching citizens and tasks, match proposals and the candidate overview (docs/domain.md)."""
