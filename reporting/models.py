# No models yet. Fidelity rounds and report jobs belong here (docs/domain.md, "Management").
