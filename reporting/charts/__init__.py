"""Server-rendered SVG charts for pages and PDFs alike (CSP-clean, each with a text alternative)."""
