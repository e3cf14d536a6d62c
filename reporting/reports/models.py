"""The reports feature's models (re-exported by ``reporting/models.py`` for Django)."""
