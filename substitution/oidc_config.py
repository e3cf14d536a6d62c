"""Provider presets for single sign-on (substitution/oidc.py). Kept free of Django imports:
it is imported by ``substitution.settings``."""

from __future__ import annotations


def entra_endpoints(tenant: str) -> dict[str, str]:
    """The OpenID Connect endpoints and issuer of a Microsoft Entra ID tenant (v2.0)."""
    base = f"https://login.microsoftonline.com/{tenant}"
    return {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{base}/oauth2/v2.0/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{base}/oauth2/v2.0/token",
        "OIDC_OP_JWKS_ENDPOINT": f"{base}/discovery/v2.0/keys",
        "OIDC_OP_ISSUER": f"{base}/v2.0",
    }
