"""One send budget for everything the bot sends to Teams: replies within a turn and the outbox.

Teams counts an app's requests per tenant (about 50 a second) and, per conversation, 7 a second,
8 in 2 s, 60 in 30 s and 1,800 an hour, answering 429 beyond them. A send asks the budget just
before its HTTP request and is let go when every window has room; it takes its place in them at
that moment, so what Teams counts is what was counted here. Replies wait in front of proactive
messages; a conversation Teams paused (429, Retry-After) holds back only itself.

Sliding windows, not a token bucket: a bucket lets a burst through on top of its rate, and Teams'
one-second window counts that burst. Each window here is a margin longer than Teams' own, so
requests delayed unevenly on their way (event loop, network) still reach Teams inside its limit:
a small one for the app's window, where it costs throughput, a wide one for a conversation's,
where it costs nobody else anything.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass


class SendingStopped(Exception):
    """The outbox sender is stopping: a proactive send still waiting does not go."""


@dataclass(frozen=True)
class Window:
    """At most `requests` in any `seconds`."""

    requests: int
    seconds: float

    def shared(self, senders: int) -> Window:
        """One process's part when `senders` processes send for the same app."""
        if self.requests >= senders:
            return Window(self.requests // senders, self.seconds)
        return Window(1, self.seconds * senders / self.requests)


# Microsoft's documented limits ("Optimize your bot with rate limiting in Teams").
TEAMS_APP = Window(50, 1.0)
TEAMS_CONVERSATION = (Window(7, 1.0), Window(8, 2.0), Window(60, 30.0), Window(1800, 3600.0))
# Measured with benchmarks/checkin_fanout.py against a stub enforcing all of Teams' windows, on
# a busy two-core machine: 20 ms between taking a place and arriving was covered well enough
# (4-15 429s in 3,000 sends at 5-200 ms round trips, each retried), 0.97 of 50/s; 40 ms gave
# 0.94-0.96. The window is 1.02 s, so 49/s at most.
MARGIN_SECONDS = 0.02
# A leader's 40 messages at once drew a 429 with 40 ms on a loaded machine; 250 ms did not.
CONVERSATION_MARGIN_SECONDS = 0.25
# Evenly spaced requests fell to 0.81 of the rate on a busy machine (a late one never made up
# for); a burst of at most ~5 after a stall made it up with no more 429s.
CATCH_UP_SECONDS = 0.1


def per_second(rate: float) -> Window:
    return Window(int(rate), 1.0) if rate >= 1 else Window(1, 1.0 / rate)


class _Log:
    """When one scope's sends went (oldest first), kept as long as a window can count them."""

    __slots__ = ("paused_until", "times")

    def __init__(self) -> None:
        self.times: deque[float] = deque()
        self.paused_until = 0.0

    def free_at(self, windows: Sequence[Window], margin: float) -> float:
        at = self.paused_until
        n = len(self.times)
        for window in windows:
            if n >= window.requests:
                at = max(at, self.times[n - window.requests] + window.seconds + margin)
        return at

    def add(self, now: float, keep: int, keep_seconds: float) -> None:
        self.times.append(now)
        while self.times and (len(self.times) > keep or self.times[0] < now - keep_seconds):
            self.times.popleft()


@dataclass(eq=False)
class _Waiter:
    key: str | None
    # Resolved with 0 (go) or with the seconds to try again after (its conversation paused).
    future: asyncio.Future[float]
    # The outbox sender's (no time limit of its own): stopped by close(), sent back to the
    # outbox when its conversation is paused beyond the horizon.
    outbox: bool


class SendBudget:
    """Shared by the in-turn replies and the outbox sender of one process; replicas split the
    app's windows between them (`share`), counted through the database by the sender."""

    def __init__(
        self,
        app: Window = TEAMS_APP,
        conversation: Sequence[Window] = TEAMS_CONVERSATION,
        margin: float = MARGIN_SECONDS,
        conversation_margin: float = CONVERSATION_MARGIN_SECONDS,
        horizon: float = 30.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.teams_app, self.teams_conversation = app, tuple(conversation)
        self.margin, self.conversation_margin = margin, conversation_margin
        # A proactive send whose conversation has no room for longer goes back to the outbox
        # (it would hold its claim, and the sender's slots, meanwhile).
        self.horizon = horizon
        self._now = now
        self.senders = 1
        self.app, self.conversation = (app,), self.teams_conversation
        self._app = _Log()
        self._paced = 0.0  # when the next request is due, were they spaced evenly
        self._conversations: dict[str, _Log] = {}
        self._replies: deque[_Waiter] = deque()
        self._others: deque[_Waiter] = deque()
        self._timer: asyncio.TimerHandle | None = None
        self._closed = False
        self._sweeps = itertools.count()
        # What was let go at once, waited, went back (deferred), and 429 pauses.
        self.stats: Counter[str] = Counter()

    @classmethod
    def for_rates(
        cls, app_per_second: float, conversation_per_second: float, conversations: bool = True
    ) -> SendBudget:
        """Teams' windows with the configured app rate and first conversation window; without
        the conversation windows (`conversations=False`) for a connector that has none."""
        first = per_second(conversation_per_second)
        windows = (first, *TEAMS_CONVERSATION[1:]) if conversations else ()
        return cls(per_second(app_per_second), windows)

    def share(self, senders: int) -> None:
        self.senders = senders
        self.app = (self.teams_app.shared(senders),)
        self.conversation = tuple(w.shared(senders) for w in self.teams_conversation)
        self._dispatch()

    def pause(self, key: str | None, seconds: float) -> None:
        """Teams answered 429 for this conversation: nothing more goes to it for `seconds`."""
        log = self._app if key is None else self._log(key)
        log.paused_until = max(log.paused_until, self._now() + seconds)
        self.stats["paused"] += 1
        self._dispatch()  # proactive sends waiting for it go back to the outbox

    def close(self) -> None:
        """Proactive sends waiting now or later raise SendingStopped; replies still go."""
        self._closed = True
        for queue in (self._replies, self._others):
            for waiter in queue:
                if waiter.outbox and not waiter.future.done():
                    waiter.future.set_exception(SendingStopped())

    def open(self) -> None:
        self._closed = False

    async def take(
        self, key: str | None, *, first: bool = False, within: float | None = None
    ) -> float:
        """Wait until a request to conversation `key` may go (None: a request outside one) and
        count it: returns 0. `first`: a reply, let go before the others. Returns the seconds
        to try again after, counting nothing, when the conversation has no room in time
        (`within`, else the horizon) or the wait took `within` seconds. Without `within` (the
        outbox sender's sends), raises SendingStopped once the budget is closed."""
        if self._closed and within is None:
            raise SendingStopped()
        now = self._now()
        if key is not None:
            wait = self._conversation_free_at(key) - now
            if wait > (self.horizon if within is None else within):
                self.stats["deferred"] += 1
                return wait
        waiter = _Waiter(key, asyncio.get_running_loop().create_future(), within is None)
        (self._replies if first else self._others).append(waiter)
        self._dispatch()
        if waiter.future.done():
            self.stats["at once"] += 1
            return waiter.future.result()  # raises SendingStopped
        try:
            await asyncio.wait({waiter.future}, timeout=within)
        finally:
            if not waiter.future.done():
                waiter.future.cancel()  # cancelled or timed out: the dispatcher skips it
        if waiter.future.cancelled():
            self.stats["deferred"] += 1
            return within or 0.0
        self.stats["waited"] += 1
        return waiter.future.result()

    def _log(self, key: str) -> _Log:
        log = self._conversations.get(key)
        if log is None:
            if next(self._sweeps) % 10_000 == 0:
                self._forget_idle()
            log = self._conversations[key] = _Log()
        return log

    def _forget_idle(self) -> None:
        longest = max((w.seconds for w in self.conversation), default=0.0)
        longest += self.conversation_margin
        now = self._now()
        for key in [
            k
            for k, log in self._conversations.items()
            if (not log.times or log.times[-1] < now - longest) and log.paused_until < now
        ]:
            del self._conversations[key]

    def _dispatch(self) -> None:
        """Let go every waiter whose windows have room, replies first; then sleep until the
        earliest moment another could go."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        now = self._now()
        wake = float("inf")
        for queue in (self._replies, self._others):
            kept: deque[_Waiter] = deque()
            while queue:
                waiter = queue.popleft()
                if waiter.future.done():
                    continue
                conversation_at = self._conversation_free_at(waiter.key)
                if waiter.outbox and conversation_at - now > self.horizon:
                    waiter.future.set_result(conversation_at - now)  # paused meanwhile
                    continue
                at = max(self._app_free_at(), conversation_at)
                if at > now:
                    kept.append(waiter)
                    wake = min(wake, at)
                    continue
                self._count(waiter.key, now)
                waiter.future.set_result(0.0)
            queue.extend(kept)
        if wake < float("inf"):
            self._timer = asyncio.get_running_loop().call_later(wake - now, self._dispatch)

    def _app_free_at(self) -> float:
        """The app's window, and its requests spaced evenly (let go in bursts, a process that
        stalls for a moment lands a whole burst in Teams' next second), catching up at most
        CATCH_UP_SECONDS of a stall's lost time at once."""
        return max(self._app.free_at(self.app, self.margin), self._paced - CATCH_UP_SECONDS)

    def _conversation_free_at(self, key: str | None) -> float:
        if key is None:
            return 0.0
        return self._log(key).free_at(self.conversation, self.conversation_margin)

    def _count(self, key: str | None, now: float) -> None:
        app = self.app[0]
        self._paced = max(self._paced, now) + (app.seconds + self.margin) / app.requests
        self._app.add(now, app.requests, app.seconds + self.margin)
        if key is not None:
            keep = max((w.requests for w in self.conversation), default=0)
            seconds = max((w.seconds for w in self.conversation), default=0.0)
            seconds += self.conversation_margin
            self._log(key).add(now, keep, seconds)
