# Reporting models (fidelity, report jobs) arrive with the dashboards and reports issues.
