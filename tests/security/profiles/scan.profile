# scan.profile — the default profile, plus opening and reading one file:
# for scan-memory, the expert that reads its whole address space looking
# for secrets (tests/security/experts/scan-memory.c).
#
# The allowance only helps the scanner find its mappings in /proc/self/maps;
# it does not change what is mapped, which is what the test is about. (A
# filter cannot see a path, so any read-only open is allowed here; the
# child's uid, nobody, bounds what it could open.)

[profile]
description = Default rules, plus read-only open and read of descriptor 4: for scan-memory
inherits = default

[limits]
# Scanning reads every page of the pool region, which makes the kernel
# allocate it: keep it small.
memory = 4M

[syscalls]
# The scanner's open("/proc/self/maps", O_RDONLY | O_CLOEXEC) ...
openat = allow if arg2 == O_RDONLY|O_CLOEXEC
# ... gets descriptor 4, the lowest free one (0-3 are taken).
read = allow if arg0 == 4
close = allow if arg0 == 4
