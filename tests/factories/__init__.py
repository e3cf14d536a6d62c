"""factory_boy factories, one module per app: org (substitution), companies, cases."""
