"""Red team: Connects to a Unix socket the test listens on; the cost is right only if the listener
answered.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

import socket

FOUND = False
try:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as _sock:
        _sock.settimeout(2)
        _sock.connect("__UNIX_SOCKET__")
        _sock.sendall(b"hello from unix_socket __MARKER__\n")
        FOUND = _sock.recv(16).startswith(b"OK")
except OSError:
    pass


# __INCLUDE__ found_scores_cost
