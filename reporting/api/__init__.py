"""A read-only JSON API for BI tools (Power BI, Targit): the measures, authorised by a personal
API token (docs/api.md)."""
