"""Where an organization's settings may send: not into the installation's own network."""

import ipaddress
import socket

from django.conf import settings


def host_is_public(host: str) -> bool:
    """Whether every address `host` names is on the public internet (not loopback, private,
    link-local...): an organization's settings must not reach into the installation's own
    network, unless OUTBOUND_PRIVATE_HOSTS_ALLOWED says this installation wants that. A name
    that does not resolve counts as public (sending will say it cannot be reached)."""
    if settings.OUTBOUND_PRIVATE_HOSTS_ALLOWED:
        return True
    try:
        infos = socket.getaddrinfo(host.strip("[]"), None)
    except (OSError, UnicodeError):
        return True
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if not address.is_global:
            return False
    return True
