# layers.profile — the default profile, plus the calls the experts of
# tests/security/experts/layers.c make to probe the layers under the
# filter: read-only opens after loading (Landlock), a UDP socket and its
# connect (the network namespace), uname (the UTS namespace), SysV shared
# memory (the IPC namespace). Letting them
# through is the point: what must refuse them here is the layer, not the
# filter.

[profile]
description = Default rules, plus read-only opens, UDP, uname, SysV shm: for the layers tests
inherits = default

[syscalls]
openat = allow if arg2 & O_ACCMODE == O_RDONLY
socket = allow if arg0 == AF_INET && arg1 == SOCK_DGRAM
connect = allow
uname = allow
shmget = allow
shmctl = allow
