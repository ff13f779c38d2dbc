"""OpenID Connect with PKCE against a fake provider on 127.0.0.1 (no network beyond the loopback)."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from nyskap.accounts.models import User

pytestmark = pytest.mark.django_db

PROVIDER_ID = "idporten"
CLIENT_ID = "nyskap-test"
CLIENT_SECRET = "test-secret"
ACCEPTED_ACR = "idporten-loa-high"


class FakeProvider:
    """A minimal OpenID provider: discovery, token (with a PKCE check), JWKS and userinfo."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes: dict[str, str] = {}  # code -> code_challenge given at /authorize
        self.token_requests: list[dict[str, str]] = []
        self.acr = ACCEPTED_ACR
        self.claims = {"sub": "12345678901", "email": "ida.id@oygarden.kommune.no", "email_verified": True}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"

    def register_code(self, code: str, code_challenge: str) -> None:
        """What /authorize would do after the user logged in at the provider."""
        self.codes[code] = code_challenge

    def id_token(self) -> str:
        now = int(time.time())
        payload = {
            "iss": self.base_url,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 120,
            "acr": self.acr,
            **self.claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": "test-key"})

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "test-key", "use": "sig", "alg": "RS256"}]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _json(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    base = provider.base_url
                    self._json(
                        200,
                        {
                            "issuer": base,
                            "authorization_endpoint": f"{base}/authorize",
                            "token_endpoint": f"{base}/token",
                            "userinfo_endpoint": f"{base}/userinfo",
                            "jwks_uri": f"{base}/jwks",
                            "token_endpoint_auth_methods_supported": ["client_secret_post"],
                            "code_challenge_methods_supported": ["S256"],
                            "acr_values_supported": ["idporten-loa-substantial", "idporten-loa-high"],
                        },
                    )
                elif path == "/jwks":
                    self._json(200, provider.jwks())
                elif path == "/userinfo":
                    if self.headers.get("Authorization") != "Bearer access-token-1":
                        self._json(401, {"error": "invalid_token"})
                    else:
                        self._json(200, provider.claims)
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                if urlsplit(self.path).path != "/token":
                    self._json(404, {"error": "not_found"})
                    return
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                challenge = provider.codes.pop(form.get("code", ""), None)
                verifier = form.get("code_verifier", "")
                expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                if (
                    challenge is None
                    or expected != challenge
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                ):
                    self._json(400, {"error": "invalid_grant"})
                    return
                self._json(
                    200,
                    {
                        "access_token": "access-token-1",
                        "token_type": "Bearer",
                        "expires_in": 120,
                        "id_token": provider.id_token(),
                    },
                )

        return Handler


@pytest.fixture
def fake_provider(settings) -> Iterator[FakeProvider]:
    provider = FakeProvider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_PROVIDERS_CONFIG = {
        PROVIDER_ID: {
            "name": "ID-porten",
            "issuer": provider.base_url,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "acr": ACCEPTED_ACR,
        }
    }
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "ID-porten",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {
                        "server_url": provider.base_url,
                        "oauth_pkce_enabled": True,
                        "auth_params": {"acr_values": ACCEPTED_ACR},
                        "acr": ACCEPTED_ACR,
                    },
                }
            ],
        }
    }
    try:
        yield provider
    finally:
        provider.server.shutdown()
        provider.server.server_close()
        thread.join(timeout=5)


def _start_login(client, provider: FakeProvider) -> dict[str, str]:
    response = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.base_url}/authorize"
    return {k: v[0] for k, v in parse_qs(location.query).items()}


def _callback(client, provider: FakeProvider, params: dict[str, str]):
    provider.register_code("code-1", params["code_challenge"])
    return client.get(f"/accounts/oidc/{PROVIDER_ID}/login/callback/", {"code": "code-1", "state": params["state"]})


def test_when_user_logs_in_with_oidc_then_pkce_is_used_and_user_is_signed_in(client, fake_provider):
    params = _start_login(client, fake_provider)
    assert params["client_id"] == CLIENT_ID
    assert params["code_challenge_method"] == "S256"
    assert params["acr_values"] == ACCEPTED_ACR
    assert params["response_type"] == "code"

    response = _callback(client, fake_provider, params)

    assert response.status_code == 302
    [token_request] = fake_provider.token_requests
    verifier = token_request["code_verifier"]
    assert (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        == (params["code_challenge"])
    )
    user = User.objects.get(email="ida.id@oygarden.kommune.no")
    assert client.session["_auth_user_id"] == str(user.pk)
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (PROVIDER_ID, "12345678901")
    assert account.extra_data["id_token"]["acr"] == ACCEPTED_ACR


def test_when_acr_is_too_low_then_login_is_refused_with_403(client, fake_provider, security_log):
    fake_provider.acr = "idporten-loa-substantial"
    params = _start_login(client, fake_provider)

    response = _callback(client, fake_provider, params)

    assert response.status_code == 403
    assert "The login did not reach the required security level" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="ida.id@oygarden.kommune.no").exists()
    assert not SocialAccount.objects.exists()
    [event] = security_log.named("oidc_acr_refused")
    assert (event["provider"], event["acr"]) == (PROVIDER_ID, "idporten-loa-substantial")


def test_when_code_verifier_does_not_match_then_no_user_is_signed_in(client, fake_provider):
    params = _start_login(client, fake_provider)
    fake_provider.register_code("code-1", "a-challenge-from-another-login")
    response = client.get(f"/accounts/oidc/{PROVIDER_ID}/login/callback/", {"code": "code-1", "state": params["state"]})
    assert response.status_code == 401  # allauth's authentication error page
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
