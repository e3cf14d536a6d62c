"""The citizen pages. Each view parses input (a form), calls a query or a service, and renders;
reads of personal data are audited here with ``substitution.audit.record``. Views annotate their
request as ``substitution.http.AuthenticatedHttpRequest``."""
