# limits.profile — the default profile with limits small enough that the
# hostile experts testing them pass them at once: flood-events writes raw
# EVENT messages (bypassing libexpert's own count) past 10, ignore-sigxcpu
# keeps computing past 1 s of CPU time.

[profile]
description = Default rules, at most 10 events and 1 s of CPU: for the limit tests
inherits = default

[limits]
events = 10
cpu-time = 1s
# Far above the CPU limit and its one-second grace, so that the CPU limit
# is what ends ignore-sigxcpu even on a machine loaded many times over.
wall-time = 60s
