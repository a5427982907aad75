# coalesce.profile — strict, plus writing the output captures the executor
# grants (expert_create_output). For experts that rebuild a capture, such as
# Protocol Coalesce. See docs/profiles.md.

[profile]
description = strict, and may write to descriptors the executor grants
inherits = strict

[limits]
# Each output is a file the executor creates in the job's own folder of
# --output-dir; these bound how many one run may create and how large each
# may grow (RLIMIT_FSIZE: writing past it kills the child with SIGXFSZ, and
# the partial file is removed).
output-files = 4
output-bytes = 1G

[syscalls]
# Descriptors 0-2 are /dev/null and 3 is the channel, which the executor
# allows itself; the child closes everything else before the filter is
# installed, so 4 and up can only be outputs the executor granted, passed
# over the channel. Nothing here lets the expert open a file of its own.
write = allow if arg0 >= 4
