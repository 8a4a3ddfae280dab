"""Loaded by any Python started with this folder on PYTHONPATH: outbound connections to
anything but loopback raise, so a test can prove the product stays on the machine."""

import ipaddress
import socket

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex


def _check(address):
    if isinstance(address, tuple) and address:
        host = address[0]
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            if host not in ("localhost",):
                raise OSError(f"blocked outbound connection to {host}")
            return
        if not ip.is_loopback:
            raise OSError(f"blocked outbound connection to {host}")


def connect(self, address):
    _check(address)
    return _connect(self, address)


def connect_ex(self, address):
    _check(address)
    return _connect_ex(self, address)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
_getaddrinfo = socket.getaddrinfo


def getaddrinfo(host, *args, **kwargs):
    try:
        ipaddress.ip_address(host)
        return _getaddrinfo(host, *args, **kwargs)  # a literal address: connect() decides
    except ValueError:
        pass
    if host not in (None, "localhost", "127.0.0.1", "::1", "0.0.0.0") and not str(host).startswith("127."):
        raise socket.gaierror(f"blocked name lookup of {host}")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = getaddrinfo
