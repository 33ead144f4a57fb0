"""Connection plumbing shared by the TCP servers: one misbehaving client or device never stops the lab."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("camscan.lab")

IDLE_TIMEOUT_S = 30.0
BODY_TIMEOUT_S = 15.0
MAX_REQUESTS_PER_CONNECTION = 200

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
CLIENT_GONE = (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, OSError)


def peer_of(writer: asyncio.StreamWriter) -> str:
    peer = writer.get_extra_info("peername")
    if isinstance(peer, tuple) and len(peer) >= 2:
        return f"{peer[0]}:{peer[1]}"
    return str(peer or "")


def guarded(name: str, handler: Handler) -> Handler:
    """Wrap a connection handler: swallow client disconnects, log bugs, always close the connection."""

    async def run(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except CLIENT_GONE:
            pass
        except asyncio.CancelledError:
            # The lab is stopping. Ending normally keeps asyncio's stream callback from logging the
            # cancellation as an error; connection tasks are leaves, nothing waits for them to be cancelled.
            pass
        except Exception:  # a bug in one device's handler must not reach the event loop
            log.exception("lab device %s: handler error", name)
        finally:
            if not writer.is_closing():
                writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), timeout=2)

    return run
