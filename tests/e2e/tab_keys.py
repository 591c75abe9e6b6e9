"""A local Entra ID stand-in for the tab's SSO tokens: an RSA key, a JWKS endpoint that serves
it, and tokens signed with it (or with a stranger's key, for forgery tests)."""

from __future__ import annotations

import json
import time
from typing import Any, Self

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.conftest import free_port

AUDIENCE = "api://naervaer.test/00000000-0000-0000-0000-0000000000aa"
ISSUER = "https://login.microsoftonline.com/tenant-test/v2.0"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LocalEntra:
    def __init__(self) -> None:
        self.key = _key()
        self.stranger = _key()
        self.port = free_port()
        self._runner: web.AppRunner | None = None

    @property
    def jwks_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/keys"

    def settings(self) -> dict[str, Any]:
        return {"tab_jwks_url": self.jwks_url, "tab_audience": AUDIENCE, "tab_issuer": ISSUER}

    def token(
        self,
        oid: str,
        *,
        audience: str = AUDIENCE,
        issuer: str = ISSUER,
        expires_in: int = 3600,
        forged: bool = False,
    ) -> str:
        now = int(time.time())
        claims = {"oid": oid, "aud": audience, "iss": issuer, "iat": now, "exp": now + expires_in}
        key = self.stranger if forged else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key"})

    async def _keys(self, _request: web.Request) -> web.Response:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return web.json_response({"keys": [{**public, "kid": "test-key", "use": "sig"}]})

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_get("/keys", self._keys)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
