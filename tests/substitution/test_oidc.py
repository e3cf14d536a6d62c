"""Single sign-on (substitution/oidc.py) against a fake identity provider served on
127.0.0.1 by this test: a token endpoint that hands out an RS256-signed ID token and a JWKS
endpoint with the public key. The whole code flow runs through the real views, backend and
database: the start redirect (state, nonce, PKCE), the callback, the token request over HTTP,
the signature, audience, issuer and nonce checks, and the mapping of the claim to a user."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse
from jwt.algorithms import RSAAlgorithm
from pytest_django.fixtures import Settings

from substitution.models import User
from substitution.oidc_config import entra_endpoints
from substitution.two_factor import SSO_SESSION_KEY

CLIENT_ID = "substitution-test-client"


class FakeIdP:
    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict[str, Any] = {}
        self.token_requests: list[dict[str, list[str]]] = []
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                jwk = json.loads(RSAAlgorithm.to_jwk(idp.key.public_key()))
                self._json({"keys": [{**jwk, "kid": "k1", "alg": "RS256", "use": "sig"}]})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers["Content-Length"])
                idp.token_requests.append(parse_qs(self.rfile.read(length).decode()))
                token = jwt.encode(idp.claims, idp.key, algorithm="RS256", headers={"kid": "k1"})
                self._json({"id_token": token, "access_token": "at", "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = f"{self.url}/tenant/v2.0"

    def sign_in(self, nonce: str, **claims: Any) -> None:
        now = int(time.time())
        self.claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "abc",
            "iat": now,
            "exp": now + 600,
            "nonce": nonce,
            **claims,
        }
        if claims.get("exp") == "expired":
            self.claims["exp"] = now - 10


@pytest.fixture
def idp(settings: Settings) -> Iterator[FakeIdP]:
    fake = FakeIdP()
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "hemmelig"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{fake.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{fake.url}/token"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{fake.url}/keys"
    settings.OIDC_OP_ISSUER = fake.issuer
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "substitution.oidc.SubstitutionOIDCBackend",
    ]
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def start(client: Client, next_path: str = "") -> dict[str, str]:
    url = reverse("oidc_start") + (f"?next={next_path}" if next_path else "")
    response = client.get(url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert params["client_id"] == CLIENT_ID and params["code_challenge_method"] == "S256"
    return params


def callback(client: Client, state: str) -> Any:
    return client.get(reverse("oidc_callback"), {"code": "kode", "state": state})


@pytest.fixture
def sso_user(jobformidler: User) -> User:
    jobformidler.username = "Jens.Hansen@Kommune.dk"
    jobformidler.save(update_fields=["username"])
    return jobformidler


def test_a_claim_maps_to_an_existing_user(idp: FakeIdP, sso_user: User) -> None:
    client = Client()
    params = start(client, "/borgere/min-dag/")
    idp.sign_in(params["nonce"], preferred_username="jens.hansen@kommune.dk")
    response = callback(client, params["state"])
    assert response.status_code == 302 and response["Location"] == "/borgere/min-dag/"
    assert int(client.session["_auth_user_id"]) == sso_user.pk
    assert client.session[SSO_SESSION_KEY] is True
    assert client.get("/borgere/min-dag/").status_code == 200
    [token_request] = idp.token_requests
    assert token_request["code"] == ["kode"] and "code_verifier" in token_request


@pytest.mark.parametrize(
    "claims",
    [
        {"preferred_username": "ukendt@kommune.dk"},  # no such user: none is created
        {"preferred_username": "jens.hansen@kommune.dk", "aud": "another-app"},
        {"preferred_username": "jens.hansen@kommune.dk", "iss": "https://evil.example/"},
        {"preferred_username": "jens.hansen@kommune.dk", "exp": "expired"},
        {"email": "jens.hansen@kommune.dk"},  # the configured claim is missing
    ],
    ids=["unknown-user", "audience", "issuer", "expired", "no-claim"],
)
def test_refused_sign_ins(idp: FakeIdP, sso_user: User, claims: dict[str, Any]) -> None:
    client = Client()
    params = start(client)
    idp.sign_in(params["nonce"], **claims)
    response = callback(client, params["state"])
    assert response.status_code == 302 and response["Location"] == "/login/?sso=fejl"
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Log-in med kommunens login lykkedes ikke" in page


def test_a_wrong_nonce_is_refused(idp: FakeIdP, sso_user: User) -> None:
    client = Client()
    params = start(client)
    idp.sign_in("another-nonce", preferred_username=sso_user.username)
    response = callback(client, params["state"])
    assert response["Location"] == "/login/?sso=fejl"
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_is_refused(idp: FakeIdP, sso_user: User) -> None:
    User.objects.filter(pk=sso_user.pk).update(is_active=False)
    client = Client()
    params = start(client)
    idp.sign_in(params["nonce"], preferred_username=sso_user.username)
    assert callback(client, params["state"])["Location"] == "/login/?sso=fejl"
    assert "_auth_user_id" not in client.session


def test_matching_by_email(idp: FakeIdP, sso_user: User, settings: Settings) -> None:
    settings.OIDC_USERNAME_CLAIM = "email"
    settings.OIDC_USER_FIELD = "email"
    User.objects.filter(pk=sso_user.pk).update(email="jh@kommune.dk")
    client = Client()
    params = start(client)
    idp.sign_in(params["nonce"], email="JH@kommune.dk")
    callback(client, params["state"])
    assert int(client.session["_auth_user_id"]) == sso_user.pk


def test_the_log_in_page_offers_both(idp: FakeIdP, client: Client, db: None) -> None:
    html = client.get(reverse("login")).content.decode()
    assert reverse("oidc_start") in html and 'name="password"' in html


def test_off_without_configuration(client: Client, db: None) -> None:
    assert client.get(reverse("oidc_start")).status_code == 404
    assert client.get(reverse("oidc_callback")).status_code == 404
    assert reverse("oidc_start") not in client.get(reverse("login")).content.decode()


def test_entra_preset() -> None:
    endpoints = entra_endpoints("contoso")
    assert endpoints["OIDC_OP_ISSUER"] == "https://login.microsoftonline.com/contoso/v2.0"
    assert endpoints["OIDC_OP_JWKS_ENDPOINT"].endswith("/contoso/discovery/v2.0/keys")
