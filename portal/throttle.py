"""Counting what a form may do per client, per address or per account, in the limiter's storage.

`@limiter.limit(...)` on a view counts every request to it by the client's address; `allow()`
counts one event under any key (an e-mail address, an account) in the same storage, so the
counts are shared by every worker and node (Redis in production, refused `memory://`):

    if not throttle.allow(config["RESET_ADDRESS_RATE_LIMIT"], "reset-address", email): ...

The client's address is `request.remote_addr`: the socket's peer, or what X-Forwarded-For
says only when TRUSTED_PROXIES declares the proxies in front (portal/config.py).
"""

import hashlib

from flask import abort, current_app
from limits import parse

from portal.extensions import limiter


def allow(limit: str, scope: str, *keys) -> bool:
    """Count one event under `scope` and `keys`; False once `limit` (e.g. "3 per hour") is exceeded."""
    if not limiter.enabled:
        return True
    hashed = [hashlib.sha256(str(key).encode()).hexdigest()[:32] for key in keys]  # no addresses in Redis
    return limiter.limiter.hit(parse(limit), "portal", scope, *hashed)


def limit_config(name: str):
    """For `@limiter.limit(limit_config("JOIN_RATE_LIMIT"))`: the limit read from the configuration."""
    return lambda: current_app.config[name]


def refuse_over(limit: str, scope: str, *keys) -> None:
    """Answer 429 (the "too many attempts" page) once `limit` is exceeded."""
    if not allow(limit, scope, *keys):
        abort(429)
