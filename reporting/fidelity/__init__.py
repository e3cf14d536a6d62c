"""Fidelity to the method: models, survey rounds, scoring, the fidelity page."""
