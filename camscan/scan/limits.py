"""Moved to `camscan.probe.limits` (probes are leaves: the limits they obey live beside them). Kept as an alias
so code written against the old path still imports."""

from camscan.probe.limits import *  # noqa: F403
from camscan.probe.limits import DEFAULT_RATE, DEFAULT_TIMEOUT_S, Limits, LimitSettings, RateLimiter  # noqa: F401
