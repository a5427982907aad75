# crash-test.profile — the default profile with limits small enough that the
# misbehaving test experts hit them in a second or two.

[profile]
description = Default rules, tight limits: for the crash tests
inherits = default

[limits]
# Small, so exhausting it takes a few dozen 64 KiB allocations.
memory = 4M
# loop-forever is stopped by RLIMIT_CPU ...
cpu-time = 1s
# ... sleep-forever and register-hangs by the executor's timer, set well
# above the CPU limit so that loop-forever meets the CPU limit first even on
# a loaded machine.
wall-time = 5s

[syscalls]
# Closing descriptors is harmless, and lets close-channel really close its
# channel so the executor's early-close detection is what gets tested.
close = allow
