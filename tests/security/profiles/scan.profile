# scan.profile — the default profile, plus msync: for scan-memory, the
# expert that reads its whole address space looking for secrets
# (tests/security/experts/scan-memory.c).
#
# After loading, no file is the scanner's to open (Landlock, or an empty
# root), so it cannot read /proc/self/maps; it finds its mappings by asking
# msync (and mmap, which the default allows) about ranges of addresses.
# This changes nothing of what is mapped, which is what the test is about.

[profile]
description = Default rules, plus msync: for scan-memory
inherits = default

[limits]
# Scanning reads every page of the pool region, which makes the kernel
# allocate it: keep it small.
memory = 4M

[syscalls]
# Whether a range of addresses is mapped through.
# (MS_ASYNC is 1.)
msync = allow if arg2 == 1
