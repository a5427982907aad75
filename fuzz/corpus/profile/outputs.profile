# outputs.profile — strict, plus what output captures need: for the API test.

[profile]
description = Strict, with two output files of at most 1M
inherits = strict

[limits]
output-files = 2
output-bytes = 1M

[syscalls]
# Output captures are written to the descriptors the executor grants
# (4 and up; 3 is the channel, which the executor allows itself).
write = allow if arg0 >= 4
