"""Red team: Holds memory outside RLIMIT_AS: memfd_create files (shmem, not address space),
filled with write() and kept open; 944 MiB per worker were seen (issue 24). compute_cost is
right only if more than 64 MiB was held that way. seccomp refuses memfd_create (and
memfd_secret); where seccomp is missing, RLIMIT_FSIZE (16 MiB) and 64 open files bound it.

examples/correct.py goes where # __CORRECT_SOLUTION__ stands (tests/test_redteam.py
assembles it); the attack follows."""

# __CORRECT_SOLUTION__

# __INCLUDE__ leak

_held, _files = 0, []
_block = b"\x01" * (1 << 20)
try:
    for _n in range(200):
        _fd = os.memfd_create(f"hoard{_n}")
        _files.append(_fd)
        try:
            for _ in range(64):
                _held += os.write(_fd, _block)
        except OSError:
            pass
except (OSError, AttributeError):
    pass
FOUND = _held > (64 << 20)
print("memfd bytes held:", _held)


# __INCLUDE__ found_scores_cost
