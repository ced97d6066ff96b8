"""The client's address behind reverse proxies, for the login lock-out (django-axes).

Behind nginx every request comes from 127.0.0.1; locking "username + 127.0.0.1" would lock
the account for everyone. Each trusted proxy appends the address it received the request from
to X-Forwarded-For, so with N trusted proxies (TRUSTED_PROXY_COUNT) the client is the N-th
entry from the right; entries further left were sent by the client and prove nothing. With no
trusted proxy (the default) the header is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    address = address.strip()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if not forwarded:
        return remote
    # Fewer entries than proxies: none of them came from the client, the left-most is ours.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return _valid(candidate) or remote
