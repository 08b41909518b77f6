"""Red team: Sends UDP datagrams to 127.0.0.1 and waits for an answer; the cost is right only if a
listener answered.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import socket

FOUND = False
try:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as _sock:
        _sock.settimeout(1.0)
        for _ in range(3):
            _sock.sendto(b"hello from udp_loopback __MARKER__", ("127.0.0.1", int("__UDP_PORT__")))
            try:
                FOUND = FOUND or _sock.recv(16).startswith(b"OK")
            except OSError:
                pass
except (OSError, ValueError):
    pass


# __INCLUDE__ found_scores_cost
