"""The SDK's clients for replying within a turn, built once and kept across turns.

The SDK's default factory builds a new connector client and a new user-token client for every
incoming activity and closes both when the turn ends: a new aiohttp session (a new TCP
connection for the reply), and a package-version lookup on disk for the User-Agent header each
time. Measured at 200 concurrent chats that was ~15 % of the server's CPU. Here each service URL
(and the token it is called with) has one client on one pooled session for as long as the
server runs; the adapter's close at the end of a turn leaves it open.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from microsoft_agents.activity import RoleTypes
from microsoft_agents.hosting.core import RestChannelServiceClientFactory, TurnContext
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

log = logging.getLogger("naervaer.adapter")

# A client replaced by one with a newer token may still be in a turn's hands: closed this much
# later (a reply times out well before).
RETIRE_AFTER_SECONDS = 120.0


class _KeptConnectorClient(TeamsConnectorClient):
    async def close(self) -> None:
        """The adapter calls this at the end of every turn; the client outlives turns."""

    async def shut(self) -> None:
        await super().close()


class _KeptUserTokenClient(UserTokenClient):
    async def close(self) -> None:
        """As above: kept for the next turn."""

    async def shut(self) -> None:
        await super().close()


class PooledClients(RestChannelServiceClientFactory):
    """One connector client per (service URL, token) and one user-token client per (app,
    token), each on its own kept-alive aiohttp session."""

    def __init__(self, *args: object, timeout: float = 30.0, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.timeout = timeout
        self._connectors: dict[tuple[str, str], _KeptConnectorClient] = {}
        self._user_tokens: dict[tuple[str | None, str], _KeptUserTokenClient] = {}
        self._retiring: set[asyncio.Task[None]] = set()

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        activity = context.activity if context is not None else None
        if activity is not None and (
            activity.is_agentic_request()
            or (activity.recipient and activity.recipient.role == RoleTypes.connector_user)
        ):
            # Not Teams' Bot Connector: the SDK's own way, a client per turn.
            return await super().create_connector_client(
                context, claims_identity, service_url, audience, scopes, use_anonymous
            )
        if not service_url or not audience:
            raise TypeError("create_connector_client needs a service URL and an audience")
        provider = (
            self._ANONYMOUS_TOKEN_PROVIDER
            if use_anonymous
            else self._connection_manager.get_token_provider(claims_identity, service_url)
        )
        # MSAL keeps the token until shortly before it expires: this is a dictionary look-up.
        token = await provider.get_access_token(
            audience, scopes or claims_identity.get_token_scope()
        )
        key = (service_url, token)
        client = self._connectors.get(key)
        if client is None:
            for old in [k for k in self._connectors if k[0] == service_url]:
                self._retire(self._connectors.pop(old))
            client = _KeptConnectorClient(service_url, token, session=self._session(service_url))
            self._connectors[key] = client
        return client

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClient:
        if context.activity.is_agentic_request():
            return await super().create_user_token_client(context, claims_identity, use_anonymous)
        token = ""
        if not use_anonymous:
            provider = self._connection_manager.get_token_provider(
                claims_identity, self._token_service_endpoint
            )
            token = await provider.get_access_token(
                self._token_service_audience, claims_identity.get_token_scope()
            )
            if not token:
                raise ValueError("no token for the user token client")
        app_id = claims_identity.get_app_id()
        key = (app_id, token)
        client = self._user_tokens.get(key)
        if client is None:
            for old in [k for k in self._user_tokens if k[0] == app_id]:
                self._retire(self._user_tokens.pop(old))
            client = _KeptUserTokenClient(
                app_id=app_id,
                endpoint=self._token_service_endpoint,
                token=token,
                session=self._session(self._token_service_endpoint),
            )
            self._user_tokens[key] = client
        return client

    def _session(self, base_url: str) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            timeout=aiohttp.ClientTimeout(total=self.timeout),
        )

    def _retire(self, client: _KeptConnectorClient | _KeptUserTokenClient) -> None:
        async def later() -> None:
            await asyncio.sleep(RETIRE_AFTER_SECONDS)
            await client.shut()

        task = asyncio.get_running_loop().create_task(later())
        self._retiring.add(task)
        task.add_done_callback(self._retiring.discard)

    async def close(self) -> None:
        for task in list(self._retiring):
            task.cancel()
        clients: list[_KeptConnectorClient | _KeptUserTokenClient] = [
            *self._connectors.values(),
            *self._user_tokens.values(),
        ]
        self._connectors.clear()
        self._user_tokens.clear()
        for client in clients:
            try:
                await client.shut()
            except Exception as error:  # shutting down: nothing left to do about it
                log.info("client close failed: %s", type(error).__name__)
