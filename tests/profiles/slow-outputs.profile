# slow-outputs.profile — outputs.profile's output captures, and sleeping:
# the slow-output test expert holds its output open for a while
# (tests/integration/test-outputs.sh).

[profile]
description = Strict, with two output files of at most 16M, and sleeping
inherits = strict

[limits]
output-files = 2
output-bytes = 16M

[syscalls]
# Output captures are written to the descriptors the executor grants
# (4 and up; 3 is the channel, which the executor allows itself).
write = allow if arg0 >= 4
nanosleep = allow
clock_nanosleep = allow
