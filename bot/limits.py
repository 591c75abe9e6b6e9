"""A per-user limit on incoming turns: a client gone wild, or a script, cannot flood the bot.

In process memory (each replica limits what reaches it); a token bucket per Teams user.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


@dataclass
class TurnLimiter:
    per_minute: float = 30.0
    burst: float = 10.0
    _buckets: dict[str, _Bucket] = field(default_factory=dict)

    def allow(self, user: str, now: float | None = None) -> tuple[bool, bool]:
        """(allowed, tell them) — the friendly message goes once per spell of refusals."""
        now = time.monotonic() if now is None else now
        bucket = self._buckets.get(user)
        if bucket is None:
            if len(self._buckets) > 50_000:
                self._buckets.clear()  # idle buckets are full anyway
            bucket = self._buckets[user] = _Bucket(self.burst, now)
        bucket.tokens = min(
            self.burst, bucket.tokens + (now - bucket.updated) * self.per_minute / 60
        )
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        tell = not bucket.warned
        bucket.warned = True
        return False, tell
