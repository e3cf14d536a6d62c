"""Placements at companies, work agreements and ordinary hours (docs/domain.md)."""
