"""An asyncio lock taken with `await acquire()` and leaked on an early return (LO104).

Its quick fix must write `async with self._lock:` (a plain `with` raises TypeError on an
asyncio lock). A lock never nested with another is hovered too. Copied into the workspace by
the scenarios that use it, so its finding does not crowd the Problems panel of the others.
"""
import asyncio

audit_lock = asyncio.Lock()


class Store:
    def __init__(self):
        self._lock = asyncio.Lock()
        self.items = []

    async def update(self, item):
        await self._lock.acquire()
        if item is None:
            return
        self.items.append(item)
        self._lock.release()


async def audit():
    async with audit_lock:
        pass
