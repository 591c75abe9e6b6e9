"""Who is asking the tab: a Teams SSO token validated as an Entra ID JWT (issuer, audience,
signing keys from a JWKS URL, all configurable), or the demo login's cookie in local mode."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import jwt

from bot.settings import Settings

log = logging.getLogger("naervaer.tab")


@dataclass(frozen=True)
class Identity:
    oid: str | None = None
    employee_id: str | None = None  # demo login only


class TokenCheck:
    """Validates Teams SSO tokens: signature by a key from the JWKS, audience, issuer, expiry."""

    def __init__(self, settings: Settings) -> None:
        self.audience = [a for a in (settings.tab_audience, settings.app_id) if a]
        self.issuer = settings.tab_issuer or (
            f"https://login.microsoftonline.com/{settings.app_tenant_id}/v2.0"
            if settings.app_tenant_id
            else None
        )
        self.keys = jwt.PyJWKClient(settings.tab_jwks_url, cache_keys=True, lifespan=3600)

    async def oid(self, token: str) -> str | None:
        if not self.audience or not self.issuer:
            return None
        try:
            # The key fetch is blocking I/O (cached afterwards): off the event loop.
            key = await asyncio.to_thread(self.keys.get_signing_key_from_jwt, token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "aud", "iss", "oid"]},
            )
        except (jwt.PyJWTError, OSError) as error:
            log.warning("tab token refused: %s", type(error).__name__)
            return None
        return str(claims["oid"])
