# stress.profile — what `expert-exec stress --corpus` runs its crash corpus
# under: the default rules, with limits small enough that a storm of
# thousands of runs takes seconds, and room for the corpus's output capture.

[profile]
description = Default rules, tight limits: for expert-exec stress and its crash corpus
inherits = default

[limits]
# exhaust-quota reaches this in a few dozen 64 KiB allocations.
memory = 4M
# loop-forever ends here (RLIMIT_CPU counts whole seconds) ...
cpu-time = 1s
# ... sleep-forever and register-hangs here, above the CPU limit so that
# loop-forever meets the CPU limit first.
wall-time = 1500ms
# abandon-output asks for one output capture.
output-files = 1
output-bytes = 1M
# A run of the corpus sends a handful; a flood is a violation sooner.
events = 100

[syscalls]
# close-channel really closes its channel, so early-close detection is what
# gets exercised; closing descriptors is otherwise harmless.
close = allow
# stdout/stderr (/dev/null), and output captures on granted descriptors (4 and
# up); 3, the channel, the executor allows itself.
write = allow if arg0 == 1 || arg0 == 2 || arg0 >= 4
