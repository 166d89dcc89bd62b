"""Per-host politeness: a concurrency cap, a minimum delay between request starts, and
backoff with jitter (honouring Retry-After) for transient failures."""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from datetime import UTC, datetime

# Never wait longer than this for one Retry-After, whatever the server asks.
MAX_RETRY_AFTER = 120.0


class HostGate:
    """At most `concurrency` requests in flight to one host, starts `delay` seconds apart."""

    def __init__(self, concurrency: int, delay: float) -> None:
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.delay = max(0.0, delay)
        self._lock = asyncio.Lock()
        self._next_start = 0.0

    async def __aenter__(self) -> HostGate:
        await self.semaphore.acquire()
        try:
            async with self._lock:
                wait = self._next_start - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._next_start = time.monotonic() + self.delay
        except BaseException:  # cancelled while waiting (a deadline): give the slot back
            self.semaphore.release()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.semaphore.release()

    def push_back(self, seconds: float) -> None:
        """Delay every later request to this host (after a 429/503 with Retry-After)."""
        self._next_start = max(self._next_start, time.monotonic() + seconds)


def backoff(attempt: int, base: float = 0.5, cap: float = 30.0) -> float:
    """Exponential backoff with full jitter: uniform(0, min(cap, base * 2**attempt))."""
    return random.uniform(0, min(cap, base * (2**attempt)))


def http_date(value: str | None) -> datetime | None:
    """An HTTP date header (Date, Retry-After, Last-Modified) as an aware UTC datetime.

    RFC 9110 dates are GMT; a "-0000" zone makes the standard library return a naive
    datetime, which must be read as UTC, not as the machine's local time.
    """
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    when = http_date(value)
    if when is None:
        return None
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), MAX_RETRY_AFTER)
